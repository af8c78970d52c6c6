/**
 * A sorted search scores every match: top-k pruning keeps the best by score, which need not be
 * the first by the sort. On a collection large enough for pruning to apply, the page of a
 * sorted query must be the start of the sorted list of every match, whatever its size.
 */
import { describe, expect, test } from "vitest";
import { defaultSettings } from "../../src/corpus/index.js";
import type { LoupeDocument } from "../../src/corpus/types.js";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { DEFAULT_RANKING } from "../../src/search/execute.js";
import type { Hit } from "../../src/search/types.js";
import { lcg, textDocument } from "./helpers.js";

const WORDS = ["armée", "soldat", "paix", "guerre", "traité", "frontière", "alliance", "drone"];

function collection(size: number): LoupeDocument[] {
  const random = lcg(42);
  return Array.from({ length: size }, (_, i): LoupeDocument => {
    const words = Array.from(
      { length: 3 + Math.floor(random() * 20) },
      () => WORDS[Math.floor(random() * WORDS.length)]!,
    );
    const rank = Math.floor(random() * 50);
    return {
      id: `d${String(i).padStart(4, "0")}`,
      title: words.slice(0, 2).join(" "),
      body: words.join(" "),
      source: `d${i}.json`,
      bytes: 1,
      readingMinutes: 1,
      hash: "",
      // One in ten has no rank: those come last.
      attributes: i % 10 === 0 ? {} : { rank },
    };
  });
}

const settings = {
  ...defaultSettings(),
  filterableAttributes: ["rank"],
  sortableAttributes: ["rank"],
};
const engine = new LoupeEngine(indexDocuments(collection(600), settings));
/** The same index, re-ranking the best 30 only: pages reach past the window. */
const narrowEngine = new LoupeEngine(engine.index, {
  ...DEFAULT_RANKING,
  proximity: { ...DEFAULT_RANKING.proximity, rerank: 30 },
  shortRerank: { upTo: 4, depth: 30 },
});
const rankOf = (id: string) =>
  engine.index.documents.get(id)?.attributes?.rank as number | undefined;

/** Every hit of the query, in relevance's order, read page by page (100 at a time). */
function everyHit(q: string): Hit[] {
  const hits: Hit[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = engine.search(q, { limit: 100, offset });
    hits.push(...page.hits);
    if (page.hits.length < 100) return hits;
  }
}
const matchesOf = (q: string) => everyHit(q).map((hit) => hit.id);
const rankingScoresOf = (q: string) => everyHit(q).map((hit) => hit.rankingScore);

describe("sort over pruned queries", () => {
  test.each(["armée", "armée paix", "guerre traité drone", "soldat paix alliance frontière drone"])(
    "%s: each page is the sorted list's slice, ties by relevance",
    (q) => {
      for (const direction of ["asc", "desc"] as const) {
        const all = engine.search(q, { sort: [`rank:${direction}`], limit: 100, explain: true });
        expect(all.total).toBeGreaterThan(20);
        const ranks = all.hits.map((hit) => rankOf(hit.id));
        const present = ranks.filter((rank) => rank !== undefined);
        // Documents without a rank come after all those with one.
        expect(ranks.slice(0, present.length)).toEqual(present);
        expect(present).toEqual([...present].sort((a, b) => (direction === "asc" ? a - b : b - a)));
        // And they are the first of every match, found page by page without a sort: pruning
        // the sorted query to its best by score would leave out low scores of extreme rank.
        const every = matchesOf(q);
        expect(every.length).toBe(all.total);
        expect(every.length).toBeGreaterThan(all.hits.length);
        const expected = every
          .map(rankOf)
          .sort((a, b) =>
            a === undefined ? 1 : b === undefined ? -1 : direction === "asc" ? a - b : b - a,
          )
          .slice(0, all.hits.length);
        expect(ranks).toEqual(expected);
        // Ties in relevance's order: within the re-ranked window, the learned score alone;
        // past it, documents holding every word first (short queries), then score. A window
        // of 30 puts most of the page past it.
        const words = q.split(" ").length;
        const short = words <= DEFAULT_RANKING.allWordsFirstUpTo;
        const window = 30;
        const narrow = narrowEngine.search(q, {
          sort: [`rank:${direction}`],
          limit: 100,
          explain: true,
        });
        const narrowRanks = narrow.hits.map((hit) => rankOf(hit.id));
        expect(narrowRanks).toEqual(ranks);
        let pastAndTied = 0;
        for (let i = 1; i < narrow.hits.length; i++) {
          const [before, hit] = [narrow.hits[i - 1]!.explain!, narrow.hits[i]!.explain!];
          if (narrowRanks[i] !== narrowRanks[i - 1] || i === window) continue;
          if (i > window) pastAndTied++;
          if (i > window && short && before.allWords !== hit.allWords)
            expect(before.allWords).toBe(true);
          else expect(hit.score).toBeLessThanOrEqual(before.score);
        }
        expect(pastAndTied).toBeGreaterThan(0);
        const page = engine.search(q, { sort: [`rank:${direction}`], limit: 5, offset: 10 });
        expect(page.hits.map((hit) => hit.id)).toEqual(all.hits.slice(10, 15).map((hit) => hit.id));
      }
    },
  );
});

describe("paging through more matches than the re-ranking sees", () => {
  test.each(["armée", "armée paix", "guerre traité drone", "soldat paix alliance frontière drone"])(
    "%s: every match once, and any page is the slice of the whole list",
    (q) => {
      const every = matchesOf(q);
      const total = engine.search(q, { limit: 1 }).total;
      const scores = rankingScoresOf(q);
      for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThanOrEqual(scores[i - 1]!);
      // Past the 100 the learned ranking re-orders: the bug was there.
      expect(total).toBeGreaterThan(150);
      expect(every).toHaveLength(total);
      expect(new Set(every).size).toBe(total);
      for (const [offset, limit] of [
        [0, 7],
        [95, 10],
        [120, 30],
        [total - 5, 10],
      ] as const) {
        const page = engine.search(q, { limit, offset }).hits.map((hit) => hit.id);
        expect(page, `${q} at ${offset}`).toEqual(every.slice(offset, offset + limit));
      }
    },
  );
});

describe("sort over values of both kinds", () => {
  const docs = [5, "abc", 3, undefined, "Zed"].map(
    (v, i): LoupeDocument => ({
      ...textDocument(`m${i}`, "mot", "mot"),
      attributes: v === undefined ? {} : { v },
    }),
  );
  const mixed = new LoupeEngine(
    indexDocuments(docs, { ...defaultSettings(), sortableAttributes: ["v"] }),
  );
  const order = (direction: string) =>
    mixed.search("mot", { sort: [`v:${direction}`] }).hits.map((hit) => hit.id);

  test("numbers before strings both ways (Meilisearch gives numbers precedence), none last", () => {
    expect(order("asc")).toEqual(["m2", "m0", "m1", "m4", "m3"]);
    expect(order("desc")).toEqual(["m0", "m2", "m4", "m1", "m3"]);
  });
});
