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
  let best: { first: number; last: number; words: number; matches: number } | undefined;
  const inWindow = new Map<number, number>();
  let j = 0;
  for (let i = 0; i < count; i++) {
    // A match wider than the window leaves `j` behind `i`: start the window afresh.
    if (j < i) {
      j = i;
      inWindow.clear();
    }
    while (j < count && fits(i, j)) {
      const word = wordOf(j);
      inWindow.set(word, (inWindow.get(word) ?? 0) + 1);
      j++;
    }
    const matches = j - i;
    if (
      matches > 0 &&
      (best === undefined ||
        inWindow.size > best.words ||
        (inWindow.size === best.words && matches > best.matches))
    ) {
      best = { first: i, last: j - 1, words: inWindow.size, matches };
    }
    const word = wordOf(i);
    const left = inWindow.get(word) ?? 0;
    if (left <= 1) inWindow.delete(word);
    else inWindow.set(word, left - 1);
  }
  return best && { first: best.first, last: best.last };
}
