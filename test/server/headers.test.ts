import { gunzipSync, inflateSync } from "node:zlib";
import { Hono } from "hono";
import { describe, expect, test } from "vitest";
import type { SearchResult } from "../../src/search/types.js";
import { createApp } from "../../src/server/app.js";
import { chooseEncoding, compression } from "../../src/server/compression.js";
import { FAKE_DOCS, type FakeDoc, fakeEngine } from "./fake-engine.js";
import { counting } from "./helpers.js";

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

describe("security headers", () => {
  const app = createApp(fakeEngine(), { log: false });
  test.each(["/api/search?q=irak", "/api/search?q=%E0", "/api/nope", "/", "/openapi.json"])(
    "%s carries the CSP and no X-Powered-By",
    async (path) => {
      const res = await app.request(path);
      expect(res.headers.get("Content-Security-Policy")).toBe(CSP);
      expect(res.headers.get("X-Powered-By")).toBeNull();
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("X-Frame-Options")).toBe("SAMEORIGIN");
      expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    },
  );

  test("every response has a request id, and a sane incoming one is echoed", async () => {
    const res = await app.request("/api/health");
    expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await app.request("/api/health", { headers: { "X-Request-Id": "abc-123" } });
    expect(echoed.headers.get("X-Request-Id")).toBe("abc-123");
  });
});

describe("compression", () => {
  // Enough matching documents to make a search answer well over 1 KB.
  const many: FakeDoc[] = Array.from({ length: 20 }, (_, i) => ({
    id: `bulk/${i}`,
    title: `Rapport ${i} sur la mission`,
    body: `La mission numéro ${i} continue en Irak. `.repeat(5),
  }));
  const app = createApp(fakeEngine({ docs: [...FAKE_DOCS, ...many] }), { log: false });
  const gzip = { headers: { "Accept-Encoding": "gzip, deflate, br" } };

  test("JSON above 1 KB is gzipped when the client accepts it", async () => {
    const res = await app.request("/api/search?q=mission&limit=20", gzip);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Encoding")).toBe("gzip");
    expect(res.headers.get("Vary")).toContain("Accept-Encoding");
    const body = JSON.parse(
      gunzipSync(Buffer.from(await res.arrayBuffer())).toString("utf8"),
    ) as SearchResult;
    expect(body.hits).toHaveLength(20);
  });

  test("small JSON is sent as is, with its length", async () => {
    const res = await app.request("/api/suggest?q=sol", gzip);
    expect(res.headers.get("Content-Encoding")).toBeNull();
    const text = await res.text();
    expect(Number(res.headers.get("Content-Length"))).toBe(Buffer.byteLength(text));
    expect(Buffer.byteLength(text)).toBeLessThan(1024);
  });

  test("small errors are not compressed either", async () => {
    const res = await app.request("/api/search", gzip);
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Encoding")).toBeNull();
  });

  test("deflate when that is what the client prefers; gzip;q=0 is a refusal", async () => {
    const path = "/api/search?q=mission&limit=20";
    const deflated = await app.request(path, {
      headers: { "Accept-Encoding": "gzip;q=0.5, deflate" },
    });
    expect(deflated.headers.get("Content-Encoding")).toBe("deflate");
    const body = inflateSync(Buffer.from(await deflated.arrayBuffer())).toString("utf8");
    expect((JSON.parse(body) as SearchResult).hits).toHaveLength(20);
    const refused = await app.request(path, { headers: { "Accept-Encoding": "gzip;q=0" } });
    expect(refused.headers.get("Content-Encoding")).toBeNull();
  });

  test("nothing is compressed for a client that does not ask", async () => {
    const res = await app.request("/api/search?q=mission&limit=20");
    expect(res.headers.get("Content-Encoding")).toBeNull();
    expect(((await res.json()) as SearchResult).hits).toHaveLength(20);
  });
});

