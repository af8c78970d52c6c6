import { describe, expect, test } from "vitest";
import { LoupeEngine } from "../../src/search/engine.js";
import { createApp } from "../../src/server/app.js";
import { seedsEngine } from "../search/helpers.js";
import { fakeEngine } from "./fake-engine.js";
import { errorOf } from "./helpers.js";

/** What the engine says of a date it cannot read, after the value itself. */
const NOT_A_MONTH = "is not a month or a range of months: write 2020-01 or 2020-01..2020-03";
const app = createApp(fakeEngine(), { log: false });

/** The real engine over seeds/, built once: the fake one does not read dates or lengths. */
let real: ReturnType<typeof createApp> | undefined;
async function realApp(): Promise<ReturnType<typeof createApp>> {
  real ??= createApp(new LoupeEngine((await seedsEngine()).engine.index), { log: false });
  return real;
}

async function expect400(
  path: string,
  parameter: string,
  code = "invalid_parameter",
  on: { request: (path: string) => Response | Promise<Response> } = app,
) {
  const res = await on.request(path);
  expect(res.status, path).toBe(400);
  const error = await errorOf(res);
  expect(error.code, path).toBe(code);
  expect(error.parameter, path).toBe(parameter);
  expect(error.message, path).toContain(parameter);
  return error;
}

describe("search parameters", () => {
  test.each([
    ["/api/search", "q", "q is required (unless a filter, facets, a sort or a date is given)"],
    [
      "/api/search?q=",
      "q",
      "q must not be empty (unless a filter, facets, a sort or a date is given)",
    ],
    [
      "/api/search?q=%20%20",
      "q",
      "q must not be blank (unless a filter, facets, a sort or a date is given)",
    ],
    ["/api/search?q=a&q=b", "q", "q must be given once, as text"],
    ["/api/search?q=a&limit=101", "limit", "limit must be a whole number from 0 to 100"],
    ["/api/search?q=a&limit=", "limit", "limit must be a whole number from 0 to 100"],
    ["/api/search?q=a&limit=ten", "limit", "limit must be a whole number from 0 to 100"],
    ["/api/search?q=a&limit=1e1", "limit", "limit must be a whole number from 0 to 100"],
    ["/api/search?q=a&limit=-1", "limit", "limit must be a whole number from 0 to 100"],
    ["/api/search?q=a&limit=2.5", "limit", "limit must be a whole number from 0 to 100"],
    [
      "/api/search?q=a&limit=99999999999999999999",
      "limit",
      "limit must be a whole number from 0 to 100",
    ],
    ["/api/search?q=a&limit=1&limit=2", "limit", "limit must be given once, as text"],
    ["/api/search?q=a&offset=10001", "offset", "offset must be a whole number from 0 to 10000"],
    ["/api/search?q=a&offset=-5", "offset", "offset must be a whole number from 0 to 10000"],
    ["/api/search?q=a&explain=yes", "explain", "explain must be true or false"],
    ["/api/search?q=a&highlights=all", "highlights", "highlights must be true or false"],
  ])("%s → 400 naming %s", async (path, parameter, message) => {
    const error = await expect400(path, parameter);
    expect(error.message).toBe(message);
  });

  // Dates and the query's length are read by the engine, as `date:` in a query is: a bad one
  // is the query's refusal.
  test.each([
    [
      `/api/search?q=${"a".repeat(501)}`,
      "q",
      "the query is 501 characters long; the limit is 500: shorten it",
    ],
    [
      `/api/documents/004_35c4cf714ecaba77?q=${"q".repeat(501)}`,
      "q",
      "the query is 501 characters long; the limit is 500: shorten it",
    ],
    ["/api/search?q=a&date=2020", "date", `date '2020' ${NOT_A_MONTH}`],
    ["/api/search?q=a&date=2020-13", "date", `date '2020-13' ${NOT_A_MONTH}`],
    ["/api/search?q=a&date=2020-01...2020-02", "date", `date '2020-01...2020-02' ${NOT_A_MONTH}`],
    ["/api/search?q=a&date=..", "date", `date '..' ${NOT_A_MONTH}`],
    [
      "/api/search?q=a&date=2020-03..2020-01",
      "date",
      "date '2020-03..2020-01' ends before it starts: write 2020-01..2020-03",
    ],
  ])("%s → 400 bad_query naming %s", async (path, parameter, message) => {
    const error = await expect400(path, parameter, "bad_query", await realApp());
    expect(error.message).toBe(message);
  });

  test("bounds themselves are accepted", async () => {
    for (const path of [
      "/api/search?q=a&limit=0",
      "/api/search?q=a&limit=1",
      "/api/search?q=a&limit=100",
      "/api/search?q=a&offset=0",
      "/api/search?q=a&offset=10000",
      `/api/search?q=${"a".repeat(500)}`,
      "/api/search?q=a&date=2020-01..",
      "/api/search?q=a&date=2020-01..2020-01",
      "/api/search?q=a&explain=false",
    ]) {
      expect((await app.request(path)).status, path).toBe(200);
    }
  });

  test("a list with an empty item is refused by its name; a blank list or date is left out", async () => {
    const real = await realApp();
    for (const [path, parameter] of [
      ["/api/search?q=otan&facets=,", "facets"],
      ["/api/search?q=otan&facets=date,", "facets"],
      ["/api/search?q=otan&sort=date:desc,,date:asc", "sort"],
    ]) {
      const error = await expect400(path!, parameter!, "bad_query", real);
      expect(error.message).toContain("has an empty item");
    }
    const totalOf = async (res: Response) => ((await res.json()) as { total: number }).total;
    const plain = await totalOf(await real.request("/api/search?q=otan"));
    for (const path of ["/api/search?q=otan&date=", "/api/search?q=otan&facets=&sort=%20"]) {
      const res = await real.request(path);
      expect(res.status, path).toBe(200);
      expect(await totalOf(res), path).toBe(plain);
    }
    // Blank, a date asks for nothing: the query is still needed.
    expect((await real.request("/api/search?date=")).status).toBe(400);
  });

  test("an unknown parameter is refused by its name, with the one it may have meant", async () => {
    // Ignored, `limt=5` answered 10 hits and looked right.
    for (const [path, parameter, meant] of [
      ["/api/search?q=a&limt=5", "limt", "limit"],
      ["/api/search?q=a&highlight=true", "highlight", "highlights"],
      ["/api/search?q=a&page=3", "page", undefined],
      ["/api/suggest?q=a&x=1", "x", undefined],
      ["/api/documents/a?qq=otan", "qq", "q"],
      ["/api/analyze?text=a&txt=b", "txt", "text"],
    ] as const) {
      const error = await expect400(path, parameter);
      expect(error.message, path).toMatch(`unknown parameter '${parameter}'`);
      if (meant === undefined) expect(error.message, path).not.toMatch("did you mean");
      else expect(error.message, path).toMatch(`did you mean ${meant}?`);
    }
    // Another route's parameter: not "did you mean highlights?" of `highlights` itself (QA).
    const other = await expect400("/api/documents/a?q=otan&highlights=false", "highlights");
    expect(other.message).toBe("'highlights' is not a parameter of this route (see /openapi.json)");
  });
});

