/**
 * `loupe serve`: serve an existing index over HTTP. It never indexes: with no usable index it
 * refuses to start, with the loader's message naming the file and the fix.
 */
import { parseArgs } from "node:util";
import { DEFAULT_HOST, DEFAULT_PORT } from "../server/listen.js";
import type { IndexLoader, ReloadEvent } from "../server/reload.js";
import { stopOnSignals } from "../server/shutdown.js";
import { startServer } from "../server/start-server.js";
import { readWholeNumber } from "../server/whole-number.js";
import { type CliIO, UsageError } from "./output.js";

export const SERVE_USAGE = `usage: loupe serve [--index index] [--port 3000] [--host 127.0.0.1] [--quiet]
  PORT and HOST in the environment are used when the flags are absent.`;

export const SERVE_FLAGS = {
  index: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  quiet: { type: "boolean", default: false },
} as const;

export interface ServeOptions {
  indexDir: string;
  host: string;
  port: number;
  /** No access log. */
  quiet: boolean;
}

export interface ServeDeps {
  /** How the index is read; the disk loader by default. */
  loader?: IndexLoader;
  env?: NodeJS.ProcessEnv;
}

function parsePort(text: string, where: string): number {
  const port = readWholeNumber(text, 0, 65535);
  if (port === undefined) throw new UsageError(`${where} '${text}' is not a port number (0-65535)`);
  return port;
}

export function serveOptions(
  values: {
    index?: string | undefined;
    port?: string | undefined;
    host?: string | undefined;
    quiet?: boolean | undefined;
  },
  env: NodeJS.ProcessEnv = process.env,
): ServeOptions {
  const port =
    values.port !== undefined
      ? parsePort(values.port, "--port")
      : env.PORT
        ? parsePort(env.PORT, "PORT")
        : DEFAULT_PORT;
  const host = values.host ?? (env.HOST || DEFAULT_HOST);
  if (host.trim() === "") throw new UsageError("--host must not be empty");
  return { indexDir: values.index ?? "index", host, port, quiet: values.quiet === true };
}

function reportReload(io: CliIO) {
  return (event: ReloadEvent) => {
    const { type, ...detail } = event;
    const line = JSON.stringify({
      time: new Date().toISOString(),
      event: `index ${type}`,
      ...detail,
    });
    if (event.type === "reloaded") io.out(line);
    else io.err(line);
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
  const { running, source } = await startServer({
    indexDir: options.indexDir,
    host: options.host,
    port: options.port,
    loader,
    log: options.quiet ? false : io.out,
    onReload: reportReload(io),
  });
  const { documents } = source.current().info;
  io.out(
    `loupe: serving ${documents} document${documents === 1 ? "" : "s"} from ${options.indexDir} at ${running.url} (ready in ${Math.round(performance.now())} ms)`,
  );
  return stopOnSignals(running, { log: io.err, onStop: () => source.stop() });
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
