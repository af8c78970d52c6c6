/**
 * Query-term weighting for long natural-language queries: in a 20-word summary most words are
 * noise (`vous`, `pouvez`, `bénéficier`), and BM25's idf alone lets them add up. Each word's
 * score is multiplied by a constant of its own, so its upper bound is multiplied too and top-k
 * pruning stays exact (the bound of `score.ts` scales with the alternative's weight).
 */
import type { ScoredWord } from "./score.js";

export interface QueryWeighting {
  /** Only queries of more than this many scored words are weighted (Infinity: off). */
  longerThan: number;
  /**
   * Each word × (its idf / the query's highest idf) ^ power: rare words keep their weight,
   * common ones fade (0: none).
   */
  idfPower: number;
  /**
   * Query-term frequency, BM25's k3: a word written n times weighs (k3 + 1)·n / (k3 + n)
   * (0: off; a word said twice in a summary is what it is about).
   */
  k3: number;
}

export const NO_QUERY_WEIGHTING: QueryWeighting = { longerThan: Infinity, idfPower: 0, k3: 0 };

/** A word's highest idf over its lists (its rarest field), 0 when it matches nothing. */
function idfOf(word: ScoredWord): number {
  let best = 0;
  for (const alternative of word.alternatives)
    for (const list of alternative.lists) if (list.idf > best) best = list.idf;
  return best;
}

/** `word` with every alternative's score multiplied by `factor` (and its bounds with it). */
export function scaleWord(word: ScoredWord, factor: number): ScoredWord {
  if (factor === 1) return word;
  return {
    ...word,
    upper: word.upper * factor,
    alternatives: word.alternatives.map((a) => ({
      ...a,
      alternative: { ...a.alternative, weight: a.alternative.weight * factor },
      upper: a.upper * factor,
    })),
  };
}

/**
 * The words of a query, each weighted: `counts[i]` is how many times word i was written.
 * Unchanged when the query is not longer than `longerThan`.
 */
export function weighWords(
  words: ScoredWord[],
  counts: readonly number[],
  params: QueryWeighting,
): ScoredWord[] {
  if (words.length <= params.longerThan) return words;
  const idfs = words.map(idfOf);
  const top = Math.max(0, ...idfs);
  // Pushed, not `map`ped: packed elements whatever the query (execute.ts, `preparedWords`).
  const weighted: ScoredWord[] = [];
  for (let i = 0; i < words.length; i++) {
    let factor = 1;
    if (params.idfPower > 0 && top > 0) factor *= (idfs[i]! / top) ** params.idfPower;
    const n = counts[i] ?? 1;
    if (params.k3 > 0) factor *= ((params.k3 + 1) * n) / (params.k3 + n);
    weighted.push(scaleWord(words[i]!, factor));
  }
  return weighted;
}
