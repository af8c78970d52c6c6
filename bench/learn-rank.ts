// The learned re-ranker (issue 12): `npx tsx bench/learn-rank.ts [-- options]`
//
//   --k 5 --seed 12      folds and their seed, the same as bench:relevance's (same queries, same folds)
//   --short-cap 400      at most this many queries per half of each short set (seeded sample)
//   --variants a,b       the models measured (see VARIANTS; default: all)
//   --write NAME         fit NAME on all of train, write src/search/learned-rank.json, and judge
//                        the engine itself with it (its ranks, not the script's replay)
//   --cache              keep the engine's pass (default ranks, features) in bench/.work and reuse it
//   --out DIR            → DIR/learn-rank.{md,json} (default bench/results)
//
// One pass of loupe over every query collects, for each, the best 50 documents by BM25 (100
// for short queries: what the engine re-ranks) with their feature vectors (src/search/learned.ts,
// the same code the engine scores with). Each model is then fitted per fold on the fold's
// training part and judged on the held-out part: linear models by coordinate ascent on the
// harness's objective (0.5 × known-items MRR@10 + 0.5 / 3 × each short set: RankLib's linear
// coordinate ascent, Metzler & Croft 2007), tree models by LambdaMART on the same weighting
// (relevance/lambdamart.ts). The dev queries are never fitted on, only reported, with the
// model fitted on all of train. Deterministic: the seed fixes the folds and the order
// coordinates are visited in; boosting samples nothing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { deserialize, serialize } from "node:v8";
import { withAnalyzer } from "../src/analysis/index.js";
import { indexDocuments } from "../src/index/index.js";
import { DEFAULT_RANKING, execute, type RankingParams } from "../src/search/execute.js";
import { LoupeEngine, parseQuery } from "../src/search/index.js";
import { type LearnedModel, SIGNALS } from "../src/search/learned.js";
import { type RegressionTree, treeValue } from "../src/search/trees.js";
import type { SignalName } from "../src/search/types.js";
import { loadBenchCorpus } from "./corpus.js";
import { toLoupeDocument } from "./engines/loupe.js";
import { rankOf } from "./metrics.js";
import { seededRandom, shuffled } from "./random.js";
import {
  assignFolds,
  type Breakdown,
  breakdown,
  OBJECTIVE_WEIGHTS,
  type Ranks,
  type Spread,
  scoreOn,
  spread,
} from "./relevance/cv.js";
import { type BoostParams, boost, DEFAULT_BOOST } from "./relevance/lambdamart.js";
import {
  buildQuerySets,
  type EvalQuery,
  LENGTH_BUCKETS,
  SETS,
  type SetName,
  SHORT_SETS,
  sampleQueries,
  TRAIN_TSV,
} from "./relevance/sets.js";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const MODEL_PATH = join(BENCH_DIR, "..", "src", "search", "learned-rank.json");
const CACHE_PATH = join(BENCH_DIR, ".work", "learn-rank-cache.v8");
const SHORT_UP_TO = 4;
const F = SIGNALS.length;

/** The ranking before the learned model: BM25, proximity re-ranking the best 50. */
const HAND_MADE: RankingParams = { ...DEFAULT_RANKING, learned: undefined };

/** The hand-made order as a model: BM25, plus proximity at the ranking's weight. */
const START: Partial<Record<SignalName, number>> = {
  bm25: 1,
  proximity: DEFAULT_RANKING.proximity.weight,
};

interface Variant {
  name: string;
  description: string;
  /** The signals the fit may move (the others keep their START weight). */
  free: readonly SignalName[];
  /**
   * Fit this many times, each on a seeded two-thirds of the queries, and average the weights:
   * coordinate ascent's weights on correlated signals vary from sample to sample (bagging).
   */
  bags?: number;
  /** Signals whose weight may not go below 0: a prior against the short sets' artefacts. */
  nonNegative?: readonly SignalName[];
  /**
   * Boost regression trees instead of fitting weights: from the START model, or with
   * `free` signals from the weights fitted as the linear variant with those would be.
   */
  boost?: BoostParams;
  /**
   * Short queries re-rank their best `window` instead of the engine's 100 (at least 50, what
   * long queries keep): each sample cut to its first `window` rows, as the engine would collect
   * them with `shortRerank.depth` at `window` (see `windowed`).
   */
  window?: number;
}

/** A fitted model as the replay scores it: linear weights (`SIGNALS` order) and trees. */
interface Fitted {
  weights: Float64Array;
  trees?: readonly RegressionTree[];
}

