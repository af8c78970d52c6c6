import { GCProfiler } from "node:v8";
import { loadBenchCorpus } from "./corpus.js";
import { type BenchEngine, findEngine } from "./engines/index.js";
import {
  type Judged,
  type LatencyStats,
  latencyStats,
  measureMemory,
  type Relevance,
  rankOf,
  relevance,
} from "./metrics.js";
import {
  longWarmUpQueries,
  phraseQueries,
  prefixQueries,
  shortQueries,
  typoQueries,
} from "./queries.js";

/** One engine on one slice; serialisable, sent from the child process to the runner. */
export interface MeasureTask {
  engine: string;
  fraction?: number;
  limit?: number;
  queries?: number;
  shortQueries: number;
  /**
   * Timed passes over each query set, after a warm-up on other queries: the first sees each
   * query for the first time, the later ones repeat it.
   */
  reps: number;
  persist: boolean;
}

export interface BuildStats {
  seconds: number;
  /** Source bytes (10^6) per second of build. */
  mbPerSec: number;
  /** Peak RSS of the process at the end of the build: corpus in memory + engine + garbage. */
  peakRssMiB: number;
  /** RSS before the build (node + corpus strings), to read the peak against. */
  baselineRssMiB: number;
  /** Heap still used after a full GC, minus the same before the build: roughly the index. */
  heapDeltaMiB: number;
  /**
   * Peak V8 heap in use during the build: the largest used heap seen just before any GC that
   * ran during the build (v8.GCProfiler), or at its end; corpus strings included.
   */
  peakHeapMiB?: number;
}

export interface PersistStats {
  serializeMs: number;
  sizeMB: number;
  loadMs: number;
  /** Top 10 of a few queries unchanged after the round trip. */
  identical: boolean;
  /** Set when serialize or load threw: the other measures of the run still stand. */
  error?: string;
}

/**
 * Query sets timed one query at a time (top 10). `short` (1–3 title words) is split into
 * `single` (1 word) and `multi` (2–3 words) from the same timings; `long` are the known-item
 * queries; `phrase`, `prefix` and `typo` are derived from titles (queries.ts).
 */
export const QUERY_SETS = ["single", "multi", "short", "long", "phrase", "prefix", "typo"] as const;
export type QuerySet = (typeof QUERY_SETS)[number];

export interface SetStats extends LatencyStats {
  /** Distinct queries in the set. */
  queries: number;
  /** Share of the set's queries for which the engine returned at least one hit. */
  answered: number;
  /** A few of the queries, for the report. */
  examples: string[];
}

export interface EngineRun {
  engine: string;
  config: string;
  docs: number;
  bytes: number;
  sliceNote: string;
  build: BuildStats;
  relevance: Relevance;
  latency: {
    short: LatencyStats;
    long: LatencyStats;
    shortQueryCount: number;
    longQueryCount: number;
    reps: number;
    /** Per query set (absent in runs made before the sets existed). */
    sets?: Record<QuerySet, SetStats>;
  };
  persist?: PersistStats;
}

async function run(engine: BenchEngine, query: string): Promise<string[]> {
  const res = engine.search(query, 10);
  return res instanceof Promise ? await res : res;
}

/** Awaits only real promises, so synchronous engines are not charged a microtask per query. */
/** How long to let a full collection's sweeping finish before timing queries. */
export const SETTLE_MS = 250;

/**
 * Each query's time over `reps` passes, and its answer in the first pass: the first sight of
 * each query, as a server sees them (an engine's caches, loupe's V8-compiled patterns and
 * analysed words among them, answer a query seen before cheaper).
 */
async function timeQueries(engine: BenchEngine, queries: readonly string[], reps: number) {
  const ms: number[] = [];
  const first: string[][] = [];
  for (let r = 0; r < reps; r++) {
    for (const q of queries) {
      const t0 = performance.now();
      const res = engine.search(q, 10);
      const ids = res instanceof Promise ? await res : res;
      ms.push(performance.now() - t0);
      if (r === 0) first.push(ids);
    }
  }
  return { ms, first };
}

