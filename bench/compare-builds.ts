// Two builds of loupe over one index (`npm run bench:compare`): whether a change keeps every
// page, and what it costs, without the hour-to-hour drift of the shared machine (the same
// benchmark ran 2× slower two hours later). Usage:
//
//   git stash && npm run build && cp -r dist dist-before && git stash pop && npm run build
//   npm run bench:compare -- --before dist-before --index DIR [--queries littre|distinct|FILE]
//
// --before DIR   the other build's `dist` (the one checked out is `dist`), copied beside it at
//                the repository's root (`dist-*/` is ignored): it finds node_modules and
//                ../package.json from there
// --index DIR    an index both builds read (`loupe index --out DIR`)
// --before-index DIR  the index the other build reads, when the change is one of the index's
//                format (each build's `loupe index` of the same collection): the same pages
//                are still asked of both
// --queries      `littre`: the 300 short queries and 30 phrases of bench/results/littre-scale.json;
//                `distinct`: 2,000 distinct 1–3-word title queries of the benchmark corpus, as
//                bench:http sends them; or a JSON file holding an array of query strings
// --rounds 4     each round times before, after, after, before (the order's own bias cancels)
//
// Every query's page (ids, scores, snippets and title marks) and total are compared first, both
// builds in this process. Each timing is then a process of its own, which opens the index with
// one build, warms up on 1,000 other queries and runs each query once: the time is its mean per
// query over the rounds. A query run again is cheaper than a new one (V8 keeps a compiled
// regular expression by its pattern, the chain keeps the words it has analysed), and two builds
// in one process share those caches: timing one query set again and again in one process, as
// this script did before, read a change that took the marking's regular expressions out of a
// hit at 1.02–1.07×, where each query once, in a process of its own, read 0.848× (and real
// traffic is new queries: the server's answer cache takes the repeats).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

interface Engine {
  search(
    q: string,
    options: { limit: number },
  ): {
    total: number;
    hits: { id: string; score: number; snippet: unknown; titleMarks: unknown }[];
  };
}

const ROOT = resolve(import.meta.dirname, "..");
const THIS_FILE = fileURLToPath(import.meta.url);

function queriesFrom(source: string): string[] {
  if (source === "littre") {
    const report = JSON.parse(
      readFileSync(join(ROOT, "bench/results/littre-scale.json"), "utf8"),
    ) as { shortQueries: string[]; phrases: string[] };
    return [...report.shortQueries, ...report.phrases];
  }
  const parsed: unknown = JSON.parse(readFileSync(source, "utf8"));
  if (!Array.isArray(parsed) || !parsed.every((q) => typeof q === "string")) {
    throw new Error(`--queries ${source}: expected a JSON array of query strings`);
  }
  return parsed;
}

/** Distinct 1–3-word title queries of the benchmark corpus, as bench:http sends them. */
async function distinctTitleQueries(count: number, seed?: number): Promise<string[]> {
  const { loadBenchCorpus } = await import("./corpus.js");
  const { distinctQueries } = await import("./http.js");
  return distinctQueries(
    loadBenchCorpus().docs.map((doc) => doc.title),
    count,
    seed,
  );
}

/**
 * Queries to warm a process up on: none of `measured`. Title queries of the benchmark corpus
 * whatever the index (the Littré's too): they warm the code paths; the caches they fill are of
 * other words.
 */
async function warmUpQueries(measured: readonly string[]): Promise<string[]> {
  const seen = new Set(measured);
  return (await distinctTitleQueries(WARM_UP + measured.length, 41))
    .filter((q) => !seen.has(q))
    .slice(0, WARM_UP);
}

const WARM_UP = 1000;

async function engineFrom(dist: string, index: string): Promise<Engine> {
  const entry = pathToFileURL(join(dist, "search", "index.js")).href;
  try {
    const module = (await import(entry)) as { openEngine(dir: string): Promise<Engine> };
    return await module.openEngine(index);
  } catch (error) {
    throw new Error(
      `cannot open ${index} with the build in ${dist} (copy it beside dist/, at the repository's root): ${(error as Error).message}`,
    );
  }
}

