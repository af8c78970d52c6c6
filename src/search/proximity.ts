/**
 * Proximity from word positions, for the best few documents of a query of several words:
 * how near the query's neighbouring words stand in each field (BM25TP-style pairs: Rasolofo
 * & Savoy 2003), and the smallest window holding all the words a field has. A pair standing
 * side by side in the query's order counts fully, farther apart by 1/distance², reversed at
 * half; each pair weighs as its rarer word. Only the first `rerank` documents by score get it,
 * the same in every top-k strategy, so pruning never changes the page.
 */
import { FIELD_COUNT, type PostingCursor, type Postings } from "../index/index.js";
import type { ScoredWord } from "./score.js";
import type { Proximity } from "./types.js";

export interface ProximityParams {
  /** What a pair of query words side by side adds, times its rarer word's idf (0: off). */
  weight: number;
  /** Pairs farther apart than this many words add nothing. */
  window: number;
  /** How many of the best documents by score are re-ranked with proximity. */
  rerank: number;
  /** Queries of up to `upTo` scored words use `weight` (and `window`) instead: keyword queries. */
  short?: { upTo: number; weight: number; window?: number };
}

/** The parameters a query of `words` scored words uses. */
export function proximityFor(params: ProximityParams, words: number): ProximityParams {
  return params.short !== undefined && words <= params.short.upTo
    ? { ...params, weight: params.short.weight, window: params.short.window ?? params.window }
    : params;
}

export type { Proximity };

/** Positions read per word and field at most: a word used 10,000 times says nothing more. */
export const PROXIMITY_POSITIONS = 512;

/**
 * The first reader of each index, kept as long as its postings (with that query's cursors).
 * V8 holds an object's shape weakly: a full garbage collection that finds no reader alive lets
 * their shape die and throws away every function optimised for it, and the next queries run
 * unoptimised (as `keepsShape` in postings.ts does for cursors).
 */
const keepsShape = new WeakMap<Postings, PositionReader>();

/**
 * Reads positions from one cursor per list, for documents asked in ascending order: each
 * seek and each step over other postings' positions starts where the last one ended, instead
 * of at the list's start (re-reading from the start for each of the best 50 documents was a
 * fifth of a distinct query's time on the benchmark corpus). Asked out of order, a list's
 * cursor starts again. A word's cursors are found once per document and field, not once per
 * list (a prefix brings up to 30 lists a field).
 */
export class PositionReader {
  private readonly byWord = new Map<ScoredWord, WordCursor[]>();
  private readonly scratch: number[] = [];

  constructor(readonly postings: Postings) {
    if (!keepsShape.has(postings)) keepsShape.set(postings, this);
  }

  /**
   * Pushes the positions of `word`'s lists in `field` and `doc` onto `out` (up to `max` in
   * all); returns how many lists held the document.
   */
  readWord(word: ScoredWord, field: number, doc: number, out: number[], max: number): number {
    let cursors = this.byWord.get(word);
    if (cursors === undefined) {
      cursors = word.alternatives.flatMap(({ lists }) =>
        lists.map((list) => ({
          list: list.list,
          field: list.field,
          cursor: this.postings.cursor(list.list),
          last: -1,
        })),
      );
      this.byWord.set(word, cursors);
    }
    let found = 0;
    for (const entry of cursors) {
      if (entry.field !== field) continue;
      // Its positions may be read once: the same document again starts the cursor afresh.
      if (doc <= entry.last) entry.cursor = this.postings.cursor(entry.list);
      entry.last = doc;
      const { cursor } = entry;
      if (cursor.seek(doc) !== doc) continue;
      found++;
      const n = cursor.readPositions(this.scratch, max - out.length);
      for (let i = 0; i < n; i++) out.push(this.scratch[i]!);
    }
    return found;
  }
}

interface WordCursor {
  list: number;
  field: number;
  cursor: PostingCursor;
  /** The document last asked for. */
  last: number;
}

export function proximityOf(
  reader: PositionReader,
  words: readonly ScoredWord[],
  doc: number,
  params: ProximityParams,
  /** Also measure the smallest window (for the page's documents: it costs, and only explains). */
  withWindow = false,
): Proximity {
  const positions: number[][][] = [];
  const lengths: Int32Array[] = [];
  for (let field = 0; field < FIELD_COUNT; field++) {
    positions.push(words.map((word) => positionsOf(reader, word, field, doc)));
    lengths.push(Int32Array.from(positions[field]!, (list) => list.length));
  }
  return proximityIn(positions, lengths, idfsOf(words), params, withWindow);
}

/**
 * `proximityOf` from positions read elsewhere: `positions[field][w]` holds query word `w`'s
 * first `lengths[field][w]` positions in that field, ascending (`inOrder`); `idf` is each
 * word's highest idf over its lists. Nothing is allocated but the answer: the learned features
 * call it for each of up to 100 documents, where slicing and mapping arrays per document and
 * field was a third of proximity's time.
 */
