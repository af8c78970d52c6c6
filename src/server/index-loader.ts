import { currentGeneration } from "../index/index.js";
import { openEngine } from "../search/engine.js";
import type { IndexLoader } from "./reload.js";

/** The index on disk, as the search layer reads it. */
export const diskIndexLoader: IndexLoader = {
  open: (dir, options) => openEngine(dir, undefined, { background: options?.background === true }),
  generation: currentGeneration,
};
