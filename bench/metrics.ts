import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { BenchSource } from "./corpus.js";

export interface Judged {
  source: BenchSource;
  /** 1-based rank of the relevant document in the top 10, or null when absent. */
  rank: number | null;
}

export interface RelevanceStats {
  queries: number;
  mrr10: number;
  success1: number;
  success10: number;
}

export interface Relevance {
  overall: RelevanceStats;
  sp: RelevanceStats;
  man: RelevanceStats;
}

/** 1-based rank of `relevant` within the first `cutoff` ids, or null. */
export function rankOf(ranked: readonly string[], relevant: string, cutoff = 10): number | null {
  const i = ranked.slice(0, cutoff).indexOf(relevant);
  return i === -1 ? null : i + 1;
}

function stats(judged: readonly Judged[]): RelevanceStats {
  const n = judged.length;
  if (n === 0)
    return { queries: 0, mrr10: Number.NaN, success1: Number.NaN, success10: Number.NaN };
  let rr = 0;
  let s1 = 0;
  let s10 = 0;
  for (const { rank } of judged) {
    if (rank === null || rank > 10) continue;
    rr += 1 / rank;
    s10++;
    if (rank === 1) s1++;
  }
  return { queries: n, mrr10: rr / n, success1: s1 / n, success10: s10 / n };
}

/** MRR@10, success@1, success@10, overall and per source (one relevant doc per query). */
export function relevance(judged: readonly Judged[]): Relevance {
  return {
    overall: stats(judged),
    sp: stats(judged.filter((j) => j.source === "sp")),
    man: stats(judged.filter((j) => j.source === "man")),
  };
}

export interface LatencyStats {
  samples: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

/** Latency summary in milliseconds. */
export function latencyStats(ms: readonly number[]): LatencyStats {
  const sorted = [...ms].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    samples: sorted.length,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export interface MemorySnapshot {
  rssMiB: number;
  heapUsedMiB: number;
  /**
   * Peak RSS of this process so far. It only ever grows, so it is a per-engine figure only when
   * each engine runs in its own process, which is why the runner forks one per engine.
   */
  maxRssMiB: number;
}

const MIB = 1024 * 1024;

/** Current memory; runs a full GC first when node was started with --expose-gc. */
export function measureMemory(collect = true): MemorySnapshot {
  if (collect) globalThis.gc?.();
  const m = process.memoryUsage();
  return {
    rssMiB: m.rss / MIB,
    heapUsedMiB: m.heapUsed / MIB,
    // resourceUsage().maxRSS is in kilobytes (KiB).
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

/** Total size of the files under `dir`, for engines that persist to a folder. */
export function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? directoryBytes(path) : statSync(path).size;
  }
  return total;
}
