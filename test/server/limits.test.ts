/**
 * In-process pieces of serving traffic: the budget passed to the engine, the rate limit, the
 * lanes, /metrics and the request id in the log. The thread pool has its own file (pool.test.ts).
 */
import { get as httpGet } from "node:http";
import { describe, expect, test } from "vitest";
import type { Engine, SearchOptions } from "../../src/search/types.js";
import { createApp } from "../../src/server/app.js";
import { LaneQueue, laneOf } from "../../src/server/lanes.js";
import { listen } from "../../src/server/listen.js";
import { fakeEngine } from "./fake-engine.js";
import { slowEngine } from "./slow-engine.js";

describe("time budget, in process", () => {
  test("the budget reaches the engine, which cuts a slow search and flags it", async () => {
    const app = createApp(slowEngine(), { budgetMs: 15 });
    const res = await app.request("/api/search?q=slow:10000+mission");
    const body = (await res.json()) as { timedOut: boolean; total: number };
    expect(body).toMatchObject({ timedOut: true, total: 2 });
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const quick = (await (await app.request("/api/search?q=mission")).json()) as {
      timedOut: boolean;
    };
    expect(quick.timedOut).toBe(false);
  });

  test("the search page's searches get the server's budget too, not the default", async () => {
    const seen: Array<number | undefined> = [];
    const inner = fakeEngine();
    const engine: Engine = {
      get info() {
        return inner.info;
      },
      search(query, options: SearchOptions & { budgetMs?: number } = {}) {
        // The page also tries its example queries once, on its own budget-free check.
        if (query === "mission") seen.push(options.budgetMs);
        return inner.search(query, options);
      },
      suggest: (prefix, limit) => inner.suggest(prefix, limit),
      getDocument: (id, query, options) => inner.getDocument(id, query, options),
    };
    const app = createApp(engine, { budgetMs: 7 });
    expect((await app.request("/?q=mission")).status).toBe(200);
    expect((await app.request("/api/search?q=mission")).status).toBe(200);
    expect(seen).toEqual([7, 7]);
  });
});

