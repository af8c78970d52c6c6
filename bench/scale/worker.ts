// Child-process entry of the scale benchmark: one task per process, so each engine's peak RSS
// (which only grows) and load time are its own. The task comes as JSON in argv[2]; the result
// goes back over IPC.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import MiniSearch, { type Options } from "minisearch";
import { readCorpus } from "../../src/corpus/index.js";
import { openEngine } from "../../src/search/index.js";
import { frenchProcessTerm } from "../engines/french-analysis.js";
import { type LatencyStats, latencyStats } from "../metrics.js";
import { ensureSlice, idOf, sliceOrder } from "./littre.js";
import { compilePhrase, phraseMatches } from "./phrase-truth.js";
import { phraseQueries, shortQueries } from "./queries.js";

export interface PrepareTask {
  kind: "prepare";
  /** The full corpus folder (slice order is computed from it). */
  corpus: string;
  /** The largest fraction measured: phrase matches are counted on it. */
  largest: number;
  /** The smallest: queries come from its documents, so every slice can answer them. */
  smallest: number;
  shortCount: number;
  phraseCount: number;
  /** Short queries each engine runs before the timed ones (phrases: `phraseCount` more for loupe). */
  warmUpCount: number;
  seed: number;
}

export interface PrepareResult {
  short: string[];
  phrases: string[];
  /** Other queries of each kind (the next seed), to warm a process up on: none of the above. */
  warmUp: { short: string[]; phrases: string[] };
  /** Per phrase, the ids of the documents of the largest slice holding it. */
  matches: string[][];
  seconds: number;
}

export interface LoupeQueryTask {
  kind: "loupe-query";
  indexDir: string;
  short: string[];
  phrases: string[];
  warmUp: string[];
  reps: number;
}

export interface QueryStats {
  short: LatencyStats;
  /** Share of the short queries with at least one hit. */
  shortAnswered: number;
}

export interface LoupeQueryResult extends QueryStats {
  loadMs: number;
  rssAfterLoadMiB: number;
  peakRssMiB: number;
  phrase: LatencyStats;
  /** `total` the engine gave each phrase. */
  phraseTotals: number[];
  /** Each phrase's time (the slowest of the timed passes): which ones set the p99. */
  phraseMs?: number[];
}

export interface MiniSearchBuildTask {
  kind: "minisearch-build";
  dir: string;
  out: string;
}

export interface MiniSearchBuildResult {
  docs: number;
  bytes: number;
  readMs: number;
  buildMs: number;
  stringifyMs: number;
  writeMs: number;
  sizeMB: number;
  peakRssMiB: number;
}

export interface MiniSearchQueryTask {
  kind: "minisearch-query";
  file: string;
  short: string[];
  warmUp: string[];
  reps: number;
}

export interface MiniSearchQueryResult extends QueryStats {
  readMs: number;
  loadJsonMs: number;
  rssAfterLoadMiB: number;
  peakRssMiB: number;
}

export type ScaleTask = PrepareTask | LoupeQueryTask | MiniSearchBuildTask | MiniSearchQueryTask;

const MIB = 1024 * 1024;
const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;
/** The same pause before timing as bench/measure.ts, for V8 to finish sweeping. */
const SETTLE_MS = 250;

interface LittreDoc {
  id: string;
  title: string;
  body: string;
}

/** The same options for building and for `loadJSON`, as MiniSearch requires. */
function miniSearchOptions(): Options<LittreDoc> {
  return {
    fields: ["title", "body"],
    idField: "id",
    processTerm: frenchProcessTerm(),
    searchOptions: { boost: { title: 2 } },
  };
}

