/**
 * Stage 2: the tokenizer. Finds words on Unicode letters, digits and combining marks
 * (so NFD input stays one word), keeps apostrophes and hyphens that join letters, then splits
 * hyphenated compounds into their parts, each with its own offsets, so `porte-parole` is found
 * by `parole` and by the phrase `porte parole`. Numeric compounds (`2020-01`) stay whole, since
 * their parts alone (`01`) mean nothing.
 */

/** Receives each piece of the original text that becomes at most one token. */
export type WordVisitor = (word: string, start: number, end: number) => void;

const LETTERS = "\\p{L}\\p{N}\\p{M}";
/** The hyphens: a compound they join is split into its parts (unless it is numeric). */
export const HYPHENS = "-\u2010\u2011";
/** Apostrophes and hyphens: one between two letters joins them into one word. */
export const JOINER_CHARS = `'\u2019\u02bc\u2018\u2032${HYPHENS}`;
const escapeClass = (chars: string) => chars.replace(/[-\\\]^]/g, "\\$&");
const JOINERS = escapeClass(JOINER_CHARS);
/**
 * Invisible format characters written inside words: the soft hyphen (`&shy;`, which web text
 * and word processors put in long words), the zero-width space, zero-width (non-)joiners, the
 * word joiner and a stray byte-order mark. They join the letters around them, as in Unicode
 * word breaking, and the normaliser drops them: `gouver&shy;nement` is the word
 * `gouvernement`. The zero-width space is a break in Unicode (for scripts without spaces), but
 * in French text it is what a copy from a page or a CMS leaves inside a word: `OT\u200bAN`
 * read as `ot` and `an` and found `anti`, not OTAN.
 */
export const INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff";
/**
 * What a word is, as the source of a regular expression (flags `gu`): the definition
 * `tokenize` follows (and is tested against, test/analysis/tokenizer.test.ts), not what it runs.
 */
export const WORD_PATTERN = `[${LETTERS}]+(?:(?:[${JOINERS}]|[${INVISIBLE}]+)[${LETTERS}]+)*`;
/** Bumped when what makes a word changes: the chain's fingerprint includes it. */
export const TOKENIZER_VERSION = "3";
/**
 * A character the tokenizer may keep inside a word: code that looks for words in raw text
 * (the highlighter) must agree with the tokenizer on this exactly.
 */
export const WORD_CHAR = new RegExp(`[${LETTERS}${JOINERS}${INVISIBLE}]`, "u");
/** A word's letter: no token starts or ends inside a run of them (the highlighter's bounds). */
export const LETTER = new RegExp(`[${LETTERS}]`, "u");
const NUMERIC_COMPOUND = new RegExp(`^[\\p{N}]+(?:[${escapeClass(HYPHENS)}][\\p{N}]+)+$`, "u");

/**
 * What each UTF-16 unit is between two runs of letters: a joiner (apostrophes and hyphens), a
 * hyphen as well, or invisible. A table read at every word's end: looking the unit up in
 * three Sets, as before, tokenized 2,000 benchmark bodies in 79 ms against 65.
 */
const JOINER = 1;
const HYPHEN = 2;
const INVISIBLE_UNIT = 4;
const BETWEEN = new Uint8Array(0x10000);
for (const char of JOINER_CHARS) BETWEEN[char.charCodeAt(0)]! |= JOINER;
for (const char of HYPHENS) BETWEEN[char.charCodeAt(0)]! |= HYPHEN;
for (const char of INVISIBLE) BETWEEN[char.charCodeAt(0)]! |= INVISIBLE_UNIT;
const isHyphen = (code: number) => (BETWEEN[code]! & HYPHEN) !== 0;

let letters: Uint8Array | undefined;

/**
 * Per UTF-16 unit of the Basic Multilingual Plane, 1 where it is a letter (`LETTER`), built on
 * first use. Surrogates are not letters here: a valid pair is tested whole.
 */
