export {
  ANALYSIS_VERSION,
  type Analyzer,
  analysisFingerprint,
  analysisVersion,
  analyze,
  analyzeWord,
  createAnalyzer,
  currentAnalyzer,
  FRENCH_ANALYZER,
  FRENCH_STAGES,
  frenchAnalyzerWith,
  type StageStep,
  scan,
  type TokenVisitor,
  terms,
  useAnalyzer,
  type WordAnalysis,
  withAnalyzer,
} from "./chain.js";
export { elide, elisionStage, FRENCH_ELISIONS } from "./elision.js";
export { fold, foldStage } from "./fold.js";
export { normalizeStage, normalizeWord } from "./normalize.js";
export { MAX_TERM_LENGTH, type WordStage, type WordState } from "./stage.js";
export { stem, stemStage } from "./stemmer.js";
export { FRENCH_STOPWORDS, isStopword, stopwordStage } from "./stopwords.js";
export {
  HYPHENS,
  INVISIBLE,
  LETTER,
  letterAt,
  letterUnits,
  type SpanVisitor,
  tokenize,
  WORD_CHAR,
  wordSpans,
} from "./tokenizer.js";
export type { AnalyzedToken, AnalyzeOptions, Token } from "./types.js";
