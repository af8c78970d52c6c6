/**
 * Champion lists (Manning, Raghavan & Schütze, §7.1.3), made at build time: for each term in
 * more than twice `CHAMPIONS` documents, its best `CHAMPIONS` documents by the term's own BM25
 * score, and the highest score among the documents left out (its `floor`).
 *
 * A query in which one such common word stands beside rarer ones need not read that word's
 * list: its documents holding none of the other words score that word alone, at most the
 * floor, so the best page lies among the other words' documents and the champions. The search
 * checks that at query time (`retrieve.ts`): at least a page's depth of candidates must score
 * above the floor, else it reads the list whole. On the Littré a rare word beside `est` read
 * the 46,336 postings of `est` to fill the re-ranking's window of 100.
 *
 * Scores depend on BM25's parameters: the file records those it was made with, and the search
 * uses the lists only when it scores with the same (`Postings.scoredLike`).
 */
import { FIELD_COUNT, STOPWORD_PREFIX } from "./fields.js";
import { select } from "./select.js";

/** Documents kept per term: the re-ranking's window (100) and a second page, with room for ties. */
export const CHAMPIONS = 160;

/** BM25 as the search scores a field (score.ts): k1, BM25+'s δ, and per field its weight and b. */
export interface ChampionScoring {
  k1: number;
  delta: number;
  /** By field id (0 title, 1 body). */
  fields: ReadonlyArray<{ weight: number; b: number }>;
}

/**
 * The ranking's BM25 (search/execute.ts, DEFAULT_RANKING.bm25), which the lists are made for:
 * a test holds the two equal, so a new default cannot leave the lists silently unused.
 */
export const CHAMPION_SCORING: ChampionScoring = {
  k1: 1.0,
  delta: 0,
  fields: [
    { weight: 1, b: 0.5 },
    { weight: 1, b: 0.9 },
  ],
};

/** The champion lists of an index, as built and as persisted (postings-file.ts). */
export interface ChampionData {
  /** The scoring they were made with: k1, δ, then weight and b per field. */
  scoring: Float64Array;
  /** Term ids (ranks in the sorted terms) that have a list, ascending. */
  terms: Uint32Array;
  /** `start[c]..start[c + 1]`: list `c`'s documents in `docs`, ascending ordinals. */
  start: Uint32Array;
  docs: Uint32Array;
  /** Per list, the highest score among the term's documents left out of it. */
  floor: Float64Array;
  /** Per list, how many documents hold the term in any field. */
  documents: Uint32Array;
}

/** What the lists are made from: the postings' own arrays. */
export interface ScoredPostings {
  terms: readonly string[];
  listStart: Uint32Array;
  docs: Uint32Array;
  tfs: Uint32Array;
  lengths: readonly Uint32Array[];
}

export function scoringNumbers(scoring: ChampionScoring): Float64Array {
  const numbers = new Float64Array(2 + 2 * FIELD_COUNT);
  numbers[0] = scoring.k1;
  numbers[1] = scoring.delta;
  for (let f = 0; f < FIELD_COUNT; f++) {
    numbers[2 + 2 * f] = scoring.fields[f]?.weight ?? 0;
    numbers[3 + 2 * f] = scoring.fields[f]?.b ?? 0;
  }
  return numbers;
}

/** The mean of `values`, as `Postings` computes BM25's average length. */
export function averageOf(values: Uint32Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  return values.length === 0 ? 0 : sum / values.length;
}

/**
 * Every common term's champion list, scored as the search scores one word (score.ts): terms in
 * `from` documents or fewer have none, since reading theirs whole costs about as much.
 */
export function championsOf(
  data: ScoredPostings,
  scoring: ChampionScoring = CHAMPION_SCORING,
  size = CHAMPIONS,
  from = 2 * size,
): ChampionData {
  const documents = data.lengths[0]?.length ?? 0;
  const averages = data.lengths.map((lengths) => averageOf(lengths) || 1);
  const { k1, delta } = scoring;
  const sum = new Float64Array(documents);
  const met = new Uint32Array(documents);
  const terms: number[] = [];
  const starts: number[] = [0];
  const docs: number[] = [];
  const floors: number[] = [];
  const counts: number[] = [];
  for (let term = 0; term < data.terms.length; term++) {
    let postings = 0;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const l = term * FIELD_COUNT + f;
      postings += data.listStart[l + 1]! - data.listStart[l]!;
    }
    // The union is at most the sum: a term in fewer postings cannot pass. Stopwords score
    // only in stopword-only queries, with a scoring of their own.
    if (postings <= from || data.terms[term]!.startsWith(STOPWORD_PREFIX)) continue;
    let n = 0;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const l = term * FIELD_COUNT + f;
      const begin = data.listStart[l]!;
      const end = data.listStart[l + 1]!;
      const df = end - begin;
      if (df === 0) continue;
      const { weight, b } = scoring.fields[f] ?? { weight: 0, b: 0 };
      const idf = Math.log(1 + (documents - df + 0.5) / (df + 0.5));
      const average = averages[f]!;
      const lengths = data.lengths[f]!;
      // The same operations, in the same order, as score.ts's sumLists.
      for (let p = begin; p < end; p++) {
        const doc = data.docs[p]!;
        const tf = data.tfs[p]!;
        const normalised = tf / (1 - b + (b * lengths[doc]!) / average);
        const score = weight * idf * (delta + (normalised * (k1 + 1)) / (normalised + k1));
        if (sum[doc] === 0) met[n++] = doc;
        sum[doc]! += score;
      }
    }
    if (n > from) {
      const { kept, floor } = best(met, n, sum, size);
      terms.push(term);
      for (const doc of kept) docs.push(doc);
      starts.push(docs.length);
      floors.push(floor);
      counts.push(n);
    }
    for (let i = 0; i < n; i++) sum[met[i]!] = 0;
  }
  return {
    scoring: scoringNumbers(scoring),
    terms: Uint32Array.from(terms),
    start: Uint32Array.from(starts),
    docs: Uint32Array.from(docs),
    floor: Float64Array.from(floors),
    documents: Uint32Array.from(counts),
  };
}

/**
 * The best `size` of `met[0..n)` by score, ties to the lower ordinal (the search's order), as
 * ascending ordinals, and the highest score among the rest. Linear: the size-th score is
 * selected, not the list sorted (`est` is in 46,325 documents of the Littré).
 */
function best(
  met: Uint32Array,
  n: number,
  sum: Float64Array,
  size: number,
): { kept: Uint32Array; floor: number } {
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = sum[met[i]!]!;
  const cut = select(scores, n - size);
  const kept: number[] = [];
  const tied: number[] = [];
  let floor = 0;
  for (let i = 0; i < n; i++) {
    const doc = met[i]!;
    const score = sum[doc]!;
    if (score > cut) kept.push(doc);
    else if (score === cut) tied.push(doc);
    else if (score > floor) floor = score;
  }
  tied.sort((a, b) => a - b);
  const room = size - kept.length;
  for (let i = 0; i < tied.length; i++) {
    if (i < room) kept.push(tied[i]!);
    else floor = cut;
  }
  return { kept: Uint32Array.from(kept).sort(), floor };
}