async function prepare(task: PrepareTask): Promise<PrepareResult> {
  const t0 = performance.now();
  const order = sliceOrder(task.corpus);
  const largest = ensureSlice(order, task.largest);
  const smallest = new Set(ensureSlice(order, task.smallest).files.map(idOf));
  // The documents exactly as `loupe index` reads them (title and body split by loupe's parser).
  const { documents } = await readCorpus(largest.dir);
  const sources = documents.filter((d) => smallest.has(d.id));
  const short = shortQueries(sources, task.shortCount, task.seed);
  const phrases = phraseQueries(sources, task.phraseCount, task.seed);
  const matches = phraseMatches(phrases.map(compilePhrase), documents);
  const measured = new Set([...short, ...phrases]);
  const other = (queries: string[]) => queries.filter((q) => !measured.has(q));
  const warmUp = {
    short: other(shortQueries(sources, task.warmUpCount, task.seed + 1)),
    phrases: other(phraseQueries(sources, task.phraseCount, task.seed + 1)),
  };
  return { short, phrases, warmUp, matches, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The latency figures, each query's slowest time over the passes, and what `keep` takes of its
 * answer in the first (the answers themselves, snippets and all, would stay alive through
 * every pass).
 * The first pass sees each query for the first time, as a server does (its answer cache takes
 * the repeats): a query run again is cheaper (V8 keeps a compiled regular expression by its
 * pattern, loupe's chain the words it has analysed), so the process warms up on other queries
 * (`warmUp`) instead of these. Passes past the first (`--reps`) time repeats.
 */
async function timeEach<T, K>(
  queries: readonly string[],
  reps: number,
  run: (q: string) => T,
  keep: (answer: T) => K,
) {
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const ms: number[] = [];
  const slowest = queries.map(() => 0);
  const kept: K[] = [];
  for (let r = 0; r < reps; r++) {
    queries.forEach((q, i) => {
      const t0 = performance.now();
      const answer = run(q);
      const took = performance.now() - t0;
      if (r === 0) kept.push(keep(answer));
      ms.push(took);
      slowest[i] = Math.max(slowest[i]!, took);
    });
  }
  return { stats: latencyStats(ms), slowest, kept };
}

async function loupeQuery(task: LoupeQueryTask): Promise<LoupeQueryResult> {
  const t0 = performance.now();
  // No result cache: every timed query runs the search, snippets included.
  const engine = await openEngine(task.indexDir);
  const loadMs = performance.now() - t0;
  const rssAfterLoadMiB = process.memoryUsage().rss / MIB;
  const search = (q: string) => engine.search(q, { limit: 10 });
  for (const q of task.warmUp) search(q);
  const short = await timeEach(task.short, task.reps, search, (r) => r.hits.length > 0);
  const phrase = await timeEach(task.phrases, task.reps, search, (r) => r.total);
  const shortHits = short.kept;
  return {
    loadMs,
    rssAfterLoadMiB,
    peakRssMiB: peakRssMiB(),
    short: short.stats,
    shortAnswered: shortHits.filter(Boolean).length / shortHits.length,
    phrase: phrase.stats,
    phraseMs: phrase.slowest,
    phraseTotals: phrase.kept,
  };
}

/** A MiniSearch user's reading of the files: line 1 the title, the rest the body. */
function readLittre(dir: string): { docs: LittreDoc[]; bytes: number } {
  let bytes = 0;
  const docs = readdirSync(dir)
    .filter((name) => name.endsWith(".txt"))
    .sort()
    .map((name) => {
      const raw = readFileSync(join(dir, name));
      bytes += raw.length;
      const text = raw.toString("utf8");
      const nl = text.indexOf("\n");
      return {
        id: idOf(name),
        title: (nl === -1 ? text : text.slice(0, nl)).trim(),
        body: nl === -1 ? "" : text.slice(nl + 1).trim(),
      };
    });
  return { docs, bytes };
}

function miniSearchBuild(task: MiniSearchBuildTask): MiniSearchBuildResult {
  const t0 = performance.now();
  const read = readLittre(task.dir);
  const t1 = performance.now();
  const index = new MiniSearch<LittreDoc>(miniSearchOptions());
  index.addAll(read.docs);
  const t2 = performance.now();
  const docs = read.docs.length;
  read.docs.length = 0;
  const json = JSON.stringify(index);
  const t3 = performance.now();
  writeFileSync(task.out, json);
  const t4 = performance.now();
  return {
    docs,
    bytes: read.bytes,
    readMs: t1 - t0,
    buildMs: t2 - t1,
    stringifyMs: t3 - t2,
    writeMs: t4 - t3,
    sizeMB: Buffer.byteLength(json) / 1e6,
    peakRssMiB: peakRssMiB(),
  };
}

async function miniSearchQuery(task: MiniSearchQueryTask): Promise<MiniSearchQueryResult> {
  const t0 = performance.now();
  const json = readFileSync(task.file, "utf8");
  const t1 = performance.now();
  const index = MiniSearch.loadJSON<LittreDoc>(json, miniSearchOptions());
  const t2 = performance.now();
  const rssAfterLoadMiB = process.memoryUsage().rss / MIB;
  const search = (q: string) => index.search(q).slice(0, 10);
  for (const q of task.warmUp) search(q);
  const short = await timeEach(task.short, task.reps, search, (hits) => hits.length > 0);
  const shortHits = short.kept;
  return {
    readMs: t1 - t0,
    loadJsonMs: t2 - t1,
    rssAfterLoadMiB,
    peakRssMiB: peakRssMiB(),
    short: short.stats,
    shortAnswered: shortHits.filter(Boolean).length / shortHits.length,
  };
}

async function perform(task: ScaleTask): Promise<unknown> {
  switch (task.kind) {
    case "prepare":
      return prepare(task);
    case "loupe-query":
      return loupeQuery(task);
    case "minisearch-build":
      return miniSearchBuild(task);
    case "minisearch-query":
      return miniSearchQuery(task);
  }
}

const send = (message: unknown) =>
  new Promise<void>((resolve) => {
    if (process.send) process.send(message, () => resolve());
    else {
      process.stdout.write(`${JSON.stringify(message)}\n`);
      resolve();
    }
  });

try {
  const task = JSON.parse(process.argv[2] ?? "null") as ScaleTask;
  await send({ ok: true, result: await perform(task) });
} catch (error) {
  await send({
    ok: false,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exitCode = 1;
}
process.disconnect?.();
