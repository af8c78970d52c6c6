/**
 * LambdaMART (bench/relevance/lambdamart.ts) on made-up queries: the relevant candidate is the
 * one whose second feature is high, which the start model (the first feature alone) ignores.
 * Boosting must learn it from some queries and rank it first on others it never saw.
 */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/random.js";
import { boost, DEFAULT_BOOST, type RankingSample } from "../../bench/relevance/lambdamart.js";
import { treeValue } from "../../src/search/trees.js";

const FEATURES = 3;

function queries(count: number, seed: number): RankingSample[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const n = 20;
    const target = Math.floor(random() * n);
    const vectors = new Float64Array(n * FEATURES);
    for (let c = 0; c < n; c++) {
      vectors[c * FEATURES] = random();
      vectors[c * FEATURES + 1] = c === target ? 0.8 + 0.2 * random() : 0.7 * random();
      vectors[c * FEATURES + 2] = random();
    }
    return {
      vectors,
      ordinals: Int32Array.from({ length: n }, (_, c) => c),
      allWords: new Uint8Array(n),
      allWordsFirst: false,
      target,
    };
  });
}

function meanReciprocalRank(samples: RankingSample[], score: (v: Float64Array) => number) {
  let sum = 0;
  for (const s of samples) {
    const n = s.ordinals.length;
    const scores = Array.from({ length: n }, (_, c) =>
      score(s.vectors.subarray(c * FEATURES, (c + 1) * FEATURES)),
    );
    const above = scores.filter((x, c) => c !== s.target && x >= scores[s.target]!).length;
    sum += above < 10 ? 1 / (above + 1) : 0;
  }
  return sum / samples.length;
}

describe("LambdaMART", () => {
  const start = Float64Array.from([1, 0, 0]);
  const linear = (v: Float64Array) => v[0]!;

  it("learns what the start model misses, and it holds on queries it never saw", () => {
    const train = queries(200, 1);
    const unseen = queries(100, 2);
    const trees = boost(
      train.map((sample) => ({ sample, weight: 1 })),
      FEATURES,
      start,
      { ...DEFAULT_BOOST, trees: 20, minLeaf: 20 },
    );
    expect(trees).toHaveLength(20);
    const boosted = (v: Float64Array) => linear(v) + trees.reduce((a, t) => a + treeValue(t, v), 0);
    expect(meanReciprocalRank(unseen, linear)).toBeLessThan(0.4);
    expect(meanReciprocalRank(unseen, boosted)).toBeGreaterThan(0.95);
    // The first split is on the feature that tells.
    expect(trees[0]!.feature[0]).toBe(1);
  });

  it("keeps a leaf bounded when its candidates already outrank the relevant one by far", () => {
    // Each query: the relevant candidate scores 0 by the start model, the others 25 (feature 0),
    // so each pair's logistic pull is near 1 and its hessian near 0: a bare Newton step
    // (Σ gradient / Σ hessian) is then enormous.
    const far = queries(60, 4).map((sample) => {
      const vectors = Float64Array.from(sample.vectors);
      for (let c = 0; c < sample.ordinals.length; c++)
        vectors[c * FEATURES] = c === sample.target ? 0 : 25;
      return { sample: { ...sample, vectors }, weight: 1 };
    });
    const params = { ...DEFAULT_BOOST, trees: 1, depth: 1, minLeaf: 10 };
    const leaves = (l2: number) => {
      const [tree] = boost(far, FEATURES, start, { ...params, l2 });
      return tree!.value.filter((_, node) => tree!.feature[node]! < 0);
    };
    const bare = Math.max(...leaves(0).map(Math.abs));
    const damped = Math.max(...leaves(DEFAULT_BOOST.l2).map(Math.abs));
    expect(bare).toBeGreaterThan(1e6);
    expect(damped).toBeGreaterThan(0);
    expect(damped).toBeLessThan(bare / 1000);
  });

  it("is deterministic", () => {
    const train = queries(50, 3).map((sample) => ({ sample, weight: 1 }));
    const params = { ...DEFAULT_BOOST, trees: 5, minLeaf: 10 };
    expect(boost(train, FEATURES, start, params)).toEqual(boost(train, FEATURES, start, params));
  });
});
