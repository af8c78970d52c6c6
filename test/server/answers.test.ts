/**
 * Answers already sent go out again, as they were, for the same URL and index (answers.ts):
 * without validation or search, never across indexes, never for errors, within bounds.
 */
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { Answers } from "../../src/server/answers.js";
import { createApp } from "../../src/server/app.js";
import { FAKE_DOCS, type FakeDoc, fakeEngine } from "./fake-engine.js";
import { counting } from "./helpers.js";

const runs = (calls: { search: number; suggest: number; getDocument: number }) =>
  calls.search + calls.suggest + calls.getDocument;

describe("the answer cache", () => {
  test.each([
    "/api/search?q=irak",
    "/api/search?q=mission&limit=2&offset=1&explain=true",
    "/api/suggest?q=mi",
    "/api/documents/2020/otan-irak?q=mission",
  ])("%s: the second request runs nothing and gets the same bytes and headers", async (path) => {
    const { engine, calls } = counting(fakeEngine());
    const app = createApp(engine, { log: false });
    const first = await app.request(path);
    expect(first.status).toBe(200);
    expect(runs(calls)).toBe(1);
    const again = await app.request(path);
    expect(again.status).toBe(200);
    expect(runs(calls)).toBe(1);
    expect(await again.text()).toBe(await first.text());
    for (const header of [
      "Content-Type",
      "ETag",
      "Cache-Control",
      "Vary",
      "Content-Security-Policy",
    ])
      expect(again.headers.get(header), header).toBe(first.headers.get(header));
    expect(again.headers.get("X-Request-Id")).not.toBe(first.headers.get("X-Request-Id"));
  });

  test("the same parameters in another order share an answer; other values do not", async () => {
    const { engine, calls } = counting(fakeEngine());
    const app = createApp(engine, { log: false });
    await app.request("/api/search?q=irak&limit=5");
    await app.request("/api/search?limit=5&q=irak");
    expect(calls.search).toBe(1);
    await app.request("/api/search?q=irak&limit=6");
    expect(calls.search).toBe(2);
  });

  test("a remembered answer is still compressed for a client that asks, and HEAD has no body", async () => {
    const many: FakeDoc[] = Array.from({ length: 20 }, (_, i) => ({
      id: `bulk/${i}`,
      title: `Rapport ${i} sur la mission`,
      body: `La mission numéro ${i} continue en Irak. `.repeat(5),
    }));
    const app = createApp(fakeEngine({ docs: [...FAKE_DOCS, ...many] }), { log: false });
    const path = "/api/search?q=mission&limit=20";
    const plain = await (await app.request(path)).text();
    expect(plain.length).toBeGreaterThan(1024);
    const gzipped = await app.request(path, { headers: { "Accept-Encoding": "gzip" } });
    expect(gzipped.headers.get("Content-Encoding")).toBe("gzip");
    expect(gunzipSync(Buffer.from(await gzipped.arrayBuffer())).toString("utf8")).toBe(plain);
    const head = await app.request(path, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  test("errors are not remembered: each bad request is refused anew", async () => {
    const { engine, calls } = counting(fakeEngine());
    const app = createApp(engine, { log: false });
    for (let i = 0; i < 2; i++) {
      // Refused by the engine itself (a date naming no month), so each refusal is a search run.
      expect((await app.request("/api/search?q=x+date:2020-13")).status).toBe(400);
      expect((await app.request("/api/documents/none")).status).toBe(404);
    }
    expect(calls.search).toBe(2);
    expect(calls.getDocument).toBe(2);
  });

  test("a new index is never answered from the previous one's answers", async () => {
    // Even under the same version label (a new index always has a new one, which changes the
    // tags too): answers belong to the engine that made them.
    let current = counting(fakeEngine({ version: "v1" }));
    const app = createApp({ current: () => current.engine }, { log: false });
    const path = "/api/search?q=irak";
    const before = await (await app.request(path)).json();
    const old = current;
    current = counting(fakeEngine({ version: "v1", docs: [] }));
    const after = (await (await app.request(path)).json()) as { total: number };
    expect(current.calls.search).toBe(1);
    expect(after.total).toBe(0);
    expect(before).not.toEqual(after);
    expect(old.calls.search).toBe(1);
  });

  test("answerCache: 0 runs every request", async () => {
    const { engine, calls } = counting(fakeEngine());
    const app = createApp(engine, { log: false, answerCache: 0 });
    for (let i = 0; i < 3; i++) await app.request("/api/search?q=irak");
    expect(calls.search).toBe(3);
  });
});

describe("Answers", () => {
  test("keeps the most recently used within its entry bound", () => {
    const answers = new Answers(2);
    answers.set("a", "A");
    answers.set("b", "B");
    expect(answers.get("a")).toBe("A"); // a is now the most recent
    answers.set("c", "C");
    expect(answers.get("b")).toBeUndefined();
    expect(answers.get("a")).toBe("A");
    expect(answers.get("c")).toBe("C");
    expect(answers.size).toBe(2);
  });

  test("keeps within its character bound, and does not keep an answer too long for it", () => {
    const answers = new Answers(100, 1600);
    answers.set("long", "x".repeat(101));
    expect(answers.get("long")).toBeUndefined();
    for (let i = 0; i < 20; i++) answers.set(`k${i}`, "y".repeat(100));
    expect(answers.size).toBe(16);
    expect(answers.get("k3")).toBeUndefined();
    expect(answers.get("k4")).toBe("y".repeat(100));
    expect(answers.get("k19")).toBe("y".repeat(100));
  });
});
