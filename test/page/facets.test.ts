/**
 * The search page over an index of JSON records (test/fixtures/records-fr, whose loupe.json
 * declares filterable attributes): the declared facets as plain filter links, working with
 * JavaScript off, and the browser script rendering the same #results from the API.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildIndex } from "../../src/index/index.js";
import { openEngine } from "../../src/search/engine.js";
import { parseFilter } from "../../src/search/filter/parse.js";
import { createApp } from "../../src/server/app.js";
import { resultsHtml } from "../../src/server/page/browser/render.js";
import { searchUrl, stateOf } from "../../src/server/page/browser/requests.js";
import { facetCondition, withCondition, withoutCondition } from "../../src/server/page/format.js";
import type { SearchResultJson } from "../../src/server/present.js";

let root: string;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "loupe-facets-"));
  await buildIndex({ input: "test/fixtures/records-fr", out: join(root, "index") });
  app = createApp(await openEngine(join(root, "index")), { log: false });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const e = encodeURIComponent;
const FACETS = ["meta.author", "price", "section", "tags", "year"];

async function page(path: string): Promise<string> {
  const res = await app.request(path);
  expect(res.status, path).toBe(200);
  return res.text();
}

/** Every href of the page's facet links, decoded. */
function facetLinks(html: string): URLSearchParams[] {
  const nav = html.slice(
    html.indexOf('<nav class="facets"'),
    html.indexOf("</nav>", html.indexOf('<nav class="facets"')),
  );
  return [...nav.matchAll(/href="([^"]+)"/g)].map(
    (m) => new URL(m[1]!.replaceAll("&amp;", "&"), "http://loupe.test").searchParams,
  );
}

describe("facet links without JavaScript", () => {
  test("a query shows each declared facet's values as links adding a condition to filter=", async () => {
    const html = await page("/?q=mission");
    expect(html).toContain('<nav class="facets" aria-label="Filtrer">');
    expect(html).toContain('data-facets="meta.author,price,section,tags,year"');
    const links = facetLinks(html);
    const filters = links.map((params) => params.get("filter"));
    expect(filters).toContain('section = "Défense"');
    expect(filters).toContain('tags = "irak"');
    expect(filters).toContain('meta.author = "Claire Martin"');
    for (const params of links) expect(params.get("q")).toBe("mission");
  });

  test("values in French order: numbers by value, accents among their letter; booleans and blanks read", () => {
    const counts = {
      "10": 1,
      "12.5": 2,
      "4.5": 1,
      "4.25": 1,
      "-3": 1,
      "-10": 1,
      "9": 3,
      Zoé: 1,
      Émile: 1,
      alice: 1,
      paul: 1,
      true: 2,
      "": 1,
    };
    const html = resultsHtml(
      { q: "x", page: 1, limit: 10 },
      {
        query: "x",
        total: 0,
        offset: 0,
        limit: 10,
        tookMs: 1,
        hits: [],
        facets: { date: {} },
        facetDistribution: { prix: counts },
      },
    );
    const labels = [...html.matchAll(/">([^<]*) <span class="count">/g)].map((m) => m[1]);
    // "true" reads « oui » and sorts as such, before « Zoé » and after « Émile ».
    expect(labels).toEqual([
      "-10",
      "-3",
      "4.25",
      "4.5",
      "9",
      "10",
      "12.5",
      "(vide)",
      "alice",
      "Émile",
      "oui",
      "paul",
      "Zoé",
    ]);
  });

  test("following a link filters the results; the filter shows, with a link removing it", async () => {
    const html = await page(`/?q=mission&filter=${e('section = "Défense"')}`);
    expect(html).toContain("2 résultats");
    expect(html).toContain(
      '<input type="hidden" name="filter" value="section = &quot;Défense&quot;"/>',
    );
    expect(html).toMatch(/aria-current="page">Défense <span class="count">2<\/span>/);
    // The chosen value's link takes it off.
    expect(html).toContain('<a href="/?q=mission" aria-current="page">Défense');
    expect(html).toContain('<a href="/?q=mission">Retirer le filtre</a>');
    // A second value narrows further: both conditions, joined by AND.
    const filters = facetLinks(html).map((params) => params.get("filter"));
    expect(filters).toContain('section = "Défense" AND tags = "canada"');
  });

  test("the filter alone lists documents, and the month chips keep it", async () => {
    const html = await page(`/?filter=${e("year >= 2020")}`);
    expect(html).toContain("4 résultats");
    expect(html).toContain('<nav class="months"');
    expect(html).toContain(
      `href="/?date=2020-02&amp;filter=${e("year >= 2020").replaceAll("%20", "+")}"`,
    );
  });

  test("a synonym from the settings is found and marked on the page", async () => {
    const html = await page("/?q=OTAN");
    expect(html).toContain("<mark>NATO</mark> training suspended");
  });

  test("a bad filter is the page's refusal, in French", async () => {
    const res = await app.request(`/?q=mission&filter=${e("prix > 3")}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("«\u00a0prix\u00a0» (caractère 1) n’est pas un attribut filtrable");
    // A way out, and the refused filter is not resent with the next query typed in the form.
    expect(html).toContain('<a href="/?q=mission">Chercher sans le filtre</a>');
    expect(html).toContain('<input type="hidden" name="filter" value="" disabled=""/>');
  });
});

describe("the browser renders the same #results", () => {
  test.each([
    ["a query", "/?q=mission"],
    ["a query and a filter", `/?q=mission&filter=${e('section = "Défense"')}`],
    ["a filter alone", `/?filter=${e("tags IN [irak, syrie]")}`],
  ])("%s", async (_what, path) => {
    const html = await page(path);
    const open = '<div id="results" class="results">';
    const start = html.indexOf(open) + open.length;
    const server = html.slice(start, html.indexOf("</div></main>", start));
    const state = stateOf(new URL(path, "http://loupe.test").search);
    const body = (await (await app.request(searchUrl(state, FACETS))).json()) as SearchResultJson;
    expect(resultsHtml(state, body)).toBe(server);
  });
});

test("conditions are quoted so any value reads back, and OR filters are bracketed", () => {
  expect(facetCondition("section", 'Le "Monde" \\ 2')).toBe('section = "Le \\"Monde\\" \\\\ 2"');
  expect(parseFilter(facetCondition("section", 'Le "Monde" \\ 2'), ["section"])).toEqual({
    ok: true,
    filter: { type: "compare", attribute: "section", op: "=", value: 'Le "Monde" \\ 2' },
  });
  expect(facetCondition("titre long", "x")).toBe('"titre long" = "x"');
  expect(withCondition(undefined, 'a = "1"')).toBe('a = "1"');
  expect(withCondition('a = "1"', 'a = "1"')).toBe('a = "1"');
  expect(withCondition("a = 1 OR b = 2", 'c = "3"')).toBe('(a = 1 OR b = 2) AND c = "3"');
  expect(withoutCondition('a = "1" AND c = "3"', 'c = "3"')).toBe('a = "1"');
  expect(withoutCondition('a = "1" AND c = "3"', 'a = "1"')).toBe('c = "3"');
  expect(withoutCondition('a = "1"', 'a = "1"')).toBeUndefined();
});
