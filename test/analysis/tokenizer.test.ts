import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/index.js";
import { INVISIBLE, JOINER_CHARS, tokenize, WORD_PATTERN } from "../../src/analysis/tokenizer.js";

type Piece = [word: string, start: number, end: number];

/** The tokenizer's definition run as written: `WORD_PATTERN`'s matches, hyphenated ones split. */
function byDefinition(text: string): Piece[] {
  const out: Piece[] = [];
  for (const match of text.matchAll(new RegExp(WORD_PATTERN, "gu"))) {
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

// Letters, digits and marks (in and outside the BMP), every joiner and invisible character the
// tokenizer knows, spaces, punctuation, letters outside the BMP, a lone surrogate of each kind.
const UNITS = [
  ..."aéŒz19\u0301",
  ...JOINER_CHARS,
  ...INVISIBLE,
  ..." .«\u00a0_",
  "𝒳",
  "😀",
  "𝟙",
  "\u{1d167}",
  "\ud800",
  "\udc00",
];

describe("tokenize", () => {
  it("finds the words WORD_PATTERN defines, hyphenated compounds split, on generated text", () => {
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

  it("keeps a word a zero-width space was left in whole, and drops the space from its term", () => {
    expect(tokens("l’OT\u200bAN et \u200b")).toEqual([
      ["l’OT\u200bAN", 0, 7],
      ["et", 8, 10],
    ]);
    expect(analyze("OT\u200bAN").map((token) => token.term)).toEqual(
      analyze("OTAN").map((t) => t.term),
    );
  });
});
