import { describe, expect, test } from "vitest";
import { createApp } from "../../src/server/app.js";
import type { DocumentJson, SearchResultJson } from "../../src/server/present.js";
import { FAKE_DOCS, fakeEngine } from "./fake-engine.js";

const app = createApp(fakeEngine(), { log: false });
const get = (path: string, init?: RequestInit) => app.request(path, init);

describe("GET /api/search", () => {
  test("answers the engine's result as UTF-8 JSON", async () => {
    const res = await get("/api/search?q=irak");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    const body = (await res.json()) as SearchResultJson;
    expect(body.query).toBe("irak");
    expect(body.total).toBe(2);
    expect(body.hits.map((h) => h.id)).toEqual(["2020/otan-irak", "parly-soldats"]);
    expect(body.hits[0]?.snippet).toContain("<mark>Irak</mark>");
    // The HTML, and beside it the text and spans it was made from.
    const hit = body.hits[0]!;
    expect(hit.snippetMarks.map(([start, end]) => hit.snippetText.slice(start, end))).toContain(
      "Irak",
    );
    expect(hit.titleHighlighted).toBe("L’OTAN suspend sa mission en <mark>Irak</mark>");
    expect(hit.titleMarks.map(([start, end]) => hit.title.slice(start, end))).toEqual(["Irak"]);
    expect(body.hits[0]?.title).toBe("L’OTAN suspend sa mission en Irak");
    expect(body.hits[0]?.explain).toBeUndefined();
  });

  test("passes limit, offset and date to the engine", async () => {
    const page2 = (await (
      await get("/api/search?q=irak&limit=1&offset=1")
    ).json()) as SearchResultJson;
    expect(page2).toMatchObject({ limit: 1, offset: 1, total: 2 });
    expect(page2.hits.map((h) => h.id)).toEqual(["parly-soldats"]);
    const dated = (await (await get("/api/search?q=irak&date=2020-02")).json()) as SearchResultJson;
    expect(dated.hits.map((h) => h.id)).toEqual(["parly-soldats"]);
    const open = (await (
      await get("/api/search?q=irak&date=..2020-01")
    ).json()) as SearchResultJson;
    expect(open.hits.map((h) => h.id)).toEqual(["2020/otan-irak"]);
  });

  test("defaults: limit 10, offset 0", async () => {
    const body = (await (await get("/api/search?q=mission")).json()) as SearchResultJson;
    expect(body).toMatchObject({ limit: 10, offset: 0 });
  });

  test("explain=true asks the engine for score parts", async () => {
    const body = (await (await get("/api/search?q=irak&explain=true")).json()) as SearchResultJson;
    expect(body.hits[0]?.explain?.words).toEqual([
      { word: "title", score: 2 },
      { word: "body", score: 1 },
    ]);
    const off = (await (await get("/api/search?q=irak&explain=0")).json()) as SearchResultJson;
    expect(off.hits[0]?.explain).toBeUndefined();
  });

  test("percent-encoded UTF-8 and + for spaces reach the engine decoded", async () => {
    const body = (await (
      await get("/api/search?q=s%C3%A9curit%C3%A9+soldats")
    ).json()) as SearchResultJson;
    expect(body.query).toBe("sécurité soldats");
    expect(body.hits.map((h) => h.id)).toEqual(["parly-soldats"]);
  });

  test("a query the user must fix is a 400 bad_query with the engine's words", async () => {
    const res = await get("/api/search?q=mission+date:2020-13");
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: "bad_query",
        message:
          "date '2020-13' is not a month or a range of months: write 2020-01 or 2020-01..2020-03",
        // In `q`, where it was written; there is no `date` parameter in the request (QA).
        parameter: "q",
      },
    });
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("ETag")).toBeNull();
  });

  test("an unclosed quote is answered, with the engine's warning", async () => {
    const res = await get("/api/search?q=%22mission");
    expect(res.status).toBe(200);
    const body = (await res.json()) as SearchResultJson;
    expect(body.hits.map((h) => h.id).sort()).toEqual(["2020/otan-irak", "sans-date"]);
    expect(body.warnings).toEqual([
      "an opening quote had no closing quote: the phrase runs to the end",
    ]);
  });

  test("HEAD works like GET without a body", async () => {
    const res = await get("/api/search?q=irak", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });
});

describe("GET /api/suggest", () => {
  test("answers { query, suggestions }", async () => {
    const res = await get("/api/suggest?q=sol");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ query: "sol", suggestions: ["soldats"] });
  });

  test("limit is passed on", async () => {
    const body = (await (await get("/api/suggest?q=s&limit=2")).json()) as {
      suggestions: string[];
    };
    expect(body.suggestions).toHaveLength(2);
  });

  test("an empty prefix is allowed and suggests nothing", async () => {
    expect(await (await get("/api/suggest?q=")).json()).toEqual({ query: "", suggestions: [] });
  });
});

