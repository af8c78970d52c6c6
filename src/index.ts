/** loupe's library API. */
export * from "./analysis/index.js";
export type { LoupeDocument, SkippedFile } from "./corpus/types.js";
