import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { firstInOrder } from "../../src/search/execute.js";
import { sortByScore } from "../../src/search/top.js";

describe("firstInOrder", () => {
  test("gives the first k of a full sort, whatever the input", () => {
    const byScoreThenId = (a: { score: number; id: number }, b: { score: number; id: number }) =>
      b.score - a.score || a.id - b.id;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 400 }),
        fc.integer({ min: 1, max: 30 }),
        (scores, k) => {
          const items = scores.map((score, id) => ({ score, id }));
          const expected = [...items].sort(byScoreThenId).slice(0, k);
          expect(firstInOrder([...items], k, byScoreThenId)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("sortByScore", () => {
  test("orders by score, highest first, then by ordinal, as the comparator does", () => {
    const byScoreThenOrdinal = (
      a: { score: number; ordinal: number },
      b: { score: number; ordinal: number },
    ) => b.score - a.score || a.ordinal - b.ordinal;
    fc.assert(
      fc.property(
        // Few distinct scores, so that ties are many and the ordinal decides them.
        // Both sides of the insertion sort's bound (256).
        fc.oneof(
          fc.uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 120 }),
          fc.uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), {
            minLength: 250,
            maxLength: 300,
          }),
        ),
        fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 300 }),
        (ordinals, scores) => {
          const items = ordinals.map((ordinal, i) => ({ ordinal, score: (scores[i] ?? 0) / 2 }));
          const expected = [...items].sort(byScoreThenOrdinal);
          sortByScore(items);
          expect(items).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
