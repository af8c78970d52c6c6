/**
 * Top-k retrieval: finding the documents that can reach a page without scoring every match in
 * full. `execute.ts` picks a strategy; each leaves scores in the scratch space and returns the
 * documents scored in full (the candidates the ranking orders).
 */
import { type Champion, type LoadedIndex, type Postings, select } from "../index/index.js";
import { DocList } from "./doc-list.js";
import {
  addLooked,
  addWord,
  type Bm25Params,
  lookupWord,
  type ScoredAlternative,
  type ScoredWord,
  type Scratch,
} from "./score.js";
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
  touched: DocList;
  /** How many documents the page and the proximity re-ranking need. */
  depth: number;
  /** Whether documents holding every word rank before the others (`rank`). */
  allWordsFirst: boolean;
  late: () => boolean;
}

export interface Found {
  strategy: Strategy;
  /**
   * The documents scored in full, always typed (strategies hand over their DocList's view):
   * with views from some strategies and arrays from others, the ranking step of a first-seen
   * Littré query took 322–355 µs against 286–291 with views only (.scratch A/B, 2026-12-07).
   */
  candidates: Uint32Array;
  /** How many documents match, when the strategy counted them without reading every list. */
  total?: number;
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
  if (!(all instanceof Uint32Array)) return all;
  const found = maxScore(r);
  // Read whole, every word scored every match: nothing is missing.
  if (found.strategy === "exhaustive" || all.length === 0) return found;
  // Fewer than `depth` documents hold every word; MaxScore's candidates may be thousands, in
  // ascending order unless the search ran out of time: each of the few is sought in them
  // rather than every candidate put in a set.
  const scored = isAscending(found.candidates) ? found.candidates : found.candidates.slice().sort();
  const missing = all.filter((doc) => !holds(scored, doc));
  if (missing.length === 0) return found;
  const { total, matched } = scratch;
  for (const doc of missing) {
    // It may hold a partial sum from the words MaxScore read whole: start it again.
    total[doc] = 0;
    matched[doc] = 0;
    touched.push(doc);
  }
  for (const word of words) {
    addLooked(total, matched, missing, lookupWord(index.postings, word, bm25, missing));
  }
  const candidates = new Uint32Array(found.candidates.length + missing.length);
  candidates.set(found.candidates);
  candidates.set(missing, found.candidates.length);
  return { strategy: found.strategy, candidates };
}

/** Whether `docs` are in ascending order. */
function isAscending(docs: Uint32Array): boolean {
  for (let i = 1; i < docs.length; i++) if (docs[i - 1]! > docs[i]!) return false;
  return true;
}

/** Whether `doc` is in `docs`, ascending. */
function holds(docs: Uint32Array, doc: number): boolean {
  let low = 0;
  let high = docs.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (docs[mid]! < doc) low = mid + 1;
    else high = mid;
  }
  return low < docs.length && docs[low] === doc;
}

/**
 * Documents holding every word, when at least `depth` of them pass the filters: they outrank
 * all others, so only they are scored. The rarest word is read whole; each other word is
 * sought in its documents only. Fewer than `depth`: those few (ascending), with the scratch
 * emptied, for the caller to find the others.
 */
