/** One word of the original text, as the analysis chain sees it. */
export interface Token {
  /** What gets indexed and matched: elided, folded, stemmed. */
  term: string;
  /** `text.slice(start, end)` is the word as written (case, accents, apostrophe intact). */
  start: number;
  end: number;
  /** Word count from the start of the text, stopwords included, so phrases can be checked. */
  position: number;
}

/** A token that may be a stopword; only returned when stopwords are asked for. */
export interface AnalyzedToken extends Token {
  stopword: boolean;
}

export interface AnalyzeOptions {
  /**
   * Keep stopwords in the output (flagged). Queries made only of stopwords
   * ("être ou ne pas être") need them; documents index them too, so such a query finds something.
   */
  keepStopwords?: boolean;
}
