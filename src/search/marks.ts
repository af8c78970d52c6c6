/**
 * Finding the words of a text that a query matched, in whole documents: the document route's
 * highlights, and hits asked with `highlights` (their snippets too). A page's hits mark only
 * their snippet and title, from the postings' positions (match-positions.ts `marksAt`).
 *
 * Running the analysis chain over a whole document for every hit costs more than the search
 * itself on long documents (a 370 KB man page takes 25 ms). Instead, the spellings of the
 * matched terms as written in the collection (from the surface vocabulary) are looked for
 * with one regular expression, and each place found is checked by running the chain on that
 * word alone: the marks are exactly the chain's tokens, at a fraction of the cost.
 */
import { fold, LETTER, letterAt, letterUnits, scan, WORD_CHAR } from "../analysis/index.js";
import type { Vocabulary } from "../index/index.js";
import type { Mark } from "./highlight.js";

// Longer than any word worth a look-around: bounds the work on pathological text.
const MAX_WORD = 256;
const ESCAPE = /[.*+?^${}()|[\]\\]/g;
const MAX_PATTERN = 10_000;

/** Marks in `text`, the first `max` only (all by default). */
export type Marker = (text: string, max?: number) => Mark[];

/**
 * `wordOfTerm` maps each term to mark to the query word it answers. Stopwords are not in the
 * vocabulary: for queries made of them, `stopwordKeys` (the query words' folded keys) give a
 * pattern of any spelling that folds to them; without it, every word of the text is analysed.
 */
export function createMarker(
  wordOfTerm: ReadonlyMap<string, number>,
  vocabulary: Vocabulary,
  markStopwords: boolean,
  stopwordKeys: readonly string[] = [],
): Marker {
  if (wordOfTerm.size === 0) return () => [];
  const scanAll: Marker = (text, max = Number.POSITIVE_INFINITY) => {
    const marks: Mark[] = [];
    scan(text, (term, start, end, _position, stopword) => {
      if (stopword !== markStopwords || marks.length >= max) return;
      const word = wordOfTerm.get(term);
      if (word !== undefined) marks.push({ start, end, word });
    });
    return marks;
  };
  // Analysing whole documents for a stopword query (`ayant`) took 30 times its search.
  const pattern = markStopwords
    ? stopwordKeys.length > 0
      ? foldedPattern(stopwordKeys)
      : undefined
    : spellingsPattern(wordOfTerm.keys(), vocabulary);
  if (pattern === null) return () => [];
  // V8 refuses regular expressions past a size: a collection with 40,000-letter "words" must
  // still be highlighted, the slow way.
  if (pattern === undefined) return scanAll;

  return (text, max = Number.POSITIVE_INFINITY) => {
    // A text the index never saw (a document changed since) may spell words otherwise.
    const marks: Mark[] = [];
    let lastEnd = -1;
    pattern.lastIndex = 0;
    for (let found = pattern.exec(text); found !== null; found = pattern.exec(text)) {
      if (marks.length >= max) break;
      const end = found.index + found[0].length;
      // Inside a longer run of letters, no token: a short form (`re`, `so`) is found inside
      // many words, and sending each through the chain was most of a man-page query's time.
      // (A lookbehind in the pattern does the same, three times slower: V8 then tries it at
      // every position instead of searching for the forms.)
      if (letterBefore(text, found.index) || (end < text.length && letterAt(text, end) > 0)) {
        continue;
      }
      const [from, to] = wordAround(text, found.index, end);
      if (from < lastEnd) continue;
      lastEnd = to;
      scan(text.slice(from, to), (term, start, end, _position, stopword) => {
        if (stopword !== markStopwords) return;
        const word = wordOfTerm.get(term);
        if (word !== undefined) marks.push({ start: from + start, end: from + end, word });
      });
      pattern.lastIndex = Math.max(pattern.lastIndex, to);
    }
    return marks;
  };
}

/**
 * Whether a UTF-16 unit of the BMP is a letter (`LETTER`, the tokenizer's table), read before
 * every place the pattern finds (`letterAt` after it), where testing the regular expression on
 * each character cost more.
 */
function isLetterUnit(code: number): boolean {
  return letterUnits()[code] === 1;
}

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

// A letter outside the BMP (`𝒳`) is two UTF-16 units, neither a letter alone: a valid pair is
// tested whole, or `re` would be marked inside `re𝒳`, which the tokenizer reads as one word. A
// lone surrogate (a JSON `"\ud800"`) is no character of a word, as the tokenizer reads it.

/** The units of the character at `i`: 2 for a valid surrogate pair, else 1 (0 past the end). */
function widthAt(text: string, i: number): number {
  if (i >= text.length) return 0;
  return isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1)) ? 2 : 1;
}

