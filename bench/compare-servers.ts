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
//                from its own sources, as bench:http serves this one (`bench/http.ts --serve-serve`)
// --index DIR    an index both versions read (`loupe index --out DIR`)
// --workers N    search threads (0: searches in the HTTP thread), as `loupe serve --workers`
//
// Each round serves before, after, after, before (the order's own bias cancels). Each server
// is a new process (its caches empty), warmed up for 8 s with distinct queries, then measured for
// --seconds with 10 connections of the same distinct queries for every server: each sees each
// of them once, and the two versions answer the same questions.
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  distinctQueries,
  type LoadedTarget,
  measure,
  rotating,
  startDistinctChild,
  stopChild,
} from "./http.js";

const ROOT = resolve(import.meta.dirname, "..");
const CONNECTIONS = 10;
const WARM_SECONDS = 8;

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
    await measure("warm-up", url, rotating(warm), CONNECTIONS, WARM_SECONDS);
    return await measure("measured", url, rotating(measured), CONNECTIONS, seconds);
  } finally {
    await stopChild(child);
  }
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export function formatComparison(
  runs: readonly Run[],
  options: { workers: number; seconds: number; before: string },
): string {
  const of = (version: Run["version"]) => runs.filter((r) => r.version === version);
  const rps = (version: Run["version"]) => mean(of(version).map((r) => r.result.requestsPerSec));
  const p99 = (version: Run["version"]) => mean(of(version).map((r) => r.result.latencyP99Ms));
  const failed = runs.reduce((n, r) => n + r.result.errors + r.result.non2xx, 0);
  const row = (r: Run) =>
    `| ${r.version.padEnd(6)} | ${r.result.requestsPerSec.toFixed(0).padStart(6)} | ${r.result.latencyP50Ms.toFixed(1).padStart(8)} | ${r.result.latencyP99Ms.toFixed(1).padStart(8)} | ${String(r.result.errors + r.result.non2xx).padStart(6)} | ${r.result.loadBefore.toFixed(1)}→${r.result.loadAfter.toFixed(1)} |`;
  return [
    `Two versions of \`loupe serve --workers ${options.workers}\` alternated (before: ${options.before}), ${CONNECTIONS} connections × ${options.seconds} s of distinct queries after ${WARM_SECONDS} s of warm-up, ${availableParallelism()} cores, Node ${process.version}.`,
    "",
    "| server | req/s  | p50 (ms) | p99 (ms) | failed | load avg |",
    "|--------|-------:|---------:|---------:|-------:|---------:|",
    ...runs.map(row),
    "",
    `Mean: before ${rps("before").toFixed(0)} req/s (p99 ${p99("before").toFixed(1)} ms), after ${rps("after").toFixed(0)} req/s (p99 ${p99("after").toFixed(1)} ms): **${(rps("after") / rps("before")).toFixed(3)}×** the requests per second; ${failed} failed.`,
  ].join("\n");
}

async function main() {
  const { values } = parseArgs({
    options: {
      before: { type: "string" },
      index: { type: "string" },
      workers: { type: "string", default: "1" },
      rounds: { type: "string", default: "2" },
      seconds: { type: "string", default: "10" },
      out: { type: "string" },
    },
    strict: true,
  });
  if (values.before === undefined || values.index === undefined) {
    throw new Error("--before DIR (a checkout of the other version) and --index DIR are needed");
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
  const before = resolve(values.before);
  const index = resolve(values.index);
  const { loadBenchCorpus } = await import("./corpus.js");
  const queries = distinctQueries(
    loadBenchCorpus().docs.map((doc) => doc.title),
    120_000,
  ).map((q) => `/api/search?q=${encodeURIComponent(q)}`);
  // The measured queries come first; the warm-up's are others, so no measured one was asked.
  const measured = queries.slice(0, 60_000);
  const warm = queries.slice(60_000);
  const runs: Run[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const version of ["before", "after", "after", "before"] as const) {
      const root = version === "before" ? before : ROOT;
      const result = await serveAndMeasure(root, index, workers, warm, measured, seconds);
      console.error(`${version}: ${result.requestsPerSec.toFixed(0)} req/s`);
      runs.push({ version, result });
    }
  }
  const report = formatComparison(runs, { workers, seconds, before: values.before });
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
