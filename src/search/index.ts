export { type DateRange, parseDateRange } from "./dates.js";
export { LoupeEngine, MAX_LIMIT, MAX_OFFSET, openEngine } from "./engine.js";
export { DEFAULT_RANKING, type RankingParams } from "./execute.js";
export { MAX_FILTER_LENGTH } from "./filter/parse.js";
export { describeNotice, LANGUAGES, type Language, type Notice } from "./notices.js";
export { MAX_QUERY_LENGTH, MAX_QUERY_WORDS, type ParsedQuery, parseQuery } from "./parse.js";
export { listsWithoutQuery } from "./refine.js";
export * from "./types.js";
