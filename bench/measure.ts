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
import { shortQueries } from "./queries.js";

/** One engine on one slice; serialisable, sent from the child process to the runner. */
export interface MeasureTask {
  engine: string;
  fraction?: number;
  limit?: number;
  queries?: number;
  shortQueries: number;
  /** Timed passes over each query set, after one untimed warm-up pass. */
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
  };
  persist?: PersistStats;
}

async function run(engine: BenchEngine, query: string): Promise<string[]> {
  const res = engine.search(query, 10);
  return res instanceof Promise ? await res : res;
}

/** Awaits only real promises, so synchronous engines are not charged a microtask per query. */
async function timeQueries(engine: BenchEngine, queries: readonly string[], reps: number) {
  const ms: number[] = [];
  for (let r = 0; r < reps; r++) {
    for (const q of queries) {
      const t0 = performance.now();
      const res = engine.search(q, 10);
      if (res instanceof Promise) await res;
      ms.push(performance.now() - t0);
    }
  }
  return ms;
}

export async function measureEngine(task: MeasureTask): Promise<EngineRun> {
  const corpus = loadBenchCorpus({
    ...(task.fraction !== undefined && { fraction: task.fraction }),
    ...(task.limit !== undefined && { limit: task.limit }),
    ...(task.queries !== undefined && { queries: task.queries }),
  });
  const bytes = corpus.docs.reduce((n, d) => n + d.bytes, 0);
  const short = shortQueries(corpus.docs, task.shortQueries);
  const long = corpus.queries.map((q) => q.query);
  const engine = await findEngine(task.engine).create();

  const before = measureMemory();
  const t0 = performance.now();
  await engine.build(corpus.docs);
  const seconds = (performance.now() - t0) / 1000;
  const peak = measureMemory(false).maxRssMiB;
  const after = measureMemory();

  // The relevance pass doubles as the warm-up for the long queries.
  const judged: Judged[] = [];
  const firstResults: string[][] = [];
  for (const q of corpus.queries) {
    const ids = await run(engine, q.query);
    if (firstResults.length < 5) firstResults.push(ids);
    judged.push({ source: q.source, rank: rankOf(ids, q.id) });
  }
  for (const q of short) await run(engine, q);
  globalThis.gc?.();
  const shortMs = await timeQueries(engine, short, task.reps);
  const longMs = await timeQueries(engine, long, task.reps);

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
      peakRssMiB: peak,
      baselineRssMiB: before.rssMiB,
      heapDeltaMiB: after.heapUsedMiB - before.heapUsedMiB,
    },
    relevance: relevance(judged),
    latency: {
      short: latencyStats(shortMs),
      long: latencyStats(longMs),
      shortQueryCount: short.length,
      longQueryCount: long.length,
      reps: task.reps,
    },
    ...(persist && { persist }),
  };
}
