/**
 * The candidate ranking settings the harness chooses among, and the levers it measures. Both
 * are plain data over loupe's public `RankingParams` (src/search/execute.ts); a renamed field
 * is a change here only.
 */
import { DEFAULT_RANKING, type LoupeEngine, type RankingParams } from "../../src/search/index.js";

export interface Setting {
  name: string;
  ranking: RankingParams;
}

interface Tweak {
  k1?: number;
  titleWeight?: number;
  titleB?: number;
  bodyB?: number;
  allWordsFirstUpTo?: number;
  delta?: number;
}

/** A copy of `base` with the given BM25 and field values changed. */
export function tweak(base: RankingParams, t: Tweak): RankingParams {
  return {
    ...base,
    ...(t.allWordsFirstUpTo !== undefined && { allWordsFirstUpTo: t.allWordsFirstUpTo }),
    bm25: {
      ...base.bm25,
      ...(t.k1 !== undefined && { k1: t.k1 }),
      ...(t.delta !== undefined && { delta: t.delta }),
      fields: base.bm25.fields.map((f) => {
        if (f.field === "title")
          return {
            ...f,
            ...(t.titleWeight !== undefined && { weight: t.titleWeight }),
            ...(t.titleB !== undefined && { b: t.titleB }),
          };
        if (f.field === "body") return { ...f, ...(t.bodyB !== undefined && { b: t.bodyB }) };
        return f;
      }),
    },
  };
}

const name = (t: Tweak) =>
  Object.entries(t)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ") || "default";

/**
 * `small` (the default): k1 × title weight × body b, 2 × 2 × 2, and DEFAULT_RANKING first (ties
 * keep the default): 9 settings, about a minute each on a loaded 2-core machine (6,507 queries).
 * `wide` crosses five, 3 × 3 × 2 × 2 × 2 = 72 settings (over an hour there).
 */
export function grid(kind: "none" | "small" | "wide"): Setting[] {
  const out: Setting[] = [{ name: "default", ranking: DEFAULT_RANKING }];
  if (kind === "none") return out;
  const tweaks: Tweak[] = [];
  if (kind === "small") {
    for (const k1 of [0.8, 1.2])
      for (const titleWeight of [1, 2])
        for (const bodyB of [0.75, 0.9]) tweaks.push({ k1, titleWeight, bodyB });
  } else {
    for (const k1 of [0.8, 1.0, 1.2])
      for (const titleWeight of [1, 1.5, 2])
        for (const titleB of [0.3, 0.5])
          for (const bodyB of [0.75, 0.9])
            for (const allWordsFirstUpTo of [2, 4]) {
              tweaks.push({ k1, titleWeight, titleB, bodyB, allWordsFirstUpTo });
            }
  }
  for (const t of tweaks) {
    const ranking = tweak(DEFAULT_RANKING, t);
    if (JSON.stringify(ranking) === JSON.stringify(DEFAULT_RANKING)) continue;
    out.push({ name: name(t), ranking });
  }
  return out;
}

/** How a lever's variant searches: top ids for a query, given the engine built for it. */
export type Searcher = (engine: LoupeEngine, query: string, limit: number) => string[];

export interface LeverVariant {
  name: string;
  /** The ranking this variant runs with, from the base setting. */
  ranking?: (base: RankingParams) => RankingParams;
  /** A different way to call the engine (an engine or query option), when not only ranking. */
  search?: Searcher;
}

export interface Lever {
  name: string;
  description: string;
  variants: LeverVariant[];
}

const proximity = (base: RankingParams, p: Partial<RankingParams["proximity"]>): RankingParams => ({
  ...base,
  proximity: { ...base.proximity, ...p },
});

const expansion = (base: RankingParams, e: Partial<RankingParams["expansion"]>): RankingParams => ({
  ...base,
  expansion: { ...base.expansion, ...e },
});

/**
 * Levers, each measured against the base setting with cross-validation: per fold, the base or
 * one of the variants is chosen on the training part and judged on the held-out part. To add
 * one, append an entry: a name, what it does, and one or more variants (a `ranking` function
 * from the base, or a `search` function for an engine or query option).
 */
