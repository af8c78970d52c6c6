/**
 * Scoring query words over loupe's posting lists: BM25 per field, with BM25+'s lower bound,
 * each field with its own document frequency, added over fields.
 *
 * Per field beat BM25F (fields weighted before saturation) on the benchmark's known-item
 * queries: a word rare among titles weighs more in a title than in a body (bench/). A query
 * word scores a document by the best of its alternatives (its own term, else prefix or typo
 * matches, weighted lower); a document's score sums its words.
 *
 * Every list has an upper bound of what it can add to a score, from two numbers kept at build
 * time (its highest frequency, and highest frequency per unit of length): whatever k1 and b
 * the ranking uses, 1 − b + b·len/avg ≥ min(1, len/avg), so tf' ≤ max(tf, tf·avg/len). Those
 * bounds let top-k retrieval skip what cannot reach the page (`topk.ts`).
 */
import { type Postings, stopwordKey } from "../index/index.js";
import { DocList } from "./doc-list.js";
import type { Alternative } from "./expand.js";
import type { Bm25Params, FieldWeight } from "./types.js";

export type { Bm25Params, FieldWeight };

const FIELD_IDS: Record<FieldWeight["field"], number> = { title: 0, body: 1 };

/** One posting list of one alternative, with what scoring it needs. */
export interface ScoredList {
  list: number;
  field: number;
  weight: number;
  idf: number;
  b: number;
  average: number;
  lengths: Uint32Array;
  /** The most this list adds to a document's score (before the alternative's weight). */
  upper: number;
}

export interface ScoredAlternative {
  alternative: Alternative;
  lists: ScoredList[];
  /** Sum of its lists' bounds, times its weight. */
  upper: number;
}

/** A query word ready to score: its alternatives' lists, and the most it can add to a score. */
export interface ScoredWord {
  alternatives: ScoredAlternative[];
  upper: number;
  /** Postings over all its lists: what a full pass costs. */
  postings: number;
}

/** How stopword-only queries score: their own keys, frequency counted, lengths in words. */
export interface ScoringMode {
  bm25: Bm25Params;
  stopwords: boolean;
}

export function prepareWord(
  postings: Postings,
  alternatives: readonly Alternative[],
  mode: ScoringMode,
): ScoredWord {
  const { k1, delta } = mode.bm25;
  const saturate = (tf: number) => delta + (tf * (k1 + 1)) / (tf + k1);
  const N = postings.documentCount;
  let upper = 0;
  let total = 0;
  // Pushed into a new array, not made by `map` and `filter`: in a few queries (one in about
  // 1,500 on the Littré) they gave an array of holey elements, whose map, new to the optimised
  // code of every function reading a word's alternatives, threw a dozen of them away at once
  // (`--trace-deopt`, "wrong map"); pushes give packed elements whatever the query.
  const kept: ScoredAlternative[] = [];
  for (const alternative of alternatives) {
    const stopword = mode.stopwords || alternative.stopword === true;
    const key = stopword ? stopwordKey(alternative.term) : alternative.term;
    const lists: ScoredList[] = [];
    let sum = 0;
    for (const { field, weight, b } of mode.bm25.fields) {
      const f = FIELD_IDS[field];
      const list = postings.list(key, f);
      const df = postings.size(list);
      if (df === 0) continue;
      const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
      const average = (stopword ? postings.averageWords[f] : postings.averageLength[f]) || 1;
      const top = Math.max(
        postings.data.maxTf[list]!,
        postings.data.maxTfPerLength[list]! * average,
      );
      const bound = weight * idf * saturate(top) * (1 + 1e-9);
      const lengths = (stopword ? postings.data.words : postings.data.lengths)[f]!;
      lists.push({ list, field: f, weight, idf, b, average, lengths, upper: bound });
      sum += bound;
      total += df;
    }
    const best = sum * alternative.weight;
    if (best > upper) upper = best;
    if (lists.length > 0) kept.push({ alternative, lists, upper: best });
  }
  return { alternatives: kept, upper, postings: total };
}

