import type { LogLine } from "./access-log.js";
import { createApp } from "./app.js";
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  type ListenOptions,
  listen,
  type RunningServer,
} from "./listen.js";
import { type IndexLoader, type ReloadEvent, type ReloadingSource, watchIndex } from "./reload.js";

export interface StartServerOptions extends ListenOptions {
  indexDir: string;
  loader: IndexLoader;
  /** Access log, one JSON line per request; `false` for none. */
  log?: LogLine | false;
  /** Hot-swap events (reloaded, failed, index missing). */
  onReload?: (event: ReloadEvent) => void;
  reloadIntervalMs?: number;
}

export interface StartedServer {
  running: RunningServer;
  source: ReloadingSource;
}

/** Loads the index (rejecting with the loader's message), builds the app and listens. */
export async function startServer(options: StartServerOptions): Promise<StartedServer> {
  const source = await watchIndex(options.indexDir, {
    loader: options.loader,
    ...(options.reloadIntervalMs !== undefined && { intervalMs: options.reloadIntervalMs }),
    ...(options.onReload && { onEvent: options.onReload }),
  });
  try {
    const app = createApp(source, options.log === undefined ? {} : { log: options.log });
    const running = await listen(app, options);
    return { running, source };
  } catch (error) {
    source.stop();
    if (error instanceof Error && "code" in error && error.code === "EADDRINUSE") {
      throw new Error(
        `port ${options.port ?? DEFAULT_PORT} on ${options.host ?? DEFAULT_HOST} is already in use: stop the other server or choose another with --port`,
      );
    }
    throw error;
  }
}
