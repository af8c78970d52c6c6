/**
 * Champion lists (index/champions.ts) hold each common term's best documents as the search
 * scores the term, and the floor of those left out; a query that reads one from its list gives
 * the page and total of reading every list, and reads them all when the list cannot answer.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { LoupeDocument } from "../../src/corpus/types.js";
import { championsOf } from "../../src/index/champions.js";
import { CHAMPION_SCORING, indexDocuments, STOPWORD_PREFIX } from "../../src/index/index.js";
import { decodePostings, encodePostings } from "../../src/index/postings-file.js";
import { DEFAULT_RANKING, execute } from "../../src/search/execute.js";
import { parseQuery } from "../../src/search/parse.js";
import { lookupWord, prepareWord } from "../../src/search/score.js";
import { lcg } from "./helpers.js";

const WORDS = ["armée", "soldat", "paix", "guerre", "traité", "frontière", "drone", "radar"];

/** `size` documents whose words follow `random` (a few very common, most rare). */
function collection(size: number, seed: number): LoupeDocument[] {
  const random = lcg(seed);
  return Array.from({ length: size }, (_, i) => {
    const words = Array.from({ length: 2 + Math.floor(random() * 12) }, () => {
      // To the fourth power: the first word is in most documents, the last in few, and many
      // scores tie.
      const r = random();
      return WORDS[Math.floor(r * r * r * r * WORDS.length)]!;
    });
    return {
      id: `d${String(i).padStart(4, "0")}`,
      title: words.slice(0, 1 + (i % 3)).join(" "),
      body: words.join(" de "),
      source: `d${i}.txt`,
      bytes: 1,
      readingMinutes: 1,
      hash: "",
    };
  });
}

const CONTENT = { bm25: DEFAULT_RANKING.bm25, stopwords: false };

