/**
 * Matches as data, and snippets. Offsets come from the analysis chain, so a marked span is
 * exactly the word that matched, as written (`Hélicoptères`, `L’OTAN`). The engine returns text
 * and spans; the server (HTML) and the CLI (terminal) present them.
 */
import { densestRun } from "./densest.js";
import type { MarkedText, Span } from "./types.js";

/** A match to mark, and which query word it answers (for "most distinct words" in snippets). */
export interface Mark {
  start: number;
  end: number;
  word: number;
}

/** Sorted, non-overlapping marks (overlaps merged), so `<mark>` pairs are always balanced. */
export function normalizeMarks(marks: readonly Mark[]): Mark[] {
  const sorted = [...marks].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Mark[] = [];
  for (const mark of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && mark.start <= last.end) last.end = Math.max(last.end, mark.end);
    else merged.push({ ...mark });
  }
  return merged;
}

/** The spans of `marks` (sorted, non-overlapping) inside `[from, to)`, clipped to it and made relative to `from`. */
export function spansIn(marks: readonly Mark[], from = 0, to = Number.POSITIVE_INFINITY): Span[] {
  const spans: Span[] = [];
  for (const mark of marks) {
    if (mark.end <= from || mark.start >= to) continue;
    spans.push([Math.max(mark.start, from) - from, Math.min(mark.end, to) - from]);
  }
  return spans;
}

export interface SnippetOptions {
  /** Target length in characters; the snippet stays within about ±20 % of it. */
  length: number;
}

export const DEFAULT_SNIPPET: SnippetOptions = { length: 200 };

/**
 * The best passage of `text`: the window of about `length` characters holding the most
 * distinct query words, then the most matches (Meilisearch's crop and Pagefind's densest
 * window), widened to word boundaries, `…` where the text is cut.
 */
export function snippet(
  text: string,
  marks: readonly Mark[],
  options = DEFAULT_SNIPPET,
  /** When `text` is a part of a longer text: where it starts in it, and that text's length. */
  within: { start: number; length: number } = { start: 0, length: text.length },
): MarkedText {
  const [windowStart, windowEnd] = bestWindow(text, marks, options.length);
  // Spaces at the ends are dropped (a mark never starts or ends with one).
  let from = windowStart;
  let to = windowEnd;
  while (from < to && isSpace(text, from)) from++;
  while (to > from && isSpace(text, to - 1)) to--;
  const lead = within.start + windowStart > 0 ? "…" : "";
  const shift = lead.length;
  const trail = within.start + windowEnd < within.length ? "…" : "";
  // A sentence's full stop before the ellipsis read « marché.… » (QA): the ellipsis alone.
  if (trail !== "" && to > from && text[to - 1] === "." && text[to - 2] !== ".") to--;
  return {
    text: `${lead}${text.slice(from, to)}${trail}`,
    marks: spansIn(marks, from, to).map(([start, end]) => [start + shift, end + shift]),
  };
}

export function bestWindow(text: string, marks: readonly Mark[], length: number): Span {
  if (text.length <= length * 1.2) return [0, text.length];
  // One match is always a run, however long: a word longer than the snippet (300 letters)
  // fitted no window, and the snippet showed the text's start without it (QA).
  const run = densestRun(
    marks.length,
    (i) => marks[i]!.word,
    (first, last) => first === last || marks[last]!.end - marks[first]!.start <= length,
  );
  const best = run && { start: marks[run.first]!.start, end: marks[run.last]!.end };
  if (best === undefined) return snapToWords(text, 0, length);
  if (best.end - best.start > length) {
    // Its start, cut at the length (never inside a surrogate pair), its mark cut with it.
    let end = best.start + length;
    if (isLowSurrogate(text.charCodeAt(end))) end--;
    return [best.start, end];
  }
  // Some context before the first match, the rest after it.
  const room = Math.max(0, length - (best.end - best.start));
  const before = Math.min(best.start, Math.floor(room / 3));
  return snapToWords(text, best.start - before, best.start - before + length, best);
}

/** Moves `[from, to)` so neither end cuts a word, keeping `keep` inside. */
function snapToWords(
  text: string,
  from: number,
  to: number,
  keep?: { start: number; end: number },
): Span {
  let start = Math.max(0, from);
  let end = Math.min(text.length, to);
  if (start > 0) {
    // A sentence start a little before reads better than a word in mid-sentence.
    const lookBack = Math.max(0, start - 40);
    let sentence = -1;
    for (const match of text.slice(lookBack, start).matchAll(SENTENCE_END)) {
      sentence = lookBack + match.index + match[0].length;
    }
    if (sentence >= 0) start = sentence;
    else while (start < text.length && !isSpace(text, start - 1)) start++;
  }
  if (end < text.length) {
    while (end > start && !isSpace(text, end)) end--;
  }
  if (keep !== undefined) {
    start = Math.min(start, keep.start);
    end = Math.max(end, keep.end);
  }
  // Without a space to stop at, an end may fall inside a surrogate pair (an emoji): never
  // cut a character in two, or the snippet ends in a lone surrogate (shown as �).
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start--;
  if (end > start && end < text.length && isLowSurrogate(text.charCodeAt(end))) end--;
  return [start, end];
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

const SPACE = /\s/u;

/**
 * Per UTF-16 unit, 1 where `SPACE` matches it, made on first use: `isSpace` reads it instead
 * of testing the expression on each unit's one-character string (with marks kept as made when
 * there is no phrase, engine.ts: a page's hits 93 µs against 100).
 */
let spaces: Uint8Array | undefined;

/** Whether the unit at `i` of `text` is a space (`SPACE`); a lone surrogate is not. */
function isSpace(text: string, i: number): boolean {
  spaces ??= Uint8Array.from({ length: 0x10000 }, (_, code) =>
    SPACE.test(String.fromCharCode(code)) ? 1 : 0,
  );
  return spaces[text.charCodeAt(i)] === 1;
}
const SENTENCE_END = /[.!?…»]\s+/gu;
