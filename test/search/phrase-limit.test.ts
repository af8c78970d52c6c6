/**
 * A phrase of very common words would have its check run over the whole collection; the
 * number of documents checked is capped and the result says so.
 */
import { describe, expect, test } from "vitest";
import type { LoupeDocument } from "../../src/corpus/types.js";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { MAX_PHRASE_CHECKS } from "../../src/search/execute.js";
import { markedWords } from "./helpers.js";

function doc(i: number, body: string): LoupeDocument {
  return {
    id: `d${i}`,
    title: `Note ${i}`,
    body,
    source: `d${i}.txt`,
    bytes: body.length,
    readingMinutes: 1,
    hash: "",
  };
}

describe("phrases of common words", () => {
  const count = MAX_PHRASE_CHECKS + 100;
  const documents = Array.from({ length: count }, (_, i) =>
    doc(
      i,
      i % 2 === 0 ? `le dossier de la procédure numéro ${i}` : `la procédure de le dossier ${i}`,
    ),
  );
  const engine = new LoupeEngine(indexDocuments(documents));

  test("a phrase whose words are everywhere is checked on a bounded number of documents, with a warning", () => {
    const result = engine.search('"de la procédure"');
    expect(result.warnings?.join(" ")).toMatch(/too common to check everywhere/);
    expect(result.total).toBeGreaterThan(0);
    expect(result.total).toBeLessThanOrEqual(MAX_PHRASE_CHECKS);
    for (const hit of result.hits) expect(markedWords(hit.snippet)).toContain("de la procédure");
  });

  test("a phrase with few candidates is checked everywhere, without a warning", () => {
    const result = engine.search('"numéro 12"');
    expect(result.warnings).toBeUndefined();
    expect(result.hits.map((hit) => hit.id)).toEqual(["d12"]);
  });

  test("a date filter picks the documents to check first, and an excluded phrase is checked everywhere", () => {
    const dated = Array.from({ length: count }, (_, i) => ({
      ...doc(i, `texte alpha beta ${i}`),
      // The older documents score higher (shorter bodies come first in BM25 here by design).
      date: i < 350 ? "2019-01" : "2020-01",
      body: i < 350 ? `alpha beta ${i}` : `texte long alpha beta numéro ${i} et encore`,
    }));
    const datedEngine = new LoupeEngine(indexDocuments(dated));
    const inRange = datedEngine.search('"alpha beta" date:2020-01', { limit: 100 });
    expect(inRange.total).toBe(count - 350);
    const excluded = datedEngine.search('texte -"alpha beta"');
    expect(excluded.total).toBe(0);
  });
});
