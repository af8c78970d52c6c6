/**
 * What a result page says besides its hits: stable pagination, an exact total (checked by brute
 * force over the stored text), and date facets.
 */
import { beforeAll, describe, expect, test } from "vitest";
import type { LoupeDocument } from "../../src/corpus/types.js";
import { QueryError } from "../../src/search/types.js";
import { ALL_SEEDS, holds, idsWhere, SEED, type SeedsEngine, seedsEngine } from "./helpers.js";

let seeds: SeedsEngine;
beforeAll(async () => {
  seeds = await seedsEngine();
});

describe("pagination", () => {
  test.each(["OTAN Irak", "Bagdad", "Stoltenberg", "le la les", ""])(
    "%j: pages of 2 at offsets 0, 2, 4 are the page of 10, no overlap, no gap",
    (query) => {
      const whole = seeds.engine.search(query, { limit: 10 });
      expect(whole.total).toBe(5);
      expect(whole.hits.map((hit) => hit.id).sort()).toEqual(ALL_SEEDS);
      const pages = [0, 2, 4].map((offset) => seeds.engine.search(query, { limit: 2, offset }));
      for (const [i, page] of pages.entries()) {
        expect(page.total).toBe(5);
        expect(page.offset).toBe(i * 2);
        expect(page.limit).toBe(2);
      }
      expect(pages.map((page) => page.hits.length)).toEqual([2, 2, 1]);
      const concatenated = pages.flatMap((page) => page.hits);
      expect(concatenated.map((hit) => [hit.id, hit.score])).toEqual(
        whole.hits.map((hit) => [hit.id, hit.score]),
      );
      expect(new Set(concatenated.map((hit) => hit.id)).size).toBe(5);
    },
  );

  test("the same query twice gives the same order (ties broken the same way)", () => {
    const first = seeds.engine.search("Bagdad Soleimani", { limit: 10 }).hits.map((hit) => hit.id);
    for (let i = 0; i < 3; i++) {
      expect(
        seeds.engine.search("Bagdad Soleimani", { limit: 10 }).hits.map((hit) => hit.id),
      ).toEqual(first);
    }
  });

  test("an offset past the end gives no hits but the total", () => {
    const result = seeds.engine.search("OTAN", { offset: 5 });
    expect(result.hits).toEqual([]);
    expect(result.total).toBe(5);
  });

  test("limit 0 gives the total and the facets alone, as Meilisearch's", () => {
    const result = seeds.engine.search("OTAN", { limit: 0 });
    expect(result.hits).toEqual([]);
    expect(result.total).toBe(5);
    expect(result.facets).toEqual(seeds.engine.search("OTAN").facets);
  });

  test("a limit or offset out of range is a QueryError naming the parameter", () => {
    for (const options of [
      { limit: -1 },
      { limit: 101 },
      { limit: 1.5 },
      { offset: -1 },
      { offset: 10_001 },
    ]) {
      const name = Object.keys(options)[0]!;
      let error: unknown;
      try {
        seeds.engine.search("OTAN", options);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(options)).toBeInstanceOf(QueryError);
      expect((error as QueryError).parameter).toBe(name);
    }
  });
});

