/**
 * The bundled search page, through createApp(engine).request() over a real index of seeds/:
 * what a browser with JavaScript off gets.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine, openEngine } from "../../src/search/engine.js";
import { QueryError } from "../../src/search/types.js";
import { createApp } from "../../src/server/app.js";
import { escapeHtml } from "../../src/server/marked-html.js";
import { notFoundPage, serverErrorPage } from "../../src/server/page/routes.js";
import { asSentence } from "../../src/server/page/views.js";
import { textDocument } from "../search/helpers.js";
import {
  buildHostileIndex,
  buildSeedsIndex,
  HOSTILE_ID,
  HOSTILE_WORD,
  IMG_PAYLOAD,
  SCRIPT_PAYLOAD,
} from "./corpus.js";

let root: string;
let engine: LoupeEngine;
let app: ReturnType<typeof createApp>;
let hostileApp: ReturnType<typeof createApp>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "loupe-page-"));
  await buildSeedsIndex(join(root, "seeds-index"));
  await buildHostileIndex(root, join(root, "hostile-index"));
  engine = await openEngine(join(root, "seeds-index"));
  app = createApp(engine, { log: false });
  hostileApp = createApp(await openEngine(join(root, "hostile-index")), { log: false });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const q = (text: string) => encodeURIComponent(text);

async function page(path: string, status = 200, on = app): Promise<string> {
  const res = await on.request(path);
  expect(res.status, path).toBe(status);
  expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
  return res.text();
}

/** The message of the QueryError `run` throws. */
function queryErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof QueryError) return error.message;
    throw error;
  }
  throw new Error("expected a QueryError");
}

/** Every `<mark>…</mark>` (with or without attributes) removed. */
const unmarked = (html: string) => html.replace(/<mark\b[^>]*>[\s\S]*?<\/mark>/g, "");

/** The `#results` part of a search page. */
const resultsOf = (html: string) => html.slice(html.indexOf('<div id="results"'));

/** Hit ids in page order, from the document links. */
const hitIds = (html: string) =>
  [...html.matchAll(/<h2 class="hit-title"><a href="\/documents\/([^"?#]+)/g)].map((m) =>
    decodeURIComponent(m[1] ?? ""),
  );

describe("the empty state", () => {
  test("/ is a French page with a labelled search form, an intro and example queries", async () => {
    const html = await page("/");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<html lang="fr">');
    expect(html).toMatch(/<search><form[^>]*action="\/"[^>]*method="get"/);
    expect(html).toContain('<label class="search-label" for="q">');
    expect(html).toMatch(/<input id="q" name="q" type="search"/);
    expect(html).toMatch(/<section id="intro" class="intro" aria-labelledby/);
    expect(html).toContain('href="/?q=h%C3%A9licopt%C3%A8res"');
    expect(html).toContain('href="/?q=%22%C3%89tat+islamique%22"');
    expect(html).toContain('href="/?q=Stoltenberg"');
    expect(html).toContain('aria-live="polite"');
    expect(html).not.toContain('class="hit"');
  });

  test("on a collection the seeds' examples do not fit, the examples are its own words", async () => {
    const docs = [
      ["a", "Recettes de cuisine", "La confiture de fraises et la tarte aux pommes."],
      ["b", "Jardinage", "Planter des fraises au printemps, tailler les pommiers."],
      ["c", "Conserves", "La confiture se garde un an ; les pommes se gardent en cave."],
      ["d", "Desserts", "Une tarte aux fraises, une compote de pommes."],
    ].map(([id, title, body]) => textDocument(id!, title!, body!));
    const own = createApp(new LoupeEngine(indexDocuments(docs)), { log: false });
    const html = await (await own.request("/")).text();
    expect(html).not.toContain("Stoltenberg");
    const examples = [...html.matchAll(/<li><a href="\/\?q=([^"]+)">/g)].map((m) =>
      decodeURIComponent(m[1]!.replaceAll("+", " ")),
    );
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples)
      expect(new LoupeEngine(indexDocuments(docs)).search(example).total, example).toBeGreaterThan(
        1,
      );
  });

  test("a blank query is the empty state too", async () => {
    const html = await page("/?q=%20%20");
    expect(html).toMatch(/<section id="intro" class="intro" aria-labelledby/);
  });
});

