/**
 * The densest run of matches: the rule snippets are cut by (Meilisearch's crop, Pagefind's
 * densest window), over characters for a snippet and over word positions for the part of a
 * body a hit reads (`match-positions.ts`).
 */

/**
 * Of `count` matches in text order, the run `[first, last]` that `fits` (a window no wider
 * than the caller's) holding the most distinct words, then the most matches; the first such
 * run wins ties. Undefined when there is no match.
 */
export function densestRun(
  count: number,
  wordOf: (i: number) => number,
  fits: (first: number, last: number) => boolean,
): { first: number; last: number } | undefined {
  if (count === 0) return undefined;
  // Matches per word in the window, and how many words it holds: words are query words'
  // indices, so a typed array of counts instead of a Map per call (a hit's window and its
  // snippet's each call it).
  let most = 0;
  for (let i = 0; i < count; i++) {
    const word = wordOf(i);
    if (!(Number.isInteger(word) && word >= 0))
      throw new RangeError(`densestRun: word ${word} is not a whole number ≥ 0`);
    most = Math.max(most, word);
  }
  const inWindow = new Int32Array(most + 1);
  let distinct = 0;
  let bestFirst = -1;
  let bestLast = -1;
  let bestWords = 0;
  let bestMatches = 0;
  let j = 0;
  for (let i = 0; i < count; i++) {
    // A match wider than the window leaves `j` behind `i`: start the window afresh.
    if (j < i) {
      j = i;
      inWindow.fill(0);
      distinct = 0;
    }
    while (j < count && fits(i, j)) {
      if (inWindow[wordOf(j)]!++ === 0) distinct++;
      j++;
    }
    const matches = j - i;
    if (
      matches > 0 &&
      (bestFirst < 0 || distinct > bestWords || (distinct === bestWords && matches > bestMatches))
    ) {
      bestFirst = i;
      bestLast = j - 1;
      bestWords = distinct;
      bestMatches = matches;
    }
    if (j > i && --inWindow[wordOf(i)]! === 0) distinct--;
  }
  return bestFirst < 0 ? undefined : { first: bestFirst, last: bestLast };
}
