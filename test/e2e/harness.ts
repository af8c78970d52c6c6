/**
 * What the browser tests and the screenshot script share: Debian's Chromium driven by
 * playwright-core (never a downloaded browser), and the real server on a free port over a
 * temporary index.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { openEngine } from "../../src/search/engine.js";
import { createApp } from "../../src/server/app.js";
import { listen, type RunningServer } from "../../src/server/listen.js";

export const CHROMIUM_PATH = "/usr/bin/chromium";

export const hasChromium = (): boolean => existsSync(CHROMIUM_PATH);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The real app (no access log) on 127.0.0.1, on a port the system picks. */
export async function serveIndex(indexDir: string): Promise<RunningServer> {
  const app = createApp(await openEngine(indexDir), { log: false });
  return listen(app, { host: "127.0.0.1", port: 0 });
}
