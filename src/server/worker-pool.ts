/**
 * Searches on a pool of worker threads, each with its own engine, so the HTTP thread never runs
 * one: /api/health and /metrics answer at once whatever the search load, and the waiting
 * searches form one bounded queue (two lanes, lanes.ts) in one place. The alternative,
 * node:cluster, runs a search and the HTTP of other requests on the same event loop, so a
 * costly query delays the health check of its process; bench/http.ts measures both.
 *
 * A thread runs one call at a time, and may hold one more, waiting in its port, so that it
 * starts the next search as soon as it sends an answer instead of idling until the HTTP thread
 * has read that answer and sent another call. Under distinct queries, one thread was busy 78 %
 * of the time without it and 86 % with it; servers as bench/http.ts starts them, the two
 * versions alternated, answered 1.10× the requests per second with one thread and with two,
 * with a lower p99. Only a cheap search waits behind a search guessed cheap (lanes.ts),
 * which may still run to its budget, or to four times that before it is given up on; none is
 * held while a costly search is waiting for its turn.
 *
 * A search that has not answered by budget × grace is not waited for (the request answers
 * `timedOut`); a thread still busy long after that is terminated and replaced, as is one that
 * crashes.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { QueryError } from "../search/types.js";
import { type Lane, LaneQueue, laneOf } from "./lanes.js";
import type { SearchAnswer } from "./search-answer.js";
import {
  DEFAULT_BUDGET_MS,
  Overloaded,
  SearchAbandoned,
  type Searcher,
  type SearcherStatus,
  type Served,
  type WorkerStatus,
} from "./searcher.js";
import type { Call, FromWorker, ToWorker, WireError, WorkerData } from "./worker-protocol.js";

/** Running from the TypeScript sources (tests, tsx) or from dist/: the threads must match. */
const FROM_SOURCE = import.meta.url.endsWith(".ts");
const EXT = FROM_SOURCE ? ".ts" : ".js";
const WORKER_URL = new URL(`./search-worker${EXT}`, import.meta.url);

/**
 * From the sources, a thread first registers tsx's loader and then imports its TypeScript
 * entry: `--import tsx` in a thread's execArgv does not reach its entry file on Node 20.
 */
function workerEntry(): { entry: URL | string; eval: boolean } {
  if (!FROM_SOURCE) return { entry: WORKER_URL, eval: false };
  const cjs = createRequire(import.meta.url).resolve("tsx/esm/api");
  const tsx = pathToFileURL(cjs.replace(/\.cjs$/, ".mjs")).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return { entry: code, eval: true };
}

/** The module and export a thread loads its index with. */
export interface LoaderRef {
  url: string;
  export: string;
}

export const DISK_LOADER: LoaderRef = {
  url: new URL(`./index-loader${EXT}`, import.meta.url).href,
  export: "diskIndexLoader",
};

export const DEFAULT_QUEUE = 64;

export type PoolEvent =
  | {
      /** With no search threads (`--workers 0`), the HTTP thread's warm-up done. */
      type: "http thread ready";
      generation: string;
      documents: number;
      ms: number;
      warmUpCalls: number;
    }
  | {
      type: "worker ready";
      worker: number;
      generation: string;
      documents: number;
      ms: number;
      /** Searches, suggestions and document views the thread's warm-up ran (warm-up.ts). */
      warmUpCalls: number;
    }
  | { type: "worker exited"; worker: number; code: number; restartInMs: number }
  | { type: "worker reloaded"; worker: number; generation: string; previous: string }
  | { type: "worker reload failed"; worker: number; error: string }
  | { type: "worker stuck"; worker: number; ms: number };

