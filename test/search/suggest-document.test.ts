/**
 * Autocomplete, "did you mean", one document with its matches marked, and `explain`.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { fold } from "../../src/analysis/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { DEFAULT_RANKING } from "../../src/search/execute.js";
import {
  asHtml,
  markedWords,
  occurrences,
  SEED,
  type SeedsEngine,
  seedsEngine,
  termOf,
  termsIn,
  visibleText,
} from "./helpers.js";

let seeds: SeedsEngine;
let allText: string;
beforeAll(async () => {
  seeds = await seedsEngine();
  allText = seeds.documents.map((doc) => `${doc.title}\n${doc.body}`).join("\n");
});

/** Whether `word` is written, as is, as a whole word somewhere in the seeds. */
function writtenInSeeds(word: string): boolean {
  return new RegExp(
    `(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`,
    "u",
  ).test(allText);
}

describe("suggest", () => {
  test('"hél" offers hélicoptères as written, not its stem', () => {
    const suggestions = seeds.engine.suggest("hél");
    expect(suggestions).toContain("hélicoptères");
    expect(suggestions).not.toContain(termOf("hélicoptères"));
    for (const suggestion of suggestions) {
      expect(writtenInSeeds(suggestion), suggestion).toBe(true);
      expect(fold(suggestion.toLowerCase()).startsWith("hel")).toBe(true);
    }
  });

  test("a compound being typed completes its last part, the parts before kept", () => {
    // The whole run `porte-par` was looked up as one word, and completed nothing.
    expect(seeds.engine.suggest("porte-par")).toContain("porte-parole");
    expect(seeds.engine.suggest("nord-atl")).toEqual(["nord-atlantique"]);
    expect(seeds.engine.suggest("nord-")).toEqual([]);
  });

  test("every completion is a word of the collection as written, starting with what was typed", () => {
    for (const prefix of ["sol", "gouv", "Sto", "otan", "irak", "form", "É"]) {
      const suggestions = seeds.engine.suggest(prefix);
      expect(suggestions.length, prefix).toBeGreaterThan(0);
      expect(suggestions.length).toBeLessThanOrEqual(8);
      expect(new Set(suggestions.map((s) => s.toLowerCase())).size).toBe(suggestions.length);
      for (const suggestion of suggestions) {
        expect(writtenInSeeds(suggestion), `${prefix} → ${suggestion}`).toBe(true);
        expect(
          fold(suggestion.toLowerCase()).startsWith(fold(prefix.toLowerCase())),
          suggestion,
        ).toBe(true);
      }
    }
    expect(seeds.engine.suggest("Sto")).toEqual(["Stoltenberg"]);
    expect(seeds.engine.suggest("otan")).toEqual(["OTAN"]);
  });

  test('"hélicoptères ba" keeps the first word and completes the second', () => {
    const suggestions = seeds.engine.suggest("hélicoptères ba");
    expect(suggestions).toContain("hélicoptères Bagdad");
    for (const suggestion of suggestions) {
      expect(suggestion.startsWith("hélicoptères ")).toBe(true);
      const last = suggestion.slice("hélicoptères ".length);
      expect(fold(last.toLowerCase()).startsWith("ba")).toBe(true);
      expect(writtenInSeeds(last)).toBe(true);
    }
  });

  test("the limit is respected", () => {
    expect(seeds.engine.suggest("a", 3).length).toBe(3);
    expect(seeds.engine.suggest("a", 1).length).toBe(1);
  });

  test('"" and blanks suggest nothing; neither do unknown prefixes', () => {
    expect(seeds.engine.suggest("")).toEqual([]);
    expect(seeds.engine.suggest("   ")).toEqual([]);
    expect(seeds.engine.suggest("xyzzyq")).toEqual([]);
    expect(seeds.engine.suggest("Parly ")).toEqual([]);
  });
});

describe("did you mean", () => {
  test("a word unknown to the collection is replaced, the others kept as typed", () => {
    expect(seeds.engine.search("Stoltemberg Bagdad").suggestion).toBe("Stoltenberg Bagdad");
    expect(seeds.engine.search("Irek Irek").suggestion).toBe("Irak Irak");
  });

  test("the correction replaces the unknown word itself, not the same letters inside another word", () => {
    // "missio" is inside "missions": only the second word is to be corrected.
    expect(seeds.engine.search("missions missio Irak").suggestion).toBe("missions mission Irak");
  });

  test("an elided article is kept: l'Irek → l'Irak", () => {
    expect(seeds.engine.search("l'Irek").suggestion).toBe("l'Irak");
    expect(seeds.engine.search("d’Irek OTAN").suggestion).toBe("d’Irak OTAN");
  });

  test("no suggestion when every word is known, or for a prefix being typed", () => {
    expect(seeds.engine.search("OTAN Irak").suggestion).toBeUndefined();
    expect(seeds.engine.search("gouverneme").suggestion).toBeUndefined();
  });
});

