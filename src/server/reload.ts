/**
 * Hot swap: the served engine follows the index folder. Polling `CURRENT` once a second is one
 * small read, works on every file system (fs.watch misses renames on some), and a rebuild
 * writes a whole new generation before it flips `CURRENT`, so whatever we read is complete.
 */
import type { Engine } from "../search/types.js";
import type { EngineSource } from "./engine-source.js";

/** How to read the index folder; injected so the server layer can be tested without one. */
export interface IndexLoader {
  /** `background`: a swap under a running server, which must keep answering meanwhile. */
  open(dir: string, options?: { background: boolean }): Promise<Engine>;
  /** An id that changes whenever a new index is swapped in; `undefined` when there is none. */
  generation(dir: string): Promise<string | undefined>;
}

export type ReloadEvent =
  | {
      type: "reloaded";
      generation: string;
      previous: string | undefined;
      documents: number;
      ms: number;
    }
  | { type: "failed"; generation: string; error: string }
  | { type: "missing"; dir: string };

export interface ReloadOptions {
  loader: IndexLoader;
  intervalMs?: number;
  /** A generation that failed to load is tried again after this long (it may have been a transient error). */
  retryMs?: number;
  onEvent?: (event: ReloadEvent) => void;
}

export interface ReloadingSource extends EngineSource {
  /** The generation of the engine being served. */
  readonly generation: string | undefined;
  /** Looks once now; resolves when any reload this started has finished. */
  check(): Promise<void>;
  stop(): void;
}

/**
 * Loads the index in `dir` (rejecting with the loader's message if it cannot) and keeps it
 * current in the background. A failed reload keeps the old engine.
 */
export async function watchIndex(dir: string, options: ReloadOptions): Promise<ReloadingSource> {
  const { loader, intervalMs = 1000, retryMs = 30_000, onEvent = () => {} } = options;
  // The generation served is the one the engine says it loaded: reading CURRENT apart could
  // name a rebuild that landed between the two reads.
  let engine = await loader.open(dir);
  let generation: string | undefined = engine.info.version;
  let failed: { generation: string; at: number; error: string } | undefined;
  let missingReported = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function look(): Promise<void> {
    const latest = await loader.generation(dir);
    if (latest === undefined) {
      if (!missingReported) onEvent({ type: "missing", dir });
      missingReported = true;
      return;
    }
    missingReported = false;
    if (latest === generation) {
      // CURRENT names the generation served again: what failed is no longer asked for.
      failed = undefined;
      return;
    }
    if (failed?.generation === latest && Date.now() - failed.at < retryMs) return;
    const started = performance.now();
    try {
      const next = await loader.open(dir, { background: true });
      const previous = generation;
      engine = next;
      generation = next.info.version;
      failed = undefined;
      onEvent({
        type: "reloaded",
        generation,
        previous,
        documents: next.info.documents,
        ms: Math.round(performance.now() - started),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failed = { generation: latest, at: Date.now(), error: message };
      onEvent({ type: "failed", generation: latest, error: message });
    }
  }

  function check(): Promise<void> {
    running ??= look()
      .catch((error: unknown) => {
        // Only the injected loader's generation() can get here; keep polling regardless.
        onEvent({
          type: "failed",
          generation: "(unknown)",
          error: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      check().finally(schedule);
    }, intervalMs);
    // Polling alone must not keep the process alive once the server has closed.
    timer.unref();
  }
  schedule();

  return {
    current: () => engine,
    get generation() {
      return generation;
    },
    get problem() {
      if (missingReported)
        return `'${dir}' names no index generation: ${generation} is still served`;
      if (failed === undefined) return undefined;
      return `index generation ${failed.generation} could not be loaded (${failed.error}): ${generation} is still served`;
    },
    check,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
