/**
 * What the browser tests and the screenshot script share: a Chromium driven by playwright-core
 * (never `npx playwright install`), and the real server on a free port over a temporary index.
 *
 * The browser is Debian's /usr/bin/chromium where it is installed, otherwise the Chromium shipped
 * inside the npm package @sparticuz/chromium (a devDependency), so that `npm ci && npm test` runs
 * the browser tests on a fresh machine too.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { type Browser, chromium } from "playwright-core";
import { openEngine } from "../../src/search/engine.js";
import { createApp } from "../../src/server/app.js";
import { listen, type RunningServer } from "../../src/server/listen.js";

export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

/**
 * The project's flags, and only these: the package's own `args` list (`--single-process`
 * among them) made Chromium 143 crash here. playwright-core adds a fresh --user-data-dir of its
 * own for every launch() and removes it on close().
 */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const require = createRequire(import.meta.url);

/**
 * The npm package's Chromium, unpacked once per version into the temporary folder.
 *
 * `executablePath()` unpacks into os.tmpdir() and takes any existing `chromium` file there for a
 * finished one, so a run stopped half-way (or two first runs at once) would leave a truncated
 * browser for every later run. It therefore runs in a child process whose TMPDIR is a private
 * staging folder, which is renamed into place only once complete (a rename is atomic).
 */
async function packagedChromium(): Promise<string> {
  const entry = require.resolve("@sparticuz/chromium");
  // The package exports no package.json; its entry point is build/cjs/index.cjs.
  const manifest = join(dirname(entry), "..", "..", "package.json");
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
  const home = join(tmpdir(), `loupe-chromium-${version}`);
  const binary = join(home, "chromium");
  if (existsSync(binary)) return binary;
  const staging = mkdtempSync(`${home}.partial-`);
  try {
    const script = `require(${JSON.stringify(entry)}).executablePath().then((p) => process.stdout.write(p))`;
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], {
      env: { ...process.env, TMPDIR: staging },
    });
    if (stdout !== join(staging, "chromium")) {
      throw new Error(`@sparticuz/chromium unpacked to ${stdout}, not into ${staging}`);
    }
    try {
      renameSync(staging, home);
    } catch (error) {
      // Another run finished first: its copy is as good as this one.
      if (!existsSync(binary)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

/** Debian's Chromium when installed, otherwise the npm package's. */
export async function chromiumPath(): Promise<string> {
  return existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : packagedChromium();
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_FLAGS });
}

/** The real app (no access log) on 127.0.0.1, on a port the system picks. */
export async function serveIndex(indexDir: string): Promise<RunningServer> {
  const app = createApp(await openEngine(indexDir), { log: false });
  return listen(app, { host: "127.0.0.1", port: 0 });
}
