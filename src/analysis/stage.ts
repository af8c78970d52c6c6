/**
 * A stage of the analysis chain: one step that rewrites or flags a word after the tokenizer,
 * in the manner of Lucene's TokenFilters or Lunr's labelled pipeline functions. The chain is
 * a list of them (chain.ts), so a variant is a different list, composed without editing code.
 */

/** One word going through the chain; each stage reads and rewrites it in place. */
export interface WordState {
  /** The word as the stages before have made it. */
  word: string;
  /** Set by a stopword stage; the stages after it do not run on a stopword. */
  stopword: boolean;
  /** Set by an elision stage when it dropped an article (`l’`, `qu’`) from the word's start. */
  elided: boolean;
}

export interface WordStage {
  /** Short and unique in a chain: `normalize`, `elision`, `stopwords`, `stem`, `fold`. */
  readonly name: string;
  /**
   * Bumped whenever the stage's code changes what it produces. With `data`, it makes the
   * chain's fingerprint, which an index records to know it was built by this very chain.
   */
  readonly version: string;
  /** The lists the stage reads (stopwords, elided articles): part of the fingerprint. */
  readonly data?: readonly string[];
  /**
   * Whether the stage changes the word as users see and type it (normalisation, elision), so
   * it runs before the vocabulary key is taken; the stages after (stemming, folding, stopword
   * flags) only make the term.
   */
  readonly surface: boolean;
  apply(state: WordState): void;
}

/** Beyond this length a "word" is noise (base64, a URL, 100 KB of one letter): terms are cut. */
export const MAX_TERM_LENGTH = 64;
