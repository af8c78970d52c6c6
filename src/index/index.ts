export {
  type BuildOptions,
  type BuildReport,
  buildIndex,
  indexDocuments,
  saveIndex,
} from "./build.js";
export { IndexError } from "./errors.js";
export {
  analyzeDocument,
  createMiniSearch,
  type IndexedFields,
  surfaceKey,
} from "./fields.js";
export { type LoadedIndex, type LoadOptions, loadIndex } from "./load.js";
export type { Manifest } from "./manifest.js";
export { currentGeneration } from "./store.js";
export { displayForm, Vocabulary, type VocabularyEntry } from "./vocabulary.js";