describe("total", () => {
  /**
   * The documents a query of plain words (no prefix: it ends with a space; no typo budget: each
   * word is 4 letters or unknown to no neighbour) must match: any word, minus the excluded ones.
   */
  const cases: Array<{ query: string; any: string[]; none?: string[] }> = [
    { query: "Irak ", any: ["Irak"] },
    { query: "Iran ", any: ["Iran"] },
    { query: "Canada ", any: ["Canada"] },
    { query: "OTAN -Canada ", any: ["OTAN"], none: ["Canada"] },
    { query: "Hutchison Sajjan ", any: ["Hutchison", "Sajjan"] },
    { query: "Parly Sajjan ", any: ["Parly", "Sajjan"] },
    { query: "hélicoptères Taji ", any: ["hélicoptères", "Taji"] },
    { query: "Bagdad -Parly -Sajjan ", any: ["Bagdad"], none: ["Parly", "Sajjan"] },
  ];

  test.each(cases)(
    "$query: total is the number of documents holding the words",
    ({ query, any, none = [] }) => {
      const matches = (doc: LoupeDocument) =>
        any.some((word) => holds(doc, word)) && !none.some((word) => holds(doc, word));
      const expected = idsWhere(seeds.documents, matches);
      const result = seeds.engine.search(query, { limit: 100 });
      expect(result.total).toBe(expected.length);
      expect(result.hits.map((hit) => hit.id).sort()).toEqual(expected);
      // And the same with a page too small to hold them all.
      expect(seeds.engine.search(query, { limit: 1 }).total).toBe(expected.length);
    },
  );

  test("a word in no document finds nothing", () => {
    const result = seeds.engine.search("xyzzyq ");
    expect(result.total).toBe(0);
    expect(result.hits).toEqual([]);
  });
});

describe("facets", () => {
  /** Matching documents counted by month, undated ones left out. */
  function monthsOf(ids: string[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const id of ids) {
      const date = seeds.byId.get(id)?.date;
      if (date !== undefined) counts[date] = (counts[date] ?? 0) + 1;
    }
    return counts;
  }

  test("facets.date counts matching documents per month, in month order", () => {
    const result = seeds.engine.search("OTAN");
    expect(result.facets.date).toEqual({ "2020-01": 1, "2020-02": 2 });
    expect(Object.keys(result.facets.date)).toEqual(["2020-01", "2020-02"]);
    expect(result.facets.date).toEqual(monthsOf(result.hits.map((hit) => hit.id)));
  });

  test("facets follow the query", () => {
    expect(seeds.engine.search("Sajjan").facets.date).toEqual({ "2020-02": 1 });
    expect(seeds.engine.search("Parly").facets.date).toEqual({});
    expect(seeds.engine.search('"formation des formateurs"').facets.date).toEqual({ "2020-01": 1 });
    const hutchOrTaji = seeds.engine.search("Hutchison Taji ");
    expect(hutchOrTaji.facets.date).toEqual({ "2020-02": 2 });
  });

  test("with a date filter, the facets still show the other months (counted before the filter)", () => {
    const result = seeds.engine.search("OTAN date:2020-01");
    expect(result.hits.map((hit) => hit.id)).toEqual([SEED.suspension]);
    expect(result.facets.date).toEqual({ "2020-01": 1, "2020-02": 2 });
  });
});

describe("profile", () => {
  test.each(["OTAN Irak", "Soleimani", '"État islamique"', "le la", "Stoltemberg"])(
    "%j: each step's milliseconds, none negative, adding up to no more than tookMs; none unasked",
    (query) => {
      const result = seeds.engine.search(query, { profile: true });
      const profile = result.profile!;
      expect(Object.keys(profile).sort()).toEqual(
        ["expand", "hits", "parse", "rank", "retrieve", "suggest"].sort(),
      );
      for (const ms of Object.values(profile)) {
        expect(Number.isFinite(ms)).toBe(true);
        expect(ms).toBeGreaterThanOrEqual(0);
      }
      // Each step inside the search takes some time: a step the engine stopped timing stays 0.
      expect(profile.expand).toBeGreaterThan(0);
      expect(profile.retrieve).toBeGreaterThan(0);
      expect(profile.rank).toBeGreaterThan(0);
      expect(profile.hits).toBeGreaterThan(0);
      const sum = Object.values(profile).reduce((a, b) => a + b, 0);
      // tookMs is rounded to 0.01 ms, each step to 0.001 ms.
      expect(sum).toBeLessThanOrEqual(result.tookMs + 0.01 + 0.003);
      expect(seeds.engine.search(query).profile).toBeUndefined();
      const { profile: _, tookMs: __, ...same } = result;
      const { tookMs: ___, ...plain } = seeds.engine.search(query);
      expect(same).toEqual(plain);
    },
  );
});