/** The score one posting brings: BM25+ of one field. */
export function postingScore(
  list: ScoredList,
  tf: number,
  doc: number,
  k1: number,
  delta: number,
): number {
  const normalised = tf / (1 - list.b + (list.b * list.lengths[doc]!) / list.average);
  return list.weight * list.idf * (delta + (normalised * (k1 + 1)) / (normalised + k1));
}

/**
 * Scratch space reused from query to query, sized to the index: per-document sums without a
 * Map or an allocation per posting (allocating them per query fed the garbage collector, whose
 * pauses set the latency tail). Every per-document array is all zeros between uses; whoever
 * fills one empties it before returning, even on a throw (the two lists of documents met are
 * written before they are read, and left as they are). Searches are synchronous, so one
 * workspace per index is never in use twice at once.
 */
export class Scratch {
  /** Per document, for a whole query: the score so far and the words matched. */
  readonly total: Float64Array;
  readonly matched: Uint8Array;
  /** One word's best alternative, and one alternative's sum over fields. */
  readonly best: Float64Array;
  readonly sum: Float64Array;
  /** 1 for a document that passes the query's filters (phrases, exclusions, dates). */
  readonly mark: Uint8Array;
  readonly phrase: Float64Array;
  /** One word's best alternative beside the one read from its champion list (`retrieve.ts`). */
  readonly wordScore: Float64Array;
  /** 1 for a document already counted among the matches (`total`, facets). */
  readonly seen: Uint8Array;
  /**
   * Lists, not per-document entries: the documents one alternative met, and one word met, in
   * the order met (`addWord`), typed and sized to the index, where arrays grown push by push
   * took a fifth of a common word's time.
   */
  readonly altTouched: Uint32Array;
  readonly wordTouched: Uint32Array;
  /** The documents a query scored (`addWord`), emptied by the query when it ends. */
  readonly touched: DocList;
  constructor(size: number) {
    this.total = new Float64Array(size);
    this.matched = new Uint8Array(size);
    this.best = new Float64Array(size);
    this.sum = new Float64Array(size);
    this.mark = new Uint8Array(size);
    this.phrase = new Float64Array(size);
    this.wordScore = new Float64Array(size);
    this.seen = new Uint8Array(size);
    this.altTouched = new Uint32Array(size);
    this.wordTouched = new Uint32Array(size);
    this.touched = new DocList(size);
  }
}

const scratches = new WeakMap<Postings, Scratch>();

export function scratchFor(postings: Postings): Scratch {
  let scratch = scratches.get(postings);
  if (scratch === undefined) {
    scratch = new Scratch(postings.documentCount);
    scratches.set(postings, scratch);
  }
  return scratch;
}

/**
 * Adds a word's score to `scratch.total` for every document of its lists that `allowed` lets
 * through (every one without it: a call per posting was a tenth of a common word's time),
 * counting it in `matched`; documents newly scored go to `touched`. With
 * `into` (and no counting), the score goes there instead: phrase words, which add to a
 * score without being query words.
 */