describe("results", () => {
  test("hélicoptères: marked titles and snippets, count and time, document links, month filter", async () => {
    const html = await page(`/?q=${q("hélicoptères")}`);
    const result = engine.search("hélicoptères");
    expect(result.total).toBeGreaterThan(0);
    expect(html).toMatch(/<mark>[hH]élicoptères<\/mark>/);
    expect(html).toMatch(
      // The page escapes its text: under a millisecond reads "(&lt; 1 ms)" in the HTML.
      new RegExp(`aria-live="polite">${result.total} résultats? \\((&lt; 1|\\d+) ms\\)</p>`),
    );
    expect(hitIds(html)).toEqual(result.hits.map((hit) => hit.id));
    expect(html).toContain(
      `href="/documents/${result.hits[0]?.id}?q=h%C3%A9licopt%C3%A8res#premier"`,
    );
    // The intro is there for the script, hidden.
    expect(html).toMatch(/<section id="intro" class="intro" hidden=""/);
    // One filter link per month of the facets, labelled in French, plus "all dates".
    const months = Object.keys(result.facets.date);
    expect(months.length).toBeGreaterThan(0);
    for (const month of months) {
      expect(html).toContain(`href="/?q=h%C3%A9licopt%C3%A8res&amp;date=${month}"`);
    }
    expect(html).toContain("février 2020");
    expect(html).toContain(
      '<a href="/?q=h%C3%A9licopt%C3%A8res" aria-current="page">Toutes les dates</a>',
    );
    // A hit's date is shown as a month.
    expect(html).toMatch(/<time datetime="2020-02">février 2020<\/time>/);
  });

  test("the month filter narrows the results and marks the current month", async () => {
    const all = engine.search("OTAN");
    const html = await page("/?q=OTAN&date=2020-01");
    expect(html).toContain('<a href="/?q=OTAN&amp;date=2020-01" aria-current="page">janvier 2020');
    expect(html).toContain('<a href="/?q=OTAN">Toutes les dates</a>');
    const ids = hitIds(html);
    expect(ids.length).toBe(all.facets.date["2020-01"]);
    expect(ids.length).toBeLessThan(all.total);
    // The form carries the filter to the next search.
    expect(html).toContain('<input type="hidden" name="date" value="2020-01"/>');
  });

  test("a month alone lists that month's documents, as the API does", async () => {
    const month = engine.search("", { date: "2020-01" });
    expect(month.total).toBeGreaterThan(0);
    const html = await page("/?date=2020-01");
    expect(hitIds(html)).toEqual(month.hits.map((hit) => hit.id));
  });

  test("pagination: ?page= walks through every hit once, with previous/next links", async () => {
    const total = engine.search("OTAN").total;
    expect(total).toBe(5);
    const first = await page("/?q=OTAN&limit=2");
    expect(first).toContain("Page 1 sur 3");
    expect(first).toContain('<a href="/?q=OTAN&amp;page=2&amp;limit=2" rel="next">');
    expect(first).not.toContain('rel="prev"');
    const second = await page("/?q=OTAN&limit=2&page=2");
    expect(second).toContain("Page 2 sur 3");
    expect(second).toContain('<a href="/?q=OTAN&amp;limit=2" rel="prev">');
    expect(second).toContain('<a href="/?q=OTAN&amp;page=3&amp;limit=2" rel="next">');
    expect(second).toContain('<ol class="hits" start="3">');
    const third = await page("/?q=OTAN&limit=2&page=3");
    expect(third).not.toContain('rel="next"');
    const ids = [...hitIds(first), ...hitIds(second), ...hitIds(third)];
    expect(ids).toEqual(engine.search("OTAN", { limit: 5 }).hits.map((hit) => hit.id));
    expect(new Set(ids).size).toBe(5);
  });

  test("the default page size is 10: five hits fit on one page, no pager", async () => {
    const html = await page("/?q=OTAN");
    expect(hitIds(html)).toHaveLength(5);
    expect(html).not.toContain('class="pager"');
  });

  test("a page past the end says so and links back to the first", async () => {
    const html = await page("/?q=OTAN&limit=2&page=9");
    expect(html).toContain("Aucun résultat");
    expect(html).toContain('<a href="/?q=OTAN&amp;limit=2">Revenir à la première page</a>');
    // The pager points back to the last page (3), not to the empty page 8, and says where it is.
    expect(html).toContain("Au-delà de la dernière page (3)");
    expect(html).toContain('<a href="/?q=OTAN&amp;page=3&amp;limit=2" rel="prev">');
    expect(html).not.toContain("Page 9 sur 3");
  });

  test("French typography: a narrow no-break space before : and ; in the page's own words", async () => {
    const html = await page("/");
    for (const text of [
      "Ex.\u202f: un mot",
      "expression exacte\u202f;",
      "Quelques exemples\u202f:",
    ])
      expect(html).toContain(text);
    expect(html).not.toMatch(/[a-zé.] [:;]/);
  });

  test("junk page and limit numbers fall back to the defaults", async () => {
    for (const junk of ["page=abc", "page=-1", "page=1e3", "limit=0", "limit=1000"]) {
      expect(hitIds(await page(`/?q=OTAN&${junk}`))).toHaveLength(5);
    }
  });

  test("no result: 'Aucun résultat', with the query echoed as text", async () => {
    const html = await page("/?q=xyzzyx");
    expect(html).toContain("<h2>Aucun résultat</h2>");
    expect(html).toContain("Aucun document ne correspond à «\u00a0xyzzyx\u00a0»");
    expect(html).toContain('aria-live="polite">Aucun résultat</p>');
  });

  test("an address not encoded in UTF-8 gets the French page, in the page's layout", async () => {
    for (const path of ["/?q=%E9t%E9", "/documents/%E9"]) {
      const html = await page(path, 400);
      expect(html, path).toContain("<h1>Adresse invalide</h1>");
      // A bare page had no viewport (981 px wide on a phone), no style and no search box.
      expect(html, path).toContain('name="viewport"');
      expect(html, path).toMatch(/<link rel="stylesheet"/);
    }
  });

  test("no result with a month or a filter says so in French", async () => {
    // « pour de janvier 2020 à mars 2020 », « pour jusqu’à », « au-delà des 1 résultat ».
    const text = async (path: string) => (await page(path)).replace(/\u00a0/g, " ");
    expect(await text("/?q=xyzzyx&date=2020-01..2020-03")).toContain(
      "ne correspond à « xyzzyx » de janvier 2020 à mars 2020.",
    );
    expect(await text("/?q=xyzzyx&date=..2020-03")).toContain("« xyzzyx » jusqu’à mars 2020.");
    expect(await text("/?q=xyzzyx&date=2020-01")).toContain("« xyzzyx » en janvier 2020.");
    expect(await text("/?q=xyzzyx&filter=date%20%3D%202020-01")).toContain(
      "« xyzzyx » avec ce filtre.",
    );
    expect(await text("/?q=Parly&page=3")).toContain("au-delà de l’unique résultat.");
  });

  test("a misspelt query offers 'Vouliez-vous dire … ?' linking to the suggestion", async () => {
    expect(engine.search("Stoltenbreg").suggestion).toBe("Stoltenberg");
    const html = await page("/?q=Stoltenbreg");
    expect(html).toContain('Vouliez-vous dire <a href="/?q=Stoltenberg">Stoltenberg</a>\u202f?');
  });
});