export interface PoolOptions {
  workers: number;
  indexDir: string;
  loader?: LoaderRef;
  budgetMs?: number;
  /** A search not answered after budgetMs × this is not waited for. Default 4. */
  graceFactor?: number;
  /** A thread busy this long with a search given up on is terminated. Default max(2 s, 40 × budget). */
  stuckMs?: number;
  /** Waiting searches allowed in the cheap lane; the costly lane gets half as many. Default 64. */
  queueLimit?: number;
  /** A search waiting this long for a thread is refused (503). Default 2 s. */
  maxWaitMs?: number;
  /**
   * Calls a thread holds at once: 2 (the default) hands a busy thread running a cheap search one
   * more cheap search to start next; 1 gives a thread a call only when it is idle.
   */
  callsPerThread?: 1 | 2;
  onEvent?: (event: PoolEvent) => void;
}

interface Task {
  id: number;
  call: Call;
  lane: Lane;
  resolve: (served: Served<unknown>) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
}

interface Slot {
  id: number;
  worker: Worker;
  state: WorkerStatus["state"];
  generation: string | undefined;
  documents: number | undefined;
  restarts: number;
  startedAt: number;
  /** The call the thread runs (or, abandoned, still runs). */
  task: Task | undefined;
  /** The call waiting in the thread's port, which it runs next. */
  next: Task | undefined;
  stuckTimer: NodeJS.Timeout | undefined;
  reloadPending: boolean;
  reloadFailed: { expected: string; at: number; error: string } | undefined;
}

function rebuild(error: WireError): Error {
  if (error.kind === "query") return new QueryError(error.message, error.parameter, error.notice);
  const rebuilt = new Error(error.message);
  if (error.stack !== undefined) rebuilt.stack = error.stack;
  return rebuilt;
}

export class WorkerPool implements Searcher {
  readonly budgetMs: number;
  private readonly slots: Slot[] = [];
  private readonly queue: LaneQueue<Task>;
  private readonly graceMs: number;
  private readonly stuckMs: number;
  private readonly maxWaitMs: number;
  private readonly callsPerThread: number;
  private readonly loader: LoaderRef;
  private readonly onEvent: (event: PoolEvent) => void;
  private nextTask = 1;
  private closed = false;
  private followTimer: NodeJS.Timeout | undefined;
  /** Consecutive crashes soon after start, for the restart back-off. */
  private quickCrashes = 0;

  private constructor(private readonly options: PoolOptions) {
    this.budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
    this.graceMs = this.budgetMs * (options.graceFactor ?? 4);
    this.stuckMs = options.stuckMs ?? Math.max(2000, 40 * this.budgetMs);
    this.maxWaitMs = options.maxWaitMs ?? 2000;
    this.callsPerThread = options.callsPerThread ?? 2;
    this.loader = options.loader ?? DISK_LOADER;
    this.onEvent = options.onEvent ?? (() => {});
    const limit = options.queueLimit ?? DEFAULT_QUEUE;
    this.queue = new LaneQueue({ cheap: limit, costly: Math.max(2, Math.ceil(limit / 2)) });
  }

  /** Starts every thread and waits until each has opened the index (rejecting with the loader's message). */
  static async start(options: PoolOptions): Promise<WorkerPool> {
    if (!(options.workers >= 1)) throw new Error("a pool needs at least one worker");
    const pool = new WorkerPool(options);
    try {
      await Promise.all(Array.from({ length: options.workers }, (_, i) => pool.spawn(i, 0)));
    } catch (error) {
      await pool.close(0);
      throw error;
    }
    return pool;
  }