export function letterUnits(): Uint8Array {
  if (letters === undefined) {
    letters = new Uint8Array(0x10000);
    for (let c = 0; c < 0x10000; c++) {
      if (c < 0xd800 || c > 0xdfff) letters[c] = LETTER.test(String.fromCharCode(c)) ? 1 : 0;
    }
  }
  return letters;
}

/** The units of the letter at `i` in `text` (2 for one outside the BMP), 0 when there is none. */
export function letterAt(text: string, i: number, table = letterUnits()): number {
  if (i >= text.length) return 0;
  const code = text.charCodeAt(i);
  if (code < 0xd800 || code > 0xdfff) return table[code]!;
  if (code > 0xdbff || i + 1 >= text.length) return 0;
  const low = text.charCodeAt(i + 1);
  return low >= 0xdc00 && low <= 0xdfff && LETTER.test(text.slice(i, i + 2)) ? 2 : 0;
}

/** Where the run of letters from `i` ends. */
function lettersFrom(text: string, i: number, table: Uint8Array): number {
  let end = i;
  for (let width = letterAt(text, end, table); width > 0; width = letterAt(text, end, table)) {
    end += width;
  }
  return end;
}

/**
 * Receives each word's place in the text, hyphenated compounds split into their parts; a
 * visitor that returns `true` stops the scan there.
 */
export type SpanVisitor = (start: number, end: number) => boolean | undefined;

/**
 * Calls `emit` for every word of `text` (`WORD_PATTERN`), hyphenated compounds split into
 * their parts. A callback with plain arguments, not an array of objects: a long document has
 * tens of thousands of words, and snippets scan whole documents on the query path.
 *
 * Read unit by unit through a table of letters rather than by running `WORD_PATTERN`: the
 * same words (tested on generated text), in 0.55–0.6 of the time over the benchmark corpus's
 * bodies (22 MB: 650–690 ms with the regular expression, 370–410 ms here; building its index
 * 0.92×).
 */
export function tokenize(text: string, emit: WordVisitor): void {
  wordSpans(text, (start, end) => {
    emit(text.slice(start, end), start, end);
    return undefined;
  });
}

/**
 * The places of `tokenize`'s words, without the words, until `emit` says stop: what numbering
 * the words of a hit's snippet up to its last match needs (match-positions.ts).
 */
export function wordSpans(text: string, emit: SpanVisitor): void {
  scan(text, (start, end, hyphen) => {
    if (!hyphen || NUMERIC_COMPOUND.test(text.slice(start, end))) return emit(start, end);
    let partStart = start;
    for (let p = start; p <= end; p++) {
      if (p === end || isHyphen(text.charCodeAt(p))) {
        if (emit(partStart, p) === true) return true;
        partStart = p + 1;
      }
    }
    return undefined;
  });
}

/** Every word of `text` whole, with whether a hyphen joins it; `true` from `visit` stops. */
function scan(
  text: string,
  visit: (start: number, end: number, hyphen: boolean) => boolean | undefined,
): void {
  const table = letterUnits();
  const n = text.length;
  let i = 0;
  while (i < n) {
    const width = letterAt(text, i, table);
    if (width === 0) {
      i++;
      continue;
    }
    const start = i;
    let end = lettersFrom(text, i + width, table);
    let hyphen = false;
    // A joiner, or a run of invisible characters, then letters: the word goes on.
    while (end < n) {
      const code = text.charCodeAt(end);
      const kind = BETWEEN[code]!;
      if (kind === 0) break;
      let next = end + 1;
      if ((kind & INVISIBLE_UNIT) !== 0) {
        while (next < n && (BETWEEN[text.charCodeAt(next)]! & INVISIBLE_UNIT) !== 0) next++;
      }
      const after = letterAt(text, next, table);
      if (after === 0) break;
      if ((kind & HYPHEN) !== 0) hyphen = true;
      end = lettersFrom(text, next + after, table);
    }
    i = end;
    if (visit(start, end, hyphen) === true) return;
  }
}
