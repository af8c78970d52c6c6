/**
 * End to end over JSON records: test/fixtures/records-fr indexed by the real indexer (its
 * loupe.json read), opened from disk, and searched through the API with filter, facets, sort
 * and synonyms, in process and on a search thread (the options cross the worker protocol).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildIndex } from "../../src/index/index.js";
import { openEngine } from "../../src/search/engine.js";
import { createApp } from "../../src/server/app.js";
import type { SearchResultJson } from "../../src/server/present.js";
import { DISK_LOADER, WorkerPool } from "../../src/server/worker-pool.js";
import { errorOf } from "./helpers.js";

let root: string;
let indexDir: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "loupe-records-"));
  indexDir = join(root, "index");
  const report = await buildIndex({ input: "test/fixtures/records-fr", out: indexDir });
  expect(report.documents).toBe(6);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const url = (params: Record<string, string>) => `/api/search?${new URLSearchParams(params)}`;

describe("the API over an index of JSON records", () => {
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    app = createApp(await openEngine(indexDir), { log: false });
  });

  const search = async (params: Record<string, string>) => {
    const res = await app.request(url(params));
    expect(res.status, JSON.stringify(params)).toBe(200);
    return (await res.json()) as SearchResultJson;
  };

  test("facets alone, or a sort alone, list every document (a placeholder search)", async () => {
    const faceted = await search({ facets: "section" });
    expect(faceted.total).toBe(6);
    expect(Object.values(faceted.facetDistribution?.section ?? {}).reduce((a, b) => a + b)).toBe(5);
    const sorted = await search({ sort: "year:asc", limit: "100" });
    expect(sorted.total).toBe(6);
    expect(sorted.hits).toHaveLength(6);
  });

  test("filter + facets + sort, without q", async () => {
    const body = await search({
      filter: "section = défense OR tags IN [syrie]",
      facets: "section,tags",
      sort: "year:desc",
    });
    expect(body.hits.map((hit) => hit.id)).toEqual(["a5", "a1", "a3", "a4"]);
    expect(body.total).toBe(4);
    expect(body.facetDistribution).toEqual({
      section: { Défense: 3, International: 1 },
      tags: { canada: 1, irak: 2, otan: 1, syrie: 1 },
    });
    expect(body.facets.date).toEqual({ "2018-06": 1, "2019-11": 1, "2020-02": 1, "2021-03": 1 });
    expect(body.hits[0]?.attributes).toEqual({
      title: "Hélicoptères pour la mission",
      section: "Défense",
      year: 2021,
      tags: ["canada", "irak"],
      meta: { author: "Paul Durand" },
    });
  });

  test("synonyms: OTAN finds and marks NATO; with a filter and a sort", async () => {
    const body = await search({
      q: "OTAN",
      filter: "year = 2020",
      sort: "title:asc",
      explain: "true",
    });
    expect(body.hits.map((hit) => hit.id)).toEqual(["a1", "a2"]);
    const nato = body.hits[1]!;
    expect(nato.titleHighlighted).toBe("<mark>NATO</mark> training suspended");
    expect(nato.explain?.words[0]).toMatchObject({ match: "NATO", kind: "synonym" });
  });

  test("bad filter, facets and sort → 400 naming the parameter, the position or attribute, the fix", async () => {
    const cases = [
      [{ filter: "year >" }, "filter", "filter: at character 7, expected a value"],
      [{ filter: "body = x" }, "filter", "'body' (character 1) is not a filterable attribute"],
      [{ q: "otan", facets: "year,body" }, "facets", "add it to filterableAttributes"],
      [{ q: "otan", sort: "year:up" }, "sort", "write attribute:asc or attribute:desc"],
      [{ q: "otan", sort: "section:asc" }, "sort", "use 'price', 'title' or 'year'"],
    ] as const;
    for (const [params, parameter, message] of cases) {
      const res = await app.request(url(params));
      expect(res.status, JSON.stringify(params)).toBe(400);
      const error = await errorOf(res);
      expect(error).toMatchObject({ code: "bad_query", parameter });
      expect(error.message).toContain(message);
      expect(res.headers.get("Cache-Control")).toBe("no-store");
    }
    const french = await errorOf(await app.request(url({ filter: "(year = 1", lang: "fr" })));
    expect(french.message).toBe(
      "filtre\u202f: au caractère 10, il faut une parenthèse fermante «\u00a0)\u00a0», et non la fin du filtre",
    );
  });

  test("no q and nothing else is still refused", async () => {
    const res = await app.request(url({ limit: "5" }));
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: "invalid_parameter", parameter: "q" });
  });

  test("each parameter is part of the ETag", async () => {
    const a = await app.request(url({ q: "mission", sort: "year:asc" }));
    const b = await app.request(url({ q: "mission", sort: "year:desc" }));
    expect(a.headers.get("ETag")).not.toBe(b.headers.get("ETag"));
    const ids = async (res: Response) =>
      ((await res.json()) as SearchResultJson).hits.map((hit) => hit.id);
    expect(await ids(a)).not.toEqual(await ids(b));
  });
});

describe("on a search thread", () => {
  let pool: WorkerPool;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    pool = await WorkerPool.start({ workers: 1, indexDir, loader: DISK_LOADER, budgetMs: 5_000 });
    app = createApp(await openEngine(indexDir), { log: false, searcher: pool, answerCache: 0 });
  });
  afterAll(() => pool.close());

  test("filter, facets and sort cross the worker protocol, and so does a refusal", async () => {
    const res = await app.request(
      url({ filter: "price >= 2", facets: "year", sort: "price:desc" }),
    );
    const body = (await res.json()) as SearchResultJson;
    expect(body.hits.map((hit) => hit.id)).toEqual(["a4", "a2", "a3"]);
    expect(body.facetDistribution).toEqual({ year: { "2018": 1, "2019": 1, "2020": 1 } });
    const refused = await app.request(url({ filter: "nope = 1", lang: "fr" }));
    expect(refused.status).toBe(400);
    expect((await errorOf(refused)).message).toContain("n’est pas un attribut filtrable");
  });
});

test("a record's document view carries its displayed attributes, and marks a synonym", async () => {
  const app = createApp(await openEngine(indexDir), { log: false });
  const res = await app.request("/api/documents/a2?q=OTAN");
  expect(res.status).toBe(200);
  const view = (await res.json()) as {
    attributes?: Record<string, unknown>;
    titleHighlighted?: string;
  };
  expect(view.attributes).toEqual({
    title: "NATO training suspended",
    section: "International",
    year: 2020,
    tags: ["nato", "iraq"],
    meta: { author: "John Smith" },
  });
  expect(view.titleHighlighted).toBe("<mark>NATO</mark> training suspended");
});

describe("/api/analyze over an index with stopWords of its own", () => {
  test("reads text with the index's chain: its stopWords are flagged", async () => {
    const input = join(root, "own-stopwords");
    mkdirSync(input);
    writeFileSync(join(input, "a.txt"), "Le zoo de Vincennes rouvre ses portes.");
    writeFileSync(join(input, "loupe.json"), JSON.stringify({ stopWords: ["zoo"] }));
    const out = join(root, "own-stopwords-index");
    await buildIndex({ input, out });
    const app = createApp(await openEngine(out), { log: false });
    const res = await app.request(`/api/analyze?${new URLSearchParams({ text: "un zoo" })}`);
    expect(res.status).toBe(200);
    const { tokens } = (await res.json()) as { tokens: Array<{ word: string; stopword: boolean }> };
    expect(tokens.map((t) => [t.word, t.stopword])).toEqual([
      ["un", true],
      ["zoo", true],
    ]);
    // Tied to the index, as searches: revalidated by its generation's ETag, not kept 5 minutes.
    const etag = res.headers.get("ETag") ?? "";
    expect(etag).toMatch(/^W\//);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=0, must-revalidate");
    const again = await app.request(`/api/analyze?${new URLSearchParams({ text: "un zoo" })}`, {
      headers: { "If-None-Match": etag },
    });
    expect(again.status).toBe(304);
  });
});