  private spawn(id: number, restarts: number): Promise<void> {
    const data: WorkerData = {
      loaderUrl: this.loader.url,
      loaderExport: this.loader.export,
      indexDir: this.options.indexDir,
      budgetMs: this.budgetMs,
    };
    const { entry, eval: evaluated } = workerEntry();
    const worker = new Worker(entry, { workerData: data, eval: evaluated });
    const slot: Slot = {
      id,
      worker,
      state: "starting",
      generation: undefined,
      documents: undefined,
      restarts,
      startedAt: performance.now(),
      task: undefined,
      next: undefined,
      stuckTimer: undefined,
      reloadPending: false,
      reloadFailed: undefined,
    };
    this.slots[id] = slot;
    return new Promise((resolve, reject) => {
      let opened = false;
      let openError: string | undefined;
      worker.on("message", (message: FromWorker) => {
        if (message.type === "ready") {
          opened = true;
          slot.state = "idle";
          slot.generation = message.info.version;
          slot.documents = message.info.documents;
          this.onEvent({
            type: "worker ready",
            worker: id,
            generation: message.info.version,
            documents: message.info.documents,
            ms: Math.round(performance.now() - slot.startedAt),
            warmUpCalls: message.warmUpCalls,
          });
          resolve();
          this.dispatch();
        } else if (message.type === "open-failed") {
          openError = message.error;
        } else this.receive(slot, message);
      });
      // An uncaught error ends the thread: 'exit' follows and does the rest.
      worker.on("error", (error) => {
        openError ??= error.message;
      });
      worker.on("exit", (code) => {
        if (!opened) {
          // At start a failure is the caller's to report; later, the old threads keep serving.
          if (restarts === 0) reject(new Error(openError ?? `search worker exited (${code})`));
        }
        this.exited(slot, code, opened);
      });
    });
  }

  private exited(slot: Slot, code: number, opened: boolean): void {
    if (slot.stuckTimer) clearTimeout(slot.stuckTimer);
    const { task, next } = slot;
    slot.task = undefined;
    slot.next = undefined;
    slot.state = "starting";
    if (task && !task.settled) {
      this.settle(task);
      task.reject(new SearchAbandoned("the search thread ended while answering", "crashed"));
    }
    // The call behind it never ran: it waits in the queue again, at the back of its lane, with
    // the queue's whole waiting time before it.
    if (next && !next.settled) {
      if (!this.closed && this.enqueue(next)) this.dispatch();
      else {
        this.settle(next);
        next.reject(new Overloaded(1));
      }
    }
    if (this.closed || this.slots[slot.id] !== slot) return;
    // Back off when threads die as soon as they start (a broken index, a bad build).
    const quick = !opened || performance.now() - slot.startedAt < 5000;
    this.quickCrashes = quick ? this.quickCrashes + 1 : 0;
    const restartInMs = Math.min(5000, 50 * 2 ** Math.min(this.quickCrashes, 7));
    this.onEvent({ type: "worker exited", worker: slot.id, code, restartInMs });
    setTimeout(() => {
      if (this.closed) return;
      this.spawn(slot.id, slot.restarts + 1).catch(() => {});
    }, restartInMs).unref();
  }

  private receive(slot: Slot, message: FromWorker): void {
    switch (message.type) {
      case "done": {
        // A thread answers its calls one at a time, in the order they were sent: this is
        // `slot.task` (a reload answers `reloaded`; a dead thread's slot is no longer in `slots`).
        if (slot.stuckTimer) clearTimeout(slot.stuckTimer);
        slot.stuckTimer = undefined;
        const task = slot.task;
        slot.task = slot.next;
        slot.next = undefined;
        slot.generation = message.generation;
        if (slot.task === undefined) slot.state = "idle";
        else this.started(slot, slot.task);
        if (task && !task.settled) {
          this.settle(task);
          if (message.ok) task.resolve({ value: message.value, generation: message.generation });
          else task.reject(rebuild(message.error));
        }
        this.dispatch();
        return;
      }
      case "reloaded":
        slot.reloadPending = false;
        slot.reloadFailed = undefined;
        slot.generation = message.info.version;
        slot.documents = message.info.documents;
        if (message.info.version !== message.previous)
          this.onEvent({
            type: "worker reloaded",
            worker: slot.id,
            generation: message.info.version,
            previous: message.previous,
          });
        return;
      case "reload-failed":
        slot.reloadPending = false;
        slot.reloadFailed = {
          expected: this.expected ?? "",
          at: performance.now(),
          error: message.error,
        };
        this.onEvent({ type: "worker reload failed", worker: slot.id, error: message.error });
        return;
      default:
        return;
    }
  }

