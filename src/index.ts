/**
 * loupe's library API: the analysis chain, reading a folder, building and loading an index,
 * searching it, and the HTTP app.
 */
export * from "./analysis/index.js";
export { readCorpus } from "./corpus/index.js";
export type { LoupeDocument, SkippedFile } from "./corpus/types.js";
export {
  type BuildOptions,
  type BuildReport,
  buildIndex,
  IndexError,
  indexDocuments,
  type LoadedIndex,
  loadIndex,
} from "./index/index.js";
export {
  DEFAULT_RANKING,
  LoupeEngine,
  openEngine,
  parseQuery,
  type RankingParams,
} from "./search/index.js";
export * from "./search/types.js";
export { type AppOptions, createApp } from "./server/app.js";
export type { EngineSource } from "./server/engine-source.js";