describe("champion lists", () => {
  test("the ranking's BM25 is the one the lists are made for", () => {
    const index = indexDocuments(collection(700, 3));
    expect(index.postings.scoredLike(DEFAULT_RANKING.bm25)).toBe(true);
    expect(index.postings.data.champions.terms.length).toBeGreaterThan(0);
    expect([...index.postings.data.champions.scoring]).toEqual([
      CHAMPION_SCORING.k1,
      CHAMPION_SCORING.delta,
      ...CHAMPION_SCORING.fields.flatMap(({ weight, b }) => [weight, b]),
    ]);
    for (const other of [
      { ...DEFAULT_RANKING.bm25, k1: 1.2 },
      { ...DEFAULT_RANKING.bm25, fields: [DEFAULT_RANKING.bm25.fields[0]!] },
      {
        ...DEFAULT_RANKING.bm25,
        fields: [DEFAULT_RANKING.bm25.fields[0]!, DEFAULT_RANKING.bm25.fields[0]!],
      },
      {
        ...DEFAULT_RANKING.bm25,
        fields: DEFAULT_RANKING.bm25.fields.map((f) => ({ ...f, b: 0.75 })),
      },
    ]) {
      expect(index.postings.scoredLike(other)).toBe(false);
    }
  });

  test("each list is the term's best documents by the search's own score, ties to the lower ordinal", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 60, max: 400 }),
        fc.integer({ min: 1, max: 12 }),
        (seed, size, kept) => {
          const index = indexDocuments(collection(size, seed));
          const { postings } = index;
          const made = championsOf(postings.data, CHAMPION_SCORING, kept, 2 * kept);
          const all = Array.from({ length: postings.documentCount }, (_, doc) => doc);
          let lists = 0;
          for (let term = 0; term < postings.termCount; term++) {
            const key = postings.data.terms[term]!;
            const word = prepareWord(postings, [{ term: key, weight: 1, kind: "exact" }], CONTENT);
            const scores = lookupWord(postings, word, DEFAULT_RANKING.bm25, all);
            const holding = all.filter((doc) => scores[doc]! > 0);
            const c = made.terms.indexOf(term);
            if (key.startsWith(STOPWORD_PREFIX) || holding.length <= 2 * kept) {
              expect(c, key).toBe(-1);
              continue;
            }
            expect(c, key).toBeGreaterThanOrEqual(0);
            lists++;
            const ranked = [...holding].sort((a, b) => scores[b]! - scores[a]! || a - b);
            const docs = [...made.docs.subarray(made.start[c]!, made.start[c + 1]!)];
            expect(docs, key).toEqual(ranked.slice(0, kept).sort((a, b) => a - b));
            expect(made.floor[c], key).toBe(scores[ranked[kept]!]);
            expect(made.documents[c], key).toBe(holding.length);
          }
          expect(lists).toBeGreaterThan(0);
        },
      ),
      { numRuns: 25, seed: 77 },
    );
  });

  test("persisted, they read back as made", () => {
    const { postings } = indexDocuments(collection(800, 5));
    const decoded = decodePostings(new Uint8Array(Buffer.concat(encodePostings(postings.data))));
    for (const key of ["scoring", "terms", "start", "docs", "floor", "documents"] as const) {
      expect([...decoded.champions[key]], key).toEqual([...postings.data.champions[key]]);
    }
  });

  test("a damaged list is refused", () => {
    const { postings } = indexDocuments(collection(800, 5));
    const { champions } = postings.data;
    const broken = { ...champions, start: Uint32Array.from(champions.start).reverse() };
    const bytes = Buffer.concat(encodePostings({ ...postings.data, champions: broken }));
    expect(() => decodePostings(new Uint8Array(bytes))).toThrow(/champion lists/);
  });

  test("a common word reads from its list, or every list when a page goes deeper than it", () => {
    const index = indexDocuments(collection(1500, 11));
    let used = 0;
    for (const text of ["armée", "armée drone", "radar armée", "frontière radar armée"]) {
      for (const wanted of [1, 10, 100, 400]) {
        const query = parseQuery(text);
        const pruned = execute(index, query, undefined, DEFAULT_RANKING, { wanted });
        const full = execute(index, query, undefined, DEFAULT_RANKING, {
          wanted,
          exhaustive: true,
        });
        if (pruned.strategy === "champions") used++;
        // Deeper than the list, with no other word whose documents rank first: it cannot
        // answer, and every list is read.
        if (text === "armée" && wanted === 400) expect(pruned.strategy).toBe("exhaustive");
        expect(pruned.total).toBe(full.total);
        expect(pruned.ranked.map((doc) => doc.id)).toEqual(full.ranked.map((doc) => doc.id));
        pruned.ranked.forEach((doc, i) => {
          expect(doc.score).toBeCloseTo(full.ranked[i]!.score, 9);
        });
      }
    }
    expect(used).toBeGreaterThan(4);
  });

  test("the page and total of reading every list, on random queries and pages", () => {
    // Pages deeper than the lists make the floor decide: the documents left out must not
    // outrank the candidates counted above it.
    const indexes = [collection(1500, 11), collection(2500, 29)].map((docs) =>
      indexDocuments(docs),
    );
    const strategies = new Set<string>();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: indexes.length - 1 }),
        fc.array(fc.constantFrom(...WORDS, "arm*", "radars"), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 700 }),
        fc.boolean(),
        (which, words, wanted, typing) => {
          const index = indexes[which]!;
          const query = parseQuery(typing ? words.join(" ") : `${words.join(" ")} `);
          const pruned = execute(index, query, undefined, DEFAULT_RANKING, { wanted });
          const full = execute(index, query, undefined, DEFAULT_RANKING, {
            wanted,
            exhaustive: true,
          });
          strategies.add(pruned.strategy);
          expect(pruned.total).toBe(full.total);
          expect(pruned.ranked.map((doc) => doc.id)).toEqual(full.ranked.map((doc) => doc.id));
        },
      ),
      { numRuns: 300, seed: 9 },
    );
    expect(strategies).toContain("champions");
  });
});
