// Two versions of `loupe serve` alternated under distinct queries (`npm run bench:compare-servers`):
// what a change to the serving path (the search threads, the HTTP thread) does to requests per
// second, without the hour-to-hour drift of the shared machine, which moved one bench:http row
// by 20 % between runs. Usage:
//
//   git worktree add /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/node_modules
//   (cd /tmp/before && npm run build)   # the page's script, which a server reads as it starts
//   npm run bench:compare-servers -- --before /tmp/before --index DIR [--workers 1]
//        [--rounds 2] [--seconds 10] [--out FILE.md]
//
// --before DIR   a checkout of the other version, with node_modules and a build; it is served
//                from its own sources, as bench:http serves this one (`bench/http.ts --serve-serve`);
//                with node_modules linked from here, both versions run on these dependencies
// --index DIR    an index both versions read (`loupe index --out DIR`)
// --before-index DIR  the index the other version reads, when the change is one of the index's
//                format (each version's `loupe index` of the same collection)
// --workers N    search threads (0: searches in the HTTP thread), as `loupe serve --workers`
//
// Each round serves before, after, after, before (the order's own bias cancels). Each server
// is a new process (its caches empty), warmed up with distinct queries as bench:http warms its
// servers, then measured for --seconds with 10 connections of one list of other distinct
// queries, from its start, none twice: the two versions answer the same questions. The report
// names each checkout's commit, and says when it had changes not committed.
import { execFileSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  DISTINCT_WARM_SECONDS,
  distinctQueries,
  type LoadedTarget,
  measure,
  rotating,
  searchPath,
  startDistinctChild,
  stopChild,
} from "./http.js";

const ROOT = resolve(import.meta.dirname, "..");
const CONNECTIONS = 10;
/** Distinct queries measured: far more than a server answers in 64 s at today's speeds. */
const MEASURED = 100_000;
const WARM = 30_000;

interface Run {
  version: "before" | "after";
  result: LoadedTarget;
}