describe("ETag and conditional GET", () => {
  test.each(["/api/search?q=irak", "/api/suggest?q=sol", "/api/documents/2020/otan-irak?q=irak"])(
    "%s: a weak ETag, revalidation, and a 304 that runs nothing",
    async (path) => {
      const { engine, calls } = counting(fakeEngine());
      const app = createApp(engine, { log: false });
      const first = await app.request(path);
      expect(first.status).toBe(200);
      const etag = first.headers.get("ETag");
      expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
      expect(first.headers.get("Cache-Control")).toBe("public, max-age=0, must-revalidate");
      const ran = calls.search + calls.suggest + calls.getDocument;
      expect(ran).toBe(1);

      const again = await app.request(path, { headers: { "If-None-Match": etag ?? "" } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe("");
      expect(again.headers.get("ETag")).toBe(etag);
      expect(again.headers.get("Cache-Control")).toBe("public, max-age=0, must-revalidate");
      expect(calls.search + calls.suggest + calls.getDocument).toBe(ran);
    },
  );

  test("the tag ignores parameter order but not parameter values", async () => {
    const app = createApp(fakeEngine(), { log: false });
    const tag = async (path: string) => (await app.request(path)).headers.get("ETag");
    expect(await tag("/api/search?q=irak&limit=5")).toBe(await tag("/api/search?limit=5&q=irak"));
    expect(await tag("/api/search?q=irak&limit=5")).not.toBe(
      await tag("/api/search?q=irak&limit=6"),
    );
    expect(await tag("/api/search?q=irak")).not.toBe(await tag("/api/suggest?q=irak"));
  });

  test("If-None-Match lists, strong forms and * match; other tags do not", async () => {
    const app = createApp(fakeEngine(), { log: false });
    const etag = (await app.request("/api/search?q=irak")).headers.get("ETag") ?? "";
    const status = async (inm: string) =>
      (await app.request("/api/search?q=irak", { headers: { "If-None-Match": inm } })).status;
    expect(await status(`"nope", ${etag}`)).toBe(304);
    expect(await status(etag.slice(2))).toBe(304);
    expect(await status("*")).toBe(304);
    expect(await status('W/"nope"')).toBe(200);
  });

  test("a new index version changes every tag", async () => {
    const path = "/api/search?q=irak";
    const etagV1 =
      (await createApp(fakeEngine({ version: "v1" }), { log: false }).request(path)).headers.get(
        "ETag",
      ) ?? "";
    const v2 = createApp(fakeEngine({ version: "v2" }), { log: false });
    const res = await v2.request(path, { headers: { "If-None-Match": etagV1 } });
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).not.toBe(etagV1);
  });

  test("errors get no tag and are not cached", async () => {
    const app = createApp(fakeEngine(), { log: false });
    for (const path of [
      "/api/search?q=x+date:2020-13",
      "/api/search?q=a&limit=101",
      "/api/documents/none",
    ]) {
      const res = await app.request(path);
      expect(res.headers.get("ETag"), path).toBeNull();
      expect(res.headers.get("Cache-Control"), path).toBe("no-store");
    }
  });

  test("a compressed answer keeps the same weak tag", async () => {
    const app = createApp(fakeEngine(), { log: false });
    const path = "/api/documents/parly-soldats?q=soldats";
    const plain = (await app.request(path)).headers.get("ETag");
    const zipped = await app.request(path, { headers: { "Accept-Encoding": "gzip" } });
    expect(zipped.headers.get("ETag")).toBe(plain);
  });
});

describe("access log", () => {
  test("one JSON line per request with time, method, path, status, ms and request id", async () => {
    const lines: string[] = [];
    const app = createApp(fakeEngine(), { log: (line) => lines.push(line) });
    await app.request("/api/search?q=secret+words", { headers: { "X-Request-Id": "req-1" } });
    await app.request("/api/search?q=%E0");
    await app.request("/api/nope");
    expect(lines).toHaveLength(3);
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries[0]).toMatchObject({
      method: "GET",
      path: "/api/search",
      status: 200,
      requestId: "req-1",
    });
    expect(typeof entries[0]?.ms).toBe("number");
    expect(Date.parse(String(entries[0]?.time))).not.toBeNaN();
    expect(entries[1]).toMatchObject({ status: 400 });
    expect(entries[2]).toMatchObject({ path: "/api/nope", status: 404 });
    // What people search for stays out of the log.
    expect(lines.join("\n")).not.toContain("secret");
  });

  test("the 500 of an engine bug is logged as a 500", async () => {
    const lines: string[] = [];
    const app = createApp(fakeEngine({ explodeOn: "boom" }), {
      log: (l) => lines.push(l),
      logError: () => {},
    });
    await app.request("/api/search?q=boom");
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ status: 500 });
  });

  test("is silent unless a log is given (no environment sniffing)", async () => {
    const writes: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    const lines: string[] = [];
    try {
      await createApp(fakeEngine(), { log: false }).request("/api/health");
      await createApp(fakeEngine()).request("/api/health");
      await createApp(fakeEngine(), { log: (line) => lines.push(line) }).request("/api/health");
    } finally {
      process.stdout.write = original;
    }
    expect(writes).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("/api/health");
  });
});

