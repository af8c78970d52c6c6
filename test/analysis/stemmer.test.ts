import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stem } from "../../src/analysis/stemmer.js";

function readLines(name: string): string[] {
  const url = new URL(`../fixtures/snowball-fr/${name}`, import.meta.url);
  const lines = readFileSync(url, "utf8").split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

describe("stem (Snowball French)", () => {
  it("reproduces the Snowball reference output on the whole vocabulary", () => {
    const words = readLines("voc.txt");
    const expected = readLines("output.txt");
    expect(words.length).toBe(21_655);
    expect(expected.length).toBe(words.length);

    const mismatches: string[] = [];
    words.forEach((word, i) => {
      const got = stem(word);
      if (got !== expected[i]) mismatches.push(`${word}: got ${got}, expected ${expected[i]}`);
    });
    // One assertion with a readable summary rather than 21,655 expects.
    expect(
      mismatches,
      `${mismatches.length} of ${words.length} words disagree, first: ${mismatches.slice(0, 10).join("; ")}`,
    ).toEqual([]);
  });

  it.each([
    ["ambiguïté", "ambigu"], // suffix after a diaeresis (2018)
    ["française", "franc"], // -aise conflated with -ais (2025)
    ["français", "franc"],
    ["bijoux", "bijou"], // -oux -> -ou after b, h, j, l, n, p
    ["doux", "doux"],
    ["c'est", "est"], // elision
    ["d'accès", "acces"],
    ["qu'il", "il"],
    ["d'", "d'"], // nothing after the apostrophe: kept
    ["mauvais", "mauvais"], // exception: not mauve
    ["mauvaise", "mauvais"],
    ["malais", "malais"], // exception: not mal
    ["niais", "niais"], // exception: not ni
    ["sécurité", "sécur"],
    ["aujourd'hui", "aujourd'hui"], // apostrophe inside the word: not an elision
  ])("%s -> %s", (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it("reads typographic apostrophes as '", () => {
    expect(stem("c’est")).toBe("est");
    expect(stem("lʼéglise")).toBe(stem("l'église"));
    expect(stem("aujourd’hui")).toBe("aujourd'hui");

    const words = readLines("voc.txt");
    const expected = readLines("output.txt");
    const mismatches: string[] = [];
    words.forEach((word, i) => {
      if (!word.includes("'")) return;
      for (const apostrophe of ["’", "ʼ"]) {
        const variant = word.replaceAll("'", apostrophe);
        const got = stem(variant);
        if (got !== expected[i]) mismatches.push(`${variant}: got ${got}, expected ${expected[i]}`);
      }
    });
    expect(mismatches, mismatches.slice(0, 10).join("; ")).toEqual([]);
  });

  it("handles degenerate input", () => {
    expect(stem("")).toBe("");
    expect(stem("a")).toBe("a");
    expect(stem("l'")).toBe("l'");
  });
});