describe("errors", () => {
  test("a 501-character query: a 400 page with the engine's message in French, never a stack", async () => {
    const res = await app.request(`/?q=${"a".repeat(501)}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<div class="error" role="alert">');
    // As a sentence on the page: a capital first, a full stop last (QA).
    expect(html).toContain("La requête fait 501 caractères, pour une limite de 500");
    expect(html).toContain(
      escapeHtml(
        asSentence(queryErrorOf(() => engine.search("a".repeat(501), { language: "fr" }))),
      ),
    );
    expect(html).not.toMatch(/\bat [\w.<>]+ \(|\.ts:\d+/);
  });

  test("a bad month filter is a 400 page too, in French", async () => {
    const html = await page("/?q=OTAN&date=2020-13", 400);
    expect(html).toContain('role="alert"');
    expect(html).toContain("La date «\u00a02020-13\u00a0» n’est ni un mois ni une période");
    expect(html).toContain(
      escapeHtml(
        asSentence(queryErrorOf(() => engine.search("OTAN", { date: "2020-13", language: "fr" }))),
      ),
    );
  });

  test("the engine's warnings are in French on the page", async () => {
    const html = await page("/?q=%22Alliance%20atlantique -le");
    expect(html).toContain('<ul class="warnings">');
    expect(html).toContain("Un guillemet ouvert n’a pas été fermé");
    expect(html).not.toContain("an opening quote");
  });

  test("an unknown document is a French 404 page", async () => {
    const res = await app.request("/documents/nope/nothing?q=OTAN");
    expect(res.status).toBe(404);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain("Document introuvable");
    expect(html).toContain("«\u00a0nope/nothing\u00a0»");
  });
});

describe("pages for app.ts's fallbacks", () => {
  test("notFoundPage and serverErrorPage: French, in the layout, no details", async () => {
    const fallback = new Hono();
    fallback.get("/missing", (c) => notFoundPage(c));
    fallback.get("/broken", (c) => serverErrorPage(c));
    const missing = await fallback.request("/missing");
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/<html lang="fr">[\s\S]*Page introuvable/);
    const broken = await fallback.request("/broken");
    expect(broken.status).toBe(500);
    expect(broken.headers.get("Cache-Control")).toBe("no-store");
    expect(await broken.text()).toMatch(/<html lang="fr">[\s\S]*Une erreur est survenue/);
  });
});

describe("the document view", () => {
  const id = "000_40aae3a910703884";

  test("marks every match of the query, anchors the first one, links back to the results", async () => {
    const html = await page(`/documents/${id}?q=OTAN`);
    const view = engine.getDocument(id, "OTAN");
    const body = html.slice(
      html.indexOf('<div class="document-body">'),
      html.indexOf("</article>"),
    );
    const marks = body.match(/<mark\b/g) ?? [];
    expect(marks.length).toBe(view?.highlights?.length);
    expect(marks.length).toBeGreaterThan(2);
    // Nothing that reads "OTAN" is left outside a <mark>.
    expect(unmarked(body)).not.toMatch(/otan/i);
    expect(html.match(/id="premier"/g)).toHaveLength(1);
    expect(body).toContain('<mark id="premier">');
    expect(html).toContain(
      '<a href="/?q=OTAN"><span aria-hidden="true">←</span> Retour aux résultats</a>',
    );
    expect(html).toContain("janvier 2020");
  });

  test("a hit opened from a filtered second page links back to that very page", async () => {
    const results = await page("/?q=OTAN&limit=2&page=2&date=2020-01..2020-02");
    const hits = results.slice(results.indexOf('class="hits"'));
    const link = /<a href="(\/documents\/[^"?]+)\?([^"#]+)#premier">/.exec(hits);
    expect(link?.[2]).toBe("q=OTAN&amp;date=2020-01..2020-02&amp;page=2&amp;limit=2");
    const html = await page(`${link![1]}?${link![2]!.replaceAll("&amp;", "&")}`);
    expect(html).toContain(
      '<a href="/?q=OTAN&amp;date=2020-01..2020-02&amp;page=2&amp;limit=2"><span aria-hidden="true">←</span> Retour aux résultats</a>',
    );
    // Its search form keeps the date and the page size for the next query.
    expect(html).toContain('<input type="hidden" name="date" value="2020-01..2020-02"/>');
  });

  test("without a query, the plain text", async () => {
    const html = await page(`/documents/${id}`);
    expect(html).not.toContain("<mark");
    expect(html).toContain("L’OTAN a suspendu ses opérations");
  });

  test("a result's link opens its document, ids with '/' and accents included", async () => {
    const html = await page(`/?q=${q(HOSTILE_WORD)}`, 200, hostileApp);
    const href = `/documents/dossier/pi%C3%A8ge?q=chausse-trappe#premier`;
    expect(html).toContain(`href="${href}"`);
    const doc = await page(href.replace("#premier", ""), 200, hostileApp);
    expect(doc).toContain('<mark id="premier">chausse</mark>');
    // An encoded slash reaches the same document.
    await page("/documents/dossier%2Fpi%C3%A8ge", 200, hostileApp);
  });
});

describe("hostile text stays text", () => {
  const escapedImg = "&lt;img src=x onerror=alert(1)&gt;";
  const escapedScript = "&lt;script&gt;alert(1)&lt;/script&gt;";

  function expectInert(html: string): void {
    expect(html).not.toContain(IMG_PAYLOAD);
    expect(html).not.toContain(SCRIPT_PAYLOAD);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toContain("<b>balises");
  }

  test("in results (title and snippet)", async () => {
    const html = await page(`/?q=${q(HOSTILE_WORD)}`, 200, hostileApp);
    expectInert(html);
    expect(resultsOf(html)).toContain(`Le piège ${escapedImg} du titre`);
    expect(html).toContain(escapedScript);
  });

  test("in the document view, with and without a query", async () => {
    const path = `/documents/${HOSTILE_ID.split("/").map(encodeURIComponent).join("/")}`;
    for (const suffix of ["", "?q=onerror", `?q=${q(HOSTILE_WORD)}`]) {
      const html = await page(path + suffix, 200, hostileApp);
      expectInert(html);
      expect(html).toContain(escapedScript);
      expect(unmarked(html).replace(/<\/?mark[^>]*>/g, "")).toContain("&lt;img src=x");
    }
    const marked = await page(`${path}?q=onerror`, 200, hostileApp);
    expect(marked).toContain("&lt;img src=x <mark");
  });

  test("in the query echoed back", async () => {
    const html = await page(`/?q=${q(IMG_PAYLOAD)}`, 200, hostileApp);
    expectInert(html);
    expect(html).toContain(`value="${escapedImg}"`);
  });
});

describe("static assets", () => {
  async function assetPaths(): Promise<{ css: string; js: string }> {
    const html = await page("/");
    const css = /<link rel="stylesheet" href="(\/assets\/[0-9a-f]+\/app\.css)"/.exec(html)?.[1];
    const js = /<script src="(\/assets\/[0-9a-f]+\/app\.js)" defer=""><\/script>/.exec(html)?.[1];
    expect(css).toBeDefined();
    expect(js).toBeDefined();
    return { css: css ?? "", js: js ?? "" };
  }

  test("served with an immutable cache, the right type and a hash of their content in the URL", async () => {
    const { css, js } = await assetPaths();
    for (const [path, type] of [
      [css, "text/css"],
      [js, "text/javascript"],
    ] as const) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toMatch(new RegExp(`^${type}; charset=utf-8$`, "i"));
      expect(res.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
      const body = await res.text();
      const hash = createHash("sha256").update(body).digest("hex");
      expect(hash.startsWith(path.split("/")[2] ?? "-")).toBe(true);
    }
  });

  test("nothing else under /assets: traversal and unknown names are 404", async () => {
    const { css } = await assetPaths();
    const hash = css.split("/")[2];
    const attempts = [
      "/assets/../../etc/passwd",
      "/assets/%2e%2e/%2e%2e/etc/passwd",
      "/assets/..%2f..%2fetc%2fpasswd",
      "/assets/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
      "/assets/%252e%252e/%252e%252e/etc/passwd",
      "/assets/..%5c..%5cetc%5cpasswd",
      `/assets/${hash}/..%2f..%2f..%2fpackage.json`,
      `/assets/${hash}/client.ts`,
      `/assets/${hash}/app.js`.replace(hash ?? "", "0000000000000000"),
      "/assets/app.css",
      "/assets/",
      "/assets",
    ];
    for (const path of attempts) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      const body = await res.text();
      expect(body).not.toContain("root:");
      expect(body).not.toContain('"name": "loupe"');
    }
  });
});

