// Bundles the page's browser script (src/server/page/browser/main.ts and what it imports from
// the server's views) into dist/assets/app.js, which the server serves under a content hash.
// Run by `npm run build` (and so by `npm ci`), by bin/loupe.js when src/ is newer than dist/,
// and by the tests' global setup so they always serve the current sources.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
export const BUNDLE = `${root}dist/assets/app.js`;

/** Builds the bundle; returns its size in bytes. */
export async function buildBrowser() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ["src/server/page/browser/main.ts"],
    tsconfig: "tsconfig.browser.json",
    bundle: true,
    format: "iife",
    platform: "browser",
    // The browsers the page supports: those with <search>, :has() and AbortController.
    target: ["es2022"],
    minify: true,
    legalComments: "none",
    charset: "utf8",
    write: false,
    logLevel: "warning",
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error("esbuild wrote no bundle");
  mkdirSync(dirname(BUNDLE), { recursive: true });
  // Written whole then renamed: a server starting meanwhile never reads half a script.
  const temporary = `${BUNDLE}.${process.pid}.tmp`;
  writeFileSync(temporary, output.contents);
  renameSync(temporary, BUNDLE);
  return output.contents.byteLength;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await buildBrowser();
  process.stdout.write(`dist/assets/app.js: ${bytes} bytes\n`);
}
