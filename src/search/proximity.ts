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
  return proximityFrom(
    (w, field) => positionsOf(reader, words[w]!, field, doc),
    words,
    params,
    withWindow,
  );
}

/**
 * `proximityOf` from positions read elsewhere: `positionsIn(w, field)` gives query word `w`'s
 * positions in one field of the document, in order (`inOrder`).
 */
export function proximityFrom(
  positionsIn: (word: number, field: number) => number[],
  words: readonly ScoredWord[],
  params: ProximityParams,
  withWindow = false,
): Proximity {
  const best: Proximity = { score: 0, adjacentPairs: 0, window: 0 };
  const idf = idfsOf(words);
  for (let field = 0; field < FIELD_COUNT; field++) {
    const positions = words.map((_, w) => positionsIn(w, field));
    let score = 0;
    let adjacent = 0;
    for (let i = 0; i + 1 < words.length; i++) {
      const distance = nearest(positions[i]!, positions[i + 1]!);
      if (distance === 0 || Math.abs(distance) > params.window) continue;
      const closeness = (distance > 0 ? 1 : 0.5) / (distance * distance);
      if (distance === 1) adjacent++;
      score += params.weight * Math.min(idf[i]!, idf[i + 1]!) * closeness;
    }
    if (score > best.score) {
      best.score = score;
      best.adjacentPairs = adjacent;
      best.window = withWindow ? smallestWindow(positions) : 0;
      best.field = field === 0 ? "title" : "body";
    }
  }
  return best;
}

/** Each word's highest idf over its lists: the same for every document of a query. */
const idfs = new WeakMap<readonly ScoredWord[], number[]>();

function idfsOf(words: readonly ScoredWord[]): number[] {
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
 * (the lists holding the document) are several. Only the first `held` of `positions` are the
 * document's: the learned features keep each array's storage from document to document.
 */
export function inOrder(positions: number[], lists: number, held = positions.length): number[] {
  const first =
    held > PROXIMITY_POSITIONS
      ? positions.slice(0, PROXIMITY_POSITIONS)
      : held < positions.length
        ? positions.slice(0, held)
        : positions;
  // One list's positions are in order already; several are merged by a typed sort (a
  // comparator per pair was a tenth of the learned features' time on long documents).
  if (lists < 2) return first;
  return Array.from(Float64Array.from(first).sort());
}

/**
 * The signed distance from `a` to the nearest `b` (positive when `b` follows), preferring
 * the order of the query at equal distance; 0 when either is absent.
 */
function nearest(a: number[], b: number[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let bestDistance = 0;
  let j = 0;
  for (const p of a) {
    while (j < b.length && b[j]! <= p) j++;
    const after = j < b.length ? b[j]! - p : Number.POSITIVE_INFINITY;
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
 * The smallest span (in words) holding one position of every non-empty list; 0 below two
 * lists. Each list is sorted: the smallest range covering one element of each is found by
 * always advancing the list whose current position is lowest, with no sort of all the
 * positions together (that sort was a twentieth of a short query's time on long pages).
 */
function smallestWindow(positions: number[][]): number {
  const present = positions.filter((list) => list.length > 0);
  if (present.length < 2) return 0;
  const at = new Int32Array(present.length);
  let highest = 0;
  for (const list of present) highest = Math.max(highest, list[0]!);
  let best = Number.POSITIVE_INFINITY;
  for (;;) {
    let lowest = 0;
    for (let w = 1; w < present.length; w++) {
      if (present[w]![at[w]!]! < present[lowest]![at[lowest]!]!) lowest = w;
    }
    const low = present[lowest]![at[lowest]!]!;
    best = Math.min(best, highest - low + 1);
    if (++at[lowest]! >= present[lowest]!.length) return best;
    highest = Math.max(highest, present[lowest]![at[lowest]!]!);
  }
}
