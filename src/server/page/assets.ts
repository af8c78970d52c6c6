/**
 * The page's static files, held in memory and served under a content hash:
 * `/assets/<sha256 prefix>/app.css` and `/assets/<…>/app.js`. The URL changes whenever the
 * content does, so a year-long immutable cache is safe. Only these exact URLs are answered:
 * nothing under /assets is ever read from the file system.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { APP_CSS } from "./styles.js";

/**
 * The browser script as esbuild bundled it (scripts/build-browser.mjs, run by `npm run build`):
 * this module sits three folders below the package, as src/server/page/ and as
 * dist/server/page/, so the same path finds it from both.
 */
const BUNDLE = new URL("../../../dist/assets/app.js", import.meta.url);

function browserScript(): string {
  try {
    return readFileSync(BUNDLE, "utf8");
  } catch (error) {
    throw new Error(
      `the page's script ${fileURLToPath(BUNDLE)} cannot be read: run \`npm run build\` (npm ci does)`,
      { cause: error },
    );
  }
}

export interface Asset {
  /** The URL path, hash included. */
  path: string;
  contentType: string;
  body: string;
  hash: string;
}

export const IMMUTABLE = "public, max-age=31536000, immutable";

function asset(name: string, contentType: string, body: string): Asset {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 16);
  return { path: `/assets/${hash}/${name}`, contentType, body, hash };
}

export interface PageAssets {
  css: Asset;
  js: Asset;
}

/** Hashes computed once per process, at first use. */
let cached: PageAssets | undefined;

export function pageAssets(): PageAssets {
  cached ??= {
    css: asset("app.css", "text/css; charset=utf-8", APP_CSS),
    js: asset("app.js", "text/javascript; charset=utf-8", browserScript()),
  };
  return cached;
}