async function serveAndMeasure(
  root: string,
  index: string,
  workers: number,
  warm: readonly string[],
  measured: readonly string[],
  seconds: number,
): Promise<LoadedTarget> {
  const { child, ports } = startDistinctChild(index, { kind: "serve", workers }, root);
  try {
    const url = `http://127.0.0.1:${(await ports).loupe}`;
    await measure("warm-up", url, rotating(warm), CONNECTIONS, DISTINCT_WARM_SECONDS);
    const result = await measure("measured", url, rotating(measured), CONNECTIONS, seconds);
    if (result.requests > measured.length)
      throw new Error(`${result.requests} requests for ${measured.length} queries: some repeated`);
    return result;
  } finally {
    await stopChild(child);
  }
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The versions served, in order: each round before, after, after, before. */
export function schedule(rounds: number): Run["version"][] {
  return Array.from(
    { length: rounds },
    () => ["before", "after", "after", "before"] as const,
  ).flat();
}

/** The commit a checkout is at, `+` when it has changes not committed. */
function commitOf(root: string): string {
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", root, ...args], { encoding: "utf8" });
  try {
    const dirty = git("status", "--porcelain", "--untracked-files=no").trim() !== "";
    return `${git("rev-parse", "--short", "HEAD").trim()}${dirty ? "+" : ""}`;
  } catch {
    return "not a git checkout";
  }
}

export function formatComparison(
  runs: readonly Run[],
  options: { workers: number; seconds: number; before: string; after: string },
): string {
  const of = (version: Run["version"]) => runs.filter((r) => r.version === version);
  const rps = (version: Run["version"]) => mean(of(version).map((r) => r.result.requestsPerSec));
  const p99 = (version: Run["version"]) => mean(of(version).map((r) => r.result.latencyP99Ms));
  const failed = runs.reduce((n, r) => n + r.result.errors + r.result.non2xx, 0);
  const row = (r: Run) =>
    `| ${r.version.padEnd(6)} | ${r.result.requestsPerSec.toFixed(0).padStart(6)} | ${r.result.latencyP50Ms.toFixed(1).padStart(8)} | ${r.result.latencyP99Ms.toFixed(1).padStart(8)} | ${String(r.result.errors + r.result.non2xx).padStart(6)} | ${r.result.loadBefore.toFixed(1)}→${r.result.loadAfter.toFixed(1)} |`;
  return [
    `Two versions of \`loupe serve --workers ${options.workers}\` alternated (before: ${options.before}; after: ${options.after}), ${CONNECTIONS} connections × ${options.seconds} s of distinct queries after ${DISTINCT_WARM_SECONDS} s of warm-up, ${availableParallelism()} cores, Node ${process.version}.`,
    "",
    "| server | req/s  | p50 (ms) | p99 (ms) | failed | load avg |",
    "|--------|-------:|---------:|---------:|-------:|---------:|",
    ...runs.map(row),
    "",
    `Mean: before ${rps("before").toFixed(0)} req/s (p99 ${p99("before").toFixed(1)} ms), after ${rps("after").toFixed(0)} req/s (p99 ${p99("after").toFixed(1)} ms): **${(rps("after") / rps("before")).toFixed(3)}×** the requests per second; failed: ${failed}.`,
  ].join("\n");
}

async function main() {
  const { values } = parseArgs({
    options: {
      before: { type: "string" },
      index: { type: "string" },
      "before-index": { type: "string" },
      workers: { type: "string", default: "1" },
      rounds: { type: "string", default: "2" },
      seconds: { type: "string", default: "10" },
      out: { type: "string" },
    },
    strict: true,
  });
  if (values.before === undefined)
    throw new Error(
      "--before DIR is needed: a checkout of the other version (see the top of bench/compare-servers.ts)",
    );
  if (values.index === undefined)
    throw new Error("--index DIR is needed: an index both versions read (loupe index --out DIR)");
  for (const [path, what] of [
    [join(values.before, "bench", "http.ts"), "bench/http.ts"],
    [join(values.before, "node_modules", "tsx"), "node_modules/tsx (link node_modules into it)"],
    [join(values.index, "CURRENT"), "an index (CURRENT)"],
    [join(values["before-index"] ?? values.index, "CURRENT"), "an index (CURRENT)"],
  ] as const) {
    if (!existsSync(path)) throw new Error(`${path} is missing: ${what} is needed there`);
  }
  const whole = (text: string, name: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > 64)
      throw new Error(`--${name} must be a whole number from ${min} to 64`);
    return n;
  };
  const workers = whole(values.workers, "workers", 0);
  const rounds = whole(values.rounds, "rounds", 1);
  const seconds = whole(values.seconds, "seconds", 1);
  // The real path: a server checks that it was started as its own file, through no link.
  const before = realpathSync(values.before);
  const index = resolve(values.index);
  const beforeIndex = resolve(values["before-index"] ?? values.index);
  const { loadBenchCorpus } = await import("./corpus.js");
  const queries = distinctQueries(
    loadBenchCorpus().docs.map((doc) => doc.title),
    MEASURED + WARM,
  ).map(searchPath);
  if (queries.length < MEASURED + WARM)
    throw new Error(`only ${queries.length} distinct queries from the titles`);
  // The measured queries come first; the warm-up's are others, so no measured one was asked.
  const measured = queries.slice(0, MEASURED);
  const warm = queries.slice(MEASURED, MEASURED + WARM);
  const runs: Run[] = [];
  for (const version of schedule(rounds)) {
    const root = version === "before" ? before : ROOT;
    const served = version === "before" ? beforeIndex : index;
    const result = await serveAndMeasure(root, served, workers, warm, measured, seconds);
    console.error(`${version}: ${result.requestsPerSec.toFixed(0)} req/s`);
    runs.push({ version, result });
  }
  const report = formatComparison(runs, {
    workers,
    seconds,
    before: `${values.before} at ${commitOf(before)}${values["before-index"] === undefined ? "" : `, over ${beforeIndex}`}`,
    after: `this checkout at ${commitOf(ROOT)}${values["before-index"] === undefined ? "" : `, over ${index}`}`,
  });
  console.log(report);
  if (values.out !== undefined) {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(values.out, `# Two servers compared\n\n${report}\n`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
