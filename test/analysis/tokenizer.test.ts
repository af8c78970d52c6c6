import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tokenize, WORD } from "../../src/analysis/tokenizer.js";

type Piece = [word: string, start: number, end: number];

/** The tokenizer's definition run as written: `WORD`'s matches, hyphenated ones split. */
function byDefinition(text: string): Piece[] {
  const out: Piece[] = [];
  for (const match of text.matchAll(new RegExp(WORD.source, "gu"))) {
    const word = match[0];
    const start = match.index;
    if (!/[-\u2010\u2011]/.test(word) || /^[\p{N}]+(?:[-\u2010\u2011][\p{N}]+)+$/u.test(word)) {
      out.push([word, start, start + word.length]);
      continue;
    }
    let partStart = 0;
    for (let i = 0; i <= word.length; i++) {
      if (i === word.length || /[-\u2010\u2011]/.test(word[i]!)) {
        out.push([word.slice(partStart, i), start + partStart, start + i]);
        partStart = i + 1;
      }
    }
  }
  return out;
}

function tokens(text: string): Piece[] {
  const out: Piece[] = [];
  tokenize(text, (word, start, end) => out.push([word, start, end]));
  return out;
}

// Letters, digits, marks, every joiner and invisible character, spaces, punctuation, letters
// outside the BMP, a lone surrogate of each kind.
const UNITS = [
  "a",
  "é",
  "Œ",
  "z",
  "1",
  "9",
  "\u0301",
  "'",
  "\u2019",
  "\u02bc",
  "\u2018",
  "\u2032",
  "-",
  "\u2010",
  "\u2011",
  "\u00ad",
  "\u200c",
  "\u200d",
  "\u2060",
  "\ufeff",
  " ",
  ".",
  "«",
  "\u00a0",
  "𝒳",
  "😀",
  "\ud800",
  "\udc00",
  "_",
];

describe("tokenize", () => {
  it("finds the words WORD defines, hyphenated compounds split, on generated text", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...UNITS), { maxLength: 40 }), (units) => {
        const text = units.join("");
        expect(tokens(text)).toEqual(byDefinition(text));
      }),
      { numRuns: 3000 },
    );
  });

  it("keeps elisions, numeric compounds and soft hyphens whole, splits other compounds", () => {
    expect(tokens("l’État porte-parole 2020-01 gouver\u00adnement")).toEqual([
      ["l’État", 0, 6],
      ["porte", 7, 12],
      ["parole", 13, 19],
      ["2020-01", 20, 27],
      ["gouver\u00adnement", 28, 41],
    ]);
  });
});
