import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { scan } from "../../src/analysis/index.js";
import type { LoupeDocument } from "../../src/corpus/types.js";
import { DocumentStore, encodeDocuments } from "../../src/index/document-store.js";
import { analyzeDocument, DocumentTable } from "../../src/index/index.js";
import { textDocument } from "../search/helpers.js";

/** Every token of `text` (stopwords included) as `position:start:end:term`, offset by `at`. */
function tokens(text: string, at = 0, base = 0): string[] {
  const out: string[] = [];
  scan(text, (term, start, end, position) => {
    out.push(`${base + position}:${at + start}:${at + end}:${term}`);
  });
  return out;
}

function storeOf(docs: LoupeDocument[]) {
  const checkpoints = docs.map((d) => analyzeDocument(d).checkpoints);
  const bytes = Buffer.concat([...encodeDocuments(docs, checkpoints)]);
  return { store: new DocumentStore(bytes), memory: DocumentTable.inMemory(docs, checkpoints) };
}

// Words of every kind the tokenizer treats apart: elisions with both apostrophes, compounds,
// numeric compounds, accents and ligatures, characters outside the BMP, and punctuation.
const WORDS = [
  "l’État",
  "d'abord",
  "porte-parole",
  "2020-01",
  "2020",
  "01",
  "cœur",
  "Éléphant",
  "et",
  "la",
  "de",
  "😀",
  "𝔘nicode",
  "—",
  "«",
  "»",
  "!",
  "naïve",
  "qu'il",
  "a",
];

describe("the document store", () => {
  test("gives back every document whole, and its fields but the body", () => {
    const docs = [
      textDocument("a", "Un titre", "Le corps « d’abord » 😀."),
      textDocument("b", "", ""),
    ];
    const { store } = storeOf(docs);
    expect(store.size).toBe(2);
    expect(store.get(0)).toEqual(docs[0]);
    expect(store.get(1)).toEqual(docs[1]);
    const { body: _body, ...meta } = docs[0]!;
    expect(store.meta(0)).toEqual(meta);
  });

  test("refuses an ordinal it does not hold, rather than read another record's bytes", () => {
    const { store } = storeOf([textDocument("a", "Un titre", "Le corps.")]);
    for (const ordinal of [-1, 1, 0.5, Number.NaN]) {
      expect(() => store.segment(ordinal, 0, 10), String(ordinal)).toThrow(RangeError);
      expect(() => store.meta(ordinal), String(ordinal)).toThrow(RangeError);
      expect(() => store.get(ordinal), String(ordinal)).toThrow(RangeError);
    }
  });

  test("checkpoints stand where a tokenizer match starts, never inside a compound", () => {
    // Three words a repeat: position 64 falls on `2020`, which read from there is `2020-01`.
    const body = "a-2020-01 ".repeat(60);
    const { store } = storeOf([textDocument("d", "t", body)]);
    const all = tokens(body);
    for (let from = 0; from < all.length; from += 7) {
      const segment = store.segment(0, from, from);
      const expected = all.filter((t) => Number(t.split(":")[1]) >= segment.start);
      expect(tokens(segment.text, segment.start, segment.position)).toEqual(
        expected.filter((t) => Number(t.split(":")[2]) <= segment.end),
      );
    }
  });

  test("a segment is the body's text between two checkpoints, and tokenizes as the whole body does there", () => {
    fc.assert(
      fc.property(
        // `size: "max"`: fast-check's small default made at most a dozen words, never a second
        // checkpoint (every 32 words).
        fc.array(fc.constantFrom(...WORDS), { maxLength: 400, size: "max" }),
        // Hyphens often: a checkpoint inside `porte-2020-01` would tokenize `2020-01` whole.
        fc.array(fc.constantFrom(" ", "  ", "\n", ", ", "-", "-", "-"), { minLength: 1 }),
        fc.nat(),
        fc.nat(),
        (words, gaps, a, b) => {
          const body = words.map((word, i) => `${word}${gaps[i % gaps.length]}`).join("");
          const docs = [textDocument("d", "t", body)];
          const { store, memory } = storeOf(docs);
          const all = tokens(body);
          const count = all.length + 2;
          const from = Math.min(a % count, b % count);
          const to = Math.max(a % count, b % count);
          const segment = store.segment(0, from, to);
          expect(memory.segment(0, from, to)).toEqual(segment);
          expect(segment.length).toBe(body.length);
          expect(segment.text).toBe(body.slice(segment.start, segment.end));
          // Every word from `from` to `to` is inside, and the segment's words are the body's.
          const inside = tokens(segment.text, segment.start, segment.position);
          const expected = all.filter((t) => {
            const [, start, end] = t.split(":").map(Number);
            return start! >= segment.start && end! <= segment.end;
          });
          expect(inside).toEqual(expected);
          // Its words are the ones numbered from `position` up to `endPosition`.
          const numbered = all.filter((t) => {
            const position = Number(t.split(":")[0]);
            return position >= segment.position && position < segment.endPosition;
          });
          expect(inside).toEqual(numbered);
          for (const t of all) {
            const position = Number(t.split(":")[0]);
            if (position >= from && position <= to) expect(inside).toContain(t);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
