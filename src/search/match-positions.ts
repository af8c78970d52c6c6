/**
 * Where a query's words stand in one field of one document, from the postings' positions: a
 * hit's snippet is cut around them, so only that part of the body is decoded and marked.
 */
import type { Postings } from "../index/index.js";
import type { Span } from "./phrase.js";

/** A word position in the field, and which query word (or phrase) stands there. */
export interface MatchPosition {
  position: number;
  word: number;
}

/** Positions read per list at most: a word used 10,000 times in a page needs no more. */
const MAX_POSITIONS = 256;

/**
 * `lists[w]`: the posting lists (of one field) of query word `w`. Positions come back sorted;
 * a position two lists share (a term and its prefix match) comes once per word.
 */
export function matchPositions(
  postings: Postings,
  lists: readonly (readonly number[])[],
  doc: number,
): MatchPosition[] {
  const found: MatchPosition[] = [];
  const out: number[] = [];
  lists.forEach((wordLists, word) => {
    for (const list of wordLists) {
      const cursor = postings.cursor(list);
      if (cursor.seek(doc) !== doc) continue;
      const positions = cursor.positions(out);
      const n = Math.min(positions.length, MAX_POSITIONS);
      for (let i = 0; i < n; i++) found.push({ position: positions[i]!, word });
    }
  });
  return found.sort((a, b) => a.position - b.position || a.word - b.word);
}

/**
 * The span of positions, at most `width` words wide, holding the most distinct query words,
 * then the most matches (the snippet's own rule, in words instead of characters); `[0, 0]`
 * when nothing stands in the field.
 */
export function densestWindow(found: readonly MatchPosition[], width: number): Span {
  if (found.length === 0) return [0, 0];
  let best: { from: number; to: number; words: number; count: number } | undefined;
  const inWindow = new Map<number, number>();
  let j = 0;
  for (let i = 0; i < found.length; i++) {
    if (j < i) {
      j = i;
      inWindow.clear();
    }
    const first = found[i]!;
    while (j < found.length && found[j]!.position - first.position < width) {
      const word = found[j]!.word;
      inWindow.set(word, (inWindow.get(word) ?? 0) + 1);
      j++;
    }
    const count = j - i;
    if (
      best === undefined ||
      inWindow.size > best.words ||
      (inWindow.size === best.words && count > best.count)
    ) {
      best = { from: first.position, to: found[j - 1]!.position, words: inWindow.size, count };
    }
    const left = inWindow.get(first.word) ?? 0;
    if (left <= 1) inWindow.delete(first.word);
    else inWindow.set(first.word, left - 1);
  }
  return [best!.from, best!.to];
}