const ALL_BUT_BM25 = SIGNALS.filter((s) => s !== "bm25");
const TITLE_SIGNALS: readonly SignalName[] = [
  "title",
  "titleCoverage",
  "titleShare",
  "shortTitle",
  "shortTitleCoverage",
  "shortTitleShare",
];
const LONG_ONLY = ALL_BUT_BM25.filter((s) => !s.startsWith("short"));

const VARIANTS: Variant[] = [
  {
    name: "linear-all",
    description: "every signal free, short-query copies included",
    free: ALL_BUT_BM25,
  },
  {
    name: "linear-all-bagged",
    description:
      "every signal free, short-query copies included, the mean of 8 fits on two-thirds samples",
    free: ALL_BUT_BM25,
    bags: 8,
  },
  {
    name: "linear-all-bagged-title-up",
    description:
      "as linear-all-bagged, but no title signal may weigh below 0 (the short-sp queries come from headings in bodies, and learn to push titles down)",
    free: ALL_BUT_BM25,
    bags: 8,
    nonNegative: TITLE_SIGNALS,
  },
  {
    name: "linear-all-title-up",
    description: "as linear-all, but no title signal may weigh below 0",
    free: ALL_BUT_BM25,
    nonNegative: TITLE_SIGNALS,
  },
  {
    name: "linear-no-short",
    description: "every signal free but the short-query copies (one weight for all lengths)",
    free: LONG_ONLY,
  },
  {
    name: "linear-small",
    description: "proximity, title and coverage signals with their short-query copies",
    free: [
      "proximity",
      "adjacent",
      "titleCoverage",
      "idfCoverage",
      "shortProximity",
      "shortAdjacent",
      "shortTitleCoverage",
    ],
  },
  {
    name: "trees",
    description: `LambdaMART from the start model (BM25 + proximity): ${DEFAULT_BOOST.trees} trees of depth ${DEFAULT_BOOST.depth}, learning rate ${DEFAULT_BOOST.learningRate}, at least ${DEFAULT_BOOST.minLeaf} candidates a leaf, over every signal`,
    free: [],
    boost: DEFAULT_BOOST,
  },
  // The boosting's own settings, each against `trees` in the same folds.
  {
    name: "trees-deeper",
    description: "as trees, depth 4",
    free: [],
    boost: { ...DEFAULT_BOOST, depth: 4 },
  },
  {
    name: "trees-slower",
    description: "as trees, 200 trees at learning rate 0.1",
    free: [],
    boost: { ...DEFAULT_BOOST, trees: 200, learningRate: 0.1 },
  },
  {
    name: "trees-small-leaves",
    description: "as trees, at least 20 candidates a leaf",
    free: [],
    boost: { ...DEFAULT_BOOST, minLeaf: 20 },
  },
  // Fewer documents re-ranked: the features of the window are the ranking's dearest step.
  {
    name: "trees-window-50",
    description: "as trees, short queries re-ranking their best 50 by BM25 (as long ones), not 100",
    free: [],
    boost: DEFAULT_BOOST,
    window: 50,
  },
  {
    name: "trees-window-70",
    description: "as trees, short queries re-ranking their best 70 by BM25, not 100",
    free: [],
    boost: DEFAULT_BOOST,
    window: 70,
  },
  {
    name: "trees-on-linear",
    description:
      "as trees, but boosted from the weights linear-all-title-up fits on the same queries",
    free: ALL_BUT_BM25,
    nonNegative: TITLE_SIGNALS,
    boost: DEFAULT_BOOST,
  },
];

function cli() {
  const { values } = parseArgs({
    options: {
      k: { type: "string", default: "5" },
      seed: { type: "string", default: "12" },
      "short-cap": { type: "string", default: "400" },
      variants: { type: "string", default: "all" },
      write: { type: "string" },
      cache: { type: "boolean", default: false },
      out: { type: "string", default: join(BENCH_DIR, "results") },
    },
    strict: true,
  });
  const variants =
    values.variants === "all"
      ? VARIANTS
      : values.variants.split(",").map((n) => {
          const v = VARIANTS.find((x) => x.name === n.trim());
          if (!v) throw new Error(`unknown variant ${n}; known: ${VARIANTS.map((x) => x.name)}`);
          return v;
        });
  const write = values.write;
  if (write !== undefined && !VARIANTS.some((v) => v.name === write))
    throw new Error(`--write: unknown variant ${write}`);
  return {
    k: Number(values.k),
    seed: Number(values.seed),
    shortCap: Number(values["short-cap"]),
    variants,
    write,
    cache: values.cache,
    out: values.out,
  };
}

