/**
 * k-fold cross-validation over precomputed ranks. Every system (a ranking setting, a lever's
 * variant, a peer) is run once over every query; a fold only decides which queries choose and
 * which judge, so choosing a setting on a fold's training part costs nothing more.
 */
import { seededRandom, shuffled } from "../random.js";
import {
  type EvalQuery,
  LENGTH_BUCKETS,
  type LengthBucket,
  lengthBucket,
  SETS,
  type SetName,
} from "./sets.js";

/** Per query, the 1-based rank of its relevant document in the top 10, 0 when absent. */
export type Ranks = Uint8Array;

/**
 * How much each set weighs in the objective a setting is chosen by: the long known-item
 * queries as much as the three keyword-style short sets together, so short queries are never
 * traded away for long ones, nor titles for the words inside bodies.
 */
export const OBJECTIVE_WEIGHTS: Record<SetName, number> = {
  "known-items": 0.5,
  "short-man": 0.5 / 3,
  "short-sp": 0.5 / 3,
  "short-title": 0.5 / 3,
};

const rr = (rank: number) => (rank === 0 ? 0 : 1 / rank);

/** MRR@10 over the given query indices (NaN when there are none). */
export function mrr(ranks: Ranks, indices: readonly number[]): number {
  if (indices.length === 0) return Number.NaN;
  let sum = 0;
  for (const i of indices) sum += rr(ranks[i] ?? 0);
  return sum / indices.length;
}

/**
 * Fold of each training query (0..k-1), -1 for dev queries: a seeded shuffle within each set,
 * dealt round-robin, so every fold holds each set in the same proportion.
 */
export function assignFolds(queries: readonly EvalQuery[], k: number, seed: number): Int8Array {
  const folds = new Int8Array(queries.length).fill(-1);
  const random = seededRandom(seed);
  for (const set of SETS) {
    const train = queries.flatMap((q, i) => (q.set === set && q.split === "train" ? [i] : []));
    shuffled(train, random).forEach((index, n) => {
      folds[index] = n % k;
    });
  }
  return folds;
}

export type PerSet = Record<SetName, number>;

/** MRR@10 per set over the given indices, and the weighted objective. */
export function scoreOn(
  ranks: Ranks,
  indices: readonly number[],
  queries: readonly EvalQuery[],
): { perSet: PerSet; objective: number } {
  const perSet = {} as PerSet;
  let objective = 0;
  let weight = 0;
  for (const set of SETS) {
    const mine = indices.filter((i) => queries[i]?.set === set);
    perSet[set] = mrr(ranks, mine);
    if (mine.length > 0) {
      objective += OBJECTIVE_WEIGHTS[set] * perSet[set];
      weight += OBJECTIVE_WEIGHTS[set];
    }
  }
  return { perSet, objective: weight > 0 ? objective / weight : Number.NaN };
}

/** Index of the best candidate on `indices`; ties go to the earlier one (the default first). */
export function chooseBest(
  candidates: readonly Ranks[],
  indices: readonly number[],
  queries: readonly EvalQuery[],
): number {
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  candidates.forEach((ranks, c) => {
    const score = scoreOn(ranks, indices, queries).objective;
    if (score > bestScore + 1e-12) {
      best = c;
      bestScore = score;
    }
  });
  return best;
}

export interface FoldResult {
  fold: number;
  /** Candidate chosen on the other folds. */
  chosen: number;
  heldOut: { perSet: PerSet; objective: number };
}

export interface CrossValidation {
  folds: FoldResult[];
  /** Per training query, its rank under the candidate its fold's training part chose. */
  heldOutRanks: Ranks;
  /** Candidate chosen on all the training queries: the one the dev set judges. */
  chosenOnAll: number;
}

export function crossValidate(
  candidates: readonly Ranks[],
  queries: readonly EvalQuery[],
  folds: Int8Array,
  k: number,
): CrossValidation {
  const heldOutRanks = new Uint8Array(queries.length);
  const results: FoldResult[] = [];
  for (let fold = 0; fold < k; fold++) {
    const fit: number[] = [];
    const test: number[] = [];
    folds.forEach((f, i) => {
      if (f === fold) test.push(i);
      else if (f >= 0) fit.push(i);
    });
    const chosen = chooseBest(candidates, fit, queries);
    const ranks = candidates[chosen] as Ranks;
    for (const i of test) heldOutRanks[i] = ranks[i] ?? 0;
    results.push({ fold, chosen, heldOut: scoreOn(ranks, test, queries) });
  }
  const all = [...folds.keys()].filter((i) => (folds[i] ?? -1) >= 0);
  return { folds: results, heldOutRanks, chosenOnAll: chooseBest(candidates, all, queries) };
}

/** A fixed system's (no choice) held-out figures per fold, for the same table. */
export function perFold(
  ranks: Ranks,
  queries: readonly EvalQuery[],
  folds: Int8Array,
  k: number,
): Array<{ perSet: PerSet; objective: number }> {
  return Array.from({ length: k }, (_, fold) =>
    scoreOn(
      ranks,
      [...folds.keys()].filter((i) => folds[i] === fold),
      queries,
    ),
  );
}

export interface Spread {
  mean: number;
  sd: number;
  min: number;
  max: number;
}

/** Mean, sample standard deviation, min and max across folds. */
export function spread(values: readonly number[]): Spread {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, min: Math.min(...values), max: Math.max(...values) };
}

export interface Breakdown {
  overall: number;
  sp: number;
  man: number;
  byLength: Record<LengthBucket, { queries: number; mrr: number }>;
}

/** MRR@10 of the chosen queries overall, per source and per length bucket. */
export function breakdown(
  ranks: Ranks,
  indices: readonly number[],
  queries: readonly EvalQuery[],
): Breakdown {
  const where = (keep: (q: EvalQuery) => boolean) =>
    indices.filter((i) => {
      const q = queries[i];
      return q !== undefined && keep(q);
    });
  const byLength = {} as Breakdown["byLength"];
  for (const bucket of LENGTH_BUCKETS) {
    const mine = where((q) => lengthBucket(q.words) === bucket);
    byLength[bucket] = { queries: mine.length, mrr: mrr(ranks, mine) };
  }
  return {
    overall: mrr(ranks, indices),
    sp: mrr(
      ranks,
      where((q) => q.source === "sp"),
    ),
    man: mrr(
      ranks,
      where((q) => q.source === "man"),
    ),
    byLength,
  };
}