describe("rate limit", () => {
  test("off by default", async () => {
    const app = createApp(fakeEngine());
    for (let i = 0; i < 30; i++) expect((await app.request("/api/search?q=irak")).status).toBe(200);
  });

  test("a client past its bucket gets 429 with Retry-After; another client and health do not", async () => {
    const app = createApp(fakeEngine(), {
      rateLimit: { perSecond: 0.5, burst: 3, keyOf: (c) => c.req.header("X-Client") ?? "-" },
    });
    const ask = (client: string, path = "/api/search?q=irak") =>
      app.request(path, { headers: { "X-Client": client } });
    for (let i = 0; i < 3; i++) expect((await ask("a")).status).toBe(200);
    const refused = await ask("a");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect((await ask("b")).status).toBe(200);
    expect((await ask("a", "/api/health")).status).toBe(200);
    expect(await (await app.request("/metrics")).text()).toContain(
      'loupe_requests_rejected_total{reason="rate_limited"} 1',
    );
  });

  test("a refusal carries the security headers, and the page gets a French page, not JSON", async () => {
    const app = createApp(fakeEngine(), {
      rateLimit: { perSecond: 2, burst: 1, keyOf: () => "one" },
    });
    expect((await app.request("/?q=irak")).status).toBe(200);
    const page = await app.request("/?q=irak");
    expect(page.status).toBe(429);
    expect(page.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(page.headers.get("Retry-After")).toBe("1");
    expect(page.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
    expect(page.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const text = await page.text();
    expect(text).toContain('<html lang="fr">');
    expect(text).toContain("Trop de requêtes");
    const api = await app.request("/api/search?q=irak");
    expect(api.status).toBe(429);
    expect(api.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
  });

  test("a completion draws a quarter of what a search draws", async () => {
    const app = createApp(fakeEngine(), {
      rateLimit: { perSecond: 0.01, burst: 2, keyOf: () => "one" },
    });
    // The page's typing: a search and a completion per keystroke. Counted whole, the second
    // keystroke's completion would have been refused.
    const statuses: number[] = [];
    for (const path of ["/api/search?q=ir", "/api/suggest?q=ir", "/api/suggest?q=ira"])
      statuses.push((await app.request(path)).status);
    statuses.push((await app.request("/api/suggest?q=irak")).status);
    statuses.push((await app.request("/api/suggest?q=irakx")).status);
    statuses.push((await app.request("/api/suggest?q=irakxy")).status);
    // 2 tokens: one search (1) and four completions (4 × 0.25), then nothing.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  test("over a socket the bucket is the client's address", async () => {
    const running = await listen(
      createApp(fakeEngine(), { rateLimit: { perSecond: 1, burst: 2 } }),
      {
        port: 0,
      },
    );
    try {
      // Two clients on two loopback addresses: the first spends its bucket, the second has
      // its own.
      const from = (address: string) =>
        new Promise<number>((resolve, reject) => {
          httpGet(
            `${running.url}/api/search?q=irak`,
            { localAddress: address, agent: false },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          ).on("error", reject);
        });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push(await from("127.0.0.1"));
      expect(statuses).toEqual([200, 200, 429]);
      expect(await from("127.0.0.2")).toBe(200);
      expect(await from("127.0.0.1")).toBe(429);
    } finally {
      await running.close(1000);
    }
  });
});

describe("lanes", () => {
  test.each([
    ["mission OTAN", "cheap"],
    ["retrait des troupes", "cheap"],
    ['"Alliance atlantique"', "cheap"],
    ["entrain*", "cheap"],
    ["quelles", "costly"],
    ["ayant", "costly"],
    ["quelles ayant elle sont", "costly"],
    ["la* le* de* du* les*", "costly"],
    ["a b c d e f g h", "costly"],
    ['"premier ministre" "union européenne" "état islamique"', "costly"],
  ])("%s → %s", (query, lane) => {
    expect(laneOf(query)).toBe(lane);
  });

  test("cheap first; a costly one once it has waited long enough; each lane bounded", () => {
    const queue = new LaneQueue<string>({ cheap: 2, costly: 1 }, 100);
    expect(queue.push("costly", "c1", 0)).toBe(true);
    expect(queue.push("costly", "c2", 0)).toBe(false);
    expect(queue.push("cheap", "a", 10)).toBe(true);
    expect(queue.push("cheap", "b", 20)).toBe(true);
    expect(queue.push("cheap", "x", 20)).toBe(false);
    // The costly one is overdue once it has waited the aging time, the cheap ones not yet.
    expect(queue.overdue("costly", 99)).toBe(false);
    expect(queue.overdue("costly", 100)).toBe(true);
    expect(queue.overdue("cheap", 100)).toBe(false);
    expect(queue.shift(true, 50)).toBe("a");
    expect(queue.shift(false, 200)).toBe("b");
    expect(queue.shift(false, 200)).toBeUndefined();
    expect(queue.push("cheap", "d", 200)).toBe(true);
    expect(queue.shift(true, 200)).toBe("c1");
    expect(queue.shift(true, 200)).toBe("d");
  });
});

describe("/metrics", () => {
  test("holds the named series in Prometheus' text format", async () => {
    const app = createApp(slowEngine({ version: "gen-7" }), { budgetMs: 5 });
    await app.request("/api/search?q=mission");
    await app.request("/api/search?q=slow:100+mission");
    await app.request("/api/search?q=date%3A2020-13");
    await app.request("/api/health");
    const res = await app.request("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const series of [
      'loupe_http_requests_total{route="/api/search",method="GET",status="200"} 2',
      'loupe_http_requests_total{route="/api/search",method="GET",status="400"} 1',
      'loupe_http_requests_total{route="/api/health",method="GET",status="200"} 1',
      'loupe_http_request_duration_seconds_bucket{le="0.001",route="/api/search"}',
      'loupe_http_request_duration_seconds_count{route="/api/search"} 3',
      'loupe_search_duration_seconds_count{lane="cheap"} 2',
      'loupe_search_timed_out_total{cause="engine"} 1',
      'loupe_search_queue_length{lane="cheap"} 0',
      'loupe_index_generation{worker="http",generation="gen-7"} 1',
      'loupe_index_documents{worker="http"} 3',
    ]) {
      expect(text).toContain(series);
    }
  });
});

describe("access log", () => {
  test("each line has the request id, sent back as X-Request-Id; no query string", async () => {
    const lines: string[] = [];
    const app = createApp(fakeEngine(), { log: (line) => lines.push(line) });
    const res = await app.request("/api/documents/parly-soldats?q=secret", {
      headers: { "X-Request-Id": "abc-123" },
    });
    expect(res.headers.get("X-Request-Id")).toBe("abc-123");
    const generated = await app.request("/api/search?q=hidden");
    const id = generated.headers.get("X-Request-Id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.map((e) => e.requestId)).toEqual(["abc-123", id]);
    expect(entries[0]).toMatchObject({ level: "info", path: "/api/documents/parly-soldats" });
    expect(lines.join("\n")).not.toMatch(/secret|hidden/);
  });
});