const clock = () => new Date().toISOString().slice(11, 19);
const log = (line: string) => process.stderr.write(`[${clock()}] ${line}\n`);

/** One query's re-ranked few, as the engine saw them. */
interface Sample {
  /** Candidates' features, row after row (`SIGNALS` order). */
  vectors: Float64Array;
  ordinals: Int32Array;
  allWords: Uint8Array;
  allWordsFirst: boolean;
  /** The relevant document's row, -1 when it is not among them. */
  target: number;
}

/** What one pass of the engine gives: reused by --cache (delete it after changing features). */
interface Cache {
  key: string;
  defaultRanks: Ranks;
  data: Collected;
  collectMs: number;
}

interface Collected {
  /** Per query, its sample; undefined when the engine did not re-rank (no word, stopwords only). */
  samples: Array<Sample | undefined>;
  /** Per query, the engine's own rank with the START model (1–10, 0 absent). */
  startRanks: Ranks;
}

function collect(
  index: ReturnType<typeof indexDocuments>,
  queries: readonly EvalQuery[],
): Collected {
  const ranking: RankingParams = {
    ...HAND_MADE,
    learned: { shortUpTo: SHORT_UP_TO, weights: START },
  };
  const samples: Array<Sample | undefined> = [];
  const startRanks = new Uint8Array(queries.length);
  withAnalyzer(index.analyzer, () => {
    for (const [i, q] of queries.entries()) {
      let sample: Sample | undefined;
      try {
        const parsed = parseQuery(q.query);
        const execution = execute(index, parsed, undefined, ranking, {
          wanted: 10,
          onFeatures: (top, features) => {
            const count = top.length;
            const vectors = new Float64Array(count * F);
            for (const [r, v] of features.vectors.entries()) vectors.set(v, r * F);
            sample = {
              vectors,
              ordinals: Int32Array.from(top, (d) => d.ordinal),
              allWords: Uint8Array.from(top, (d) => (d.allWords ? 1 : 0)),
              // The engine orders the window by the model's score alone, every word or not.
              allWordsFirst: false,
              target: top.findIndex((d) => d.id === q.id),
            };
          },
        });
        startRanks[i] =
          rankOf(
            execution.ranked.map((r) => r.id),
            q.id,
          ) ?? 0;
      } catch {
        // A refused query finds nothing: rank 0.
      }
      samples.push(sample);
    }
  });
  return { samples, startRanks };
}

/** The rank (1-based, 0 past 10) of the sample's target under `scores`, as the engine orders. */
function rankUnder(s: Sample, scores: Float64Array): number {
  const t = s.target;
  if (t < 0) return 0;
  const st = scores[t]!;
  const awt = s.allWords[t]!;
  const ot = s.ordinals[t]!;
  let before = 0;
  for (let c = 0; c < s.ordinals.length; c++) {
    if (c === t) continue;
    if (s.allWordsFirst && s.allWords[c] !== awt) {
      if (s.allWords[c] === 1) before++;
      continue;
    }
    const sc = scores[c]!;
    if (sc > st || (sc === st && s.ordinals[c]! < ot)) before++;
    if (before >= 10) return 0;
  }
  return before + 1;
}

/** `rankUnder` with every score moved by `step` × the candidate's `feature`, allocating nothing. */
function rankMoved(s: Sample, scores: Float64Array, feature: number, step: number): number {
  const t = s.target;
  const { vectors, allWords, ordinals, allWordsFirst } = s;
  const st = scores[t]! + step * vectors[t * F + feature]!;
  const awt = allWords[t]!;
  const ot = ordinals[t]!;
  let before = 0;
  for (let c = 0; c < ordinals.length; c++) {
    if (c === t) continue;
    if (allWordsFirst && allWords[c] !== awt) {
      if (allWords[c] === 1 && ++before >= 10) return 0;
      continue;
    }
    const sc = scores[c]! + step * vectors[c * F + feature]!;
    if ((sc > st || (sc === st && ordinals[c]! < ot)) && ++before >= 10) return 0;
  }
  return before + 1;
}

function scoresOf(s: Sample, w: Float64Array, trees?: readonly RegressionTree[]): Float64Array {
  const n = s.ordinals.length;
  const out = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    let sum = 0;
    for (let f = 0; f < F; f++) sum += w[f]! * s.vectors[c * F + f]!;
    if (trees !== undefined) {
      const vector = s.vectors.subarray(c * F, (c + 1) * F);
      for (const tree of trees) sum += treeValue(tree, vector);
    }
    out[c] = sum;
  }
  return out;
}

