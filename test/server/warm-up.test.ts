import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildIndex } from "../../src/index/index.js";
import { parseQuery } from "../../src/search/index.js";
import type { Engine } from "../../src/search/types.js";
import { diskIndexLoader } from "../../src/server/index-loader.js";
import { startServer } from "../../src/server/start-server.js";
import { warmingUp, warmUp, warmUpQueries } from "../../src/server/warm-up.js";
import type { PoolEvent } from "../../src/server/worker-pool.js";
import { fakeEngine } from "./fake-engine.js";

/** The engine, with every call it receives written down. */
function recording(engine: Engine, explodeOn?: string) {
  const calls: string[] = [];
  const recorded: Engine = {
    info: engine.info,
    search(query, options) {
      calls.push(`search ${query}`);
      if (query === explodeOn) throw new Error("boom");
      return engine.search(query, options);
    },
    suggest(prefix, limit) {
      calls.push(`suggest ${prefix}`);
      return engine.suggest(prefix, limit);
    },
    getDocument(id, query, options) {
      calls.push(`document ${id}`);
      return engine.getDocument(id, query, options);
    },
    exampleWords: () => ["mission", "soldats", "sécurité"],
  };
  return { calls, recorded };
}

describe("warm-up queries", () => {
  test("cover every branch of the query path, made of the words given", () => {
    const queries = warmUpQueries(["mission", "soldats", "sécurité"]);
    const parsed = queries.map((q) => parseQuery(q));
    expect(parsed.some((p) => p.phrases.length === 1)).toBe(true);
    expect(parsed.some((p) => p.excludedWords.length === 1)).toBe(true);
    expect(queries).toContain("mis*");
    // A typo of the first word: two letters swapped, which only typo tolerance finds.
    expect(queries).toContain("missino");
    expect(queries).toContain("les de la");
    for (const q of queries) expect(() => parseQuery(q)).not.toThrow();
  });

  test("a collection with no words to offer still warms the stopword path", () => {
    expect(warmUpQueries([])).toEqual(["les de la"]);
  });
});

describe("warmUp", () => {
  test("searches, opens the first hit and asks for completions, three times over", async () => {
    const { calls, recorded } = recording(fakeEngine());
    const ran = await warmUp(recorded, { maxMs: Number.POSITIVE_INFINITY });
    const searches = calls.filter((c) => c.startsWith("search "));
    expect(searches).toHaveLength(3 * warmUpQueries(["mission", "soldats", "sécurité"]).length);
    expect(calls.filter((c) => c.startsWith("suggest "))).toHaveLength(9);
    expect(calls).toContain("document 2020/otan-irak");
    expect(ran).toBe(searches.length + 9);
  });

  test("starts no call once its time is up", async () => {
    const { calls, recorded } = recording(fakeEngine());
    let clock = 0;
    // Each reading of the clock is 10 ms later: 50 ms allow the first few calls only.
    const ran = await warmUp(recorded, { maxMs: 50, now: () => (clock += 10) });
    expect(ran).toBeGreaterThan(0);
    expect(ran).toBeLessThan(5);
    expect(calls.filter((c) => c.startsWith("search ")).length).toBe(ran);
  });

  test("a search that throws does not stop the others", async () => {
    const { calls, recorded } = recording(fakeEngine(), "mission");
    await warmUp(recorded, { maxMs: Number.POSITIVE_INFINITY });
    expect(calls.filter((c) => c === "search mission")).toHaveLength(3);
    expect(calls).toContain("search les de la");
  });
});

describe("warmingUp", () => {
  test("an engine is handed over only once its warm-up is over, each search with the budget", async () => {
    const budgets: Array<number | undefined> = [];
    let searching = 0;
    const engine = fakeEngine();
    const loader = warmingUp(
      {
        open: async () => ({
          ...engine,
          info: engine.info,
          search: (q, options) => {
            searching++;
            budgets.push(options?.budgetMs);
            return engine.search(q, options);
          },
          suggest: (p, l) => engine.suggest(p, l),
          getDocument: (id, q, o) => engine.getDocument(id, q, o),
        }),
        generation: async () => "g1",
      },
      { budgetMs: 37, maxMs: Number.POSITIVE_INFINITY },
    );
    const opened = await loader.open("index");
    // fakeEngine offers no example words: the stopword query, three rounds.
    expect(searching).toBe(3);
    expect(budgets).toEqual([37, 37, 37]);
    expect(opened.info.version).toBe(engine.info.version);
    expect(await loader.generation("index")).toBe("g1");
  });
});

describe("every thread of the server that searches warms up", () => {
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "loupe-warm-"));
    await buildIndex({ input: "seeds", out: join(root, "index") });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test.each([0, 1])("%d search threads", async (workers) => {
    let searchedInThisThread = 0;
    const ready: PoolEvent[] = [];
    const started = await startServer({
      indexDir: join(root, "index"),
      loader: {
        open: async (dir, options) => {
          const engine = await diskIndexLoader.open(dir, options);
          return {
            info: engine.info,
            search: (q, o) => {
              searchedInThisThread++;
              return engine.search(q, o);
            },
            suggest: (p, l) => engine.suggest(p, l),
            getDocument: (id, q, o) => engine.getDocument(id, q, o),
            exampleWords: (n) => engine.exampleWords?.(n) ?? [],
          };
        },
        generation: diskIndexLoader.generation,
      },
      port: 0,
      workers,
      log: false,
      onPoolEvent: (event) => {
        if (event.type === "worker ready") ready.push(event);
      },
    });
    try {
      // The HTTP thread searches only without threads (the page's go to them too).
      if (workers === 0) expect(searchedInThisThread).toBeGreaterThan(20);
      else expect(searchedInThisThread).toBe(0);
      // A search thread's own engine was warmed before it said it was ready.
      expect(ready).toHaveLength(workers);
      for (const event of ready)
        expect(event.type === "worker ready" && event.warmUpCalls).toBeGreaterThan(20);
    } finally {
      await started.running.close(1000);
      await started.stop();
    }
  });
});
