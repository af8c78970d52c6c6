/**
 * Where a query's words stand in one field of one document, from the postings' positions: a
 * hit's snippet is cut around them, so only that part of the body is decoded, and the words
 * standing there are marked.
 */
import { wordSpans } from "../analysis/index.js";
import type { Postings } from "../index/index.js";
import { densestRun } from "./densest.js";
import type { Mark } from "./highlight.js";
import type { PhrasePlace } from "./phrase-match.js";
import type { Span } from "./types.js";

/** Positions read per list at most: a word used 10,000 times in a page needs no more. */
const MAX_POSITIONS = 256;
/** A match is `position × WORDS + word` in one number: sorted as numbers, without objects. */
const WORDS = 256;

/** A field's matches, sorted ascending: read them with `positionOf` and `wordOf`. */
export interface FieldMatches {
  matches: Float64Array;
  /** Some list held more positions than were read: places past them are missing. */
  capped: boolean;
}

/**
 * Where the query stands in one field of one document: `lists[w]` are the posting lists (of
 * that field) of query word `w`. Each match is `position × 256 + w`. (Objects per match, sorted
 * by a comparator, were a tenth of a stopword query's time.) Each list gives its first
 * `MAX_POSITIONS` places, or, with `range`, every place in `[from, to)`.
 */
export function matchPositions(
  postings: Postings,
  lists: readonly (readonly number[])[],
  doc: number,
  range?: readonly [from: number, to: number],
): FieldMatches {
  const found: number[] = [];
  const out: number[] = [];
  const words = Math.min(lists.length, WORDS);
  let capped = false;
  for (let word = 0; word < words; word++) {
    for (const list of lists[word]!) {
      const cursor = postings.cursor(list);
      if (cursor.seek(doc) !== doc) continue;
      if (range !== undefined) {
        const read = cursor.readPositions(out);
        const [from, to] = range;
        for (let i = 0; i < read; i++) {
          const position = out[i]!;
          if (position >= from && position < to) found.push(position * WORDS + word);
        }
        continue;
      }
      if (cursor.tf > MAX_POSITIONS) capped = true;
      const n = cursor.readPositions(out, MAX_POSITIONS);
      for (let i = 0; i < n; i++) found.push(out[i]! * WORDS + word);
    }
  }
  return { matches: Float64Array.from(found).sort(), capped };
}

/**
 * `found` with each phrase's places as matches of one more query word each (`words + p` for
 * phrase `p`), at a place's first and last words: a snippet's window is chosen where a phrase
 * stands, not where its words stand apart.
 */
export function withPlaces(
  found: FieldMatches,
  places: readonly (readonly PhrasePlace[])[],
  words: number,
): FieldMatches {
  let count = 0;
  for (const of of places) count += of.length;
  if (count === 0) return found;
  const matches = new Float64Array(found.matches.length + 2 * count);
  matches.set(found.matches);
  let at = found.matches.length;
  for (let p = 0; p < places.length && words + p < WORDS; p++) {
    for (const [first, last] of places[p]!) {
      matches[at++] = first * WORDS + words + p;
      matches[at++] = last * WORDS + words + p;
    }
  }
  return { matches: matches.subarray(0, at).sort(), capped: found.capped };
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

/**
 * The words of `text` standing at the matches of query words below `words` (phrases' lists
 * come after them): `text` is a field, or a part of one whose first word stands at `first`.
 * Only the tokenizer runs, to number the words as the chain does: the terms are the index's,
 * so what is marked is what matched. Finding the matched terms' spellings with a regular
 * expression compiled for each query and analysing each place found (marks.ts), as hits did
 * before, a search took 1 / 0.848 of its time now (distinct title queries, bench:compare).
 */
export function marksAt(text: string, first: number, found: Float64Array, words: number): Mark[] {
  const marks: Mark[] = [];
  // Most titles hold none of the query's words: nothing to number.
  if (found.length === 0) return marks;
  let next = 0;
  let position = first;
  // Past the last match there is nothing to mark: the scan stops there.
  const last = positionOf(found[found.length - 1]!);
  wordSpans(text, (start, end) => {
    while (next < found.length && positionOf(found[next]!) < position) next++;
    // Sorted by position, then word: the first query word standing here is the one marked.
    for (; next < found.length && positionOf(found[next]!) === position; next++) {
      const word = wordOf(found[next]!);
      if (word < words) {
        marks.push({ start, end, word });
        break;
      }
    }
    return ++position > last;
  });
  return marks;
}

/**
 * The places of phrases (`phrasePlaces`) in `text`, a field or a part of one whose first word
 * stands at `first`, as spans from the start of a place's first word to the end of its last:
 * a place that began before `text` starts at its first word, one that goes on past it ends at
 * its last. Places may come in any order; only the tokenizer runs, as in `marksAt`.
 */
export function placeSpans(text: string, first: number, places: readonly PhrasePlace[]): Span[] {
  const spans: Span[] = [];
  if (places.length === 0) return spans;
  let last = first;
  for (const [, end] of places) if (end > last) last = end;
  // Where each word of the text, up to the last place's end, starts and ends (dense arrays,
  // indexed by position less `first`).
  const starts: number[] = [];
  const ends: number[] = [];
  let position = first;
  wordSpans(text, (start, end) => {
    starts.push(start);
    ends.push(end);
    return ++position > last;
  });
  if (starts.length === 0) return spans;
  for (const [from, to] of places) {
    if (to < first || from - first >= starts.length) continue;
    spans.push([starts[Math.max(0, from - first)]!, ends[Math.min(ends.length - 1, to - first)]!]);
  }
  return spans;
}
