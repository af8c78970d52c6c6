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

const WORDS = ["armée", "soldat", "paix", "guerre", "traité", "frontière", "alliance", "drone"];

function collection(size: number): LoupeDocument[] {
  let state = 42;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
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
const rankOf = (id: string) =>
  engine.index.documents.get(id)?.attributes?.rank as number | undefined;

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
        const short = q.split(" ").length <= 4;
        // Ties in relevance's order: documents holding every word first (short queries), then score.
        for (let i = 1; i < all.hits.length; i++) {
          const [before, hit] = [all.hits[i - 1]!.explain!, all.hits[i]!.explain!];
          if (ranks[i] !== ranks[i - 1]) continue;
          if (short && before.allWords !== hit.allWords) expect(before.allWords).toBe(true);
          else expect(hit.score).toBeLessThanOrEqual(before.score);
        }
        const page = engine.search(q, { sort: [`rank:${direction}`], limit: 5, offset: 10 });
        expect(page.hits.map((hit) => hit.id)).toEqual(all.hits.slice(10, 15).map((hit) => hit.id));
      }
    },
  );
});
