/**
 * How a request's search runs: in this thread (`inProcess`, what tests and `--workers 0` use)
 * or on a pool of search threads (worker-pool.ts). Handlers await either the same way, and the
 * Engine interface stays synchronous and in-process for everything else.
 */
import type {
  DocumentOptions,
  DocumentView,
  Engine,
  SearchOptions,
  SearchResult,
} from "../search/types.js";
import { type SearchAnswer, searchAnswer } from "./search-answer.js";

/** Default time budget of one search, in milliseconds. */
export const DEFAULT_BUDGET_MS = 50;

/**
 * SearchOptions and SearchResult with the engine's time budget; written as an extension here so
 * the server compiles whether or not the engine has the fields yet.
 */
export type BudgetedOptions = SearchOptions & { budgetMs?: number };
export type BudgetedResult = SearchResult & { timedOut?: boolean };

/** What answered, beside the answer: which index generation, and whether the budget cut it. */
export interface Served<T> {
  value: T;
  generation: string;
}

/** A request turned away before any search ran: the queue of its lane is full. */
export class Overloaded extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("the server is busy: too many searches are waiting; try again shortly");
  }
}

/** A search thread did not answer in time (budget × grace) or died while answering. */
export class SearchAbandoned extends Error {
  constructor(
    message: string,
    readonly reason: "timeout" | "crashed",
  ) {
    super(message);
  }
}

export interface WorkerStatus {
  id: number;
  threadId: number;
  /** The index generation this thread serves; undefined while it opens its first one. */
  generation: string | undefined;
  documents: number | undefined;
  state: "starting" | "idle" | "busy" | "abandoned";
  restarts: number;
  /** Why it could not load the generation the HTTP thread serves, while it still cannot. */
  reloadError?: string;
}

export interface SearcherStatus {
  /** Empty when searches run in the HTTP thread. */
  workers: WorkerStatus[];
  queue: { cheap: number; costly: number; limit: number };
}

export interface Searcher {
  readonly budgetMs: number;
  /**
   * The search's answer, already JSON. `engine` is the request's engine; a pool uses its
   * threads' own copies instead.
   */
  search(engine: Engine, query: string, options: SearchOptions): Promise<Served<SearchAnswer>>;
  suggest(engine: Engine, prefix: string, limit?: number): Promise<Served<string[]>>;
  getDocument(
    engine: Engine,
    id: string,
    query: string | undefined,
    options: DocumentOptions,
  ): Promise<Served<DocumentView | undefined>>;
  status(): SearcherStatus;
}

/**
 * Searches in the calling thread, with the budget passed on to the engine (which alone can cut
 * a search short here: nothing can interrupt synchronous code from the outside).
 */
export function inProcess(budgetMs = DEFAULT_BUDGET_MS): Searcher {
  return {
    budgetMs,
    async search(engine, query, options) {
      const budgeted: BudgetedOptions = { ...options, budgetMs };
      const result: BudgetedResult = engine.search(query, budgeted);
      return { value: searchAnswer(result), generation: engine.info.version };
    },
    async suggest(engine, prefix, limit) {
      return { value: engine.suggest(prefix, limit), generation: engine.info.version };
    },
    async getDocument(engine, id, query, options) {
      return { value: engine.getDocument(id, query, options), generation: engine.info.version };
    },
    status: () => ({ workers: [], queue: { cheap: 0, costly: 0, limit: 0 } }),
  };
}
