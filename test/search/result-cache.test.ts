import { describe, expect, test } from "vitest";
import { LoupeEngine } from "../../src/search/engine.js";
import { DEFAULT_RANKING } from "../../src/search/execute.js";
import { seedsEngine } from "./helpers.js";

describe("the result cache", async () => {
  const { engine: uncached } = await seedsEngine();
  const cached = new LoupeEngine(uncached.index, DEFAULT_RANKING, { resultCache: 2 });
  const strip = (result: ReturnType<LoupeEngine["search"]>) => ({ ...result, tookMs: 0 });

  test("answers a repeated query exactly as the engine without cache", () => {
    for (let round = 0; round < 2; round++) {
      for (const [query, options] of [
        ["OTAN", { limit: 2 }],
        ["OTAN", { limit: 2, offset: 2 }],
        ["OTAN", { date: "2020-02" }],
        ["Irak", {}],
      ] as const) {
        expect(strip(cached.search(query, options))).toEqual(
          strip(uncached.search(query, options)),
        );
      }
    }
  });

  test("keeps no more results than it is allowed", () => {
    const internals = cached as unknown as { results: Map<string, unknown> };
    for (const query of ["Bagdad", "Parly", "Soleimani", "Stoltenberg"]) cached.search(query);
    expect(internals.results.size).toBe(2);
  });
});