export function proximityIn(
  positions: readonly (readonly (readonly number[])[])[],
  lengths: readonly Int32Array[],
  idf: readonly number[],
  params: ProximityParams,
  withWindow = false,
): Proximity {
  const best: Proximity = { score: 0, adjacentPairs: 0, window: 0 };
  const count = idf.length;
  for (let field = 0; field < FIELD_COUNT; field++) {
    const lists = positions[field]!;
    const ends = lengths[field]!;
    let score = 0;
    let adjacent = 0;
    for (let i = 0; i + 1 < count; i++) {
      const distance = nearest(lists[i]!, ends[i]!, lists[i + 1]!, ends[i + 1]!);
      if (distance === 0 || Math.abs(distance) > params.window) continue;
      const closeness = (distance > 0 ? 1 : 0.5) / (distance * distance);
      if (distance === 1) adjacent++;
      score += params.weight * Math.min(idf[i]!, idf[i + 1]!) * closeness;
    }
    if (score > best.score) {
      best.score = score;
      best.adjacentPairs = adjacent;
      best.window = withWindow ? smallestWindow(lists, ends) : 0;
      best.field = field === 0 ? "title" : "body";
    }
  }
  return best;
}

/** Each word's highest idf over its lists: the same for every document of a query. */
const idfs = new WeakMap<readonly ScoredWord[], number[]>();

export function idfsOf(words: readonly ScoredWord[]): number[] {
  let idf = idfs.get(words);
  if (idf === undefined) {
    idf = words.map((word) => {
      let most = 0;
      for (const { lists } of word.alternatives)
        for (const list of lists) most = Math.max(most, list.idf);
      return most;
    });
    idfs.set(words, idf);
  }
  return idf;
}

function positionsOf(
  reader: PositionReader,
  word: ScoredWord,
  field: number,
  doc: number,
): number[] {
  const all: number[] = [];
  const found = reader.readWord(word, field, doc, all, PROXIMITY_POSITIONS);
  return inOrder(all, found);
}

/**
 * A word's positions in a field as proximity reads them: the first `PROXIMITY_POSITIONS` its
 * lists hold in the document, list after list (`readWord`'s order), then in order when `lists`
 * (the lists holding the document) are several.
 */
export function inOrder(positions: number[], lists: number): number[] {
  const first =
    positions.length > PROXIMITY_POSITIONS ? positions.slice(0, PROXIMITY_POSITIONS) : positions;
  // One list's positions are in order already; several are merged by a typed sort (a
  // comparator per pair was a tenth of the learned features' time on long documents).
  if (lists < 2) return first;
  return Array.from(Float64Array.from(first).sort());
}

/**
 * `inOrder` in place, over the first `held` of `positions` (the learned features keep each
 * array's storage from document to document): returns how many of them proximity reads, in
 * order now. `sorting` is room for the sort, `PROXIMITY_POSITIONS` long at least.
 */
export function putInOrder(
  positions: number[],
  lists: number,
  held: number,
  sorting: Float64Array,
): number {
  const n = Math.min(held, PROXIMITY_POSITIONS);
  if (lists < 2 || n < 2) return n;
  for (let i = 0; i < n; i++) sorting[i] = positions[i]!;
  const sorted = sorting.subarray(0, n).sort();
  for (let i = 0; i < n; i++) positions[i] = sorted[i]!;
  return n;
}

/**
 * The signed distance from the first `aEnd` of `a` to the nearest of the first `bEnd` of `b`
 * (positive when it follows), preferring the order of the query at equal distance; 0 when
 * either is empty.
 */
function nearest(a: readonly number[], aEnd: number, b: readonly number[], bEnd: number): number {
  if (aEnd === 0 || bEnd === 0) return 0;
  let bestDistance = 0;
  let j = 0;
  for (let i = 0; i < aEnd; i++) {
    const p = a[i]!;
    while (j < bEnd && b[j]! <= p) j++;
    const after = j < bEnd ? b[j]! - p : Number.POSITIVE_INFINITY;
    const before = j > 0 && b[j - 1]! < p ? b[j - 1]! - p : Number.NEGATIVE_INFINITY;
    const candidate = after <= -before ? after : before;
    if (
      Number.isFinite(candidate) &&
      (bestDistance === 0 ||
        Math.abs(candidate) < Math.abs(bestDistance) ||
        (Math.abs(candidate) === Math.abs(bestDistance) && candidate > 0))
    ) {
      bestDistance = candidate;
      // Two words side by side in order: nothing nearer can follow.
      if (bestDistance === 1) return 1;
    }
  }
  return bestDistance;
}

/**
 * The smallest span (in words) holding one position of every non-empty list (the first
 * `ends[w]` of `lists[w]`); 0 below two lists. Each list is sorted: the smallest range covering
 * one element of each is found by always advancing the list whose current position is lowest,
 * with no sort of all the positions together (that sort was a twentieth of a short query's
 * time on long pages).
 */
function smallestWindow(lists: readonly (readonly number[])[], ends: Int32Array): number {
  let present = 0;
  for (let w = 0; w < ends.length; w++) if (ends[w]! > 0) present++;
  if (present < 2) return 0;
  // Where each list stands; an empty list stands at its end from the start.
  const at = new Int32Array(ends.length);
  let highest = 0;
  for (let w = 0; w < ends.length; w++)
    if (ends[w]! > 0) highest = Math.max(highest, lists[w]![0]!);
  let best = Number.POSITIVE_INFINITY;
  for (;;) {
    let lowest = -1;
    for (let w = 0; w < ends.length; w++) {
      if (ends[w] === 0) continue;
      if (lowest < 0 || lists[w]![at[w]!]! < lists[lowest]![at[lowest]!]!) lowest = w;
    }
    const low = lists[lowest]![at[lowest]!]!;
    best = Math.min(best, highest - low + 1);
    if (++at[lowest]! >= ends[lowest]!) return best;
    highest = Math.max(highest, lists[lowest]![at[lowest]!]!);
  }
}