/** Ranks of every query under a fitted model (queries without a sample keep the engine's). */
function ranksUnder(data: Collected, fitted: Fitted): Ranks {
  const ranks = new Uint8Array(data.samples.length);
  data.samples.forEach((s, i) => {
    ranks[i] = s
      ? rankUnder(s, scoresOf(s, fitted.weights, fitted.trees))
      : (data.startRanks[i] ?? 0);
  });
  return ranks;
}

/** The signals divided by the window's best BM25 score (`scale` in learned.ts). */
const SCALED = (
  ["bm25", "title", "body", "proximity", "shortTitle", "shortProximity", "bodySaturated"] as const
).map((s) => SIGNALS.indexOf(s));
const LIKELIHOOD = SIGNALS.indexOf("likelihood");

/**
 * `data` with every sample cut to its first `window` rows: the window the engine re-ranks is
 * the head of the same first order, and only two signals depend on who else is in it. Both are
 * put back as featuresOf would make them: the scaled scores over the new window's best (the
 * `bm25` column is each score over the old best), the likelihood less the new window's best.
 */
function windowed(data: Collected, window: number): Collected {
  const samples = data.samples.map((s): Sample | undefined => {
    if (s === undefined || s.ordinals.length <= window) return s;
    const vectors = s.vectors.slice(0, window * F);
    let best = Number.NEGATIVE_INFINITY;
    let bestLikelihood = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < window; r++) {
      best = Math.max(best, vectors[r * F]!);
      bestLikelihood = Math.max(bestLikelihood, vectors[r * F + LIKELIHOOD]!);
    }
    // A best score of 0 or less left featuresOf's scale at 1: the old one cannot be undone.
    const rescale = best > 0 && best < 1 ? 1 / best : 1;
    for (let r = 0; r < window; r++) {
      for (const f of SCALED) vectors[r * F + f]! *= rescale;
      vectors[r * F + LIKELIHOOD]! -= bestLikelihood;
    }
    return {
      vectors,
      ordinals: s.ordinals.slice(0, window),
      allWords: s.allWords.slice(0, window),
      allWordsFirst: s.allWordsFirst,
      target: s.target < window ? s.target : -1,
    };
  });
  return { samples, startRanks: data.startRanks };
}

/** How many of the `fit` queries each set holds: a query weighs its set's share over this. */
function setCounts(queries: readonly EvalQuery[], fit: readonly number[]): Record<SetName, number> {
  const counts = Object.fromEntries(SETS.map((set) => [set, 0])) as Record<SetName, number>;
  for (const i of fit) counts[queries[i]!.set]++;
  return counts;
}

const STEPS = [0.02, 0.05, 0.1, 0.2, 0.5, 1, 2].flatMap((x) => [x, -x]);

/**
 * A variant fitted on `fit`: trees boosted from the start model, or weights (one fit, or with
 * `bags` the mean of fits on two-thirds samples).
 */
function fitVariant(
  data: Collected,
  queries: readonly EvalQuery[],
  fit: readonly number[],
  variant: Variant,
  seed: number,
): Fitted {
  if (variant.boost !== undefined) {
    const weights =
      variant.free.length > 0
        ? fitWeights(data, queries, fit, variant, seed)
        : Float64Array.from(SIGNALS, (s) => START[s] ?? 0);
    const counts = setCounts(queries, fit);
    const samples = fit.flatMap((i) => {
      const sample = data.samples[i];
      const set = queries[i]!.set;
      return sample ? [{ sample, weight: OBJECTIVE_WEIGHTS[set] / counts[set] }] : [];
    });
    return { weights, trees: boost(samples, F, weights, variant.boost) };
  }
  return { weights: fitWeights(data, queries, fit, variant, seed) };
}

function fitWeights(
  data: Collected,
  queries: readonly EvalQuery[],
  fit: readonly number[],
  variant: Variant,
  seed: number,
): Float64Array {
  const bags = variant.bags ?? 0;
  if (bags < 2) return fitModel(data, queries, fit, variant, seed);
  const random = seededRandom(seed ^ 0xba65);
  const mean = new Float64Array(F);
  for (let b = 0; b < bags; b++) {
    const part = shuffled(fit, random).slice(0, Math.round((fit.length * 2) / 3));
    const w = fitModel(data, queries, part, variant, seed + 1000 * (b + 1));
    for (let f = 0; f < F; f++) mean[f]! += w[f]! / bags;
  }
  return mean;
}

/**
 * Coordinate ascent on the weighted MRR@10 of `fit`: each free weight in turn tries every step
 * (and 0), keeping the best gain; rounds until none gains. `bm25` stays 1 (the scale).
 */