function conjunctive(r: Retrieval): Found | Uint32Array {
  const { index, words, bm25, scratch, allowed, touched, depth, late } = r;
  const { postings } = index;
  const { total, matched } = scratch;
  const cheapest = [...words].sort((a, b) => a.postings - b.postings);
  addWord(postings, cheapest[0]!, bm25, scratch, allowed, touched);
  // Sorted as a typed array, without a comparator to call for each pair, and narrowed in place.
  let candidates = touched.view().slice().sort();
  for (let w = 1; w < cheapest.length && candidates.length >= depth; w++) {
    if (late()) break;
    const scores = lookupWord(postings, cheapest[w]!, bm25, candidates);
    let kept = 0;
    for (let i = 0; i < candidates.length; i++) {
      if (scores[i]! <= 0) continue;
      const doc = candidates[i]!;
      total[doc]! += scores[i]!;
      matched[doc]!++;
      candidates[kept++] = doc;
    }
    candidates = candidates.subarray(0, kept);
  }
  if (candidates.length >= depth) return { strategy: "conjunctive", candidates };
  // Too few hold every word: start again over every match (the scratch is emptied first).
  for (const doc of touched.view()) {
    total[doc] = 0;
    matched[doc] = 0;
  }
  touched.clear();
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
    if (late()) return { strategy: "maxscore", candidates: touched.view() };
    addWord(postings, ordered[read]!, bm25, scratch, allowed, touched);
    remaining -= ordered[read]!.upper;
    read++;
    if (read === ordered.length) break;
    threshold = kthLargest(touched.view(), total, depth, remaining);
    if (remaining < threshold) break;
  }
  // Every word read whole: nothing was skipped.
  if (read === ordered.length) return { strategy: "exhaustive", candidates: touched.view() };
  const met = touched.view();
  let n = 0;
  for (const doc of met) if (total[doc]! + remaining >= threshold) n++;
  const candidates = new Uint32Array(n);
  n = 0;
  for (const doc of met) if (total[doc]! + remaining >= threshold) candidates[n++] = doc;
  candidates.sort();
  for (let w = read; w < ordered.length; w++) {
    if (late()) break;
    addLooked(total, matched, candidates, lookupWord(postings, ordered[w]!, bm25, candidates));
  }
  return { strategy: "maxscore", candidates };
}

/**
 * The `k`-th largest score among `docs` when it is above `bound`, else −∞ (MaxScore cannot
 * stop there, and reads on): only the scores above the bound are gathered and selected from.
 * Selecting among all of them allocated and partitioned a common word's 47,000 scores after
 * each word read, a tenth of `montrée terme est` on the Littré, where a handful pass the bound.
 */
function kthLargest(docs: Uint32Array, scores: Float64Array, k: number, bound: number): number {
  if (docs.length < k) return Number.NEGATIVE_INFINITY;
  let above = 0;
  for (const doc of docs) if (scores[doc]! > bound) above++;
  if (above < k) return Number.NEGATIVE_INFINITY;
  const values = new Float64Array(above);
  let n = 0;
  for (const doc of docs) if (scores[doc]! > bound) values[n++] = scores[doc]!;
  return select(values, above - k);
}

/**
 * How many times the postings of everything else in the query the champion term must hold.
 * Every other document found is sought in its list: on 300 Littré queries (each timed apart,
 * the best of four), reading from the champion list took 0.61× the time of reading every list
 * where the term held over 64 times the rest, 0.67× at 16–64, 0.74× at 8–16, 0.84× at 4–8,
 * 0.96× at 2–4 and 1.21× at 1–2 (.scratch A/B, 2026-12-07).
 */
const CHAMPION_SHARE = 4;

/**
 * And at least this many postings: on the benchmark corpus, whose commonest terms hold a few
 * thousand, reading from the lists with no floor raised retrieval's mean from 47 to 51 µs a
 * first-seen query; from 2,000 postings on, 46 (.scratch A/B, three rounds of 5,000 distinct
 * title queries, 2026-12-07).
 */
const CHAMPION_MIN_POSTINGS = 2000;

/** The alternative read from its champion list, and the query word it belongs to. */
export interface ChampionPlan {
  lead: number;
  alternative: number;
  champion: Champion;
}

/**
 * The alternative to read from its champion list (`champions.ts`): the one with the most
 * postings among those that have a list made with this scoring, when it holds
 * `CHAMPION_MIN_POSTINGS` and `CHAMPION_SHARE` times the postings of the rest. Undefined when
 * none does.
 */
export function championPlan(
  postings: Postings,
  words: readonly ScoredWord[],
  bm25: Bm25Params,
): ChampionPlan | undefined {
  if (!postings.scoredLike(bm25)) return undefined;
  let plan: ChampionPlan | undefined;
  let most = 0;
  let all = 0;
  for (let w = 0; w < words.length; w++) {
    const { alternatives } = words[w]!;
    for (let a = 0; a < alternatives.length; a++) {
      const size = listPostings(postings, alternatives[a]!);
      all += size;
      if (size <= most) continue;
      const champion = postings.champion(alternatives[a]!.alternative.term);
      if (champion === undefined) continue;
      plan = { lead: w, alternative: a, champion };
      most = size;
    }
  }
  if (plan === undefined || most < CHAMPION_MIN_POSTINGS) return undefined;
  return most >= CHAMPION_SHARE * (all - most) ? plan : undefined;
}

