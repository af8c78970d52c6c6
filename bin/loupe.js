#!/usr/bin/env node
// The `loupe` command runs the compiled CLI; `npm ci` builds it (the `prepare` script).
import { existsSync } from "node:fs";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  console.error("loupe is not built yet: run `npm run build` (or `npm ci`, which builds it).");
  process.exit(1);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
