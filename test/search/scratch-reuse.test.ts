/**
 * Scoring reuses per-document arrays from query to query (src/search/score.ts, `scratchFor`):
 * an answer must never depend on the queries run before it, even one that failed half-way.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { LoupeEngine } from "../../src/search/engine.js";
import { execute } from "../../src/search/execute.js";
import { parseQuery } from "../../src/search/parse.js";
import { type SeedsEngine, seedsEngine } from "./helpers.js";

const QUERIES = [
  "OTAN",
  "Irak soldats canadiens",
  "entrain*",
  "gouvernemnt irakien",
  '"Alliance atlantique"',
  "Bruxelles -Canada",
  "le la les",
  "retrait des troupes américaines",
  "OTAN date:2020-02",
  "zanzibar",
];

type Answer = { total: number; hits: Array<[string, number]> };

function answer(engine: LoupeEngine, query: string): Answer {
  const result = engine.search(query, { limit: 10 });
  return { total: result.total, hits: result.hits.map((hit) => [hit.id, hit.score]) };
}

describe("answers do not depend on the queries before them", () => {
  let seeds: SeedsEngine;
  beforeAll(async () => {
    seeds = await seedsEngine();
  });

  test("each query alone on a fresh engine, then all of them in turn, twice, both ways", () => {
    const alone = new Map(
      QUERIES.map((q) => [q, answer(new LoupeEngine(seeds.engine.index), q)] as const),
    );
    // The fresh engines each built their own postings view, hence their own arrays; this one
    // runs everything on one.
    const shared = new LoupeEngine(seeds.engine.index);
    for (const order of [QUERIES, [...QUERIES].reverse(), QUERIES]) {
      for (const q of order) expect(answer(shared, q), q).toEqual(alone.get(q));
    }
    // The test would prove nothing if every query found the same documents.
    const totals = new Set([...alone.values()].map((a) => a.total));
    expect(totals.size).toBeGreaterThan(3);
  });

  test("a query that throws half-way through scoring leaves nothing behind for the next", () => {
    const { index } = seeds.engine;
    const data = index.postings.data as { tfs: Uint32Array };
    const real = data.tfs;
    // Armed, the frequencies throw after a few postings have been added up: per-document sums,
    // best scores and totals are then all half-filled, in the same arrays the next query uses.
    let armed = false;
    let reads = 0;
    const failing = new Proxy(real, {
      get(target, key) {
        if (armed && typeof key === "string" && /^\d+$/.test(key) && ++reads > 3)
          throw new Error("simulated failure");
        return Reflect.get(target, key);
      },
    });
    const run = (q: string) =>
      execute(index, parseQuery(q), undefined).ranked.map((doc) => [
        doc.id,
        doc.score,
        doc.wordsMatched,
      ]);
    const query = "Irak soldats canadiens";
    const expected = run(query);
    expect(expected.length).toBeGreaterThan(1);
    const others = ["OTAN", "canadiens Irak", "le la les"].map((q) => [q, run(q)] as const);
    try {
      data.tfs = failing;
      armed = true;
      expect(() => run(query)).toThrow("simulated failure");
      expect(reads).toBeGreaterThan(3);
    } finally {
      armed = false;
      data.tfs = real;
    }
    expect(run(query)).toEqual(expected);
    for (const [q, answer] of others) expect(run(q), q).toEqual(answer);
  });
});
