import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { analyzeWord, scan } from "../../src/analysis/index.js";
import { indexDocuments, stopwordKey } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import {
  densestWindow,
  marksAt,
  matchPositions,
  positionOf,
  wordOf,
} from "../../src/search/match-positions.js";
import { textDocument } from "./helpers.js";

const packed = (pairs: Array<[number, number]>) =>
  Float64Array.from(pairs.map(([position, word]) => position * 256 + word)).sort();

describe("where a query stands in a body", () => {
  test("every position of each query word, from the postings, sorted", () => {
    // chat 0, dort 1, le 2, chien 3, aboie 4, le 5, chat 6, fuit 7
    const index = indexDocuments([
      textDocument("a", "Titre", "chat dort, le chien aboie, le chat fuit"),
    ]);
    const chat = index.postings.list("chat", 1);
    const chien = index.postings.list("chien", 1);
    const found = matchPositions(index.postings, [[chat], [chien]], 0);
    expect(found.capped).toBe(false);
    expect([...found.matches].map((m) => [positionOf(m), wordOf(m)])).toEqual([
      [0, 0],
      [3, 1],
      [6, 0],
    ]);
  });

  test("the window holds the most distinct words, then the most matches", () => {
    expect(densestWindow(new Float64Array(0), 30)).toEqual([0, 0]);
    // Word 0 alone three times early; words 0 and 1 together later: the later wins.
    expect(
      densestWindow(
        packed([
          [0, 0],
          [2, 0],
          [4, 0],
          [100, 0],
          [105, 1],
        ]),
        30,
      ),
    ).toEqual([100, 105]);
    // Same distinct words: the window with more matches.
    expect(
      densestWindow(
        packed([
          [0, 0],
          [50, 0],
          [52, 0],
          [53, 0],
        ]),
        10,
      ),
    ).toEqual([50, 53]);
  });

  test("a hit's snippet is cut where the query words stand together, far into a long body", () => {
    const filler = "autre chose encore ".repeat(400);
    const body = `chat seul au début. ${filler} Le chat et le chien ensemble ici. ${filler}`;
    const engine = new LoupeEngine(indexDocuments([textDocument("a", "Titre", body)]));
    const hit = engine.search("chat chien").hits[0]!;
    expect(hit.snippet.text).toContain("Le chat et le chien ensemble ici.");
    expect(hit.snippet.text.startsWith("…")).toBe(true);
    expect(hit.snippet.text.endsWith("…")).toBe(true);
    const marked = hit.snippet.marks.map(([s, e]) => hit.snippet.text.slice(s, e));
    expect(marked).toEqual(["chat", "chien"]);
  });

  test("a word past the positions read per list is marked where the snippet stands", () => {
    // 300 `chat`, then `chien souris chat`: the snippet stands at the end (two distinct words),
    // past the 256 places of `chat` read to choose it, and still marks every `chat` there.
    const body = `${"chat ".repeat(300)}chien souris chat`;
    const index = indexDocuments([textDocument("a", "Titre", body)]);
    const capped = matchPositions(index.postings, [[index.postings.list("chat", 1)]], 0);
    expect(capped.capped).toBe(true);
    expect(capped.matches).toHaveLength(256);
    const hit = new LoupeEngine(index).search("chat chien souris").hits[0]!;
    const marked = hit.snippet.marks.map(([s, e]) => hit.snippet.text.slice(s, e));
    expect(marked.slice(-4)).toEqual(["chat", "chien", "souris", "chat"]);
    expect(marked.filter((word) => word === "chat").length).toBeGreaterThan(5);
  });
});

/** The chain's own tokens for `terms` (index keys: stopwords prefixed), as a full scan finds them. */
function scanned(text: string, terms: ReadonlyMap<string, number>) {
  const marks: Array<{ start: number; end: number; word: number }> = [];
  scan(text, (term, start, end, _position, stopword) => {
    const word = terms.get(stopword ? stopwordKey(term) : term);
    if (word !== undefined) marks.push({ start, end, word });
  });
  return marks;
}

// Elisions, hyphens, numbers, stopwords, letters outside the BMP, combining marks, lone
// surrogates: words the tokenizer splits, joins or numbers in every way it can.
const WORDS = [
  "chat",
  "Chats",
  "l’État",
  "d'état",
  "état-major",
  "sous-sol",
  "le",
  "la",
  "de",
  "aujourd’hui",
  "2024-2025",
  "𝒳re",
  "exe\u0301cute",
  "\ud835re",
  "OTAN",
  "œuvre",
  "x",
];
const SEPARATORS = [" ", ", ", "-", "’", "'", "\n", ". ", " — "];

describe("marks from positions", () => {
  const text = fc
    .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...SEPARATORS)), {
      minLength: 1,
      maxLength: 120,
      // Past the first checkpoint (32 words): fast-check's small default made a dozen words.
      size: "max",
    })
    .map((parts) => parts.map(([word, separator]) => word + separator).join(""));
  const queryWords = fc.uniqueArray(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 });

  test("are exactly the chain's tokens for the query's terms, in a whole field and in any part of a body", () => {
    fc.assert(
      fc.property(
        text,
        text,
        queryWords,
        fc.nat(200),
        fc.nat(60),
        (title, body, asked, at, span) => {
          const index = indexDocuments([textDocument("a", title, body)]);
          const { postings, documents } = index;
          // Each query word's index key, its lists in each field, and which word it is.
          const keys = asked.map((written) => {
            const { term, stopword } = analyzeWord(written);
            return stopword ? stopwordKey(term) : term;
          });
          const terms = new Map<string, number>();
          keys.forEach((key, w) => {
            if (key !== "" && key !== "_" && !terms.has(key)) terms.set(key, w);
          });
          const listsIn = (field: number) =>
            keys.map((key) => [postings.list(key, field)].filter((list) => list >= 0));
          const inTitle = matchPositions(postings, listsIn(0), 0, [0, Infinity]);
          expect(marksAt(title, 0, inTitle.matches, keys.length)).toEqual(scanned(title, terms));
          const segment = documents.segment(0, at, at + span);
          const inBody = matchPositions(postings, listsIn(1), 0, [
            segment.position,
            segment.endPosition,
          ]);
          const expected = scanned(body, terms)
            .filter(({ start, end }) => start >= segment.start && end <= segment.end)
            .map(({ start, end, word }) => ({
              start: start - segment.start,
              end: end - segment.start,
              word,
            }));
          expect(marksAt(segment.text, segment.position, inBody.matches, keys.length)).toEqual(
            expected,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
