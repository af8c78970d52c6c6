import { afterEach, describe, expect, test } from "vitest";
import type { Engine } from "../../src/search/types.js";
import { createApp } from "../../src/server/app.js";
import {
  type IndexLoader,
  type ReloadEvent,
  type ReloadingSource,
  watchIndex,
} from "../../src/server/reload.js";
import { FAKE_DOCS, fakeEngine } from "./fake-engine.js";

/** An index folder in memory: `generation` is what CURRENT says, `open` builds its engine. */
function memoryIndex(initial: string | undefined) {
  const state = {
    generation: initial,
    failNext: undefined as string | undefined,
    opens: 0,
    openDelayMs: 0,
  };
  const loader: IndexLoader = {
    async generation() {
      return state.generation;
    },
    async open(): Promise<Engine> {
      state.opens++;
      const generation = state.generation;
      if (state.openDelayMs > 0) await new Promise((r) => setTimeout(r, state.openDelayMs));
      if (generation === undefined) throw new Error("no index in index/: run npm run index");
      if (state.failNext !== undefined) {
        const message = state.failNext;
        state.failNext = undefined;
        throw new Error(message);
      }
      const extra = Number(generation.replace(/\D/g, "") || 0);
      const docs = [
        ...FAKE_DOCS,
        ...Array.from({ length: extra }, (_, i) => ({
          id: `new/${i}`,
          title: `Nouveau ${i}`,
          body: "nouveauté",
        })),
      ];
      return fakeEngine({ version: generation, docs });
    },
  };
  return { state, loader };
}

let source: ReloadingSource | undefined;
afterEach(() => source?.stop());

describe("watchIndex", () => {
  test("refuses to start without an index, with the loader's message", async () => {
    const { loader } = memoryIndex(undefined);
    await expect(watchIndex("index", { loader })).rejects.toThrow(
      "no index in index/: run npm run index",
    );
  });

  test("swaps in a new generation and reports it", async () => {
    const { state, loader } = memoryIndex("gen-0");
    const events: ReloadEvent[] = [];
    source = await watchIndex("index", {
      loader,
      intervalMs: 60_000,
      onEvent: (e) => events.push(e),
    });
    expect(source.current().info.version).toBe("gen-0");
    await source.check();
    expect(state.opens).toBe(1);

    state.generation = "gen-2";
    await source.check();
    expect(source.current().info).toMatchObject({
      version: "gen-2",
      documents: FAKE_DOCS.length + 2,
    });
    expect(source.generation).toBe("gen-2");
    expect(events).toEqual([
      expect.objectContaining({
        type: "reloaded",
        generation: "gen-2",
        previous: "gen-0",
        documents: 5,
      }),
    ]);
  });

  test("a failed load keeps the old engine, says why, and is not retried in a loop", async () => {
    const { state, loader } = memoryIndex("gen-0");
    const events: ReloadEvent[] = [];
    source = await watchIndex("index", {
      loader,
      intervalMs: 60_000,
      onEvent: (e) => events.push(e),
    });
    const before = source.current();
    state.generation = "gen-1";
    state.failNext = "index/gen-1/documents.bin is damaged: run npm run index -- --force";
    await source.check();
    expect(source.current()).toBe(before);
    expect(events).toEqual([
      {
        type: "failed",
        generation: "gen-1",
        error: "index/gen-1/documents.bin is damaged: run npm run index -- --force",
      },
    ]);
    await source.check();
    expect(state.opens).toBe(2);

    // The next generation is tried at once.
    state.generation = "gen-3";
    await source.check();
    expect(source.current().info.version).toBe("gen-3");
  });

  test("a failed generation is retried after retryMs", async () => {
    const { state, loader } = memoryIndex("gen-0");
    source = await watchIndex("index", { loader, intervalMs: 60_000, retryMs: 0 });
    state.generation = "gen-1";
    state.failNext = "transient";
    await source.check();
    expect(source.current().info.version).toBe("gen-0");
    await source.check();
    expect(source.current().info.version).toBe("gen-1");
  });

  test("an index that disappears keeps the old engine and is reported once", async () => {
    const { state, loader } = memoryIndex("gen-0");
    const events: ReloadEvent[] = [];
    source = await watchIndex("idx", {
      loader,
      intervalMs: 60_000,
      onEvent: (e) => events.push(e),
    });
    state.generation = undefined;
    await source.check();
    await source.check();
    expect(source.current().info.version).toBe("gen-0");
    expect(events).toEqual([{ type: "missing", dir: "idx" }]);
  });

  test("overlapping checks load once", async () => {
    const { state, loader } = memoryIndex("gen-0");
    source = await watchIndex("index", { loader, intervalMs: 60_000 });
    state.generation = "gen-1";
    state.openDelayMs = 30;
    await Promise.all([source.check(), source.check(), source.check()]);
    expect(state.opens).toBe(2);
  });

  test("polls by itself", async () => {
    const { state, loader } = memoryIndex("gen-0");
    source = await watchIndex("index", { loader, intervalMs: 20 });
    state.generation = "gen-1";
    await expect.poll(() => source?.current().info.version, { timeout: 2000 }).toBe("gen-1");
  });
});

describe("hot swap under the app", () => {
  test("health shows the generation served, and requests see the new documents", async () => {
    const { state, loader } = memoryIndex("gen-0");
    source = await watchIndex("index", { loader, intervalMs: 60_000 });
    const app = createApp(source, { log: false });
    expect(await (await app.request("/api/health")).json()).toMatchObject({
      version: "gen-0",
      documents: 3,
    });
    expect((await app.request("/api/documents/new/0")).status).toBe(404);

    state.generation = "gen-1";
    await source.check();
    expect(await (await app.request("/api/health")).json()).toMatchObject({
      version: "gen-1",
      documents: 4,
    });
    expect((await app.request("/api/documents/new/0")).status).toBe(200);
  });

  test("a request takes its engine once, at its start", async () => {
    let generation = 0;
    const engines = [fakeEngine({ version: "old" }), fakeEngine({ version: "new" })];
    let currentCalls = 0;
    const app = createApp(
      {
        current() {
          currentCalls++;
          return engines[generation] as Engine;
        },
      },
      { log: false },
    );
    // The swap happens between requests; each request asked exactly once.
    expect(await (await app.request("/api/health")).json()).toMatchObject({ version: "old" });
    generation = 1;
    expect(await (await app.request("/api/health")).json()).toMatchObject({ version: "new" });
    expect(currentCalls).toBe(2);
  });

  test("an old ETag stops matching after a swap", async () => {
    const { state, loader } = memoryIndex("gen-0");
    source = await watchIndex("index", { loader, intervalMs: 60_000 });
    const app = createApp(source, { log: false });
    const etag = (await app.request("/api/search?q=irak")).headers.get("ETag") ?? "";
    expect(etag).toMatch(/^W\//);
    const revalidate = async () =>
      (await app.request("/api/search?q=irak", { headers: { "If-None-Match": etag } })).status;
    expect(await revalidate()).toBe(304);
    state.generation = "gen-1";
    await source.check();
    expect(await revalidate()).toBe(200);
  });
});
