export {
  type BuildOptions,
  type BuildReport,
  type BuiltIndex,
  buildIndex,
  buildInMemory,
  indexDocuments,
  inMemoryIndex,
  saveIndex,
} from "./build.js";
export { CHAMPION_SCORING, type ChampionData } from "./champions.js";
export { type AttributeColumn, DocumentTable, type Heading } from "./documents.js";
export { IndexError } from "./errors.js";
export {
  analyzeDocument,
  FIELD_COUNT,
  INDEXED_FIELDS,
  STOPWORD_PREFIX,
  stopwordKey,
  stopwordPairKey,
  surfaceKey,
} from "./fields.js";
export { type LoadedIndex, type LoadOptions, loadIndex } from "./load.js";
export type { Manifest } from "./manifest.js";
export { type IndexedFields, miniSearchOptions } from "./minisearch-json.js";
export { type Champion, PostingCursor, Postings, type PostingsData } from "./postings.js";
export { select } from "./select.js";
export { currentGeneration } from "./store.js";
export { displayForm, Vocabulary, type VocabularyEntry } from "./vocabulary.js";
