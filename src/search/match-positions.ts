/**
 * Where a query's words stand in one field of one document, from the postings' positions: a
 * hit's snippet is cut around them, so only that part of the body is decoded and marked.
 */
import type { Postings } from "../index/index.js";
import { densestRun } from "./densest.js";
import type { Span } from "./phrase.js";

/** Positions read per list at most: a word used 10,000 times in a page needs no more. */
const MAX_POSITIONS = 256;
/** A match is `position × WORDS + word` in one number: sorted as numbers, without objects. */
const WORDS = 256;

/**
 * Where the query stands in one field of one document: `lists[w]` are the posting lists (of
 * that field) of query word `w`. Each match is `position × 256 + w`, sorted ascending: read
 * them with `positionOf` and `wordOf`. (Objects per match, sorted by a comparator, were a
 * tenth of a stopword query's time.)
 */
export function matchPositions(
  postings: Postings,
  lists: readonly (readonly number[])[],
  doc: number,
): Float64Array {
  const found: number[] = [];
  const out: number[] = [];
  const words = Math.min(lists.length, WORDS);
  for (let word = 0; word < words; word++) {
    for (const list of lists[word]!) {
      const cursor = postings.cursor(list);
      if (cursor.seek(doc) !== doc) continue;
      const n = Math.min(cursor.readPositions(out), MAX_POSITIONS);
      for (let i = 0; i < n; i++) found.push(out[i]! * WORDS + word);
    }
  }
  return Float64Array.from(found).sort();
}

export const positionOf = (match: number): number => Math.floor(match / WORDS);
export const wordOf = (match: number): number => match % WORDS;

/**
 * The span of positions, at most `width` words wide, holding the most distinct query words,
 * then the most matches (the snippet's own rule, in words instead of characters); `[0, 0]`
 * when nothing stands in the field.
 */
export function densestWindow(found: Float64Array, width: number): Span {
  const run = densestRun(
    found.length,
    (i) => wordOf(found[i]!),
    (first, last) => positionOf(found[last]!) - positionOf(found[first]!) < width,
  );
  return run === undefined ? [0, 0] : [positionOf(found[run.first]!), positionOf(found[run.last]!)];
}
