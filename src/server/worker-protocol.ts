/**
 * The messages between the HTTP thread (worker-pool.ts) and a search thread (search-worker.ts).
 * Everything crosses by structured clone, so errors travel as data and are rebuilt on arrival;
 * a search's answer crosses as its JSON text (search-answer.ts).
 */
import type { Notice } from "../search/index.js";
import type { DocumentOptions, IndexInfo, SearchOptions } from "../search/types.js";

/** What a thread needs to open its own engine: a module exporting an IndexLoader, and the folder. */
export interface WorkerData {
  loaderUrl: string;
  loaderExport: string;
  indexDir: string;
  /** The searches' time budget: the warm-up's searches have it too. */
  budgetMs: number;
}

export type Call =
  | { kind: "search"; query: string; options: SearchOptions & { budgetMs?: number } }
  | { kind: "suggest"; prefix: string; limit: number | undefined }
  | { kind: "getDocument"; id: string; query: string | undefined; options: DocumentOptions };

export type ToWorker = { type: "call"; task: number; call: Call } | { type: "reload" };

export type WireError =
  | { kind: "query"; message: string; parameter: string; notice: Notice | undefined }
  | { kind: "other"; message: string; stack: string | undefined };

export type FromWorker =
  | { type: "ready"; info: IndexInfo; warmUpCalls: number }
  | { type: "open-failed"; error: string }
  | {
      type: "done";
      task: number;
      /** The generation that answered: a hot swap may land between two calls. */
      generation: string;
      ms: number;
      ok: true;
      value: unknown;
    }
  | { type: "done"; task: number; generation: string; ms: number; ok: false; error: WireError }
  | { type: "reloaded"; info: IndexInfo; previous: string }
  | { type: "reload-failed"; error: string };
