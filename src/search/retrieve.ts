/**
 * Top-k retrieval: finding the documents that can reach a page without scoring every match in
 * full. `execute.ts` picks a strategy; each leaves scores in the scratch space and returns the
 * documents scored in full (the candidates the ranking orders).
 */
import type { LoadedIndex } from "../index/index.js";
import { addWord, type Bm25Params, lookupWord, type ScoredWord, type Scratch } from "./score.js";
import type { Strategy } from "./types.js";

/** Words by the most they can add, highest first: the order every strategy sums them in. */
export function byUpperBound(words: ScoredWord[]): ScoredWord[] {
  return [...words].sort((a, b) => b.upper - a.upper);
}

/** What a strategy works with: the query's words, the scratch space, the page's depth. */
export interface Retrieval {
  index: LoadedIndex;
  words: ScoredWord[];
  bm25: Bm25Params;
  scratch: Scratch;
  /** Whether a document passes the query's filters; none when there are none. */
  allowed: ((doc: number) => boolean) | undefined;
  /** Documents whose scratch entries were set (emptied by the caller). */
  touched: number[];
  /** How many documents the page and the proximity re-ranking need. */
  depth: number;
  late: () => boolean;
}

export interface Found {
  strategy: Strategy;
  candidates: number[];
}

/**
 * For queries whose documents holding every word come first: those documents when there are
 * `depth` of them (`conjunctive`), else MaxScore for the best of the others, with the few
 * holding every word scored in full beside them. The best `depth − n` documents without every
 * word are among the best `depth` by score, so MaxScore over `depth` finds them. Before, this
 * case scored every match in full: a rare word beside a common one (`anticonstitutionnel
 * est`, 48,000 matches on the Littré) took 15–19 ms.
 */
export function allWordsThenMaxScore(r: Retrieval): Found {
  const { index, words, bm25, scratch, touched } = r;
  const all = conjunctive(r);
  if (!Array.isArray(all)) return all;
  const found = maxScore(r);
  // Read whole, every word scored every match: nothing is missing.
  if (found.strategy === "exhaustive" || all.length === 0) return found;
  const scored = new Set(found.candidates);
  const missing = all.filter((doc) => !scored.has(doc));
  if (missing.length === 0) return found;
  const { total, matched } = scratch;
  for (const doc of missing) {
    // It may hold a partial sum from the words MaxScore read whole: start it again.
    total[doc] = 0;
    matched[doc] = 0;
    touched.push(doc);
  }
  for (const word of words) {
    const scores = lookupWord(index.postings, word, bm25, missing);
    for (let i = 0; i < missing.length; i++) {
      if (scores[i]! <= 0) continue;
      total[missing[i]!]! += scores[i]!;
      matched[missing[i]!]!++;
    }
  }
  return { strategy: found.strategy, candidates: [...found.candidates, ...missing] };
}

/**
 * Documents holding every word, when at least `depth` of them pass the filters: they outrank
 * all others, so only they are scored. The rarest word is read whole; each other word is
 * sought in its documents only. Fewer than `depth`: those few (ascending), with the scratch
 * emptied, for the caller to find the others.
 */
function conjunctive(r: Retrieval): Found | number[] {
  const { index, words, bm25, scratch, allowed, touched, depth, late } = r;
  const { postings } = index;
  const { total, matched } = scratch;
  const cheapest = [...words].sort((a, b) => a.postings - b.postings);
  addWord(postings, cheapest[0]!, bm25, scratch, allowed, touched);
  let candidates = [...touched].sort((a, b) => a - b);
  for (let w = 1; w < cheapest.length && candidates.length >= depth; w++) {
    if (late()) break;
    const scores = lookupWord(postings, cheapest[w]!, bm25, candidates);
    const kept: number[] = [];
    for (let i = 0; i < candidates.length; i++) {
      if (scores[i]! <= 0) continue;
      const doc = candidates[i]!;
      total[doc]! += scores[i]!;
      matched[doc]!++;
      kept.push(doc);
    }
    candidates = kept;
  }
  if (candidates.length >= depth) return { strategy: "conjunctive", candidates };
  // Too few hold every word: start again over every match (the scratch is emptied first).
  for (const doc of touched) {
    total[doc] = 0;
    matched[doc] = 0;
  }
  touched.length = 0;
  return candidates;
}

/**
 * MaxScore, term at a time (Turtle & Flood 1995): words are read whole, highest bound first,
 * until what the remaining words could add together cannot lift a document that none of the
 * read words matched to the page's last score; from then on the remaining words are only
 * sought in the documents that can still reach the page.
 */
export function maxScore(r: Retrieval): Found {
  const { index, words, bm25, scratch, allowed, touched, depth, late } = r;
  const { postings } = index;
  const { total, matched } = scratch;
  const ordered = byUpperBound(words);
  let remaining = ordered.reduce((sum, word) => sum + word.upper, 0);
  let read = 0;
  let threshold = Number.NEGATIVE_INFINITY;
  while (read < ordered.length) {
    if (late()) return { strategy: "maxscore", candidates: touched };
    addWord(postings, ordered[read]!, bm25, scratch, allowed, touched);
    remaining -= ordered[read]!.upper;
    read++;
    if (read === ordered.length) break;
    threshold = kthLargest(touched, total, depth, remaining);
    if (remaining < threshold) break;
  }
  // Every word read whole: nothing was skipped.
  if (read === ordered.length) return { strategy: "exhaustive", candidates: touched };
  const candidates = touched
    .filter((doc) => total[doc]! + remaining >= threshold)
    .sort((a, b) => a - b);
  for (let w = read; w < ordered.length; w++) {
    if (late()) break;
    const scores = lookupWord(postings, ordered[w]!, bm25, candidates);
    for (let i = 0; i < candidates.length; i++) {
      if (scores[i]! <= 0) continue;
      const doc = candidates[i]!;
      total[doc]! += scores[i]!;
      matched[doc]!++;
    }
  }
  return { strategy: "maxscore", candidates };
}

/**
 * The `k`-th largest score among `docs` when it is above `bound`, else −∞ (MaxScore cannot
 * stop there, and reads on): only the scores above the bound are gathered and selected from.
 * Selecting among all of them allocated and partitioned a common word's 47,000 scores after
 * each word read, a tenth of `montrée terme est` on the Littré, where a handful pass the bound.
 */
function kthLargest(
  docs: readonly number[],
  scores: Float64Array,
  k: number,
  bound: number,
): number {
  if (docs.length < k) return Number.NEGATIVE_INFINITY;
  let above = 0;
  for (const doc of docs) if (scores[doc]! > bound) above++;
  if (above < k) return Number.NEGATIVE_INFINITY;
  const values = new Float64Array(above);
  let n = 0;
  for (const doc of docs) if (scores[doc]! > bound) values[n++] = scores[doc]!;
  return select(values, above - k);
}

/** The value that would stand at `n` if `values` were sorted (quickselect, Hoare's partition). */
function select(values: Float64Array, n: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const pivot = values[(low + high) >>> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (n <= j) high = j;
    else if (n >= i) low = i;
    else return values[n]!;
  }
  return values[n]!;
}
