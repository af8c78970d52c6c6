/**
 * One renderer: for each search URL, what the browser script puts in `#results` (its own
 * modules, run here as they are bundled: the URL read by `stateOf`, the API asked by
 * `searchUrl`, its JSON rendered by `resultsHtml` or `errorHtml`) is, byte for byte, what the
 * server sends in `#results` for the same URL with JavaScript off.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openEngine } from "../../src/search/engine.js";
import { MAX_OFFSET } from "../../src/search/index.js";
import { createApp } from "../../src/server/app.js";
import { errorHtml, resultsHtml } from "../../src/server/page/browser/render.js";
import { refusalMessage, searchUrl, stateOf } from "../../src/server/page/browser/requests.js";
import { MAX_OFFSET as PAGE_MAX_OFFSET } from "../../src/server/page/format.js";
import type { SearchResultJson } from "../../src/server/present.js";
import { buildHostileIndex, HOSTILE_WORD, seedFiles } from "./corpus.js";

let root: string;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "loupe-render-"));
  await buildHostileIndex(root, join(root, "index"), seedFiles());
  app = createApp(await openEngine(join(root, "index")), { log: false });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const OPEN = '<div id="results" class="results">';
const CLOSE = "</div></main>";

/** The inside of `#results` in the page the server renders for `path`. */
async function serverResults(path: string): Promise<string> {
  const html = await (await app.request(path)).text();
  const start = html.indexOf(OPEN);
  const end = html.indexOf(CLOSE, start);
  expect(start, path).toBeGreaterThan(0);
  expect(end, path).toBeGreaterThan(start);
  return html.slice(start + OPEN.length, end);
}

/** The same, as the browser script makes it from the API. */
async function browserResults(path: string): Promise<string> {
  const state = stateOf(new URL(path, "http://loupe.test").search);
  const response = await app.request(searchUrl(state));
  const body: unknown = await response.json();
  return response.ok
    ? resultsHtml(state, body as SearchResultJson)
    : errorHtml(refusalMessage(body), undefined, state);
}

const e = encodeURIComponent;

describe("the browser renders #results as the server does", () => {
  test.each([
    ["marked titles and snippets, months", `/?q=${e("hélicoptères")}`],
    ["a phrase", `/?q=${e('"État islamique"')}`],
    ["page 2 of 2-hit pages", "/?q=OTAN&limit=2&page=2"],
    ["a month chosen", "/?q=OTAN&date=2020-02"],
    ["a range no facet names", `/?q=OTAN&date=${e("2020-01..")}`],
    ["did you mean", "/?q=Stoltenbreg"],
    ["no result", "/?q=xyzzyx"],
    ["no result in a month", "/?q=xyzzyx&date=2020-01"],
    ["a page past the last", "/?q=OTAN&page=50"],
    ["a page past the engine's reach, clamped", "/?q=OTAN&page=999999"],
    ["junk numbers", "/?q=OTAN&limit=abc&page=-1"],
    ["French warnings", `/?q=${e('"Alliance atlantique')}`],
    ["markup in a document", `/?q=${e(HOSTILE_WORD)}`],
    ["markup in the query", `/?q=${e('<b>OTAN</b> & "x')}`],
    ["a refusal: too long", `/?q=${"a".repeat(501)}`],
    ["a refusal: a bad month", "/?q=OTAN&date=2020-13"],
  ])("%s", async (_what, path) => {
    const server = await serverResults(path);
    expect(server.length).toBeGreaterThan(0);
    expect(await browserResults(path)).toBe(server);
  });

  test("the cases above do reach hits, warnings, a suggestion, months and refusals", async () => {
    const pages = await Promise.all(
      [
        `/?q=${e("hélicoptères")}`,
        `/?q=${e('"Alliance atlantique')}`,
        "/?q=Stoltenbreg",
        "/?q=OTAN&limit=2&page=2",
        "/?q=OTAN&date=2020-13",
      ].map(serverResults),
    );
    expect(pages[0]).toContain("<mark>");
    expect(pages[1]).toContain('class="warnings"');
    expect(pages[2]).toContain('class="did-you-mean"');
    expect(pages[3]).toContain('class="pager"');
    expect(pages[3]).toContain('class="months"');
    expect(pages[4]).toContain('role="alert"');
  });

  test("the page clamps pages at the engine's own MAX_OFFSET", () => {
    expect(PAGE_MAX_OFFSET).toBe(MAX_OFFSET);
  });
});