  private settle(task: Task): void {
    task.settled = true;
    if (task.timer) clearTimeout(task.timer);
    task.timer = undefined;
  }

  private costlyBusy(): number {
    let n = 0;
    for (const slot of this.slots) if (slot?.task?.lane === "costly") n++;
    return n;
  }

  /**
   * Gives waiting tasks to idle threads, costly ones holding all but one thread at most; then,
   * with every thread busy, a cheap task to each thread running a cheap one, to run next.
   */
  private dispatch(): void {
    const maxCostly = Math.max(1, this.slots.length - 1);
    for (const slot of this.slots) {
      if (slot?.state !== "idle") continue;
      const task = this.queue.shift(this.costlyBusy() < maxCostly);
      if (task === undefined) return;
      slot.task = task;
      this.post(slot, task);
      this.started(slot, task);
    }
    if (this.callsPerThread < 2) return;
    // A costly search that has waited its turn (lanes.ts) takes the next thread to go idle:
    // holding cheap ones then would keep every thread from ever going idle under a steady stream
    // of them, and starve it. Holding none whenever a costly one waits at all measured no gain
    // left under distinct queries, where one nearly always does.
    if (this.costlyBusy() < maxCostly && this.queue.overdue("costly")) return;
    for (const slot of this.slots) {
      if (slot?.state !== "busy" || slot.next !== undefined || slot.task?.lane !== "cheap")
        continue;
      const task = this.queue.shift(false);
      if (task === undefined) return;
      slot.next = task;
      this.post(slot, task);
    }
  }

  /** Sends `task` to the thread; it waits there no longer for the queue's time limit. */
  private post(slot: Slot, task: Task): void {
    if (task.timer) clearTimeout(task.timer);
    task.timer = undefined;
    const message: ToWorker = { type: "call", task: task.id, call: task.call };
    slot.worker.postMessage(message);
  }

  /** The thread has begun `task` (its call was sent, or the one before it answered). */
  private started(slot: Slot, task: Task): void {
    slot.state = "busy";
    const at = performance.now();
    // Given up on while it waited in the thread (behind an abandoned call): it runs all the same.
    if (task.settled) {
      this.abandoned(slot, task, at);
      return;
    }
    task.timer = setTimeout(() => {
      if (task.settled) return;
      this.settle(task);
      task.reject(
        new SearchAbandoned(`no answer within ${Math.round(this.graceMs)} ms`, "timeout"),
      );
      this.abandoned(slot, task, at);
    }, this.graceMs);
  }

  /**
   * The thread goes on with a call given up on until its engine stops, and takes no new call
   * meanwhile; a thread still busy past `stuckMs` is replaced. The call waiting behind it never
   * ran: it goes back to the queue (at the back of its lane) for another thread, and the thread's
   * run of it, if it comes to it, answers no one; with one thread, the same search may then run
   * twice, a cost paid only after a search ignored its budget.
   */
  private abandoned(slot: Slot, task: Task, startedAt: number): void {
    slot.state = "abandoned";
    const next = slot.next;
    if (next && !next.settled) {
      slot.next = { ...next, settled: true, timer: undefined };
      if (!this.closed && this.enqueue(next)) this.dispatch();
      else {
        this.settle(next);
        next.reject(new Overloaded(1));
      }
    }
    if (slot.stuckTimer) clearTimeout(slot.stuckTimer);
    slot.stuckTimer = setTimeout(
      () => {
        if (slot.task !== task) return;
        this.onEvent({
          type: "worker stuck",
          worker: slot.id,
          ms: Math.round(performance.now() - startedAt),
        });
        void slot.worker.terminate();
      },
      Math.max(0, this.stuckMs - (performance.now() - startedAt)),
    );
    slot.stuckTimer.unref();
  }

