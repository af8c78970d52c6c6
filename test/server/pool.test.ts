/**
 * The search threads behind the HTTP app: each thread opens its own slow fake engine from a
 * folder the test controls (fixtures/pool-loader.ts). No duration is asserted: the tests prove
 * what answers, in which order, and what the pool reports. Some rest on a slow search still
 * running while others come in, and give it seconds of room, for a loaded machine.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createApp } from "../../src/server/app.js";
import type { PoolOptions } from "../../src/server/worker-pool.js";
import { WorkerPool } from "../../src/server/worker-pool.js";
import { FILE_LOADER_REF, fileLoader, writeGeneration } from "./fixtures/pool-loader.js";

interface Health {
  version: string;
  workers: Array<{ id: number; generation: string; state: string; restarts: number }>;
  queue: { cheap: number; costly: number; limit: number };
}

const dirs: string[] = [];
function indexDir(generation = "gen-0"): string {
  const dir = mkdtempSync(join(tmpdir(), "loupe-pool-"));
  dirs.push(dir);
  writeGeneration(dir, generation);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function poolApp(options: Partial<PoolOptions> = {}) {
  const dir = options.indexDir ?? indexDir();
  const pool = await WorkerPool.start({
    workers: 2,
    indexDir: dir,
    loader: FILE_LOADER_REF,
    ...options,
  });
  const engine = await fileLoader.open(dir);
  return { pool, dir, app: createApp(engine, { searcher: pool, answerCache: 0 }) };
}

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await probe();
    if (ok(value)) return value;
    if (i > 400) throw new Error(`never reached: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("a pool with a generous budget", () => {
  let setup: Awaited<ReturnType<typeof poolApp>>;
  beforeAll(async () => {
    setup = await poolApp({ budgetMs: 2000, queueLimit: 2 });
  });
  afterAll(() => setup.pool.close());

  const health = async () => (await (await setup.app.request("/api/health")).json()) as Health;

  test("searches are answered by the threads, errors come back as the same 400s", async () => {
    const res = await setup.app.request("/api/search?q=mission");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: number; timedOut: boolean };
    expect(body.total).toBeGreaterThan(0);
    expect(body.timedOut).toBe(false);
    const bad = await setup.app.request("/api/search?q=date%3A2020-13");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("bad_query");
    const doc = await setup.app.request("/api/documents/parly-soldats?q=soldats");
    expect(((await doc.json()) as { bodyHighlighted: string }).bodyHighlighted).toContain(
      "<mark>soldats</mark>",
    );
    const suggest = await setup.app.request("/api/suggest?q=sold");
    expect(((await suggest.json()) as { suggestions: string[] }).suggestions).toContain("soldats");
  });

  test("a thread's answer is the JSON the HTTP thread would make, kept and gzipped as it is", async () => {
    const dir = indexDir();
    const app = createApp(await fileLoader.open(dir), { searcher: setup.pool });
    const own = createApp(await fileLoader.open(dir), { answerCache: 0 });
    const path = "/api/search?q=mission&explain=true&highlights=true";
    const first = await app.request(path);
    const text = await first.text();
    expect(first.headers.get("Content-Type")).toBe("application/json");
    const mine = (await (await own.request(path)).json()) as { tookMs: number };
    expect({ ...(JSON.parse(text) as object), tookMs: 0 }).toEqual({ ...mine, tookMs: 0 });
    // From the answer cache: the thread's bytes again, and gzipped for a client that asks.
    expect(await (await app.request(path)).text()).toBe(text);
    expect(text.length).toBeGreaterThan(1024);
    const gzipped = await app.request(path, { headers: { "Accept-Encoding": "gzip" } });
    expect(gzipped.headers.get("Content-Encoding")).toBe("gzip");
    expect(gunzipSync(Buffer.from(await gzipped.arrayBuffer())).toString("utf8")).toBe(text);
  });

  test("health answers while every thread is busy, and says so", async () => {
    const busy = [
      setup.app.request("/api/search?q=spin:1500+mission"),
      setup.app.request("/api/search?q=spin:1500+irak"),
    ];
    const seen = await until(health, (h) => h.workers.every((w) => w.state === "busy"));
    expect(seen.workers).toHaveLength(2);
    expect(seen.workers.map((w) => w.generation)).toEqual(["gen-0", "gen-0"]);
    // Metrics do not wait either.
    const metrics = await setup.app.request("/metrics");
    expect(await metrics.text()).toContain('loupe_search_workers{state="busy"} 2');
    for (const res of await Promise.all(busy)) expect(res.status).toBe(200);
  });

  test("a full queue answers 503 with Retry-After; the searches already waiting are answered", async () => {
    const running = [
      setup.app.request("/api/search?q=spin:1200+mission"),
      setup.app.request("/api/search?q=spin:1200+irak"),
    ];
    await until(health, (h) => h.workers.every((w) => w.state === "busy"));
    // Each thread running a cheap search holds one more; the two after those wait in the queue.
    const waiting = ["parly", "soldats", "otan+mission", "irak+soldats"].map((q) =>
      setup.app.request(`/api/search?q=${q}`),
    );
    await until(health, (h) => h.queue.cheap === 2);
    const refused = await setup.app.request("/api/search?q=otan");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("Retry-After")).toBe("1");
    expect(refused.headers.get("Cache-Control")).toBe("no-store");
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("overloaded");
    for (const res of await Promise.all([...running, ...waiting])) expect(res.status).toBe(200);
    const metrics = await (await setup.app.request("/metrics")).text();
    expect(metrics).toContain('loupe_requests_rejected_total{reason="queue_full"} 1');
  });

  test("the page searches on the threads, behind the same queue: health answers, a full queue is a French 503", async () => {
    // In the HTTP thread, the page's searches held /api/health until they were done.
    const running = [
      setup.app.request("/?q=spin:1200+mission"),
      setup.app.request("/documents/parly-soldats?q=spin:1200+soldats"),
    ];
    const seen = await until(health, (h) => h.workers.every((w) => w.state === "busy"));
    expect(seen.workers).toHaveLength(2);
    const waiting = ["parly", "soldats", "otan+mission", "irak+soldats"].map((q) =>
      setup.app.request(`/?q=${q}`),
    );
    await until(health, (h) => h.queue.cheap === 2);
    const refused = await setup.app.request("/?q=otan");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("Retry-After")).toBe("1");
    expect(refused.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(await refused.text()).toContain("Le serveur est occupé");
    const answered = await Promise.all([...running, ...waiting]);
    expect(answered.map((res) => res.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await answered[0]!.text()).toContain("mission");
    const metrics = await (await setup.app.request("/metrics")).text();
    expect(metrics).toContain('loupe_requests_rejected_total{reason="queue_full"} 2');
  });

  test("costly queries hold at most one of two threads: a cheap one passes them in the queue", async () => {
    const order: string[] = [];
    const ask = async (q: string) => {
      const res = await setup.app.request(`/api/search?q=${encodeURIComponent(q)}`);
      order.push(q);
      return res.status;
    };
    // Stopwords and short prefixes: the costly lane.
    const costly = [ask("spin:600 la le de"), ask("spin:600 la* le* de*")];
    await until(health, (h) => h.workers.some((w) => w.state === "busy") && h.queue.costly === 1);
    const cheap = ask("spin:10 mission");
    expect(await cheap).toBe(200);
    expect(await Promise.all(costly)).toEqual([200, 200]);
    expect(order[0]).toBe("spin:10 mission");
  });
});

describe("a thread holds one more cheap search, to start as soon as it answers", () => {
  const setups: Array<Awaited<ReturnType<typeof poolApp>>> = [];
  afterAll(async () => {
    for (const setup of setups) await setup.pool.close();
  });
  async function onePool(options: Partial<PoolOptions> = {}) {
    const setup = await poolApp({ workers: 1, budgetMs: 2000, ...options });
    setups.push(setup);
    const health = async () => (await (await setup.app.request("/api/health")).json()) as Health;
    return { ...setup, health };
  }

  test("behind a cheap search, the next cheap one waits in the thread, not in the queue", async () => {
    for (const [callsPerThread, queued] of [
      [2, 1],
      [1, 2],
    ] as const) {
      const { app, health } = await onePool({ callsPerThread });
      const running = app.request("/api/search?q=spin:1500+mission");
      await until(health, (h) => h.workers[0]?.state === "busy");
      const after = ["spin:10 irak", "spin:10 parly"].map((q) =>
        app.request(`/api/search?q=${encodeURIComponent(q)}`),
      );
      await until(health, (h) => h.queue.cheap === queued);
      // Still so a moment later: both searches had come in (the first runs for 1.5 s).
      await new Promise((r) => setTimeout(r, 100));
      expect((await health()).queue.cheap).toBe(queued);
      for (const res of await Promise.all([running, ...after])) expect(res.status).toBe(200);
    }
  });

  test("behind a costly search, a cheap one waits in the queue for a thread", async () => {
    const { app, health } = await onePool();
    const costly = app.request(`/api/search?q=${encodeURIComponent("spin:1500 la le de")}`);
    await until(health, (h) => h.workers[0]?.state === "busy");
    const cheap = app.request("/api/search?q=mission");
    await until(health, (h) => h.queue.cheap === 1);
    expect((await health()).workers[0]?.state).toBe("busy");
    expect((await cheap).status).toBe(200);
    expect((await costly).status).toBe(200);
  });

  test("a stream of cheap searches held one behind another does not starve the costly lane", async () => {
    const { pool } = await onePool({ budgetMs: 500 });
    let stop = false;
    const clients = Array.from({ length: 4 }, async () => {
      while (!stop) await pool.search(undefined, "spin:40 mission", {}).catch(() => {});
    });
    await new Promise((r) => setTimeout(r, 200));
    try {
      await expect(pool.search(undefined, "spin:10 la le de", {})).resolves.toBeDefined();
    } finally {
      stop = true;
      await Promise.all(clients);
    }
  });

  test("a search held by a thread that dies goes to its replacement", async () => {
    const { app } = await onePool({ maxWaitMs: 20_000 });
    const [killed, held] = await Promise.all([
      app.request("/api/search?q=crash"),
      app.request("/api/search?q=mission"),
    ]);
    expect(killed.status).toBe(503);
    expect(held.status).toBe(200);
    expect(((await held.json()) as { total: number }).total).toBeGreaterThan(0);
  });

  test("a search held behind one given up on goes back to the queue, for another thread", async () => {
    const { app, health } = await onePool({
      workers: 2,
      budgetMs: 200,
      stuckMs: 2500,
      maxWaitMs: 20_000,
    });
    const stuck = app.request("/api/search?q=spin:60000+mission");
    await until(health, (h) => h.workers[0]?.state === "busy");
    // Busy while the held search comes in, and done within the grace of 800 ms: its thread is
    // free when the held search comes back.
    const other = app.request("/api/search?q=spin:600+soldats");
    await until(health, (h) => h.workers.every((w) => w.state === "busy"));
    // Held by the first thread, the first busy with a cheap search and nothing held.
    const held = app.request("/api/search?q=spin:10+irak");
    const h = await held;
    // Answered by the other thread while the stuck one still runs, not once it was ended.
    expect((await health()).workers[0]).toMatchObject({ state: "abandoned", restarts: 0 });
    const [s, o] = await Promise.all([stuck, other]);
    expect(((await s.json()) as { timedOut: boolean }).timedOut).toBe(true);
    for (const res of [o, h]) {
      expect(res.status).toBe(200);
      expect(((await res.json()) as { timedOut: boolean }).timedOut).toBe(false);
    }
    await until(health, (v) => v.workers[0]?.restarts === 1 && v.workers[0]?.state === "idle");
  });
});

describe("the time budget", () => {
  let setup: Awaited<ReturnType<typeof poolApp>>;
  beforeAll(async () => {
    setup = await poolApp({ workers: 1, budgetMs: 40, stuckMs: 600 });
  });
  afterAll(() => setup.pool.close());

  test("a search the engine cuts at the budget comes back flagged, with what it found", async () => {
    const res = await setup.app.request("/api/search?q=slow:5000+mission");
    const body = (await res.json()) as { timedOut: boolean; total: number; hits: unknown[] };
    expect(res.status).toBe(200);
    expect(body.timedOut).toBe(true);
    expect(body.hits.length).toBeGreaterThan(0);
    // A cut answer is not remembered as the answer to that URL.
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("ETag")).toBeNull();
  });

  test("a search that ignores its budget is not waited for, and its stuck thread is replaced", async () => {
    const res = await setup.app.request("/api/search?q=spin:60000+mission&lang=fr");
    const body = (await res.json()) as { timedOut: boolean; hits: unknown[]; warnings: string[] };
    expect(res.status).toBe(200);
    expect(body.timedOut).toBe(true);
    expect(body.hits).toEqual([]);
    expect(body.warnings[0]).toContain("trop de temps");
    const h = await until(
      async () => (await (await setup.app.request("/api/health")).json()) as Health,
      (v) => v.workers[0]?.restarts === 1 && v.workers[0]?.state === "idle",
    );
    expect(h.workers[0]?.generation).toBe("gen-0");
    expect((await setup.app.request("/api/search?q=mission")).status).toBe(200);
    const metrics = await (await setup.app.request("/metrics")).text();
    expect(metrics).toContain('loupe_search_timed_out_total{cause="engine"} 1');
    expect(metrics).toContain('loupe_search_timed_out_total{cause="server"} 1');
    expect(metrics).toContain("# TYPE loupe_search_worker_restarts_total counter");
    expect(metrics).toContain("loupe_search_worker_restarts_total 1");
  });
});

describe("threads that die, and hot swaps", () => {
  let setup: Awaited<ReturnType<typeof poolApp>> | undefined;
  afterEach(async () => {
    await setup?.pool.close();
    setup = undefined;
  });
  const health = async () => (await (await setup?.app.request("/api/health"))?.json()) as Health;

  test("a thread killed by a query is replaced; its request gets a 503, the others go on", async () => {
    setup = await poolApp({ budgetMs: 2000 });
    const killed = await setup.app.request("/api/search?q=crash");
    expect(killed.status).toBe(503);
    expect(killed.headers.get("Retry-After")).toBe("1");
    // Its own code: the page asks again after a full queue, never after a killed thread.
    expect(((await killed.json()) as { error: { code: string } }).error.code).toBe(
      "search_abandoned",
    );
    const h = await until(health, (v) =>
      v.workers.every((w) => w.state === "idle" && w.generation === "gen-0"),
    );
    expect(h.workers.map((w) => w.restarts).sort()).toEqual([0, 1]);
    for (let i = 0; i < 4; i++)
      expect((await setup.app.request(`/api/search?q=mission+${i}`)).status).toBe(200);
  });

  test("a thread that cannot load the generation served is said in health and metrics", async () => {
    const stuck = await poolApp({ budgetMs: 2000 });
    setup = stuck;
    writeGeneration(stuck.dir, "gen-broken");
    stuck.pool.sync("gen-broken");
    // Left on gen-0 while the HTTP thread serves another, health said `ok`.
    const h = (await until(health, (v) => v.workers.every((w) => "reloadError" in w))) as Health & {
      status: string;
      problems: string[];
    };
    expect(h.status).toBe("degraded");
    expect(h.problems).toHaveLength(2);
    expect(h.problems[0]).toMatch(
      /^search thread 0 could not load .*documents\.bin.*: it serves gen-0$/,
    );
    expect(await (await stuck.app.request("/metrics")).text()).toContain("loupe_index_problems 2");
    writeGeneration(stuck.dir, "gen-2");
    stuck.pool.sync("gen-2");
    const healed = await until(health, (v) => v.workers.every((w) => w.generation === "gen-2"));
    expect(healed).toMatchObject({ status: "ok" });
    expect(healed).not.toHaveProperty("problems");
  });

  test("a hot swap reaches every thread, and health names each one's generation", async () => {
    const swapped = await poolApp({ budgetMs: 2000 });
    setup = swapped;
    writeGeneration(swapped.dir, "gen-2");
    swapped.pool.sync("gen-2");
    const h = await until(health, (v) => v.workers.every((w) => w.generation === "gen-2"));
    expect(h.workers).toHaveLength(2);
    // Both threads busy at once, so each answers one: both serve the new documents.
    const answers = await Promise.all(
      ["spin:300 nouveauté", "spin:300 nouveauté"].map(async (q) => {
        const res = await swapped.app.request(`/api/search?q=${encodeURIComponent(q)}`);
        return ((await res.json()) as { total: number }).total;
      }),
    );
    expect(answers).toEqual([2, 2]);
    const metrics = await (await swapped.app.request("/metrics")).text();
    expect(metrics).toContain('loupe_index_generation{worker="0",generation="gen-2"} 1');
    expect(metrics).toContain('loupe_index_generation{worker="1",generation="gen-2"} 1');
    expect(metrics).toContain('loupe_index_documents{worker="1"} 5');
  });
});
