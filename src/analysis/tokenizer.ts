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
const JOINERS = "'\\u2019\\u02bc\\u2018\\u2032\\-\\u2010\\u2011";
/**
 * Invisible format characters written inside words: the soft hyphen (`&shy;`, which web text
 * and word processors put in long words), zero-width (non-)joiners, the word joiner and a
 * stray byte-order mark. They join the letters around them, as in Unicode word breaking, and
 * the normaliser drops them: `gouver&shy;nement` is the word `gouvernement`.
 */
export const INVISIBLE = "\u00ad\u200c\u200d\u2060\ufeff";
const WORD = new RegExp(`[${LETTERS}]+(?:(?:[${JOINERS}]|[${INVISIBLE}]+)[${LETTERS}]+)*`, "gu");
/** Bumped when what makes a word changes: the chain's fingerprint includes it. */
export const TOKENIZER_VERSION = "2";
/**
 * A character the tokenizer may keep inside a word: code that looks for words in raw text
 * (the highlighter) must agree with the tokenizer on this exactly.
 */
export const WORD_CHAR = new RegExp(`[${LETTERS}${JOINERS}${INVISIBLE}]`, "u");
/** A word's letter: no token starts or ends inside a run of them (the highlighter's bounds). */
export const LETTER = new RegExp(`[${LETTERS}]`, "u");
const HYPHEN = /[-\u2010\u2011]/;
const NUMERIC_COMPOUND = /^[\p{N}]+(?:[-\u2010\u2011][\p{N}]+)+$/u;

/**
 * Calls `emit` for every word of `text`, hyphenated compounds split into their parts.
 * A callback with plain arguments, not an array of objects: a long document has tens of
 * thousands of words, and snippets scan whole documents on the query path.
 */
export function tokenize(text: string, emit: WordVisitor): void {
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) {
    const word = match[0];
    const start = match.index;
    if (!HYPHEN.test(word) || NUMERIC_COMPOUND.test(word)) {
      emit(word, start, start + word.length);
      continue;
    }
    let partStart = 0;
    for (let i = 0; i <= word.length; i++) {
      if (i === word.length || HYPHEN.test(word[i] as string)) {
        emit(word.slice(partStart, i), start + partStart, start + i);
        partStart = i + 1;
      }
    }
  }
}