  private run<T>(call: Call, lane: Lane): Promise<Served<T>> {
    return new Promise<Served<unknown>>((resolve, reject) => {
      if (this.closed) {
        reject(new Overloaded(1));
        return;
      }
      const task: Task = {
        id: this.nextTask++,
        call,
        lane,
        resolve,
        reject,
        timer: undefined,
        settled: false,
      };
      if (!this.enqueue(task)) {
        reject(new Overloaded(1));
        return;
      }
      this.dispatch();
    }) as Promise<Served<T>>;
  }

  /** Puts `task` in its lane's queue, refused after `maxWaitMs`; false when the lane is full. */
  private enqueue(task: Task): boolean {
    if (!this.queue.push(task.lane, task)) return false;
    task.timer = setTimeout(() => {
      if (task.settled) return;
      this.settle(task);
      this.queue.remove(task.lane, task);
      task.reject(new Overloaded(1));
    }, this.maxWaitMs);
    return true;
  }

  search(_engine: unknown, query: string, options: object): Promise<Served<SearchAnswer>> {
    return this.run(
      { kind: "search", query, options: { ...options, budgetMs: this.budgetMs } },
      laneOf(query),
    );
  }

  suggest(_engine: unknown, prefix: string, limit?: number): Promise<Served<string[]>> {
    return this.run({ kind: "suggest", prefix, limit }, "cheap");
  }

  getDocument(
    _engine: unknown,
    id: string,
    query: string | undefined,
    options: object,
  ): ReturnType<Searcher["getDocument"]> {
    return this.run(
      { kind: "getDocument", id, query, options },
      query === undefined ? "cheap" : laneOf(query),
    );
  }

  /** The generation threads should serve: what the HTTP thread's own source last loaded. */
  private expected: string | undefined;

  /** Asks every thread not serving `generation` to reload the index (each reads CURRENT itself). */
  sync(generation: string | undefined): void {
    this.expected = generation;
    if (generation === undefined) return;
    for (const slot of this.slots) {
      if (slot === undefined || slot.state === "starting" || slot.reloadPending) continue;
      if (slot.generation === generation) continue;
      const failed = slot.reloadFailed;
      if (failed?.expected === generation && performance.now() - failed.at < 30_000) continue;
      slot.reloadPending = true;
      const message: ToWorker = { type: "reload" };
      slot.worker.postMessage(message);
    }
  }

  /** Keeps the threads on the generation `source` serves, checking every `intervalMs`. */
  follow(source: { readonly generation: string | undefined }, intervalMs = 1000): void {
    if (this.followTimer) clearInterval(this.followTimer);
    this.followTimer = setInterval(() => this.sync(source.generation), intervalMs);
    this.followTimer.unref();
  }

  status(): SearcherStatus {
    return {
      workers: this.slots.map((slot) => ({
        id: slot.id,
        threadId: slot.worker.threadId,
        generation: slot.generation,
        documents: slot.documents,
        state: slot.state,
        restarts: slot.restarts,
        ...(slot.reloadFailed !== undefined &&
          slot.generation !== this.expected && { reloadError: slot.reloadFailed.error }),
      })),
      queue: {
        cheap: this.queue.size("cheap"),
        costly: this.queue.size("costly"),
        limit: this.queue.limits.cheap,
      },
    };
  }

  /** Lets the calls in flight finish (at most `timeoutMs`), refuses the waiting ones, ends the threads. */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.followTimer) clearInterval(this.followTimer);
    for (const task of this.queue.drain()) {
      if (task.settled) continue;
      this.settle(task);
      task.reject(new Overloaded(1));
    }
    const deadline = performance.now() + timeoutMs;
    while (this.slots.some((s) => s?.state === "busy") && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(
      this.slots.map((slot) => {
        if (slot === undefined) return undefined;
        if (slot.stuckTimer) clearTimeout(slot.stuckTimer);
        return slot.worker.terminate();
      }),
    );
  }
}