describe("no inline script or style, under a strict CSP", () => {
  const paths = [
    "/",
    `/?q=${q("hélicoptères")}`,
    "/?q=OTAN&limit=2&page=2",
    "/?q=xyzzyx",
    "/?q=Stoltenbreg",
    `/?q=${"a".repeat(501)}`,
    "/documents/000_40aae3a910703884?q=OTAN",
    "/documents/nope",
  ];

  test("every page carries the CSP header", async () => {
    for (const path of paths) {
      const csp = (await app.request(path)).headers.get("Content-Security-Policy") ?? "";
      expect(csp, path).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
    }
  });

  test("no <script> without src, no <style>, no style= or on…= attribute", async () => {
    for (const path of paths) {
      const html = await (await app.request(path)).text();
      const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
      expect(scripts.length, path).toBe(1);
      for (const tag of scripts) expect(tag).toMatch(/\ssrc="\/assets\//);
      expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/i);
      expect(html).not.toMatch(/<style\b/i);
      expect(html).not.toMatch(/<[^>]+\sstyle=/i);
      expect(html).not.toMatch(/<[^>]+\son[a-z]+=/i);
      expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    }
  });
});

describe("the source keeps its promises", () => {
  test("raw() is used only in trusted.ts, under the page's folder and the browser script's", () => {
    const files = readdirSync("src/server/page", { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
    expect(files).toContain(join("src/server/page/browser", "main.ts"));
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const raws = text.match(/\braw\(/g) ?? [];
      if (file.endsWith("trusted.ts")) expect(raws.length).toBeGreaterThan(0);
      else expect(raws, file).toEqual([]);
      expect(text, file).not.toMatch(/dangerouslySetInnerHTML|outerHTML|insertAdjacentHTML/);
    }
  });
});
