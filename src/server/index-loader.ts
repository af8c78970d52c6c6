import { currentGeneration } from "../index/index.js";
import { openEngine } from "../search/engine.js";
import type { IndexLoader } from "./reload.js";
import { warmUp } from "./warm-up.js";

/**
 * The index on disk, as the search layer reads it, warmed up before it serves: every thread
 * that searches opens its engine here, at start and on each hot swap.
 */
export const diskIndexLoader: IndexLoader = {
  open: async (dir, options) => {
    const engine = await openEngine(dir, undefined, { background: options?.background === true });
    await warmUp(engine);
    return engine;
  },
  generation: currentGeneration,
};
