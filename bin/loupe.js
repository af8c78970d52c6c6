#!/usr/bin/env node
// The `loupe` command runs the compiled CLI, compiling it first when src/ is newer than dist/
// (so `npm start` after a `git pull` or an edit never runs stale code).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const main = new URL("../dist/cli/main.js", import.meta.url);

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = `${dir}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : statSync(file).mtimeMs);
  }
  return newest;
}

const srcDir = `${root}src`;
const stale =
  !existsSync(main) || (existsSync(srcDir) && newestSource(srcDir) > statSync(main).mtimeMs);
if (stale) {
  const tsc = `${root}node_modules/typescript/bin/tsc`;
  if (!existsSync(tsc)) {
    console.error("loupe is not built yet: run `npm ci` (which builds it) or `npm run build`.");
    process.exit(1);
  }
  process.stderr.write("building loupe (src/ is newer than dist/)…\n");
  // What the build says goes to stderr: stdout is the command's (`loupe search --json`).
  const quiet = { stdio: ["ignore", 2, 2] };
  execFileSync(process.execPath, [tsc, "-p", `${root}tsconfig.build.json`], quiet);
  // The page's script is bundled from src/ too (scripts/build-browser.mjs, as `npm run build`).
  execFileSync(process.execPath, [`${root}scripts/build-browser.mjs`], quiet);
}
// Output piped into a reader that stops early (`loupe search x | head -1`): the rest is not
// wanted, and is no error, as for any Unix filter.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});
const { run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
