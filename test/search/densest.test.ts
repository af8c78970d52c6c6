import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { densestRun } from "../../src/search/densest.js";

/** The rule read literally: every run that fits, the most distinct words, then the most matches, the first. */
function byTheBook(
  places: readonly number[],
  words: readonly number[],
  width: number,
): { first: number; last: number } | undefined {
  let best: { first: number; last: number; words: number; matches: number } | undefined;
  for (let first = 0; first < places.length; first++) {
    let last = first - 1;
    while (last + 1 < places.length && places[last + 1]! - places[first]! < width) last++;
    if (last < first) continue;
    const distinct = new Set(words.slice(first, last + 1)).size;
    const matches = last - first + 1;
    if (
      best === undefined ||
      distinct > best.words ||
      (distinct === best.words && matches > best.matches)
    )
      best = { first, last, words: distinct, matches };
  }
  return best && { first: best.first, last: best.last };
}

describe("densestRun", () => {
  test("chooses the run the rule says, on random matches and windows", () => {
    const match = fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 6 }));
    fc.assert(
      fc.property(
        fc.array(match, { maxLength: 40, size: "max" }),
        fc.integer({ min: 0, max: 25 }),
        (matches, width) => {
          const sorted = [...matches].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          const places = sorted.map(([place]) => place);
          const words = sorted.map(([, word]) => word);
          // Width 0 fits no match at all: every window starts afresh.
          expect(
            densestRun(
              sorted.length,
              (i) => words[i]!,
              (first, last) => places[last]! - places[first]! < width,
            ),
          ).toEqual(byTheBook(places, words, width));
        },
      ),
      { numRuns: 500 },
    );
  });

  test("refuses a word that is not a whole number ≥ 0, which it could not count", () => {
    for (const word of [-1, 0.5, Number.NaN])
      expect(
        () =>
          densestRun(
            2,
            () => word,
            () => true,
          ),
        String(word),
      ).toThrow(RangeError);
  });
});
