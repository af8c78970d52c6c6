/**
 * Scoring reuses per-document arrays from query to query (src/search/bm25f.ts, `scratchFor`):
 * an answer must never depend on the queries run before it, even one that failed half-way.
 */
import { beforeAll, describe, expect, test } from "vitest";
import type { Postings } from "../../src/index/postings.js";
import { postingsOf } from "../../src/index/postings.js";
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
    const real = postingsOf(index.miniSearch);
    // Armed on a term, the view throws after a few postings of it have been added up: per-
    // document sums, best scores and totals are then all half-filled.
    let failOn: string | undefined;
    let armed = false;
    let reads = 0;
    const lengths = real.lengths.map(
      (field) =>
        new Proxy(field, {
          get(target, key) {
            if (armed && typeof key === "string" && /^\d+$/.test(key) && ++reads > 2)
              throw new Error("simulated failure");
            return Reflect.get(target, key);
          },
        }),
    );
    // The same view throughout, so the failing query and the next share their arrays.
    const postings: Postings = {
      ...real,
      lengths,
      ids: real.ids,
      term: (term) => {
        armed = term === failOn;
        reads = 0;
        return real.term(term);
      },
    };
    const run = (view: Postings, q: string) => {
      const execution = execute(index, view, parseQuery(q), undefined, () => ({
        title: [],
        body: [],
      }));
      return execution.ranked.map((doc) => [doc.id, doc.score, doc.wordsMatched]);
    };
    const query = "Irak soldats canadiens";
    const expected = run(real, query);
    expect(expected.length).toBeGreaterThan(1);

    // The first two words are scored, the third throws among its postings.
    const [, , third] = parseQuery(query).words;
    failOn = third?.term;
    expect(() => run(postings, query)).toThrow("simulated failure");
    failOn = undefined;
    armed = false;
    expect(run(postings, query)).toEqual(expected);
    expect(run(postings, "OTAN")).toEqual(run(real, "OTAN"));
    expect(run(postings, "canadiens Irak")).toEqual(run(real, "canadiens Irak"));
  });
});
