/**
 * Where a query's words stand in one field of one document, from the postings' positions: a
 * hit's snippet is cut around them, so only that part of the body is decoded and marked.
 */
import type { Postings } from "../index/index.js";
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
  if (found.length === 0) return [0, 0];
  let best: { from: number; to: number; words: number; count: number } | undefined;
  const inWindow = new Map<number, number>();
  let j = 0;
  for (let i = 0; i < found.length; i++) {
    if (j < i) {
      j = i;
      inWindow.clear();
    }
    const first = positionOf(found[i]!);
    while (j < found.length && positionOf(found[j]!) - first < width) {
      const word = wordOf(found[j]!);
      inWindow.set(word, (inWindow.get(word) ?? 0) + 1);
      j++;
    }
    const count = j - i;
    if (
      best === undefined ||
      inWindow.size > best.words ||
      (inWindow.size === best.words && count > best.count)
    ) {
      best = { from: first, to: positionOf(found[j - 1]!), words: inWindow.size, count };
    }
    const word = wordOf(found[i]!);
    const left = inWindow.get(word) ?? 0;
    if (left <= 1) inWindow.delete(word);
    else inWindow.set(word, left - 1);
  }
  return [best!.from, best!.to];
}
