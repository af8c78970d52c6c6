/**
 * `loupe serve`: serve an existing index over HTTP. It never indexes: with no usable index it
 * refuses to start, with the loader's message naming the file and the fix.
 */
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { createLogger } from "../server/access-log.js";
import { DEFAULT_HOST, DEFAULT_PORT } from "../server/listen.js";
import type { IndexLoader, ReloadEvent } from "../server/reload.js";
import { DEFAULT_BUDGET_MS } from "../server/searcher.js";
import { stopOnSignals } from "../server/shutdown.js";
import { startServer } from "../server/start-server.js";
import { readWholeNumber } from "../server/whole-number.js";
import { DEFAULT_QUEUE, type LoaderRef, type PoolEvent } from "../server/worker-pool.js";
import { type CliIO, processIO, UsageError } from "./output.js";

/** What the serving flags do, for `loupe serve` and `loupe start`. */
export const SERVING_FLAGS = `  --workers     search threads (default: the number of cores); 0 searches in the HTTP thread
  --budget-ms   time budget of one search; past it the answer says timedOut
  --queue       searches that may wait for a thread before the server answers 503
  --rate-limit  requests per second per client address (burst 2×), 429 past it; off by default
  PORT, HOST, WORKERS, SEARCH_BUDGET_MS, SEARCH_QUEUE and RATE_LIMIT in the environment are
  used when the flags are absent.`;

export const SERVE_USAGE = `usage: loupe serve [--index index] [--port 3000] [--host 127.0.0.1] [--quiet]
                   [--workers N] [--budget-ms 50] [--queue 64] [--rate-limit R]
${SERVING_FLAGS}`;

export const SERVE_FLAGS = {
  index: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  quiet: { type: "boolean", default: false },
  workers: { type: "string" },
  "budget-ms": { type: "string" },
  queue: { type: "string" },
  "rate-limit": { type: "string" },
} as const;

export interface ServeOptions {
  indexDir: string;
  host: string;
  port: number;
  /** No access log. */
  quiet: boolean;
  /** Search threads; 0 searches in the HTTP thread. */
  workers: number;
  budgetMs: number;
  queueLimit: number;
  /** Requests per second per address; undefined for no limit. */
  rateLimit: number | undefined;
}

export interface ServeDeps {
  /** How the index is read; the disk loader by default. */
  loader?: IndexLoader;
  /** How each search thread reads it; the disk loader by default. */
  workerLoader?: LoaderRef;
  env?: NodeJS.ProcessEnv;
}

function parsePort(text: string, where: string): number {
  const port = readWholeNumber(text, 0, 65535);
  if (port === undefined) throw new UsageError(`${where} '${text}' is not a port number (0-65535)`);
  return port;
}

/** A whole number from `min` to `max`, from a flag or else the environment, else `fallback`. */
function wholeOption(
  flag: string | undefined,
  flagName: string,
  envValue: string | undefined,
  envName: string,
  range: [number, number],
  fallback: number | undefined,
): number | undefined {
  const [text, where] =
    flag !== undefined ? [flag, flagName] : envValue ? [envValue, envName] : [undefined, ""];
  if (text === undefined) return fallback;
  const n = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= range[0] && n <= range[1]))
    throw new UsageError(
      `${where} '${text}' must be a whole number from ${range[0]} to ${range[1]}`,
    );
  return n;
}

export function serveOptions(
  values: {
    index?: string | undefined;
    port?: string | undefined;
    host?: string | undefined;
    quiet?: boolean | undefined;
    workers?: string | undefined;
    "budget-ms"?: string | undefined;
    queue?: string | undefined;
    "rate-limit"?: string | undefined;
  },
  env: NodeJS.ProcessEnv = process.env,
): ServeOptions {
  const port =
    values.port !== undefined
      ? parsePort(values.port, "--port")
      : env.PORT
        ? parsePort(env.PORT, "PORT")
        : DEFAULT_PORT;
  const hostFlag = values.host !== undefined ? "--host" : "HOST";
  // An IPv6 address as URLs write it (`[::1]`) is the address.
  const host = (values.host ?? (env.HOST || DEFAULT_HOST)).replace(/^\[(.*)\]$/u, "$1");
  if (host.trim() === "") throw new UsageError("--host must not be empty");
  const withPort = /^([^:[\]]+):(\d+)$/u.exec(host);
  if (withPort !== null)
    throw new UsageError(
      `${hostFlag} takes an address without its port: --host ${withPort[1]} --port ${withPort[2]}`,
    );
  const workers = wholeOption(
    values.workers,
    "--workers",
    env.WORKERS,
    "WORKERS",
    [0, 256],
    availableParallelism(),
  ) as number;
  const budgetMs = wholeOption(
    values["budget-ms"],
    "--budget-ms",
    env.SEARCH_BUDGET_MS,
    "SEARCH_BUDGET_MS",
    [1, 60_000],
    DEFAULT_BUDGET_MS,
  ) as number;
  const queueLimit = wholeOption(
    values.queue,
    "--queue",
    env.SEARCH_QUEUE,
    "SEARCH_QUEUE",
    [1, 100_000],
    DEFAULT_QUEUE,
  ) as number;
  const rateLimit = wholeOption(
    values["rate-limit"],
    "--rate-limit",
    env.RATE_LIMIT,
    "RATE_LIMIT",
    [1, 1_000_000],
    undefined,
  );
  return {
    indexDir: values.index ?? "index",
    host,
    port,
    quiet: values.quiet === true,
    workers,
    budgetMs,
    queueLimit,
    rateLimit,
  };
}