describe("chooseEncoding (hono/accepts reads the header)", () => {
  const probe = new Hono().get("/", (c) => c.text(chooseEncoding(c) ?? "none"));
  test.each([
    [undefined, "none"],
    ["", "none"],
    ["gzip", "gzip"],
    ["gzip, deflate, br", "gzip"],
    ["deflate, gzip", "gzip"],
    ["deflate", "deflate"],
    ["br", "none"],
    ["identity", "none"],
    ["*", "gzip"],
    ["gzip;q=0, *", "deflate"],
    ["gzip;q=0.2, deflate;q=0.8", "deflate"],
    ["GZIP ; q=1", "gzip"],
    ["gzip;q=0, deflate;q=0", "none"],
    ["gzip;q=0, deflate;q=0, *", "none"],
  ])("%s → %s", async (header, expected) => {
    const res = await probe.request(
      "/",
      header === undefined ? {} : { headers: { "Accept-Encoding": header } },
    );
    expect(await res.text()).toBe(expected);
  });
});

describe("one layer compresses: node:zlib on the whole body", () => {
  // Behind createApp's middleware, a streamed body too: hono/compress (CompressionStream) would
  // send chunks without a length; this layer reads the body whole and states its length.
  const text = "Une phrase de la mission en Irak. ".repeat(100);
  const app = new Hono();
  app.use(compression());
  app.get("/stream", (c) =>
    c.body(
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(text));
          controller.close();
        },
      }),
      200,
      { "Content-Type": "text/plain; charset=utf-8" },
    ),
  );
  app.get("/json", (c) => c.json({ text }));

  test.each(["/stream", "/json"])(
    "%s: gzip with a Content-Length, every byte deflated once",
    async (path) => {
      const res = await app.request(path, { headers: { "Accept-Encoding": "gzip" } });
      expect(res.headers.get("Content-Encoding")).toBe("gzip");
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(Number(res.headers.get("Content-Length"))).toBe(bytes.byteLength);
      const plain = gunzipSync(bytes).toString("utf8");
      expect(plain).toBe(path === "/json" ? JSON.stringify({ text }) : text);
    },
  );

  test("the app's answers carry the same signs: a length, and one encoding", async () => {
    const many: FakeDoc[] = Array.from({ length: 20 }, (_, i) => ({
      id: `bulk/${i}`,
      title: `Rapport ${i} sur la mission`,
      body: `La mission numéro ${i} continue en Irak. `.repeat(5),
    }));
    const res = await createApp(fakeEngine({ docs: many }), { log: false }).request(
      "/api/search?q=mission&limit=20",
      {
        headers: { "Accept-Encoding": "gzip" },
      },
    );
    expect(res.headers.get("Content-Encoding")).toBe("gzip");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get("Content-Length"))).toBe(bytes.byteLength);
    expect((JSON.parse(gunzipSync(bytes).toString("utf8")) as SearchResult).hits).toHaveLength(20);
  });
});