export const LEVERS: Lever[] = [
  {
    name: "title-weight",
    description: "title field weight (titles are short and name the topic)",
    variants: [1.5, 2, 3].map((w) => ({
      name: `title weight ${w}`,
      ranking: (base) => tweak(base, { titleWeight: w }),
    })),
  },
  {
    name: "length-norm",
    description: "length normalisation b of the title and the body",
    variants: [
      { name: "title b 0.2", ranking: (base) => tweak(base, { titleB: 0.2 }) },
      { name: "title b 0.8", ranking: (base) => tweak(base, { titleB: 0.8 }) },
      { name: "body b 0.6", ranking: (base) => tweak(base, { bodyB: 0.6 }) },
    ],
  },
  {
    name: "bm25f",
    description: "BM25F (fields summed before saturation) instead of per-field BM25",
    variants: [
      { name: "BM25F", ranking: (base) => ({ ...base, bm25: { ...base.bm25, perField: false } }) },
    ],
  },
  {
    name: "coordination",
    description: "score × number of query words matched (MiniSearch's way)",
    variants: [{ name: "coordination", ranking: (base) => ({ ...base, coordination: true }) }],
  },
  {
    name: "all-words-first",
    description: "documents holding every query word first, in queries up to N words",
    variants: [1, 3, 8].map((n) => ({
      name: n === 1 ? "off" : `up to ${n} words`,
      ranking: (base) => ({ ...base, allWordsFirstUpTo: n }),
    })),
  },
  {
    name: "typing-prefix",
    description: "the last word as a prefix (as typed in a search box)",
    variants: [
      { name: "off", ranking: (base) => expansion(base, { typingPrefixUpTo: 0 }) },
      { name: "up to 6 words", ranking: (base) => expansion(base, { typingPrefixUpTo: 6 }) },
    ],
  },
  {
    name: "typos",
    description: "typo tolerance (fuzzy matches of query words)",
    variants: [{ name: "off", ranking: (base) => expansion(base, { maxFuzzyTerms: 0 }) }],
  },
  {
    name: "query-cut",
    description:
      "a query option: long natural-language queries cut to their first N words before searching",
    variants: [12, 16].map((n) => ({
      name: `first ${n} words`,
      search: (engine, query, limit) =>
        engine
          .search(query.split(/\s+/u).slice(0, n).join(" "), { limit })
          .hits.map((hit) => hit.id),
    })),
  },
  {
    name: "proximity-weight",
    description: "what a pair of query words side by side adds (× its rarer word's idf)",
    variants: [0, 0.25, 1, 2].map((weight) => ({
      name: weight === 0 ? "off" : `weight ${weight}`,
      ranking: (base) => proximity(base, { weight }),
    })),
  },
  {
    name: "proximity-window",
    description: "pairs farther apart than this many words add nothing",
    variants: [3, 16].map((window) => ({
      name: `window ${window}`,
      ranking: (base) => proximity(base, { window }),
    })),
  },
  {
    name: "k1",
    description: "BM25 term-frequency saturation k1",
    variants: [0.7, 1.2, 1.6].map((k1) => ({
      name: `k1 ${k1}`,
      ranking: (base) => tweak(base, { k1 }),
    })),
  },
  {
    name: "delta",
    description: "BM25+'s lower bound δ for a matching term",
    variants: [0, 0.5, 1]
      .filter((delta) => delta !== DEFAULT_RANKING.bm25.delta)
      .map((delta) => ({
        name: `δ ${delta}`,
        ranking: (base) => tweak(base, { delta }),
      })),
  },
  // Also measured (bench/results/explore/step2.md, base δ 0): idf^2 over 8 words −0.007 and
  // idf^1 over 4 words −0.005 CV objective (known items −0.014, −0.010): idf already does it.
  {
    name: "query-weighting",
    description:
      "long queries: each word × (idf / the query's highest idf)^p, and × BM25's k3 saturation of how often it is written",
    variants: [
      { name: "idf^1 over 8 words", q: { longerThan: 8, idfPower: 1, k3: 0 } },
      { name: "idf^0.5 over 4 words", q: { longerThan: 4, idfPower: 0.5, k3: 0 } },
      { name: "k3 2 over 4 words", q: { longerThan: 4, idfPower: 0, k3: 2 } },
    ].map(({ name, q }) => ({ name, ranking: (base) => ({ ...base, queryWeighting: q }) })),
  },
  // Also measured (explore/step2): every query word in the title, ×1 or ×3: ±0.000 (these sets
  // leave the title's words out of their short queries, so it rarely fires).
  {
    name: "title-match",
    description:
      "short queries: a bonus in the re-ranked few for a title the query covers (× mean idf × share of query words in it × share of its terms matched)",
    variants: [{ name: "share, ×1, ≤ 4 words", t: { weight: 1, upTo: 4, requireAll: false } }].map(
      ({ name, t }) => ({ name, ranking: (base) => ({ ...base, titleMatch: t }) }),
    ),
  },
  {
    name: "body-b",
    description:
      "full length normalisation of bodies (long man pages such as bash(1) match every word)",
    variants: [0.9, 0.95, 1]
      .filter((bodyB) => bodyB !== DEFAULT_RANKING.bm25.fields.find((f) => f.field === "body")?.b)
      .map((bodyB) => ({
        name: `body b ${bodyB}`,
        ranking: (base) => tweak(base, { bodyB }),
      })),
  },
  {
    name: "expansion-weights",
    description: "what a prefix or a typo match weighs against the word itself",
    variants: [{ name: "prefix 0.5", ranking: (base) => expansion(base, { prefixWeight: 0.5 }) }],
  },
  // Also measured (explore/step2–3): weight 3 with the window of 8 as window 3 (+0.035), weight
  // 3 window 1 +0.011 (short-man −0.033), weight 2 up to 7 words +0.030.
  {
    name: "proximity-short",
    description:
      "a proximity weight of its own for short queries (weight 2 gave short-sp +0.108 but 16+ words −0.013)",
    variants: [
      { upTo: 4, weight: 3, window: 3 },
      { upTo: 4, weight: 2, window: 2 },
    ].map((short) => ({
      name: `weight ${short.weight}${short.window ? ` window ${short.window}` : ""} up to ${short.upTo} words`,
      ranking: (base) => proximity(base, { short }),
    })),
  },
  {
    name: "rerank-short",
    description:
      "how many of the best by BM25 short queries re-rank (learned model or proximity); longer ones keep `proximity.rerank`",
    variants: [
      { name: "50 (as long queries)", ranking: (base) => withoutShortRerank(base) },
      ...[150, 200].map((depth) => ({
        name: `${depth} up to 4 words`,
        ranking: (base: RankingParams) => ({ ...base, shortRerank: { upTo: 4, depth } }),
      })),
    ],
  },
];

function withoutShortRerank(base: RankingParams): RankingParams {
  const { shortRerank: _, ...rest } = base;
  return rest;
}
