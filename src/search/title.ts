/**
 * A title signal for the best few documents of a short query: keyword queries often name a
 * title (`mprotect`, `carte grise`), and per-field BM25 sees the title words but not whether
 * the query covers the title. Like proximity, it re-ranks only the first `rerank` documents by
 * score, the same in every top-k strategy, so pruning never changes the page.
 */
import type { Postings } from "../index/index.js";
import type { ScoredWord } from "./score.js";

export interface TitleMatch {
  /** What a query covering a whole title adds, times the query words' mean idf (0: off). */
  weight: number;
  /** Only queries of up to this many scored words. */
  upTo: number;
  /** Only when every query word is in the title; else in proportion to those that are. */
  requireAll: boolean;
}

export const NO_TITLE_MATCH: TitleMatch = { weight: 0, upTo: 0, requireAll: true };

const TITLE = 0;

/** Whether any of the word's alternatives has the document in its title list. */
function inTitle(postings: Postings, word: ScoredWord, doc: number): boolean {
  for (const alternative of word.alternatives) {
    for (const list of alternative.lists) {
      if (list.field !== TITLE) continue;
      if (postings.cursor(list.list).seek(doc) === doc) return true;
    }
  }
  return false;
}

/**
 * The bonus: weight × mean idf × (share of the query words in the title) × (share of the
 * title's terms that are query words, at most 1).
 */
export function titleBonus(
  postings: Postings,
  words: readonly ScoredWord[],
  doc: number,
  params: TitleMatch,
): number {
  if (params.weight <= 0 || words.length === 0 || words.length > params.upTo) return 0;
  let found = 0;
  let idf = 0;
  for (const word of words) {
    let best = 0;
    for (const a of word.alternatives) for (const l of a.lists) if (l.idf > best) best = l.idf;
    idf += best;
    if (inTitle(postings, word, doc)) found++;
  }
  if (found === 0 || (params.requireAll && found < words.length)) return 0;
  const length = postings.data.lengths[TITLE]![doc]! || 1;
  const coverage = Math.min(1, found / length);
  return params.weight * (idf / words.length) * (found / words.length) * coverage;
}
