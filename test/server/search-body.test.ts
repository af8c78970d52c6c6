import { describe, expect, test } from "vitest";
import { LoupeEngine } from "../../src/search/engine.js";
import { createApp } from "../../src/server/app.js";
import { seedsEngine } from "../search/helpers.js";
import { errorOf } from "./helpers.js";

let real: ReturnType<typeof createApp> | undefined;
async function app(): Promise<ReturnType<typeof createApp>> {
  real ??= createApp(new LoupeEngine((await seedsEngine()).engine.index), { log: false });
  return real;
}

function post(body: string, type: string | null = "application/json"): RequestInit {
  return {
    method: "POST",
    body,
    headers: type === null ? {} : { "Content-Type": type },
  };
}

async function expectRefused(
  init: RequestInit,
  status: number,
  code: string,
  parameter: string,
  says: string,
) {
  const res = await (await app()).request("/api/search", init);
  expect(res.status, String(init.body)).toBe(status);
  const error = await errorOf(res);
  expect(error.code, String(init.body)).toBe(code);
  expect(error.parameter, String(init.body)).toBe(parameter);
  expect(error.message, String(init.body)).toContain(says);
}

describe("POST /api/search, the parameters in a JSON body", () => {
  test("answers as GET does for the same parameters", async () => {
    const a = await app();
    const params = { q: "OTAN mission", limit: 2, offset: 1, highlights: true, lang: "fr" };
    const got = await a.request("/api/search", post(JSON.stringify(params)));
    expect(got.status).toBe(200);
    expect(got.headers.get("Content-Type")).toContain("application/json");
    const viaGet = await a.request(
      "/api/search?q=OTAN%20mission&limit=2&offset=1&highlights=true&lang=fr",
    );
    const body = (await got.json()) as { hits: { id: string }[]; total: number; tookMs: number };
    const expected = (await viaGet.json()) as typeof body;
    expect(body.total).toBeGreaterThan(2);
    expect(body.hits).toHaveLength(2);
    expect({ ...body, tookMs: 0 }).toEqual({ ...expected, tookMs: 0 });
  });

  test("lists are arrays of strings, or the URL's comma-separated string", async () => {
    const a = await app();
    for (const facets of [["date"], "date"]) {
      const res = await a.request("/api/search", post(JSON.stringify({ q: "OTAN", facets })));
      expect(res.status, JSON.stringify(facets)).toBe(200);
    }
  });

  test("a filter may be Meilisearch's array: items AND-ed, an inner array's items OR-ed", async () => {
    const a = await app();
    const total = async (init: RequestInit) =>
      ((await (await a.request("/api/search", init)).json()) as { total: number }).total;
    const asArray = await total(
      post(JSON.stringify({ q: "OTAN", filter: [["date = 2020-01", "date = 2020-02"]] })),
    );
    const asText = await total(
      post(JSON.stringify({ q: "OTAN", filter: "date = 2020-01 OR date = 2020-02" })),
    );
    expect(asArray).toBe(asText);
    expect(asArray).toBeGreaterThan(0);
    expect(
      await total(
        post(JSON.stringify({ q: "OTAN", filter: ["date = 2020-01", "date = 2020-02"] })),
      ),
    ).toBe(0);
    await expectRefused(
      post(JSON.stringify({ q: "OTAN", filter: [1] })),
      400,
      "invalid_parameter",
      "filter",
      "array of strings",
    );
  });

  test("null is a value left out, as Meilisearch reads it", async () => {
    const res = await (await app()).request(
      "/api/search",
      post(JSON.stringify({ q: "OTAN", limit: null, filter: null })),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { limit: number }).limit).toBe(10);
  });

  test("a value of the wrong JSON type is refused by its parameter's name", async () => {
    const body = (value: object) => post(JSON.stringify(value));
    await expectRefused(body({ q: "a", limit: "10" }), 400, "invalid_parameter", "limit", "number");
    await expectRefused(body({ q: 5 }), 400, "invalid_parameter", "q", "string");
    await expectRefused(
      body({ q: "a", highlights: "true" }),
      400,
      "invalid_parameter",
      "highlights",
      "true or false",
    );
    await expectRefused(body({ q: "a", facets: [1] }), 400, "invalid_parameter", "facets", "array");
    await expectRefused(body({ q: "a", sort: ["a,b"] }), 400, "invalid_parameter", "sort", "comma");
  });

  test("the schema's checks are the URL's: ranges, unknown names, a missing q", async () => {
    const body = (value: object) => post(JSON.stringify(value));
    await expectRefused(
      body({ q: "a", limit: 101 }),
      400,
      "invalid_parameter",
      "limit",
      "0 to 100",
    );
    await expectRefused(body({ q: "a", limit: 2.5 }), 400, "invalid_parameter", "limit", "whole");
    await expectRefused(body({ q: "a", limt: 5 }), 400, "invalid_parameter", "limt", "limit");
    await expectRefused(
      body({ q: "a", __proto__x: 1 }),
      400,
      "invalid_parameter",
      "__proto__x",
      "unknown",
    );
    await expectRefused(body({}), 400, "invalid_parameter", "q", "q is required");
    // A key named __proto__ is a parameter like any other, not the object's prototype.
    await expectRefused(
      post('{"q": "a", "__proto__": {"limit": "5"}}'),
      400,
      "invalid_parameter",
      "__proto__",
      "unknown",
    );
  });

  test("a body that is not one JSON object, or not sent as JSON, says so", async () => {
    await expectRefused(post("{q: a}"), 400, "bad_request", "body", "not JSON");
    await expectRefused(post(""), 400, "bad_request", "body", "not JSON");
    await expectRefused(post('["OTAN"]'), 400, "bad_request", "body", "one JSON object");
    await expectRefused(post('"OTAN"'), 400, "bad_request", "body", "one JSON object");
    await expectRefused(
      post('{"q":"a"}', "text/plain"),
      415,
      "unsupported_media_type",
      "body",
      "application/json",
    );
    await expectRefused(
      post('{"q":"a"}', null),
      415,
      "unsupported_media_type",
      "body",
      "application/json",
    );
    const res = await (await app()).request(
      "/api/search",
      post('{"q":"OTAN"}', "application/json; charset=utf-8"),
    );
    expect(res.status).toBe(200);
  });

  test("a body not in UTF-8, in another charset or compressed is refused, never searched", async () => {
    // `{"q":"défense"}` with é in Latin-1: it was searched as `d\uFFFDfense` (QA).
    const latin1 = new Uint8Array([...Buffer.from('{"q":"d'), 0xe9, ...Buffer.from('fense"}')]);
    const res = await (await app()).request("/api/search", {
      method: "POST",
      body: latin1,
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: "bad_encoding", parameter: "body" });
    await expectRefused(
      post('{"q":"OTAN"}', "application/json; charset=utf-16"),
      415,
      "unsupported_media_type",
      "body",
      "UTF-8",
    );
    await expectRefused(
      {
        method: "POST",
        body: '{"q":"OTAN"}',
        headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" },
      },
      415,
      "unsupported_media_type",
      "body",
      "Content-Encoding",
    );
  });

  test("an unknown key's value is never read, however deep", async () => {
    // 10,000 nested objects overflowed JSON.stringify: a 500 (QA).
    const deep = `{"q":"m","x":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`;
    await expectRefused(post(deep), 400, "invalid_parameter", "x", "unknown parameter 'x'");
  });

  test("a body past 64 KB is refused before it is read whole", async () => {
    const big = JSON.stringify({ q: "a", filter: "x".repeat(70 * 1024) });
    await expectRefused(post(big), 413, "request_too_large", "body", "64 KB");
  });

  test("a browser on another origin may POST a search (CORS)", async () => {
    const a = await app();
    const preflight = await a.request("/api/search", {
      method: "OPTIONS",
      headers: {
        Origin: "https://exemple.fr",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Methods")).toContain("POST");
    expect(preflight.headers.get("Access-Control-Allow-Headers")).toBe("content-type");
    const res = await a.request("/api/search", {
      ...post('{"q":"OTAN"}'),
      headers: { "Content-Type": "application/json", Origin: "https://exemple.fr" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  test("is published in /openapi.json", async () => {
    const doc = (await (await (await app()).request("/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths["/api/search"] ?? {}).sort()).toEqual(["get", "post"]);
  });
});
