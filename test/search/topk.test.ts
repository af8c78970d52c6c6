/**
 * Top-k retrieval skips what cannot reach the page (documents holding every word, MaxScore):
 * on random collections and queries it must give the same page, scores and total as scoring
 * every match in full.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { LoupeDocument } from "../../src/corpus/types.js";
import { indexDocuments } from "../../src/index/index.js";
import {
  DEFAULT_RANKING,
  execute,
  planWords,
  type RankingParams,
  type Strategy,
} from "../../src/search/execute.js";
import { parseQuery } from "../../src/search/parse.js";
import { allWordsThenMaxScore } from "../../src/search/retrieve.js";
import { prepareWord, Scratch } from "../../src/search/score.js";
import { lcg } from "./helpers.js";

// Frequencies from everywhere to rare, so that some queries prune and some cannot.
const COMMON = ["armée", "soldat", "paix", "guerre"];
const RARE = ["traité", "frontière", "alliance", "otage", "convoi", "blindé", "drone", "radar"];

function collection(seed: number, size: number): LoupeDocument[] {
  const random = lcg(seed);
  return Array.from({ length: size }, (_, i) => {
    const words: string[] = [];
    const length = 3 + Math.floor(random() * 30);
    for (let w = 0; w < length; w++) {
      words.push(
        random() < 0.6
          ? COMMON[Math.floor(random() * COMMON.length)]!
          : RARE[Math.floor(random() * RARE.length)]!,
      );
    }
    const title = words.slice(0, 1 + Math.floor(random() * 3)).join(" ");
    return {
      id: `d${String(i).padStart(4, "0")}`,
      title,
      body: words.join(" la "),
      source: `d${i}.txt`,
      bytes: 1,
      readingMinutes: 1,
      hash: "",
    };
  });
}

describe("top-k with pruning equals exhaustive scoring", () => {
  const strategies = new Set<Strategy>();
  const variants: RankingParams[] = [
    DEFAULT_RANKING,
    { ...DEFAULT_RANKING, proximity: { ...DEFAULT_RANKING.proximity, rerank: 5 } },
    {
      ...DEFAULT_RANKING,
      allWordsFirstUpTo: 0,
      proximity: { ...DEFAULT_RANKING.proximity, weight: 0 },
    },
    // Words weighted by idf and query frequency: their bounds are scaled with them.
    {
      ...DEFAULT_RANKING,
      allWordsFirstUpTo: 0,
      queryWeighting: { longerThan: 2, idfPower: 1, k3: 2 },
      titleMatch: { weight: 1, upTo: 4, requireAll: false },
    },
  ];
  const indexes = [collection(1, 300), collection(7, 900)].map((docs) => indexDocuments(docs));

  test("the same documents, scores and total, on random queries", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: indexes.length - 1 }),
        fc.integer({ min: 0, max: variants.length - 1 }),
        // Exclusions and a required phrase filter what is scored: the total then comes
        // from the scoring pass (read whole) or from a count of its own (pruned).
        fc.array(
          fc.constantFrom(
            ...COMMON,
            ...RARE,
            "fr*",
            "drones",
            "allianse",
            "-radar",
            "-paix",
            '"armée paix"',
          ),
          { minLength: 1, maxLength: 7 },
        ),
        fc.integer({ min: 1, max: 40 }),
        (which, variant, words, wanted) => {
          const index = indexes[which]!;
          const params = variants[variant]!;
          const query = parseQuery(`${words.join(" ")} `);
          const pruned = execute(index, query, undefined, params, { wanted });
          const full = execute(index, query, undefined, params, { wanted, exhaustive: true });
          strategies.add(pruned.strategy);
          expect(pruned.total).toBe(full.total);
          expect(pruned.ranked.map((doc) => doc.id)).toEqual(full.ranked.map((doc) => doc.id));
          pruned.ranked.forEach((doc, i) => {
            expect(doc.score).toBeCloseTo(full.ranked[i]!.score, 9);
            expect(doc.wordsMatched).toBe(full.ranked[i]!.wordsMatched);
          });
          expect(pruned.facets).toEqual(full.facets);
        },
      ),
      { numRuns: 300, seed: 4242 },
    );
    // The test proves nothing unless both pruning strategies did run.
    expect(strategies).toContain("conjunctive");
    expect(strategies).toContain("maxscore");
  });

  test("a page of the best few is the start of the page of every match", () => {
    // Plain scores (no re-ranking): the page of 5 is chosen among hundreds of matches by
    // bounded selection, the page of every match by a full sort.
    const params: RankingParams = {
      ...DEFAULT_RANKING,
      learned: undefined,
      shortRerank: undefined,
      proximity: { ...DEFAULT_RANKING.proximity, weight: 0, rerank: 5 },
    };
    const index = indexes[1]!;
    let selected = 0;
    // With a phrase, its words' scores count in choosing the best few.
    for (const text of [
      "armée",
      "paix guerre",
      "soldat traité",
      "guerre drone radar",
      "paix",
      'soldat "paix la guerre"',
    ]) {
      const query = parseQuery(text);
      const all = execute(index, query, undefined, params, { wanted: 5000, exhaustive: true });
      if (all.total > 50) selected++;
      for (const wanted of [1, 5, 17]) {
        const page = execute(index, query, undefined, params, { wanted, exhaustive: true });
        expect(page.ranked.map((doc) => doc.id)).toEqual(
          all.ranked.slice(0, wanted).map((doc) => doc.id),
        );
      }
    }
    expect(selected).toBeGreaterThan(2);
  });

  test("out of time half-way, documents holding every word are scored once each", () => {
    // MaxScore cut short hands over the documents it met in the order met (a word's title
    // list, then its body's): the few holding every word that it did not score must be found
    // among them all the same. The rarer word's 72 documents are fewer than the depth, so
    // MaxScore reads on after them; 24 of the 600 documents hold both words.
    const docs: LoupeDocument[] = Array.from({ length: 600 }, (_, i) => ({
      id: `e${String(i).padStart(4, "0")}`,
      title: i % 25 === 0 ? "balise" : "titre",
      body: `${i % 3 === 0 ? "armée" : "soldat"} la ${i % 10 === 0 ? "balise" : "radar"} la paix`,
      source: `e${i}.txt`,
      bytes: 1,
      readingMinutes: 1,
      hash: "",
    }));
    const index = indexDocuments(docs);
    const { postings } = index;
    const bm25 = DEFAULT_RANKING.bm25;
    const plan = planWords(index, parseQuery("armée balise"));
    const words = plan.scoredWords.map(({ alternatives }) =>
      prepareWord(postings, alternatives, { bm25, stopwords: false }),
    );
    const holdingAll = docs.flatMap((_, doc) =>
      (doc % 10 === 0 || doc % 25 === 0) && doc % 3 === 0 ? [doc] : [],
    );
    expect(holdingAll).toHaveLength(24);
    let cut = 0;
    for (let after = 0; after < 8; after++) {
      let calls = 0;
      const scratch = new Scratch(postings.documentCount);
      const found = allWordsThenMaxScore({
        index,
        words,
        bm25,
        scratch,
        allowed: undefined,
        touched: scratch.touched,
        depth: 100,
        allWordsFirst: true,
        late: () => calls++ >= after,
      });
      const candidates = Array.from(found.candidates);
      expect(new Set(candidates).size).toBe(candidates.length);
      for (const doc of holdingAll) expect(candidates).toContain(doc);
      if (!isAscending(candidates)) cut++;
    }
    // The test proves nothing unless some search was cut with its candidates out of order.
    expect(cut).toBeGreaterThan(0);
  });
});

function isAscending(docs: readonly number[]): boolean {
  return docs.every((doc, i) => i === 0 || docs[i - 1]! <= doc);
}