describe("other endpoints' parameters", () => {
  test.each([
    ["/api/suggest", "q"],
    [`/api/suggest?q=${"s".repeat(101)}`, "q"],
    ["/api/suggest?q=s&limit=21", "limit"],
    ["/api/suggest?q=s&limit=0", "limit"],
    ["/api/analyze", "text"],
    [`/api/analyze?text=${"x".repeat(5001)}`, "text"],
  ])("%s → 400 naming %s", async (path, parameter) => {
    await expect400(path, parameter);
  });
});

describe("document ids", () => {
  test.each([
    "/api/documents/..%2F..%2Fetc%2Fpasswd",
    "/api/documents/2020%2F..%2Fsecret",
    "/api/documents/2020%2F.%2Fx",
    "/api/documents/2020//x",
    "/api/documents/%2F2020",
    "/api/documents/2020%00x",
    "/api/documents/a%0Ab",
    `/api/documents/${"d".repeat(301)}`,
  ])("%s → 400 naming id", async (path) => {
    await expect400(path, "id");
  });

  test("literal dot segments are resolved by URL parsing before routing, never reaching a handler", async () => {
    const res = await app.request("/api/documents/2020/../../search?q=irak");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ query: "irak" });
    expect((await app.request("/api/documents/2020/./otan-irak")).status).toBe(200);
  });

  test("dots inside a name are fine (only '..' parts are refused)", async () => {
    expect((await app.request("/api/documents/notes..v2")).status).toBe(404);
  });
});

