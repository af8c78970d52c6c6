import { describe, expect, test } from "vitest";
import { analyze, analyzeWord } from "../../src/analysis/index.js";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { textDocument } from "./helpers.js";

const SHY = "\u00ad";

describe("invisible characters inside words (soft hyphen, joiners)", () => {
  test("a soft hyphen joins the word, which keeps its whole span and the term of the word without it", () => {
    const text = `Le gouver${SHY}nement a démis${SHY}sionné, l’OTAN\u2060aussi.`;
    const tokens = analyze(text, { keepStopwords: true });
    const gouv = tokens.find((t) => t.term === analyzeWord("gouvernement").term)!;
    expect(text.slice(gouv.start, gouv.end)).toBe(`gouver${SHY}nement`);
    expect(tokens.map((t) => t.term)).toContain(analyzeWord("démissionné").term);
    // A word joiner between two words joins them too (it forbids a break), as Unicode says.
    expect(analyzeWord(`otan\u2060aussi`).folded).toBe("otanaussi");
    expect(analyzeWord(`sécu${SHY}rité`)).toEqual(analyzeWord("sécurité"));
    expect(analyzeWord(`hé\u200dlico\u200cptère`)).toEqual(analyzeWord("hélicoptère"));
    // Compatibility forms read as the plain letters (NFKC): fullwidth, superscripts.
    expect(analyzeWord("Ｏｔａｎ")).toEqual(analyzeWord("OTAN"));
    expect(analyzeWord("m²").folded).toBe("m2");
    // Not inside a word: no token, nothing joined.
    expect(analyze(`${SHY} chat ${SHY}`).map((t) => t.term)).toEqual([analyzeWord("chat").term]);
  });

  test("a document written with soft hyphens is found by the word, and the whole written word is marked", () => {
    const engine = new LoupeEngine(
      indexDocuments([
        textDocument("a", "Un titre", `Le gouver${SHY}nement a démis${SHY}sionné hier soir.`),
        textDocument("b", "Autre", "Rien à voir ici."),
      ]),
    );
    for (const query of ["gouvernement", "démissionné", `gouver${SHY}nement`, "gouvern"]) {
      const result = engine.search(query, { limit: 5 });
      expect(
        result.hits.map((h) => h.id),
        query,
      ).toEqual(["a"]);
      const { text, marks } = result.hits[0]!.snippet as {
        text: string;
        marks: [number, number][];
      };
      const marked = marks.map(([start, end]) => text.slice(start, end));
      expect(marked.length, query).toBe(1);
      expect(marked[0]!.replaceAll(SHY, ""), query).toMatch(/^(gouvernement|démissionné)$/);
    }
    // What is offered to type has no soft hyphen (invisible, it would end up in URLs).
    expect(engine.suggest("gouv")).toEqual(["gouvernement"]);
    const view = engine.getDocument("a", "gouvernement")!;
    expect(view.highlights?.map(([s, e]) => view.body.slice(s, e))).toEqual([`gouver${SHY}nement`]);
  });
});