/**
 * The child's part: opens the index with one build, runs the warm-up queries, then each
 * measured query once, and prints the milliseconds the measured ones took.
 */
async function timeOnce(dist: string, index: string, file: string): Promise<void> {
  const { warmUp, measured } = JSON.parse(readFileSync(file, "utf8")) as {
    warmUp: string[];
    measured: string[];
  };
  const engine = await engineFrom(dist, index);
  for (const q of warmUp) engine.search(q, { limit: 10 });
  const t0 = performance.now();
  for (const q of measured) engine.search(q, { limit: 10 });
  process.stdout.write(`${performance.now() - t0}\n`);
}

/**
 * How many queries' pages (ids, scores, snippets, title marks) and totals differ between the
 * builds, the first five named. The engines go with this call: the timings' processes each open
 * the index again.
 */
async function pagesDiffering(
  beforeDist: string,
  afterDist: string,
  beforeIndex: string,
  index: string,
  queries: readonly string[],
): Promise<number> {
  const before = await engineFrom(beforeDist, beforeIndex);
  const after = await engineFrom(afterDist, index);
  let differ = 0;
  for (const q of queries) {
    const a = before.search(q, { limit: 10 });
    const b = after.search(q, { limit: 10 });
    const page = (r: typeof a) =>
      JSON.stringify([r.total, r.hits.map((h) => [h.id, h.score, h.snippet, h.titleMarks])]);
    if (page(a) !== page(b)) {
      differ++;
      if (differ <= 5) console.log(`differs: ${q}`);
    }
  }
  return differ;
}

async function main() {
  const { values } = parseArgs({
    options: {
      before: { type: "string" },
      index: { type: "string" },
      "before-index": { type: "string" },
      queries: { type: "string", default: "littre" },
      rounds: { type: "string", default: "4" },
      "time-once": { type: "string" },
      "query-file": { type: "string" },
    },
  });
  if (values.before === undefined || values.index === undefined) {
    throw new Error("--before DIR and --index DIR are required (see the top of this file)");
  }
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error("--rounds must be a positive integer");
  const absolute = (dir: string) => (isAbsolute(dir) ? dir : resolve(dir));
  const index = absolute(values.index);
  const beforeIndex = absolute(values["before-index"] ?? values.index);
  if (values["time-once"] !== undefined && values["query-file"] !== undefined) {
    return timeOnce(values["time-once"], index, values["query-file"]);
  }
  const queries =
    values.queries === "distinct" ? await distinctTitleQueries(2000) : queriesFrom(values.queries);
  const beforeDist = absolute(values.before);
  const afterDist = join(ROOT, "dist");
  const differ = await pagesDiffering(beforeDist, afterDist, beforeIndex, index, queries);
  const dir = mkdtempSync(join(tmpdir(), "loupe-compare-"));
  const file = join(dir, "queries.json");
  // Which index goes with a build is said with the build, not found by comparing paths: the
  // two may be one folder (two identical builds).
  const time = (dist: string, distIndex: string) => {
    // The last line: what a build may print before it is not the time.
    const out = execFileSync(
      process.execPath,
      [
        ...process.execArgv,
        THIS_FILE,
        "--before",
        beforeDist,
        "--index",
        distIndex,
        "--time-once",
        dist,
        "--query-file",
        file,
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
    );
    const ms = Number(out.trim().split("\n").at(-1));
    if (!Number.isFinite(ms))
      throw new Error(`the timing of ${dist} printed no number of milliseconds`);
    return ms;
  };
  let a = 0;
  let b = 0;
  try {
    writeFileSync(
      file,
      JSON.stringify({ warmUp: await warmUpQueries(queries), measured: queries }),
    );
    for (let r = 0; r < rounds; r++) {
      a += time(beforeDist, beforeIndex);
      b += time(afterDist, index);
      b += time(afterDist, index);
      a += time(beforeDist, beforeIndex);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const per = (ms: number) => (ms / (2 * rounds) / queries.length).toFixed(3);
  console.log(
    `${queries.length} queries, ${differ} pages differ; before ${per(a)} ms/query, after ${per(b)} (${(b / a).toFixed(3)}×), each query once per process`,
  );
  if (differ > 0) process.exitCode = 1;
}

await main();
