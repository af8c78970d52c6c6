/**
 * The marker looks for the spellings of matched terms with one regular expression and skips
 * places inside longer words: whatever the text, its marks must be exactly the chain's own
 * tokens for those terms, as a full scan finds them.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeWord, scan } from "../../src/analysis/index.js";
import { Vocabulary, type VocabularyJSON } from "../../src/index/vocabulary.js";
import { createMarker } from "../../src/search/marks.js";

const FORMS = ["re", "Ré", "exec", "exécute", "exécutables", "OTAN", "aujourd’hui", "so"];
const FILLER = ["prefer", "reexec", "l’OTAN", "OTANs", "sous-sol", "so-so", "ré-exécute", "x"];

/** The vocabulary an index of these words would have: every spelling, under its folded key. */
function vocabularyOf(words: readonly string[]): Vocabulary {
  const byKey = new Map<string, VocabularyJSON[number]>();
  for (const text of words) {
    scan(text, (_term, start, end, _position, stopword) => {
      if (stopword) return;
      const { folded, term, elided } = analyzeWord(text.slice(start, end));
      const form = text.slice(start + elided, end);
      const entry = byKey.get(folded) ?? [folded, term, 1, {}];
      entry[3][form] = 1;
      byKey.set(folded, entry);
    });
  }
  return Vocabulary.fromJSON([...byKey.values()]);
}

/**
 * Letters outside the BMP, lone surrogates (a JSON `"\ud835"`) and combining marks, beside and
 * inside the spellings; the vocabulary knows their spellings, as an index of them would.
 */
const ODD = [
  "𝒳re",
  "re𝒳",
  "𝒳",
  "\ud835re",
  "re\udcb3",
  "\udcb3re\ud835",
  "exe\u0301cute",
  "OTAN\u0301",
  "\u0301so",
];
const vocabulary = vocabularyOf([...FORMS, ...FILLER, ...ODD]);

function fullScan(text: string, terms: ReadonlyMap<string, number>) {
  const marks: Array<{ start: number; end: number; word: number }> = [];
  scan(text, (term, start, end, _position, stopword) => {
    if (stopword) return;
    const word = terms.get(term);
    if (word !== undefined) marks.push({ start, end, word });
  });
  return marks;
}

// With and without a spelling that holds an apostrophe (`aujourd’hui`), beside letters outside
// the BMP and combining marks.
describe.each([
  ["with a spelling holding an apostrophe", FORMS],
  ["of letters only", FORMS.filter((form) => /^\p{L}+$/u.test(form))],
])("createMarker, spellings %s", (_name, forms) => {
  const terms = new Map(forms.map((form, i) => [analyzeWord(form).term, i]));
  const marker = createMarker(terms, vocabulary, false);

  it("marks whole words only, never a spelling found inside a longer word", () => {
    const text = "prefer re reexec l’OTAN OTANs exécutables so-so";
    const marked = marker(text).map(({ start, end }) => text.slice(start, end));
    expect(marked).toEqual(fullScan(text, terms).map(({ start, end }) => text.slice(start, end)));
    expect(marked).toContain("l’OTAN");
    // `re` and `exec` stand inside `prefer` and `reexec`, which are other words.
    expect(marked).not.toContain("prefer");
    expect(marked).not.toContain("reexec");
    expect(marked.filter((w) => w === "re")).toHaveLength(1);
  });

  it("finds exactly what a full scan of the text finds", () => {
    const word = fc.constantFrom(...FORMS, ...FILLER, ...ODD);
    const separator = fc.constantFrom(" ", ", ", "-", "’", "\n", "");
    fc.assert(
      fc.property(fc.array(fc.tuple(word, separator), { maxLength: 30 }), (parts) => {
        const text = parts.map(([w, s]) => w + s).join("");
        expect(marker(text)).toEqual(fullScan(text, terms));
      }),
      { numRuns: 300 },
    );
  });
});

describe("createMarker for a query of stopwords", () => {
  const words = ["être", "ou", "ne", "pas", "Être", "ETRE", "etre", "œuvre", "nous", "Nous"];
  const queryWords = ["etre", "nous", "ou"];
  const terms = new Map(
    queryWords.map((word, i) => [analyzeWord(word).term, i] as [string, number]),
  );
  const stopwordScan = (text: string) => {
    const marks: Array<{ start: number; end: number; word: number }> = [];
    scan(text, (term, start, end, _position, stopword) => {
      if (!stopword) return;
      const word = terms.get(term);
      if (word !== undefined) marks.push({ start, end, word });
    });
    return marks;
  };
  const marker = createMarker(terms, vocabularyOf([]), true, queryWords);

  it("finds every spelling that folds to the query's words, as a full scan does", () => {
    const text = "Être ou ne pas ÊTRE, nous-mêmes, Nous ; etrenne ou-bien";
    expect(marker(text)).toEqual(stopwordScan(text));
    expect(marker(text).length).toBeGreaterThan(4);
  });

  it("agrees with a full scan on any text of these words", () => {
    const part = fc.tuple(fc.constantFrom(...words, ...FILLER), fc.constantFrom(" ", "-", "’", ""));
    fc.assert(
      fc.property(fc.array(part, { maxLength: 30 }), (parts) => {
        const text = parts.map(([w, s]) => w + s).join("");
        expect(marker(text)).toEqual(stopwordScan(text));
      }),
      { numRuns: 300 },
    );
  });
});
