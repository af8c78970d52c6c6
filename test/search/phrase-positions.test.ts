/**
 * Phrases are matched on the index's word positions, in every document: the total of a
 * phrase query must equal a brute-force scan of the documents with loupe's own analysis.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { analyze } from "../../src/analysis/index.js";
import { indexDocuments, stopwordPairKey } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { testDocument as doc } from "./helpers.js";

const WORDS = [
  "la",
  "le",
  "de",
  "des",
  "procédure",
  "dossier",
  "État",
  "Etat",
  "islamique",
  "formation",
  "Paris",
  "un",
  "et",
];

/** Whether `text` holds the phrase, by the rules of src/search/phrase-match.ts, from scratch. */
function holds(text: string, phrase: string): boolean {
  const wanted = analyze(phrase, { keepStopwords: true });
  const tokens = analyze(text, { keepStopwords: true });
  if (wanted.length === 0 || tokens.length === 0) return false;
  const base = wanted[0]!.position;
  const span = wanted.at(-1)!.position - base;
  const content = wanted.filter((token) => !token.stopword);
  const required = content.length > 0 ? content : wanted;
  const words = Math.max(...tokens.map((token) => token.position)) + 1;
  const at = new Map(tokens.map((token) => [token.position, token]));
  for (let start = 0; start + span < words; start++) {
    const all = required.every((token) => {
      const found = at.get(start + token.position - base);
      return found !== undefined && found.term === token.term && found.stopword === token.stopword;
    });
    if (all) return true;
  }
  return false;
}

const text = fc.array(fc.constantFrom(...WORDS), { maxLength: 25 }).map((words) => words.join(" "));

describe("phrases from positions", () => {
  test("a phrase's total equals a brute-force count, stopwords and both fields included", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.array(fc.constantFrom(...WORDS), { maxLength: 4 }).map((w) => w.join(" ")),
            text,
          ),
          { minLength: 1, maxLength: 30 },
        ),
        fc.array(fc.constantFrom(...WORDS), { minLength: 2, maxLength: 4 }).map((w) => w.join(" ")),
        (texts, phrase) => {
          const documents = texts.map(([title, body], i) => doc(i, title, body));
          const engine = new LoupeEngine(indexDocuments(documents));
          const expected = documents.filter(
            (d) => holds(d.title, phrase) || holds(d.body, phrase),
          ).length;
          const result = engine.search(`"${phrase}"`, { limit: 100 });
          expect(result.total, phrase).toBe(expected);
          expect(result.hits.length).toBe(Math.min(expected, 100));
        },
      ),
      { numRuns: 150, seed: 20261203 },
    );
  });

  test("several phrases in one query: the documents holding them all, whatever their order", () => {
    const phrase = fc
      .array(fc.constantFrom(...WORDS), { minLength: 2, maxLength: 3 })
      .map((w) => w.join(" "));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 30 }),
        fc.array(phrase, { minLength: 2, maxLength: 4 }),
        (texts, phrases) => {
          const documents = texts.map(([title, body], i) => doc(i, title, body));
          const engine = new LoupeEngine(indexDocuments(documents));
          const expected = documents.filter((d) =>
            phrases.every((p) => holds(d.title, p) || holds(d.body, p)),
          ).length;
          const query = phrases.map((p) => `"${p}"`).join(" ");
          expect(engine.search(query, { limit: 100 }).total, query).toBe(expected);
        },
      ),
      { numRuns: 150, seed: 20261206 },
    );
  });

  test("two stopwords side by side are indexed as a pair, which a phrase of stopwords reads", () => {
    const index = indexDocuments([
      doc(0, "", "la suite de la procédure"),
      doc(1, "", "de procédure la"),
      doc(2, "de la", "rien"),
    ]);
    const { postings } = index;
    const pair = stopwordPairKey("de", "la");
    expect(postings.termId(pair)).toBeDefined();
    const docsOf = (field: number) => {
      const cursor = postings.cursor(postings.list(pair, field));
      const found: Array<[number, number[]]> = [];
      for (; cursor.at < cursor.end; cursor.next()) found.push([cursor.doc, cursor.positions()]);
      return found;
    };
    // « de la » at words 2–3 of the first body, 0–1 of the third title; not in the second.
    expect(docsOf(1)).toEqual([[0, [2]]]);
    expect(docsOf(0)).toEqual([[2, [0]]]);
    expect(new LoupeEngine(index).search('"de la"').total).toBe(2);
  });

  test('"de la" is counted in every document, however many hold it (no candidate cap)', () => {
    const documents = Array.from({ length: 1200 }, (_, i) =>
      doc(
        i,
        `Note ${i}`,
        i % 3 === 0 ? `la suite de la procédure ${i}` : `la procédure de ${i} la`,
      ),
    );
    const engine = new LoupeEngine(indexDocuments(documents));
    expect(engine.search('"de la"').total).toBe(400);
    expect(engine.search('"de la procédure"').total).toBe(400);
    // A stopword matches any word at its place: "procédure 3" counts as "procédure de".
    expect(engine.search('"procédure de"').total).toBe(1200);
    expect(engine.search('"procédure de la"').total).toBe(800);
    expect(engine.search('"de la" -suite').total).toBe(0);
  });

  test("a slop lets the words stand apart, in order, up to that many words", () => {
    const documents = [
      doc(0, "a", "formation rapide des formateurs"),
      doc(1, "b", "formateurs de la formation"),
      doc(2, "c", "formation de très nombreux et bons formateurs"),
    ];
    const engine = new LoupeEngine(indexDocuments(documents));
    const ids = (q: string) =>
      engine
        .search(q)
        .hits.map((hit) => hit.id)
        .sort();
    expect(ids('"formation formateurs"')).toEqual([]);
    expect(ids('"formation formateurs"~2')).toEqual(["d000"]);
    expect(ids('"formation formateurs"~5')).toEqual(["d000", "d002"]);
    // A bad slop is said, never read as a word of the query (`~100` found nothing, silently).
    const capped = engine.search('"formation formateurs"~100');
    expect(capped.hits.map((hit) => hit.id).sort()).toEqual(["d000", "d002"]);
    expect(capped.warnings).toEqual([
      "'~100' is not a slop from 0 to 99: the phrase was searched with ~99",
    ]);
    const bad = engine.search('"formation rapide"~abc', { language: "fr" });
    expect(bad.hits.map((hit) => hit.id)).toEqual(["d000"]);
    expect(bad.warnings).toEqual([
      "«\u00a0~abc\u00a0» n’est pas un écart de 0 à 99\u202f: l’expression a été cherchée mots côte à côte",
    ]);
  });
});
