import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { firstInOrder } from "../../src/search/execute.js";

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