/** Queries of each kind every engine warms up on before timing: none of the timed ones. */
const WARM_UP = 100;

/** The first `count` queries a generator makes, timed, and its next `WARM_UP` to warm up on. */
function timedAndWarmUp(make: (count: number) => string[], count: number) {
  const all = make(count + WARM_UP);
  const timed = all.slice(0, count);
  const seen = new Set(timed);
  return { timed, warmUp: all.slice(count).filter((q) => !seen.has(q)) };
}

export async function measureEngine(task: MeasureTask): Promise<EngineRun> {
  const corpus = loadBenchCorpus({
    ...(task.fraction !== undefined && { fraction: task.fraction }),
    ...(task.limit !== undefined && { limit: task.limit }),
    ...(task.queries !== undefined && { queries: task.queries }),
  });
  const bytes = corpus.docs.reduce((n, d) => n + d.bytes, 0);
  const shortSet = timedAndWarmUp((n) => shortQueries(corpus.docs, n), task.shortQueries);
  const phraseSet = timedAndWarmUp((n) => phraseQueries(corpus.docs, n), task.shortQueries);
  const prefixSet = timedAndWarmUp((n) => prefixQueries(corpus.docs, n), task.shortQueries);
  const typoSet = timedAndWarmUp((n) => typoQueries(corpus.docs, n), task.shortQueries);
  const short = shortSet.timed;
  const long = corpus.queries.map((q) => q.query);
  const derived = { phrase: phraseSet.timed, prefix: prefixSet.timed, typo: typoSet.timed };
  const warmUp = [
    ...shortSet.warmUp,
    ...longWarmUpQueries(corpus.docs, WARM_UP),
    ...phraseSet.warmUp,
    ...prefixSet.warmUp,
    ...typoSet.warmUp,
  ];
  const engine = await findEngine(task.engine).create();

  const before = measureMemory();
  const gcProfiler = new GCProfiler();
  gcProfiler.start();
  const t0 = performance.now();
  await engine.build(corpus.docs);
  const seconds = (performance.now() - t0) / 1000;
  const peak = measureMemory(false);
  const gcs = gcProfiler.stop().statistics;
  const peakHeapMiB = Math.max(
    peak.heapUsedMiB,
    ...gcs.map((g) => g.beforeGC.heapStatistics.usedHeapSize / (1024 * 1024)),
  );
  const after = measureMemory();

  // Warmed up on other queries of every kind, not on the timed ones: until 2026-12-07 an
  // untimed pass of the timed queries came first, and loupe then answered repeats.
  for (const q of warmUp) await run(engine, q);
  globalThis.gc?.();
  // V8 sweeps after a full collection concurrently and on allocation: timed straight after
  // gc(), the first hundreds of searches of any engine ran beside that sweeping (measured on
  // loupe: twice as many searches over 3 ms). The same pause for every engine.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const shortTimed = await timeQueries(engine, short, task.reps);
  // The known-item queries' first pass is also the relevance pass.
  const longTimed = await timeQueries(engine, long, task.reps);
  const derivedTimed = {
    phrase: await timeQueries(engine, derived.phrase, task.reps),
    prefix: await timeQueries(engine, derived.prefix, task.reps),
    typo: await timeQueries(engine, derived.typo, task.reps),
  };
  const judged: Judged[] = corpus.queries.map((q, i) => ({
    source: q.source,
    rank: rankOf(longTimed.first[i]!, q.id),
  }));
  const firstResults = longTimed.first.slice(0, 5);
  const longAnswered = longTimed.first.filter((ids) => ids.length > 0).length;
  const answered = (first: readonly string[][]) => first.map((ids) => ids.length > 0);
  const shortAnswered = answered(shortTimed.first);
  const derivedAnswered = {
    phrase: answered(derivedTimed.phrase.first),
    prefix: answered(derivedTimed.prefix.first),
    typo: answered(derivedTimed.typo.first),
  };
  const shortMs = shortTimed.ms;
  const longMs = longTimed.ms;
  const derivedMs = {
    phrase: derivedTimed.phrase.ms,
    prefix: derivedTimed.prefix.ms,
    typo: derivedTimed.typo.ms,
  };

  const share = (hits: readonly boolean[]) =>
    hits.length === 0 ? Number.NaN : hits.filter(Boolean).length / hits.length;
  const setStats = (
    queries: readonly string[],
    ms: readonly number[],
    hits: readonly boolean[],
  ): SetStats => ({
    ...latencyStats(ms),
    queries: queries.length,
    answered: share(hits),
    examples: queries.slice(0, 4),
  });
  // timeQueries runs the whole list `reps` times, so sample i belongs to query i % length.
  const pick = (ms: readonly number[], keep: (i: number) => boolean) =>
    ms.filter((_, i) => keep(i % short.length));
  const isSingle = (i: number) => !(short[i] ?? "").includes(" ");
  const only = <T>(items: readonly T[], keep: (i: number) => boolean) =>
    items.filter((_, i) => keep(i));
  const sets: Record<QuerySet, SetStats> = {
    single: setStats(only(short, isSingle), pick(shortMs, isSingle), only(shortAnswered, isSingle)),
    multi: setStats(
      only(short, (i) => !isSingle(i)),
      pick(shortMs, (i) => !isSingle(i)),
      only(shortAnswered, (i) => !isSingle(i)),
    ),
    short: setStats(short, shortMs, shortAnswered),
    long: {
      ...latencyStats(longMs),
      queries: long.length,
      answered: long.length ? longAnswered / long.length : Number.NaN,
      examples: long.slice(0, 2),
    },
    phrase: setStats(derived.phrase, derivedMs.phrase, derivedAnswered.phrase),
    prefix: setStats(derived.prefix, derivedMs.prefix, derivedAnswered.prefix),
    typo: setStats(derived.typo, derivedMs.typo, derivedAnswered.typo),
  };

  let persist: PersistStats | undefined;
  if (task.persist && engine.serialize && engine.load) {
    globalThis.gc?.();
    try {
      const s0 = performance.now();
      const data = await engine.serialize();
      const s1 = performance.now();
      const size = engine.persistedBytes?.(data) ?? Buffer.byteLength(data);
      await engine.load(data);
      const s2 = performance.now();
      let identical = true;
      for (const [i, q] of corpus.queries.slice(0, firstResults.length).entries()) {
        const again = await run(engine, q.query);
        if (again.join("\n") !== firstResults[i]?.join("\n")) identical = false;
      }
      persist = { serializeMs: s1 - s0, sizeMB: size / 1e6, loadMs: s2 - s1, identical };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      persist = {
        serializeMs: Number.NaN,
        sizeMB: Number.NaN,
        loadMs: Number.NaN,
        identical: false,
        error: message,
      };
    } finally {
      await engine.dispose?.();
    }
  }

  return {
    engine: engine.name,
    config: engine.config,
    docs: corpus.docs.length,
    bytes,
    sliceNote: corpus.sliceNote,
    build: {
      seconds,
      mbPerSec: bytes / 1e6 / seconds,
      peakRssMiB: peak.maxRssMiB,
      baselineRssMiB: before.rssMiB,
      heapDeltaMiB: after.heapUsedMiB - before.heapUsedMiB,
      peakHeapMiB,
    },
    relevance: relevance(judged),
    latency: {
      short: latencyStats(shortMs),
      long: latencyStats(longMs),
      shortQueryCount: short.length,
      longQueryCount: long.length,
      reps: task.reps,
      sets,
    },
    ...(persist && { persist }),
  };
}