describe("getDocument", () => {
  test('getDocument(id, "OTAN") marks every OTAN of the body, however written', () => {
    const view = seeds.engine.getDocument(SEED.canada, "OTAN")!;
    const expected = occurrences(view.body, "OTAN");
    expect(expected).toBe(18);
    expect(view.highlights?.length).toBe(expected);
    const marked = markedWords({ text: view.body, marks: view.highlights! });
    expect(marked.length).toBe(expected);
    for (const word of marked) expect(termsIn(word)).toEqual([termOf("OTAN")]);
    for (const [start, end] of view.highlights!)
      expect(termsIn(view.body.slice(start, end))).toEqual(["otan"]);
    // As the API and the page show it: the same words in <mark>, the body's text around them.
    const html = asHtml(view.body, view.highlights);
    expect(markedWords(html)).toEqual(marked);
    expect(visibleText(html)).toBe(view.body);
    expect(asHtml(view.title, view.titleMarks)).toContain("<mark>l’OTAN</mark>");
  });

  test("l’Otan, l'Otan and l’OTAN are all marked in the Parly article", () => {
    const view = seeds.engine.getDocument(SEED.parly, "OTAN")!;
    expect(view.highlights?.length).toBe(occurrences(view.body, "OTAN"));
    expect(new Set(markedWords({ text: view.body, marks: view.highlights! }))).toEqual(
      new Set(["l’Otan", "l'Otan"]),
    );
  });

  test("the stored document as is, without a query", () => {
    const view = seeds.engine.getDocument(SEED.suspension)!;
    const stored = seeds.byId.get(SEED.suspension)!;
    expect(view).toMatchObject({
      id: stored.id,
      title: stored.title,
      date: "2020-01",
      body: stored.body,
    });
    expect(view.titleMarks).toBeUndefined();
    expect(view.highlights).toBeUndefined();
    expect(seeds.engine.getDocument(SEED.suspension, "  ")?.highlights).toBeUndefined();
  });

  test('getDocument("nope") is undefined, with or without a query', () => {
    expect(seeds.engine.getDocument("nope")).toBeUndefined();
    expect(seeds.engine.getDocument("nope", "OTAN")).toBeUndefined();
  });

  test("a phrase query marks the phrase in the document", () => {
    const view = seeds.engine.getDocument(SEED.suspension, '"formation des formateurs"')!;
    expect(markedWords({ text: view.body, marks: view.highlights! })).toEqual([
      "formation des formateurs",
    ]);
  });
});

describe("explain", () => {
  type WordScore = { word: string; score: number; match?: string };
  // The sums below are BM25's: the ranking without the learned re-ranker, whose own parts
  // are checked after them.
  let handMade: LoupeEngine;
  beforeAll(() => {
    handMade = new LoupeEngine(seeds.engine.index, { ...DEFAULT_RANKING, learned: undefined });
  });

  test.each([
    "OTAN Irak Bagdad",
    "Stoltemberg",
    "Soleimani hélicoptères",
    '"formation des formateurs" Stoltenberg',
  ])("%s: with the learned default, its signals' parts add up to the hit's score", (query) => {
    const hits = seeds.engine.search(query, { explain: true, limit: 10 }).hits;
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) {
      const signals = hit.explain!.learned!;
      const sum = signals.reduce((total, s) => total + s.contribution, 0);
      expect(sum).toBeCloseTo(hit.explain!.score, 9);
      expect(Math.abs(sum - hit.score)).toBeLessThanOrEqual(0.0005 + 1e-9);
    }
  });

  test.each([
    "OTAN Irak Bagdad",
    "Stoltemberg",
    "gouv* Irak",
    "Soleimani hélicoptères",
    "le la les",
  ])("%s: the word scores add up to the hit's score", (query) => {
    const result = handMade.search(query, { explain: true, limit: 10 });
    expect(result.hits.length).toBeGreaterThan(0);
    for (const hit of result.hits) {
      const explain = hit.explain!;
      const words = explain.words as WordScore[];
      const proximity = (explain.proximity as { score: number }).score;
      const sum = words.reduce((total, word) => total + word.score, 0) + proximity;
      expect(explain.coordination).toBe(1);
      expect(sum).toBeCloseTo(explain.score as number, 9);
      // The hit's score is the same number, rounded to 3 decimals.
      expect(Math.abs(sum - hit.score)).toBeLessThanOrEqual(0.0005 + 1e-9);
    }
  });

  test("a typo or prefix match says which word of the collection it matched, and how", () => {
    const words = seeds.engine.search("Stoltemberg", { explain: true }).hits[0]!.explain!
      .words as WordScore[];
    expect(words).toEqual([
      { word: "Stoltemberg", score: expect.any(Number), match: "stoltenberg", kind: "fuzzy" },
    ]);
  });

  test("with a phrase, the word scores and the phrase score add up to the hit's score", () => {
    for (const query of ['"formation des formateurs" Stoltenberg', '"État islamique"']) {
      for (const hit of handMade.search(query, { explain: true }).hits) {
        const words = hit.explain!.words as WordScore[];
        const sum =
          words.reduce((total, word) => total + word.score, 0) +
          (hit.explain!.phrases as number) +
          (hit.explain!.proximity as { score: number }).score;
        expect(hit.explain!.phrases as number).toBeGreaterThan(0);
        expect(sum).toBeCloseTo(hit.explain!.score as number, 9);
      }
    }
  });

  test("without explain, hits carry no explanation", () => {
    for (const hit of seeds.engine.search("OTAN").hits) expect(hit.explain).toBeUndefined();
  });

  test("with coordination on, the score is the sum times the words matched", () => {
    const engine = new LoupeEngine(seeds.engine.index, {
      ...DEFAULT_RANKING,
      learned: undefined,
      coordination: true,
    });
    for (const hit of engine.search("Hutchison Soleimani", { explain: true, limit: 10 }).hits) {
      const words = hit.explain!.words as WordScore[];
      const sum = words.reduce((total, word) => total + word.score, 0);
      const matched = words.filter((word) => word.score > 0).length;
      expect(hit.explain!.coordination).toBe(matched);
      const proximity = (hit.explain!.proximity as { score: number }).score;
      expect(hit.explain!.score as number).toBeCloseTo(sum * matched + proximity, 9);
    }
  });
});
