export {
  countWords,
  DEFAULT_TITLE_MAX_LENGTH,
  DEFAULT_WORDS_PER_MINUTE,
  firstSentence,
  idFromSource,
  normalizeText,
  type ParsedDocument,
  type ParseOptions,
  parseDateValue,
  parseDocument,
  shortenTitle,
} from "./parse.js";
export {
  type CorpusReadResult,
  DEFAULT_MAX_BYTES,
  decodeSource,
  hashBytes,
  hashFile,
  listSourceFiles,
  type ReadCorpusOptions,
  readCorpus,
  readSourceFile,
  SOURCE_EXTENSIONS,
  type SourceFile,
  type SourceReadResult,
  scanSourceFiles,
} from "./read.js";
export type { LoupeDocument, SkippedFile } from "./types.js";