function fitModel(
  data: Collected,
  queries: readonly EvalQuery[],
  fit: readonly number[],
  variant: Variant,
  seed: number,
): Float64Array {
  const w = Float64Array.from(SIGNALS, (s) => START[s] ?? 0);
  const counts = setCounts(queries, fit);
  const varying: Array<{ s: Sample; weight: number; scores: Float64Array }> = [];
  for (const i of fit) {
    const s = data.samples[i];
    if (!s || s.target < 0) continue;
    const set = queries[i]!.set;
    varying.push({ s, weight: OBJECTIVE_WEIGHTS[set] / counts[set], scores: scoresOf(s, w) });
  }
  const objective = (feature: number, step: number): number => {
    let sum = 0;
    for (const v of varying) {
      const r = rankMoved(v.s, v.scores, feature, step);
      if (r > 0) sum += v.weight / r;
    }
    return sum;
  };
  const free = variant.free.map((name) => SIGNALS.indexOf(name));
  const nonNegative = new Set((variant.nonNegative ?? []).map((name) => SIGNALS.indexOf(name)));
  const random = seededRandom(seed);
  let current = objective(0, 0);
  for (let round = 0; round < 8; round++) {
    let gained = false;
    for (const f of shuffled(free, random)) {
      let bestStep = 0;
      let best = current;
      const floor = nonNegative.has(f) ? 0 : Number.NEGATIVE_INFINITY;
      for (const step of [...STEPS, -w[f]!]) {
        if (step === 0 || w[f]! + step < floor) continue;
        const o = objective(f, step);
        if (o > best + 1e-9) {
          best = o;
          bestStep = step;
        }
      }
      if (bestStep !== 0) {
        w[f]! += bestStep;
        for (const v of varying) {
          const n = v.s.ordinals.length;
          for (let c = 0; c < n; c++) v.scores[c]! += bestStep * v.s.vectors[c * F + f]!;
        }
        current = best;
        gained = true;
      }
    }
    if (!gained) break;
  }
  return w;
}

interface Shipped {
  model: LearnedModel;
  engineDev: Figures["dev"];
  msPerQuery: number;
  replayDiffers?: number;
}

interface Figures {
  name: string;
  description: string;
  objective: Spread;
  foldObjectives: number[];
  perSet: Record<SetName, Spread>;
  pooled: Breakdown;
  dev: { knownItems: Breakdown; perSet: Record<SetName, number> };
  /** Per signal, its weight across the folds' fits. */
  weights?: Record<string, Spread>;
}

