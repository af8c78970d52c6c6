import type { Logger } from "pino";
import type { LogLine } from "./access-log.js";
import { createApp, nodeRefusals } from "./app.js";
import {
  checkPort,
  DEFAULT_HOST,
  DEFAULT_PORT,
  type ListenOptions,
  listen,
  type RunningServer,
} from "./listen.js";
import type { RateLimitOptions } from "./rate-limit.js";
import { type IndexLoader, type ReloadEvent, type ReloadingSource, watchIndex } from "./reload.js";
import { DEFAULT_BUDGET_MS, inProcess } from "./searcher.js";
import { warmingUp } from "./warm-up.js";
import { DISK_LOADER, type LoaderRef, type PoolEvent, WorkerPool } from "./worker-pool.js";

export interface StartServerOptions extends ListenOptions {
  indexDir: string;
  loader: IndexLoader;
  /** Access log, one JSON line per request; `false` for none. */
  log?: Logger | LogLine | false;
  /** Hot-swap events (reloaded, failed, index missing). */
  onReload?: (event: ReloadEvent) => void;
  reloadIntervalMs?: number;
  /** Search threads; 0 runs searches in the HTTP thread. Default 0. */
  workers?: number;
  /** How each search thread opens the index: a module exporting an IndexLoader. Default: the disk. */
  workerLoader?: LoaderRef;
  budgetMs?: number;
  queueLimit?: number;
  rateLimit?: RateLimitOptions;
  onPoolEvent?: (event: PoolEvent) => void;
}

export interface StartedServer {
  running: RunningServer;
  /** The HTTP thread's own engine: the page, ETags and /api/health's index come from it. */
  source: ReloadingSource;
  pool: WorkerPool | undefined;
  /** After the HTTP server has drained: stops following the index and ends the search threads. */
  stop(): Promise<void>;
}

/** Loads the index (rejecting with the loader's message), starts the search threads, builds the app and listens. */
export async function startServer(options: StartServerOptions): Promise<StartedServer> {
  let pool: WorkerPool | undefined;
  await checkPort(options).catch((error: unknown) => {
    throw listenError(error, options);
  });
  const workers = options.workers ?? 0;
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const source = await watchIndex(options.indexDir, {
    // Without threads this one searches, and is warmed up; with them it searches nothing
    // (the page goes through them too) and is not.
    // Logged as a search thread's `worker ready` is: with `--workers 0` nothing said it ran (QA).
    loader:
      workers === 0
        ? warmingUp(options.loader, { budgetMs }, (engine, warmUpCalls, ms) =>
            options.onPoolEvent?.({
              type: "http thread ready",
              generation: engine.info.version,
              documents: engine.info.documents,
              ms,
              warmUpCalls,
            }),
          )
        : options.loader,
    ...(options.reloadIntervalMs !== undefined && { intervalMs: options.reloadIntervalMs }),
    onEvent: (event) => {
      options.onReload?.(event);
      // The threads each read CURRENT themselves; told at once, they swap within a poll.
      if (event.type === "reloaded") pool?.sync(event.generation);
    },
  });
  try {
    if (workers > 0) {
      pool = await WorkerPool.start({
        workers,
        indexDir: options.indexDir,
        loader: options.workerLoader ?? DISK_LOADER,
        budgetMs,
        ...(options.queueLimit !== undefined && { queueLimit: options.queueLimit }),
        ...(options.onPoolEvent && { onEvent: options.onPoolEvent }),
      });
      pool.follow(source, options.reloadIntervalMs ?? 1000);
    }
    const app = createApp(source, {
      searcher: pool ?? inProcess(budgetMs),
      processMetrics: true,
      ...(options.log !== undefined && { log: options.log }),
      ...(options.rateLimit && { rateLimit: options.rateLimit }),
    });
    const onRefused = nodeRefusals(app);
    const running = await listen(app, { ...options, ...(onRefused && { onRefused }) });
    const started = pool;
    return {
      running,
      source,
      pool,
      async stop() {
        source.stop();
        await started?.close();
      },
    };
  } catch (error) {
    source.stop();
    await pool?.close(0);
    throw listenError(error, options);
  }
}

/**
 * Why the server cannot listen, in words, with the fix: a port in use or held back, a host that
 * is no address of this machine. Node's own words (`getaddrinfo ENOTFOUND 127.0.0.1:4260`)
 * named neither the option nor the fix (QA). Any other error as it is.
 */
function listenError(error: unknown, options: StartServerOptions): unknown {
  const code = error instanceof Error && "code" in error ? error.code : undefined;
  const port = options.port ?? DEFAULT_PORT;
  const host = options.host ?? DEFAULT_HOST;
  switch (code) {
    case "EADDRINUSE":
      return new Error(
        `port ${port} on ${host} is already in use: stop the other server or choose another with --port`,
      );
    case "EACCES":
      return new Error(
        `port ${port} on ${host} needs privileges this user lacks: choose one above 1023 with --port (or PORT)`,
      );
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new Error(
        `host '${host}' is no address or name this machine can resolve: give --host (or HOST) an address such as 127.0.0.1, ::1 or 0.0.0.0, without a port (that is --port)`,
      );
    case "EADDRNOTAVAIL":
    case "EAFNOSUPPORT":
      return new Error(
        `host '${host}' is not an address of this machine: give --host (or HOST) one of its own, 127.0.0.1, ::1, or 0.0.0.0 for all of them`,
      );
    default:
      return error;
  }
}