export function addWord(
  postings: Postings,
  word: ScoredWord,
  bm25: Bm25Params,
  scratch: Scratch,
  allowed: ((doc: number) => boolean) | undefined,
  touched: DocList,
  into?: Float64Array,
): void {
  const { best, sum, total, matched } = scratch;
  // Each pass empties the entries it reads; the `finally` blocks empty them again only when a
  // pass threw half-way. Emptying them in passes of their own read a common word's documents
  // twice more (Littré: `est` as a prefix, 23 alternatives, 65,000 postings).
  let done = false;
  const altTouched = scratch.altTouched;
  if (word.alternatives.length === 1 && into === undefined) {
    // One alternative (most words): its sum is the word's best, added straight to the total
    // without the pass through `best` (Littré: a common word's 46,000 documents twice over).
    const { alternative, lists } = word.alternatives[0]!;
    if (lists.length <= 2) {
      mergeLists(postings, lists, alternative.weight, bm25, scratch, allowed, touched, 0);
      return;
    }
    try {
      const n = sumLists(postings, lists, bm25, sum, allowed, scratch);
      for (let i = 0; i < n; i++) {
        const doc = altTouched[i]!;
        const score = sum[doc]! * alternative.weight;
        sum[doc] = 0;
        if (matched[doc] === 0) touched.push(doc);
        total[doc]! += score;
        matched[doc]!++;
      }
      done = true;
    } finally {
      if (!done) sum.fill(0);
    }
    return;
  }
  const wordTouched = scratch.wordTouched;
  let met = 0;
  try {
    for (const { alternative, lists } of word.alternatives) {
      if (lists.length <= 2) {
        met = mergeLists(
          postings,
          lists,
          alternative.weight,
          bm25,
          scratch,
          allowed,
          undefined,
          met,
        );
        continue;
      }
      const n = sumLists(postings, lists, bm25, sum, allowed, scratch);
      for (let i = 0; i < n; i++) {
        const doc = altTouched[i]!;
        const score = sum[doc]! * alternative.weight;
        sum[doc] = 0;
        if (best[doc] === 0 && met < wordTouched.length) wordTouched[met++] = doc;
        if (score > best[doc]!) best[doc] = score;
      }
    }
    if (into === undefined) {
      for (let i = 0; i < met; i++) {
        const doc = wordTouched[i]!;
        if (matched[doc] === 0) touched.push(doc);
        total[doc]! += best[doc]!;
        best[doc] = 0;
        matched[doc]!++;
      }
    } else {
      for (let i = 0; i < met; i++) {
        const doc = wordTouched[i]!;
        if (into[doc] === 0) touched.push(doc);
        into[doc]! += best[doc]!;
        best[doc] = 0;
      }
    }
    done = true;
  } finally {
    if (!done) {
      sum.fill(0);
      best.fill(0);
    }
  }
}

/**
 * One alternative of one or two lists (a word's title and body), its lists read side by side
 * in document order, each document's sum made in a register: with `touched`, added to the
 * totals (the word's only alternative); without, kept in `best` where it beats the word's
 * other alternatives, the documents first met written to `wordTouched` from `met` on (the
 * count returned). Summing into `sum` list after list, then reading it back, read and wrote
 * arrays at random places several times per posting (the Littré's two- and three-word queries
 * read every list whole: MaxScore's bound stops none of them). The same additions in the same
 * order as `sumLists`: the first list's score, then the second's, times the weight.
 */
function mergeLists(
  postings: Postings,
  lists: readonly ScoredList[],
  weight: number,
  bm25: Bm25Params,
  scratch: Scratch,
  allowed: ((doc: number) => boolean) | undefined,
  touched: DocList | undefined,
  met: number,
): number {
  if (lists.length === 0) return met;
  const { docs, tfs, listStart } = postings.data;
  const { k1, delta } = bm25;
  const { total, matched, best, wordTouched } = scratch;
  const a = lists[0]!;
  const b = lists.length > 1 ? lists[1]! : a;
  let i = listStart[a.list]!;
  const iEnd = listStart[a.list + 1]!;
  let j = lists.length > 1 ? listStart[b.list]! : 0;
  const jEnd = lists.length > 1 ? listStart[b.list + 1]! : 0;
  const aFactor = a.weight * a.idf;
  const bFactor = b.weight * b.idf;
  while (i < iEnd || j < jEnd) {
    const da = i < iEnd ? docs[i]! : 0xffffffff;
    const db = j < jEnd ? docs[j]! : 0xffffffff;
    const doc = Math.min(da, db);
    let sum = 0;
    if (da === doc) {
      const normalised = tfs[i]! / (1 - a.b + (a.b * a.lengths[doc]!) / a.average);
      sum += aFactor * (delta + (normalised * (k1 + 1)) / (normalised + k1));
      i++;
    }
    if (db === doc) {
      const normalised = tfs[j]! / (1 - b.b + (b.b * b.lengths[doc]!) / b.average);
      sum += bFactor * (delta + (normalised * (k1 + 1)) / (normalised + k1));
      j++;
    }
    if (allowed !== undefined && !allowed(doc)) continue;
    const score = sum * weight;
    if (touched !== undefined) {
      if (matched[doc] === 0) touched.push(doc);
      total[doc]! += score;
      matched[doc]!++;
    } else {
      if (best[doc] === 0 && met < wordTouched.length) wordTouched[met++] = doc;
      if (score > best[doc]!) best[doc] = score;
    }
  }
  return met;
}

