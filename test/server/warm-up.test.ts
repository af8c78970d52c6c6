import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { buildIndex } from "../../src/index/index.js";
import { parseQuery } from "../../src/search/index.js";
import type { Engine } from "../../src/search/types.js";
import { diskIndexLoader } from "../../src/server/index-loader.js";
import { warmUp, warmUpQueries } from "../../src/server/warm-up.js";
import { fakeEngine } from "./fake-engine.js";

// The real warm-up, watched: the disk loader's test checks that it ran on the engine it opened.
vi.mock("../../src/server/warm-up.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/server/warm-up.js")>();
  return { ...real, warmUp: vi.fn(real.warmUp) };
});

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

describe("the disk loader", () => {
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "loupe-warm-"));
    await buildIndex({ input: "seeds", out: join(root, "index") });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("opens an engine that answers, its warm-up done before it is handed over", async () => {
    const watched = vi.mocked(warmUp);
    watched.mockClear();
    const engine = await diskIndexLoader.open(join(root, "index"));
    expect(watched).toHaveBeenCalledTimes(1);
    expect(watched.mock.calls[0]![0]).toBe(engine);
    // Resolved before open did, having run every call (the seeds' index is quick).
    await expect(watched.mock.results[0]!.value).resolves.toBeGreaterThan(20);
    expect(engine.info.documents).toBe(5);
    expect(engine.search("hélicoptères").total).toBeGreaterThan(0);
  });
});
