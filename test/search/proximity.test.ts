/**
 * Proximity against a brute force over the positions it reads: each pair of neighbouring query
 * words' nearest distance (every pair of places compared, the query's order preferred at equal
 * distance), and the smallest window holding a place of every word the field has.
 */
import fc from "fast-check";
import { expect, test } from "vitest";
import { withAnalyzer } from "../../src/analysis/index.js";
import { FIELD_COUNT, indexDocuments } from "../../src/index/index.js";
import { DEFAULT_RANKING, planWords } from "../../src/search/execute.js";
import { parseQuery } from "../../src/search/parse.js";
import { PositionReader, proximityOf } from "../../src/search/proximity.js";
import { prepareWord } from "../../src/search/score.js";
import { textDocument } from "./helpers.js";

const POOL = ["chat", "chats", "chaton", "chien", "mot", "le", "lune"];
const text = (max: number) =>
  fc.array(fc.constantFrom(...POOL), { minLength: 1, maxLength: max }).map((w) => w.join(" "));

/**
 * The signed distance from a place of `a` to the nearest of `b`, as `nearest` defines it: from
 * each place, the first of `b` after it and the last before it, unless `b` holds that place
 * too (two query words matching one word: the places before it are not looked at, as the
 * learned model's trees were fitted); the nearest wins, the query's order at equal distance.
 */
function nearestByPairs(a: readonly number[], b: readonly number[]): number {
  let best = 0;
  for (const p of a) {
    const after = b.filter((q) => q > p);
    const atOrBefore = b.filter((q) => q <= p);
    const last = atOrBefore[atOrBefore.length - 1];
    const candidates = [
      ...(after.length > 0 ? [after[0]! - p] : []),
      ...(last !== undefined && last < p ? [last - p] : []),
    ];
    for (const d of candidates) {
      if (best === 0 || Math.abs(d) < Math.abs(best) || (Math.abs(d) === Math.abs(best) && d > 0))
        best = d;
    }
  }
  return best;
}

/** The smallest span holding a place of every non-empty list: it starts at one of them. */
function windowByStarts(lists: readonly (readonly number[])[]): number {
  const present = lists.filter((list) => list.length > 0);
  if (present.length < 2) return 0;
  let best = Number.POSITIVE_INFINITY;
  for (const list of present) {
    for (const start of list) {
      let end = start;
      let covered = true;
      for (const other of present) {
        const next = other.find((p) => p >= start);
        if (next === undefined) covered = false;
        else end = Math.max(end, next);
      }
      if (covered) best = Math.min(best, end - start + 1);
    }
  }
  return best;
}

test("proximity equals a brute force over the places it reads", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(text(6), text(80)), { minLength: 1, maxLength: 4 }),
      fc.array(fc.constantFrom("chat", "chien", "mot", "lune", "chato"), {
        minLength: 2,
        maxLength: 4,
      }),
      (generated, asked) => {
        const built = indexDocuments(
          generated.map(([title, body], i) => textDocument(`d${i}`, title, body)),
        );
        const { postings } = built;
        withAnalyzer(built.analyzer, () => {
          const plan = planWords(built, parseQuery(asked.join(" ")), DEFAULT_RANKING);
          const bm25 = DEFAULT_RANKING.bm25;
          const words = plan.scoredWords.map(({ alternatives }) =>
            prepareWord(postings, alternatives, { bm25, stopwords: false }),
          );
          if (words.length < 2) return;
          const near = { weight: 1, window: 8, rerank: generated.length };
          const measured = new PositionReader(postings);
          for (let ordinal = 0; ordinal < generated.length; ordinal++) {
            const proximity = proximityOf(measured, words, ordinal, near, true);
            // The places of each word in each field, every list read by a reader of its own.
            let best = { score: 0, adjacent: 0, window: 0 };
            for (let field = 0; field < FIELD_COUNT; field++) {
              const lists = words.map((word) => {
                const out: number[] = [];
                const found = new PositionReader(postings).readWord(word, field, ordinal, out, 512);
                return found > 1 ? [...out].sort((a, b) => a - b) : out;
              });
              let score = 0;
              let adjacent = 0;
              for (let i = 0; i + 1 < words.length; i++) {
                const d = nearestByPairs(lists[i]!, lists[i + 1]!);
                if (d === 0 || Math.abs(d) > near.window) continue;
                if (d === 1) adjacent++;
                const idf = (w: number) =>
                  Math.max(0, ...words[w]!.alternatives.flatMap((a) => a.lists.map((l) => l.idf)));
                score += Math.min(idf(i), idf(i + 1)) * ((d > 0 ? 1 : 0.5) / (d * d));
              }
              if (score > best.score) best = { score, adjacent, window: windowByStarts(lists) };
            }
            expect(proximity.score).toBeCloseTo(best.score, 12);
            expect(proximity.adjacentPairs).toBe(best.adjacent);
            expect(proximity.window).toBe(best.window);
          }
        });
      },
    ),
    { numRuns: 150 },
  );
});
