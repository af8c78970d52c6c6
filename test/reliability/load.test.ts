/**
 * bench/load.ts scaled down to fit in `npm test`: a real server in a child process, 10
 * connections for 3 s, then 3 s more while the served index is rebuilt and swapped once.
 * `npm run test:load` runs it at full size (50 connections × 15 s, two swaps).
 * No timing assertion: only failures, memory bounds and that the swap is served.
 */
import { describe, expect, test } from "vitest";
import { formatLoad, HEAP_GROWTH_LIMIT_MB, loadFailures, runLoad } from "../../bench/load.js";

describe("sustained load (scaled down)", () => {
  test("no failed request, bounded memory, and a hot swap under load is served", async () => {
    const lines: string[] = [];
    const result = await runLoad({
      connections: 10,
      seconds: 3,
      warmupSeconds: 1,
      swaps: 1,
      log: (line) => lines.push(line),
    });
    console.log(formatLoad(result));

    expect(loadFailures(result)).toEqual([]);
    expect(result.run.requests).toBeGreaterThan(0);
    expect(result.run.ok2xx).toBe(result.run.requests);
    expect(result.swapRun?.ok2xx).toBe(result.swapRun?.requests);
    expect(result.swaps).toHaveLength(1);
    expect(result.swaps[0]?.found).toBeGreaterThanOrEqual(1);
    // The server really searched: the counters in the child moved with the requests.
    expect(result.memory.afterRun.searches).toBeGreaterThan(result.memory.afterWarmup.searches);
    expect(result.memory.afterSwapRun?.indexDocuments).toBe(result.documents + 1);
    const growth = (result.memory.afterRun.heapUsed - result.memory.afterWarmup.heapUsed) / 2 ** 20;
    expect(growth).toBeLessThan(HEAP_GROWTH_LIMIT_MB);
  }, 60_000);

  test("the failure report catches what it must", () => {
    const run = {
      connections: 1,
      seconds: 1,
      requests: 10,
      ok2xx: 7,
      non2xx: 2,
      errors: 1,
      timeouts: 0,
      requestsPerSec: 10,
      latencyP50Ms: 1,
      latencyP99Ms: 1,
      latencyMaxMs: 1,
    };
    const stats = {
      rss: 100 * 2 ** 20,
      heapTotal: 0,
      heapUsed: 20 * 2 ** 20,
      external: 0,
      arrayBuffers: 0,
      searches: 0,
      searchRequests: 0,
      suggests: 0,
      documents: 0,
      inFlight: 0,
      generation: "gen-a",
      indexDocuments: 5,
    };
    const failures = loadFailures({
      documents: 5,
      warmup: run,
      run,
      swaps: [{ word: "okapi", generation: "gen-b", servedAfterMs: 1, found: 0 }],
      memory: {
        afterWarmup: stats,
        afterRun: { ...stats, heapUsed: stats.heapUsed + 80 * 2 ** 20, inFlight: 2 },
      },
      worstCase: [],
      node: "",
      date: "",
    });
    expect(failures).toEqual([
      "run: 1 errors",
      "run: 2 answers were not 2xx",
      `run: the heap grew by 80.0 MB (limit ${HEAP_GROWTH_LIMIT_MB})`,
      "run: 2 requests still in flight after the run",
      "after swapping in gen-b: q=okapi found nothing",
    ]);
  });
});