/** The units of the character ending at `i`: 2 for a valid surrogate pair, else 1 (0 at 0). */
function widthBefore(text: string, i: number): number {
  if (i <= 0) return 0;
  return i >= 2 && isLow(text.charCodeAt(i - 1)) && isHigh(text.charCodeAt(i - 2)) ? 2 : 1;
}

/** Whether a letter ends at `i`. */
function letterBefore(text: string, i: number): boolean {
  const width = widthBefore(text, i);
  if (width === 1) return isLetterUnit(text.charCodeAt(i - 1));
  return width === 2 && LETTER.test(text.slice(i - 2, i));
}

/** The units of the word character at `i`, 0 when there is none. */
function wordCharAt(text: string, i: number): number {
  const width = widthAt(text, i);
  if (width === 0 || (width === 1 && (isHigh(text.charCodeAt(i)) || isLow(text.charCodeAt(i)))))
    return 0;
  return WORD_CHAR.test(text.slice(i, i + width)) ? width : 0;
}

/** The units of the word character ending at `i`, 0 when there is none. */
function wordCharBefore(text: string, i: number): number {
  const width = widthBefore(text, i);
  const code = text.charCodeAt(i - 1);
  if (width === 0 || (width === 1 && (isHigh(code) || isLow(code)))) return 0;
  return WORD_CHAR.test(text.slice(i - width, i)) ? width : 0;
}

/**
 * One regular expression matching every spelling, in the collection, of the words whose term
 * is among `terms`: `null` when there is none, `undefined` when they are too long for one.
 */
export function spellingsPattern(
  terms: Iterable<string>,
  vocabulary: Vocabulary,
): RegExp | null | undefined {
  const forms = new Set<string>();
  let length = 0;
  for (const term of terms) {
    for (const form of vocabulary.formsOf(term)) {
      forms.add(form);
      length += form.length;
    }
  }
  if (forms.size === 0) return null;
  if (length > MAX_PATTERN) return undefined;
  const alternatives = [...forms]
    .sort((a, b) => b.length - a.length)
    .map((form) => form.replace(ESCAPE, "\\$&"))
    .join("|");
  return new RegExp(alternatives, "gu");
}

/** Base letter → every letter that folds to it, either case (Latin letters with marks). */
let foldClasses: Map<string, string> | undefined;

function classOf(letter: string): string {
  if (foldClasses === undefined) {
    const members = new Map<string, Set<string>>();
    const add = (char: string) => {
      const base = fold(char.toLowerCase());
      if (base.length !== 1) return;
      const set = members.get(base) ?? new Set<string>();
      members.set(base, set);
      set.add(char);
      set.add(char.toUpperCase());
    };
    for (let code = 0x41; code <= 0x24f; code++) add(String.fromCodePoint(code));
    foldClasses = new Map(
      [...members].map(([base, set]) => [base, [...set].join("").replace(CLASS_ESCAPE, "\\$&")]),
    );
  }
  const members = foldClasses.get(letter);
  return members === undefined ? letter.replace(ESCAPE, "\\$&") : `[${members}]`;
}

const CLASS_ESCAPE = /[\]\\^-]/g;
const LIGATURE_PAIRS: Record<string, string> = { oe: "œŒ", ae: "æÆ", ss: "ß" };

/**
 * A pattern for every spelling that folds to one of `keys` (folded words): `etre` finds `être`,
 * `Être` and `ETRE`, `oeuvre` finds `Œuvre`. Wider than the chain (it is checked word by word),
 * never narrower.
 */
export function foldedPattern(keys: readonly string[]): RegExp {
  const parts = [...new Set(keys)]
    .sort((a, b) => b.length - a.length)
    .map((key) => {
      let out = "";
      for (let i = 0; i < key.length; i++) {
        const ligature = LIGATURE_PAIRS[key.slice(i, i + 2)];
        if (ligature !== undefined) {
          out += `(?:${classOf(key[i]!)}${classOf(key[i + 1]!)}|[${ligature}])`;
          i++;
        } else {
          out += classOf(key[i]!);
        }
      }
      return out;
    });
  return new RegExp(parts.join("|"), "gu");
}

/** The run of word characters around `[start, end)`: what the tokenizer would look at. */
function wordAround(text: string, start: number, end: number): [number, number] {
  let from = start;
  for (let w = wordCharBefore(text, from); w > 0 && start - from < MAX_WORD; ) {
    from -= w;
    w = wordCharBefore(text, from);
  }
  let to = end;
  for (let w = wordCharAt(text, to); w > 0 && to - end < MAX_WORD; ) {
    to += w;
    w = wordCharAt(text, to);
  }
  return [from, to];
}
