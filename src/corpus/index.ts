export {
  attributeText,
  displayedPart,
  flattenRecord,
  getAttribute,
  recordOf,
  searchableNames,
} from "./attributes.js";
export { hashBytes, hashFile } from "./hash.js";
export { type ParsedHtml, parseHtmlDocument } from "./html.js";
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
  parseDay,
  parseDocument,
  shortenTitle,
} from "./parse.js";
export {
  assertInputFolder,
  type CorpusReadResult,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_RECORDS_BYTES,
  decodeSource,
  listSourceFiles,
  type ReadCorpusOptions,
  readCorpus,
  readSourceFile,
  SOURCE_EXTENSIONS,
  type SourceFile,
  type SourceReadResult,
  scanSourceFiles,
} from "./read.js";
export {
  isRecordsSource,
  parseRecords,
  type RecordSettings,
  type RecordsResult,
} from "./records.js";
export {
  canonicalSettings,
  DEFAULT_SETTINGS,
  defaultSettings,
  type LoadedSettings,
  type LoupeSettings,
  loadSettings,
  parseSettings,
  SETTINGS_FILE,
  SettingsError,
} from "./settings.js";
export type {
  AttributeScalar,
  AttributeValue,
  LoupeDocument,
  SkippedFile,
  SourceFormat,
} from "./types.js";