function listPostings(postings: Postings, alternative: ScoredAlternative): number {
  let size = 0;
  for (const { list } of alternative.lists) size += postings.size(list);
  return size;
}

/**
 * One common alternative from its champion list, everything else read whole. A document of
 * the common term's that holds nothing else of the query and is no champion scores that term
 * alone, at most the list's floor: when `depth` candidates rank above the floor, none of those
 * can reach the re-ranking's window or the page, and the total is counted from the list's
 * document count. Fewer (ties at the floor, a deep page): undefined, with the scratch emptied,
 * and the caller reads every list.
 */
export function championsFirst(r: Retrieval, plan: ChampionPlan): Found | undefined {
  const { index, words, bm25, scratch, touched, depth, late, allWordsFirst } = r;
  const { postings } = index;
  const { total, matched, wordScore } = scratch;
  const { lead, champion } = plan;
  for (let w = 0; w < words.length; w++) {
    if (w === lead) continue;
    if (late()) return { strategy: "champions", candidates: touched.view() };
    addWord(postings, words[w]!, bm25, scratch, undefined, touched);
  }
  const word = words[lead]!;
  const common = word.alternatives[plan.alternative]!;
  const rest = word.alternatives.filter((_, a) => a !== plan.alternative);
  // The word's other alternatives' best, per document, in `wordScore` (emptied below).
  const restDocs = new DocList(1024);
  let emptied = false;
  try {
    if (rest.length > 0) {
      addWord(
        postings,
        { alternatives: rest, upper: word.upper, postings: word.postings },
        bm25,
        scratch,
        undefined,
        restDocs,
        wordScore,
      );
    }
    const read = union(ascending(touched.view()), ascending(restDocs.view()));
    const candidates = union(read, champion.docs);
    const scores = lookupWord(
      postings,
      { alternatives: [common], upper: common.upper, postings: word.postings },
      bm25,
      candidates,
    );
    let both = 0;
    for (let i = 0; i < candidates.length; i++) {
      const doc = candidates[i]!;
      const wasRead = matched[doc]! > 0 || wordScore[doc]! > 0;
      if (wasRead && scores[i]! > 0) both++;
      const score = Math.max(scores[i]!, wordScore[doc]!);
      wordScore[doc] = 0;
      if (score <= 0) continue;
      if (matched[doc] === 0) touched.push(doc);
      total[doc]! += score;
      matched[doc]!++;
    }
    emptied = true;
    // What a document left out can score: the floor, scaled as this query weighs the term,
    // with room for rounding (the build and the search sum a document's fields alike).
    const bound = champion.floor * common.alternative.weight * (1 + 1e-9);
    const count = words.length;
    let above = 0;
    for (const doc of touched.view()) {
      if ((allWordsFirst && matched[doc] === count) || total[doc]! > bound) above++;
    }
    if (above >= depth) {
      return {
        strategy: "champions",
        candidates: touched.view(),
        total: read.length + champion.documents - both,
      };
    }
  } finally {
    if (!emptied) for (const doc of restDocs.view()) wordScore[doc] = 0;
  }
  for (const doc of touched.view()) {
    total[doc] = 0;
    matched[doc] = 0;
  }
  touched.clear();
  return undefined;
}

/** The union of two ascending sets of documents, ascending. */
function union(mine: ArrayLike<number>, theirs: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(mine.length + theirs.length);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < mine.length && j < theirs.length) {
    const a = mine[i]!;
    const b = theirs[j]!;
    if (a <= b) i++;
    if (b <= a) j++;
    out[n++] = Math.min(a, b);
  }
  while (i < mine.length) out[n++] = mine[i++]!;
  while (j < theirs.length) out[n++] = theirs[j++]!;
  return out.subarray(0, n);
}

/** A sorted copy (by value: a typed array sorts without a comparator to call). */
function ascending(docs: Uint32Array): Uint32Array {
  return docs.slice().sort();
}
