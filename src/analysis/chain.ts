/**
 * The analysis chain: the one place where text becomes terms. Indexing, querying and
 * highlighting all call `analyze`, so what is highlighted is exactly what matched.
 *
 * tokenizer → normalise (NFC, lowercase, apostrophes) → elision → fold → stopwords (flagged,
 * checked on the folded word) → stem
 *
 * Folding comes before stemming, so the accented and unaccented spellings of a word always
 * meet (`sécurité` and `securite` both give `securit`); stemming first gives `secur` and
 * `securit`, which never match. The price is a few stems that Snowball would have told apart
 * by their accents; the benchmark (bench/) measures both orders on real queries.
 */
import { createHash } from "node:crypto";
import { elide } from "./elision.js";
import { fold } from "./fold.js";
import { APOSTROPHES, normalizeWord } from "./normalize.js";
import { stem } from "./stemmer.js";
import { FRENCH_STOPWORDS, isStopword } from "./stopwords.js";
import { tokenize } from "./tokenizer.js";
import type { AnalyzedToken, AnalyzeOptions, Token } from "./types.js";

/**
 * Bumped whenever any stage changes what it produces: an index built by another chain
 * must be rebuilt, and the manifest records this to know.
 */
export const ANALYSIS_VERSION = "fr-1";

/**
 * What an index must record to know it was built by this very chain: the version and
 * the stopword list (which the `stopword` package may change under us on upgrade).
 */
export function analysisFingerprint(): string {
  return createHash("sha256")
    .update(`${ANALYSIS_VERSION}\n${[...FRENCH_STOPWORDS].sort().join(" ")}`)
    .digest("hex")
    .slice(0, 16);
}

/** Beyond this length a "word" is noise (base64, a URL, 100 KB of one letter): no stemming. */
const MAX_TERM_LENGTH = 64;

export interface WordAnalysis {
  term: string;
  stopword: boolean;
  /** The word elided, lowercased and folded, before stemming: how a user may type it. */
  folded: string;
  /** Length of the elided article in the word as written (`l’` in `l’OTAN`), 0 if none. */
  elided: number;
}

// Keyed by the word as written: a French text repeats its words, so most tokens skip every
// stage. Bounded, because hostile input can bring endless distinct words.
const cache = new Map<string, WordAnalysis>();
const CACHE_LIMIT = 200_000;

/** Runs one word as written through every stage after the tokenizer. */
export function analyzeWord(written: string): WordAnalysis {
  const cached = cache.get(written);
  if (cached !== undefined) return cached;
  const normalized = normalizeWord(written);
  const word = elide(normalized);
  const folded = fold(word);
  const stopword = isStopword(folded);
  const term =
    folded.length > MAX_TERM_LENGTH || stopword ? folded.slice(0, MAX_TERM_LENGTH) : stem(folded);
  // The elided article ends at the first apostrophe of the word as written.
  const elided = word === normalized ? 0 : written.search(APOSTROPHES) + 1;
  const result = { term, stopword, folded, elided };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(written, result);
  return result;
}

/** Receives each token of a text, stopwords included: the allocation-free form of `analyze`. */
export type TokenVisitor = (
  term: string,
  start: number,
  end: number,
  position: number,
  stopword: boolean,
) => void;

/** Runs the chain over `text`, calling `visit` for every word, stopwords flagged. */
export function scan(text: string, visit: TokenVisitor): void {
  let position = 0;
  tokenize(text, (written, start, end) => {
    const { term, stopword } = analyzeWord(written);
    if (term.length > 0) visit(term, start, end, position, stopword);
    position++;
  });
}

export function analyze(
  text: string,
  options: AnalyzeOptions & { keepStopwords: true },
): AnalyzedToken[];
export function analyze(text: string, options?: AnalyzeOptions): Token[];
export function analyze(text: string, options: AnalyzeOptions = {}): Token[] | AnalyzedToken[] {
  const keepStopwords = options.keepStopwords === true;
  const tokens: Array<Token | AnalyzedToken> = [];
  scan(text, (term, start, end, position, stopword) => {
    if (keepStopwords) tokens.push({ term, start, end, position, stopword });
    else if (!stopword) tokens.push({ term, start, end, position });
  });
  return tokens;
}

/** The terms of `text` alone, for MiniSearch's tokenizer. */
export function terms(text: string, options: AnalyzeOptions = {}): string[] {
  return analyze(text, options).map((token) => token.term);
}