describe("malformed percent-encoding is a 400, never a 500", () => {
  test.each([
    ["/api/search?q=%E0%A4%A", "q"],
    ["/api/search?q=%", "q"],
    ["/api/search?q=%ZZ", "q"],
    ["/api/search?q=%ED%A0%80", "q"],
    ["/api/search?q=ok&limit=%FF", "limit"],
    ["/api/search?q%E0=a", "query string"],
    ["/api/documents/%E0%A4%A", "id"],
    ["/api/search/%C0", "path"],
  ])("%s → bad_encoding on %s", async (path, parameter) => {
    await expect400(path, parameter, "bad_encoding");
  });
});

describe("unknown routes and methods", () => {
  test("unknown /api paths are 404 JSON", async () => {
    for (const path of [
      "/api/nope",
      "/api",
      "/api/",
      "/api/search/extra",
      "/api/documents",
      "/api/documents/",
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect((await errorOf(res)).code, path).toBe("not_found");
    }
  });

  test("other methods on API routes are 405 JSON with Allow", async () => {
    const res = await app.request("/api/search?q=a", { method: "PUT", body: "{}" });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("GET, HEAD, POST");
    expect((await errorOf(res)).code).toBe("method_not_allowed");
    const suggest = await app.request("/api/suggest?q=a", { method: "POST", body: "{}" });
    expect(suggest.status).toBe(405);
    expect(suggest.headers.get("Allow")).toBe("GET, HEAD");
    expect((await app.request("/api/documents/2020/otan-irak", { method: "DELETE" })).status).toBe(
      405,
    );
  });

  test("a front end on another origin may read the API (CORS), not the page", async () => {
    const origin = { Origin: "https://exemple.fr" };
    const read = await app.request("/api/search?q=a", { headers: origin });
    expect(read.status).toBe(200);
    expect(read.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(read.headers.get("Access-Control-Expose-Headers")).toContain("X-Request-Id");
    // A preflight was a 405.
    const preflight = await app.request("/api/search?q=a", {
      method: "OPTIONS",
      headers: { ...origin, "Access-Control-Request-Method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Methods")).toBe("GET, HEAD, POST, OPTIONS");
    const page = await app.request("/?q=a", { headers: origin });
    expect(page.headers.get("Access-Control-Allow-Origin")).toBeNull();
    // Without a preflight's header, OPTIONS is still no method of the API.
    expect((await app.request("/api/search?q=a", { method: "OPTIONS" })).status).toBe(405);
  });

  test("other methods on the page's addresses are 405 too: a French page, JSON for programs", async () => {
    for (const path of ["/", "/documents/2020/otan-irak", "/assets/app.js"]) {
      const res = await app.request(path, { method: "POST", body: "x" });
      expect(res.status, path).toBe(405);
      expect(res.headers.get("Allow"), path).toBe("GET, HEAD");
      expect(res.headers.get("Content-Type"), path).toMatch(/^text\/html/);
      expect(await res.text(), path).toContain("Méthode non permise");
    }
    for (const path of ["/metrics", "/openapi.json"]) {
      const res = await app.request(path, { method: "PUT" });
      expect(res.status, path).toBe(405);
      expect((await errorOf(res)).code, path).toBe("method_not_allowed");
    }
    expect((await app.request("/nowhere", { method: "POST" })).status).toBe(404);
  });

  test("unknown pages are an HTML 404", async () => {
    const res = await app.request("/nowhere");
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
  });
});

describe("an engine bug", () => {
  test("is a generic 500 JSON, logged, with no stack trace sent", async () => {
    const logged: unknown[] = [];
    const buggy = createApp(fakeEngine({ explodeOn: "boom" }), {
      log: false,
      logError: (e) => logged.push(e),
    });
    const res = await buggy.request("/api/search?q=boom");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: {
        code: "internal",
        message: "the server failed to answer; the error has been logged",
      },
    });
    expect(text).not.toContain("exploded");
    expect(text).not.toContain(".ts:");
    expect(logged).toHaveLength(1);
    expect(String(logged[0])).toContain("exploded on purpose");
  });
});

// Random requests on every endpoint ("nothing a client sends produces a 500") are sent once, to
// the real engine: test/reliability/http.test.ts, with the fuzzer of test/reliability/requests.ts.
