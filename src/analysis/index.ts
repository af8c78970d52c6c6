export {
  ANALYSIS_VERSION,
  analysisFingerprint,
  analyze,
  analyzeWord,
  scan,
  type TokenVisitor,
  terms,
  type WordAnalysis,
} from "./chain.js";
export { fold } from "./fold.js";
export { stem } from "./stemmer.js";
export { FRENCH_STOPWORDS, isStopword } from "./stopwords.js";
export { WORD_CHAR } from "./tokenizer.js";
export type { AnalyzedToken, AnalyzeOptions, Token } from "./types.js";