describe("GET /api/documents/:id", () => {
  test("a nested id (with '/') is matched whole", async () => {
    const res = await get("/api/documents/2020/otan-irak");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as DocumentJson;
    expect(doc.id).toBe("2020/otan-irak");
    expect(doc.body).toBe(FAKE_DOCS[0]?.body);
    expect(doc.bodyHighlighted).toBeUndefined();
  });

  test("an encoded '/' works too", async () => {
    const doc = (await (await get("/api/documents/2020%2Fotan-irak")).json()) as DocumentJson;
    expect(doc.id).toBe("2020/otan-irak");
  });

  test("with q, the matches are marked", async () => {
    const doc = (await (
      await get("/api/documents/parly-soldats?q=soldats")
    ).json()) as DocumentJson;
    expect(doc.bodyHighlighted).toContain("<mark>soldats</mark>");
    expect(doc.bodyHighlighted).toContain("&lt;Rien&gt;");
    expect(doc.titleMarks?.map(([start, end]) => doc.title.slice(start, end))).toEqual(["soldats"]);
    expect(doc.titleHighlighted).toContain("<mark>soldats</mark>");
    expect(doc.highlights?.[0]).toEqual([
      doc.body.indexOf("soldats"),
      doc.body.indexOf("soldats") + "soldats".length,
    ]);
  });

  test("a query the user must fix is a 400 bad_query here too", async () => {
    const res = await get(`/api/documents/parly-soldats?q=${"soldats ".repeat(80)}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("bad_query");
  });

  test("an unknown id is a 404 JSON error naming it", async () => {
    const res = await get("/api/documents/2021/nothing-here");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        code: "not_found",
        message: "no document with id '2021/nothing-here'",
        parameter: "id",
      },
    });
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });
});

describe("GET /api/analyze", () => {
  test("gives the token stream with the words as written and their offsets", async () => {
    const text = "L’OTAN a suspendu ses opérations";
    const res = await get(`/api/analyze?text=${encodeURIComponent(text)}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      text: string;
      tokens: Array<{
        word: string;
        term: string;
        start: number;
        end: number;
        position: number;
        stopword: boolean;
      }>;
    };
    expect(body.text).toBe(text);
    expect(body.tokens.map((t) => t.word)).toEqual([
      "L’OTAN",
      "a",
      "suspendu",
      "ses",
      "opérations",
    ]);
    for (const t of body.tokens) expect(text.slice(t.start, t.end)).toBe(t.word);
    expect(body.tokens[0]).toMatchObject({ term: "otan", position: 0, stopword: false });
    expect(body.tokens[1]).toMatchObject({ word: "a", stopword: true });
  });

  test("an empty text has no tokens", async () => {
    expect(await (await get("/api/analyze?text=")).json()).toEqual({ text: "", tokens: [] });
  });
});

describe("GET /api/health", () => {
  test("says ok, what is served and the package version", async () => {
    const res = await get("/api/health");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: "ok",
      documents: 3,
      indexBuiltAt: "2024-01-01T00:00:00.000Z",
      version: "fake-1",
    });
    expect(body.loupeVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });
});

describe("GET /openapi.json", () => {
  test("is an OpenAPI 3.1 document generated from the validating schemas", async () => {
    const res = await get("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<
        string,
        {
          get: {
            parameters?: Array<{
              name: string;
              in: string;
              required: boolean;
              schema: Record<string, unknown>;
            }>;
            responses?: Record<string, unknown>;
          };
        }
      >;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(
      ["/api/analyze", "/api/documents/{id}", "/api/health", "/api/search", "/api/suggest"].sort(),
    );
    const params = doc.paths["/api/search"]?.get.parameters ?? [];
    // q may be left out when a filter lists the documents.
    expect(params.find((p) => p.name === "q")).toMatchObject({
      in: "query",
      required: false,
      schema: { maxLength: 500 },
    });
    for (const name of ["filter", "facets", "sort"]) {
      expect(params.find((p) => p.name === name)).toMatchObject({ in: "query", required: false });
    }
    expect(params.find((p) => p.name === "limit")).toMatchObject({
      required: false,
      schema: { type: "integer", minimum: 0, maximum: 100, default: 10 },
    });
    expect(params.find((p) => p.name === "offset")?.schema).toMatchObject({
      minimum: 0,
      maximum: 10000,
    });
    expect(
      doc.paths["/api/documents/{id}"]?.get.parameters?.find((p) => p.name === "id"),
    ).toMatchObject({
      in: "path",
      schema: { maxLength: 300 },
    });
    expect(JSON.stringify(doc)).not.toContain('"middleware"');
    // Every answer the routes may give is described, the refusals of app.ts included.
    for (const path of ["/api/search", "/api/suggest", "/api/documents/{id}", "/api/analyze"]) {
      const responses = doc.paths[path]?.get.responses;
      expect(Object.keys(responses ?? {}), path).toEqual(
        expect.arrayContaining(["200", "400", "429", "503"]),
      );
    }
  });
});

describe("the page", () => {
  test("is mounted at /", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
  });
});