async function main() {
  const options = cli();
  const started = performance.now();
  const loadAtStart = loadavg().map((l) => Number(l.toFixed(2)));
  const corpus = loadBenchCorpus();
  const sets = buildQuerySets(corpus.docs, corpus.queries, TRAIN_TSV, options.seed);
  const queries = sampleQueries(sets.queries, options.seed, options.shortCap, false);
  const folds = assignFolds(queries, options.k, options.seed);
  const ofSplit = (keep: (i: number) => boolean) => [...queries.keys()].filter(keep);
  const trainKnown = ofSplit(
    (i) => queries[i]?.set === "known-items" && queries[i]?.split === "train",
  );
  const dev = ofSplit((i) => queries[i]?.split === "dev");
  const devKnown = dev.filter((i) => queries[i]?.set === "known-items");
  const allTrain = ofSplit((i) => (folds[i] ?? -1) >= 0);
  let built: ReturnType<typeof indexDocuments> | undefined;
  const index = () => {
    if (built === undefined) {
      log("building loupe's index");
      built = indexDocuments(corpus.docs.map(toLoupeDocument));
    }
    return built;
  };
  // "window-by-model": the samples' order is the model's alone (allWordsFirst false); a cache
  // from another ordering, or another feature formula (bump the tag), is not reused.
  const key = `window-by-model ${queries.length} ${options.seed} ${options.shortCap} ${SIGNALS.join(",")}`;
  const cached =
    options.cache && existsSync(CACHE_PATH)
      ? (deserialize(readFileSync(CACHE_PATH)) as Cache)
      : undefined;
  let cache: Cache;
  if (cached !== undefined && cached.key === key) {
    log(`${queries.length} queries; default ranks and features from ${CACHE_PATH}`);
    cache = cached;
  } else {
    log(`${queries.length} queries; default ranking: every query`);
    const defaultEngine = new LoupeEngine(index(), HAND_MADE);
    const defaultRanks = new Uint8Array(queries.length);
    queries.forEach((q, i) => {
      try {
        const ids = defaultEngine.search(q.query, { limit: 10 }).hits.map((h) => h.id);
        defaultRanks[i] = rankOf(ids, q.id) ?? 0;
      } catch {
        defaultRanks[i] = 0;
      }
    });
    log("features of the re-ranked 50: every query");
    const t0 = performance.now();
    const data = collect(index(), queries);
    cache = { key, defaultRanks, data, collectMs: (performance.now() - t0) / queries.length };
    if (options.cache) {
      mkdirSync(dirname(CACHE_PATH), { recursive: true });
      writeFileSync(CACHE_PATH, serialize(cache));
    }
  }
  const { defaultRanks, data, collectMs } = cache;
  let differ = 0;
  data.startRanks.forEach((r, i) => {
    if (r !== defaultRanks[i]) differ++;
  });
  const replay = ranksUnder(data, { weights: Float64Array.from(SIGNALS, (s) => START[s] ?? 0) });
  // The replay must rank as the engine does with the same model; the start model differs from
  // the hand-made order only where every-word-first held within the window.
  let replayDiffer = 0;
  replay.forEach((r, i) => {
    if (r !== data.startRanks[i]) replayDiffer++;
  });
  log(
    `start model: ${replayDiffer} queries rank differently in the replay than in the engine; ${differ} differ from the hand-made ranking`,
  );

  const perFoldOf = (ranksOfFold: (fold: number) => Ranks) => {
    const per = Array.from({ length: options.k }, (_, fold) =>
      scoreOn(
        ranksOfFold(fold),
        allTrain.filter((i) => folds[i] === fold),
        queries,
      ),
    );
    return {
      foldObjectives: per.map((p) => p.objective),
      objective: spread(per.map((p) => p.objective)),
      perSet: Object.fromEntries(
        SETS.map((set) => [set, spread(per.map((p) => p.perSet[set]))]),
      ) as Record<SetName, Spread>,
    };
  };
  const devOf = (ranks: Ranks): Figures["dev"] => ({
    knownItems: breakdown(ranks, devKnown, queries),
    perSet: scoreOn(ranks, dev, queries).perSet,
  });

  const systems: Figures[] = [
    {
      name: "hand-made",
      description:
        "BM25 + proximity re-ranking the best 50: DEFAULT_RANKING without its learned model (the engine's own ranks)",
      ...perFoldOf(() => defaultRanks),
      pooled: breakdown(defaultRanks, trainKnown, queries),
      dev: devOf(defaultRanks),
    },
  ];
  const fitted = new Map<string, Fitted>();
  for (const variant of options.variants) {
    log(`${variant.name}: ${options.k} folds`);
    const vdata = variant.window === undefined ? data : windowed(data, variant.window);
    const heldOut = new Uint8Array(queries.length);
    const foldWeights: Float64Array[] = [];
    const foldRanks: Ranks[] = [];
    for (let fold = 0; fold < options.k; fold++) {
      const fit = allTrain.filter((i) => folds[i] !== fold);
      const model = fitVariant(vdata, queries, fit, variant, options.seed + fold);
      foldWeights.push(model.weights);
      const ranks = ranksUnder(vdata, model);
      foldRanks.push(ranks);
      for (const i of allTrain) if (folds[i] === fold) heldOut[i] = ranks[i] ?? 0;
      const judged = scoreOn(
        ranks,
        allTrain.filter((i) => folds[i] === fold),
        queries,
      );
      log(
        `  fold ${fold}: held-out objective ${judged.objective.toFixed(3)} (${SETS.map((set) => `${set} ${judged.perSet[set].toFixed(3)}`).join(", ")})`,
      );
    }
    log(`${variant.name}: all of train`);
    const onAll = fitVariant(vdata, queries, allTrain, variant, options.seed);
    fitted.set(variant.name, onAll);
    systems.push({
      name: variant.name,
      description: variant.description,
      ...perFoldOf((fold) => foldRanks[fold]!),
      pooled: breakdown(heldOut, trainKnown, queries),
      dev: devOf(ranksUnder(vdata, onAll)),
      weights: Object.fromEntries(
        SIGNALS.map((s, f) => [s, spread(foldWeights.map((w) => w[f]!))]),
      ),
    });
  }

  let shipped: Shipped | undefined;
  if (options.write !== undefined) {
    const written = VARIANTS.find((v) => v.name === options.write)!;
    const writtenData = written.window === undefined ? data : windowed(data, written.window);
    const fit =
      fitted.get(options.write) ??
      fitVariant(writtenData, queries, allTrain, written, options.seed);
    const weights: Partial<Record<SignalName, number>> = {};
    SIGNALS.forEach((s, f) => {
      if (fit.weights[f] !== 0) weights[s] = Number(fit.weights[f]!.toFixed(4));
    });
    // Thresholds as fitted (they are feature values the split fell between); leaf values to
    // six digits, which the replay below then scores with.
    const trees = fit.trees?.map(
      (t): RegressionTree => ({
        feature: [...t.feature],
        threshold: [...t.threshold],
        left: [...t.left],
        right: [...t.right],
        value: t.value.map((v) => Number(v.toPrecision(6))),
      }),
    );
    const model: LearnedModel = { shortUpTo: SHORT_UP_TO, weights, ...(trees && { trees }) };
    const head = JSON.stringify(
      {
        trainedBy: `bench/learn-rank.ts --write ${options.write} --seed ${options.seed} --k ${options.k} --short-cap ${options.shortCap}`,
        shortUpTo: model.shortUpTo,
        weights,
      },
      null,
      2,
    );
    // One tree a line: a hundred trees of fifteen nodes stay a file one can page through.
    const body = trees
      ? `${head.slice(0, -2)},\n  "trees": [\n${trees.map((t) => `    ${JSON.stringify(t)}`).join(",\n")}\n  ]\n}`
      : head;
    writeFileSync(MODEL_PATH, `${body}\n`);
    log(`wrote ${MODEL_PATH}; judging the engine with it`);
    // A window variant's model is judged re-ranking that window, as it would ship.
    const engine = new LoupeEngine(index(), {
      ...HAND_MADE,
      learned: model,
      ...(written.window !== undefined && {
        shortRerank: { upTo: SHORT_UP_TO, depth: written.window },
      }),
    });
    const ranks = new Uint8Array(queries.length);
    const t1 = performance.now();
    // The dev queries only: what the report's engine figures are, and a check of the replay.
    for (const i of dev) {
      const q = queries[i]!;
      try {
        ranks[i] =
          rankOf(
            engine.search(q.query, { limit: 10 }).hits.map((h) => h.id),
            q.id,
          ) ?? 0;
      } catch {
        ranks[i] = 0;
      }
    }
    shipped = {
      model,
      engineDev: devOf(ranks),
      msPerQuery: (performance.now() - t1) / dev.length,
    };
    let mismatch = 0;
    const replayed = ranksUnder(writtenData, {
      weights: Float64Array.from(SIGNALS, (s) => weights[s] ?? 0),
      ...(trees && { trees }),
    });
    for (const i of dev) if (ranks[i] !== replayed[i]) mismatch++;
    shipped.replayDiffers = mismatch;
    log(`engine vs replay with the written weights: ${mismatch} dev queries differ`);
  }

  const report = {
    date: new Date().toISOString(),
    loadAtStart,
    loadAtEnd: loadavg().map((l) => Number(l.toFixed(2))),
    k: options.k,
    seed: options.seed,
    shortCap: options.shortCap,
    counts: Object.fromEntries(
      SETS.map((set) => [
        set,
        {
          train: queries.filter((q) => q.set === set && q.split === "train").length,
          dev: queries.filter((q) => q.set === set && q.split === "dev").length,
        },
      ]),
    ),
    startDiffers: { handMade: differ, replay: replayDiffer },
    featureMsPerQuery: collectMs,
    systems,
    shipped,
    minutes: (performance.now() - started) / 60_000,
  };
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, "learn-rank.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(options.out, "learn-rank.md"), render(report));
  log(`wrote ${join(options.out, "learn-rank.{md,json}")} in ${report.minutes.toFixed(1)} min`);
}