/**
 * One alternative's score summed over its lists into `sum`; the documents first met are
 * written to `scratch.altTouched`, and their number returned.
 */
function sumLists(
  postings: Postings,
  lists: readonly ScoredList[],
  bm25: Bm25Params,
  sum: Float64Array,
  allowed: ((doc: number) => boolean) | undefined,
  scratch: Scratch,
): number {
  const { docs, tfs, listStart } = postings.data;
  const { k1, delta } = bm25;
  const met = scratch.altTouched;
  let n = 0;
  for (const list of lists) {
    const end = listStart[list.list + 1]!;
    const { weight, idf, b, average, lengths } = list;
    for (let p = listStart[list.list]!; p < end; p++) {
      const doc = docs[p]!;
      if (allowed !== undefined && !allowed(doc)) continue;
      const tf = tfs[p]!;
      const normalised = tf / (1 - b + (b * lengths[doc]!) / average);
      const score = weight * idf * (delta + (normalised * (k1 + 1)) / (normalised + k1));
      // A field weighted 0 leaves its sums at 0, so its documents are written again when met
      // again (and counted twice in `matched`): no setting weighs a field 0, only bench/ and
      // tests can, and the bound keeps `met` within its length.
      if (sum[doc] === 0 && n < met.length) met[n++] = doc;
      sum[doc]! += score;
    }
  }
  return n;
}

/**
 * A word's score in each of `candidates` (ascending ordinals), found by seeking in its lists
 * rather than reading them whole: what a long list costs when only a few documents matter.
 */
export function lookupWord(
  postings: Postings,
  word: ScoredWord,
  bm25: Bm25Params,
  candidates: ArrayLike<number>,
): Float64Array {
  const scores = new Float64Array(candidates.length);
  const sums = new Float64Array(candidates.length);
  const { k1, delta } = bm25;
  for (const { alternative, lists } of word.alternatives) {
    sums.fill(0);
    for (const list of lists) {
      const cursor = postings.cursor(list.list);
      for (let i = 0; i < candidates.length; i++) {
        const doc = candidates[i]!;
        if (cursor.seek(doc) === doc) sums[i]! += postingScore(list, cursor.tf, doc, k1, delta);
        if (cursor.at >= cursor.end) break;
      }
    }
    for (let i = 0; i < candidates.length; i++) {
      const score = sums[i]! * alternative.weight;
      if (score > scores[i]!) scores[i] = score;
    }
  }
  return scores;
}

/**
 * Each score above 0 that `lookupWord` gave `docs` added to its document's sum, and its count
 * of words matched raised when `counts` is given. One loop for MaxScore's remaining words and
 * for the phrases' words: as a loop of the phrases' own, it ran unoptimised at the first phrase
 * with thousands of matches (the warm-up's phrases are too few to make it hot), 2.7–3.7 of
 * `"ÉTYMOLOGIE Lat"`'s 4.4 ms there against 0.3 repeated (timers in a copy of the build,
 * bench:scale's sequence); short queries keep this one optimised.
 */
export function addLooked(
  sums: Float64Array,
  counts: Uint8Array | undefined,
  docs: Uint32Array,
  scores: Float64Array,
): void {
  for (let i = 0; i < docs.length; i++) {
    const score = scores[i]!;
    if (score <= 0) continue;
    const doc = docs[i]!;
    sums[doc]! += score;
    if (counts !== undefined) counts[doc]!++;
  }
}

/** Calls `visit` for each document of the word's lists (a document may come more than once). */
export function forEachDoc(
  postings: Postings,
  word: ScoredWord,
  visit: (doc: number) => void,
): void {
  const { docs, listStart } = postings.data;
  for (const { lists } of word.alternatives) {
    for (const { list } of lists) {
      const end = listStart[list + 1]!;
      for (let p = listStart[list]!; p < end; p++) visit(docs[p]!);
    }
  }
}