/**
 * A server event as a JSON line with a pino-style `level`, as the access log's: what went well
 * (`info`) on stdout, what went wrong (`warn`, `error`) on stderr. Events had no level, so a
 * pipeline could not filter them as it filters the access log (QA).
 */
function eventLine(io: CliIO, level: "info" | "warn" | "error", fields: object): void {
  const line = JSON.stringify({ level, time: new Date().toISOString(), ...fields });
  if (level === "info") io.out(line);
  else io.err(line);
}

/**
 * What the server says of itself on stdout (serving, the index it built): a sentence for a
 * person at a terminal; otherwise an `info` event holding the sentence as `msg`, so that stdout
 * stays JSON lines from the first one, as a log collector reads it. It mixed sentences into
 * the access log's JSON lines (QA).
 */
export function say(io: CliIO, event: string, fields: object, sentence: string): void {
  if (io.terminal === true) io.out(sentence);
  else eventLine(io, "info", { event, ...fields, msg: sentence });
}

function reportPool(io: CliIO) {
  return (event: PoolEvent) => {
    const { type, ...detail } = event;
    const level =
      type === "worker ready" || type === "worker reloaded" || type === "http thread ready"
        ? "info"
        : "error";
    eventLine(io, level, { event: type, ...detail });
  };
}

function reportReload(io: CliIO) {
  return (event: ReloadEvent) => {
    const { type, ...detail } = event;
    const level = type === "reloaded" ? "info" : type === "missing" ? "warn" : "error";
    eventLine(io, level, { event: `index ${type}`, ...detail });
  };
}

/** Serves until SIGINT or SIGTERM, then drains; resolves with the exit code. */
export async function serve(
  options: ServeOptions,
  io: CliIO,
  deps: ServeDeps = {},
): Promise<number> {
  // Imported lazily: a caller that brings its own loader does not load the search layer.
  const loader = deps.loader ?? (await import("../server/index-loader.js")).diskIndexLoader;
  // Straight to stdout through pino's buffer when the CLI owns the process; line by line otherwise.
  const logger = options.quiet ? undefined : createLogger(io === processIO ? undefined : io.out);
  const started = await startServer({
    indexDir: options.indexDir,
    host: options.host,
    port: options.port,
    loader,
    log: logger ?? false,
    onReload: reportReload(io),
    workers: options.workers,
    ...(deps.workerLoader && { workerLoader: deps.workerLoader }),
    budgetMs: options.budgetMs,
    queueLimit: options.queueLimit,
    ...(options.rateLimit !== undefined && { rateLimit: { perSecond: options.rateLimit } }),
    onPoolEvent: reportPool(io),
  });
  const { running, source } = started;
  // Signals are handled before the server says it is ready: whoever reads that line may stop
  // it at once, and a signal before the handler would kill the process undrained.
  const stopped = stopOnSignals(running, { log: io.err, onStop: () => source.stop() });
  const { documents } = source.current().info;
  const threads =
    options.workers === 0
      ? "searches in the HTTP thread (no queue: each runs as its request comes)"
      : `${options.workers} search thread${options.workers === 1 ? "" : "s"}, ${options.queueLimit} searches may wait`;
  const limit =
    options.rateLimit === undefined ? "" : `, ${options.rateLimit} requests/s per address`;
  const readyMs = Math.round(performance.now());
  say(
    io,
    "serving",
    { documents, index: options.indexDir, url: running.url, readyMs },
    `loupe: serving ${documents} document${documents === 1 ? "" : "s"} from ${options.indexDir} at ${running.url} (ready in ${readyMs} ms)`,
  );
  say(
    io,
    "settings",
    {
      workers: options.workers,
      queueLimit: options.queueLimit,
      budgetMs: options.budgetMs,
      ...(options.rateLimit !== undefined && { rateLimit: options.rateLimit }),
    },
    `loupe: ${threads}, ${options.budgetMs} ms budget per search${limit}`,
  );
  const code = await stopped;
  await started.stop();
  await new Promise<void>((resolve) => (logger ? logger.flush(() => resolve()) : resolve()));
  return code;
}

export async function serveCommand(
  args: string[],
  io: CliIO,
  deps: ServeDeps = {},
): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: SERVE_FLAGS, allowPositionals: true });
  if (positionals.length > 0)
    throw new UsageError(`loupe serve takes no arguments\n${SERVE_USAGE}`);
  return serve(serveOptions(values, deps.env), io, deps);
}