const f3 = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v.toFixed(3) : "–");
const sd = (s: Spread) => `${f3(s.mean)} ± ${f3(s.sd)}`;

function render(r: {
  date: string;
  loadAtStart: number[];
  loadAtEnd: number[];
  k: number;
  seed: number;
  shortCap: number;
  counts: Record<string, { train: number; dev: number }>;
  startDiffers: { handMade: number; replay: number };
  featureMsPerQuery: number;
  systems: Figures[];
  shipped: Shipped | undefined;
  minutes: number;
}): string {
  const lines: string[] = [];
  lines.push("# Learned re-ranker (issue 12)", "");
  lines.push(
    `${r.date}; load ${r.loadAtStart.join(" / ")} at the start, ${r.loadAtEnd.join(" / ")} at the end; ${r.k}-fold cross-validation (seed ${r.seed}, the folds of bench:relevance), short sets capped at ${r.shortCap} per half; whole run ${r.minutes.toFixed(1)} min. Queries: ${Object.entries(
      r.counts,
    )
      .map(([s, c]) => `${s} ${c.train} train / ${c.dev} dev`)
      .join(", ")}.`,
    "",
    `Each model re-ranks the best 50 documents by BM25 (100 for queries of up to 4 words; src/search/learned.ts): the linear ones fitted by coordinate ascent on the objective (0.5 × known-items + 0.5 / 3 × each short set), the tree ones by LambdaMART (bench/relevance/lambdamart.ts) with the same weighting, on each fold's training part, and judged on the held-out fold: the **CV** columns (mean ± sd across folds) and the pooled known-items columns are cross-validated. The **dev** columns use the model fitted on all of train; dev was never fitted on. The engine orders the re-ranked documents by the model's score alone (holding every word chooses them in short queries, but does not bind their order), and so does the script's replay: with the start model (BM25 + proximity × ${DEFAULT_RANKING.proximity.weight}), ${r.startDiffers.replay} queries rank differently in the replay than in the engine, and ${r.startDiffers.handMade} differ from the hand-made ranking (DEFAULT_RANKING without its learned model, every word first within the window too). Features cost ${r.featureMsPerQuery.toFixed(2)} ms per query (whole search included).`,
    "",
    `| system | CV objective | Δ CV objective (folds better) | ${SETS.map((set) => `CV ${set}`).join(" | ")} | dev known-items | dev sp / man | ${SHORT_SETS.map((set) => `dev ${set}`).join(" | ")} |`,
    `|---|---|---|${SETS.map(() => "---").join("|")}|---|---|${SHORT_SETS.map(() => "---").join("|")}|`,
  );
  const base = r.systems[0]!.foldObjectives;
  for (const s of r.systems) {
    const deltas = s.foldObjectives.map((o, f) => o - base[f]!);
    const delta = spread(deltas);
    const better = deltas.filter((d) => d > 1e-12).length;
    lines.push(
      `| ${s.name} | ${sd(s.objective)} | ${delta.mean >= 0 ? "+" : ""}${sd(delta)} (${better}/${deltas.length}) | ${SETS.map((set) => sd(s.perSet[set])).join(" | ")} | ${f3(s.dev.knownItems.overall)} | ${f3(s.dev.knownItems.sp)} / ${f3(s.dev.knownItems.man)} | ${SHORT_SETS.map((set) => f3(s.dev.perSet[set])).join(" | ")} |`,
    );
  }
  lines.push(
    "",
    "## Known items by source and length (train, held out, pooled over folds)",
    "",
    `| system | sp | man | ${LENGTH_BUCKETS.map((b) => `${b} words`).join(" | ")} |`,
    `|---|---|---|${LENGTH_BUCKETS.map(() => "---").join("|")}|`,
  );
  for (const s of r.systems) {
    lines.push(
      `| ${s.name} | ${f3(s.pooled.sp)} | ${f3(s.pooled.man)} | ${LENGTH_BUCKETS.map((b) => `${f3(s.pooled.byLength[b].mrr)} (${s.pooled.byLength[b].queries})`).join(" | ")} |`,
    );
  }
  lines.push(
    "",
    "## Weights across the folds' fits (mean ± sd; tree models keep the start model's)",
    "",
  );
  const fitted = r.systems.filter((s) => s.weights !== undefined);
  lines.push(
    `| signal | ${fitted.map((s) => s.name).join(" | ")} |`,
    `|---|${fitted.map(() => "---").join("|")}|`,
  );
  for (const signal of SIGNALS) {
    lines.push(`| ${signal} | ${fitted.map((s) => sd(s.weights![signal]!)).join(" | ")} |`);
  }
  for (const s of r.systems) lines.push("", `- **${s.name}**: ${s.description}`);
  if (r.shipped) {
    lines.push(
      "",
      "## Written model, judged by the engine itself (dev)",
      "",
      `\`${JSON.stringify(r.shipped.model.weights)}\`${r.shipped.model.trees ? ` and ${r.shipped.model.trees.length} trees` : ""}`,
      "",
      `The engine itself on the dev queries (${r.shipped.replayDiffers ?? "?"} differ from the script's replay): dev known-items ${f3(r.shipped.engineDev.knownItems.overall)} (sp ${f3(r.shipped.engineDev.knownItems.sp)} / man ${f3(r.shipped.engineDev.knownItems.man)}), ${SHORT_SETS.map((set) => `${set} ${f3(r.shipped!.engineDev.perSet[set])}`).join(", ")}; ${r.shipped.msPerQuery.toFixed(2)} ms per query (whole search).`,
    );
  }
  return `${lines.join("\n")}\n`;
}

await main();
