/**
 * Hostile input against the library: the analysis chain, the query parser and the engine (over
 * the seeds, and over an index whose documents are themselves hostile text) never throw anything
 * but a QueryError, and everything they return that is HTML is escaped text with balanced
 * `<mark>` pairs. The number of inputs tried is printed (and added up in the last test).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { analyze, scan } from "../../src/analysis/index.js";
import { buildIndex, indexDocuments } from "../../src/index/index.js";
import { LoupeEngine, openEngine } from "../../src/search/engine.js";
import { describeNotice, LANGUAGES } from "../../src/search/notices.js";
import { MAX_QUERY_LENGTH, MAX_QUERY_WORDS, parseQuery } from "../../src/search/parse.js";
import { QueryError, type SearchOptions } from "../../src/search/types.js";
import { markHtml } from "../../src/server/marked-html.js";
import { FRENCH, hostileDocuments, hostileString, isWellFormed, markedText } from "./hostile.js";
import { filterLanguage } from "./requests.js";

/** `LOUPE_FUZZ_SCALE=20 npx vitest run test/reliability` for a deeper run than `npm test`'s. */
const SCALE = Math.max(1, Number(process.env.LOUPE_FUZZ_SCALE) || 1);
const runs = (n: number) => ({ numRuns: n * SCALE });

const tried: Record<string, number> = {};
function count(name: string): void {
  tried[name] = (tried[name] ?? 0) + 1;
}

let root: string;
let seeds: LoupeEngine;
let hostile: LoupeEngine;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "loupe-reliability-"));
  await buildIndex({ input: "seeds", out: join(root, "index") });
  seeds = await openEngine(join(root, "index"));
  hostile = new LoupeEngine(indexDocuments(hostileDocuments(60)));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  console.log(`reliability properties: inputs tried ${JSON.stringify(tried)}`);
});

/** Rethrows anything that is not a QueryError with a message. */
function onlyQueryErrors<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
    return undefined;
  }
}

describe("analyze", () => {
  test("never throws; every token is a non-empty, in-bounds, increasing slice of the text", () => {
    fc.assert(
      fc.property(hostileString, fc.boolean(), (text, keepStopwords) => {
        count("analyze");
        const tokens = analyze(text, { keepStopwords });
        let lastEnd = 0;
        let lastPosition = -1;
        for (const token of tokens) {
          // Plain checks in the loop: a 100 KB text has 15,000 tokens.
          const ok =
            token.start >= lastEnd &&
            token.end > token.start &&
            token.end <= text.length &&
            token.position > lastPosition &&
            token.term.length > 0;
          if (!ok)
            expect.fail(
              `bad token ${JSON.stringify(token)} after end ${lastEnd}, position ${lastPosition}`,
            );
          lastEnd = token.end;
          lastPosition = token.position;
        }
        // The allocation-free form sees the same tokens.
        const scanned: number[] = [];
        scan(text, (_term, start, _end, _position, stopword) => {
          if (keepStopwords || !stopword) scanned.push(start);
        });
        expect(scanned).toEqual(tokens.map((token) => token.start));
      }),
      runs(3000),
    );
  });
});

describe("parseQuery", () => {
  test("throws only QueryError, and up to 500 characters only for a date: filter it cannot read", () => {
    fc.assert(
      fc.property(hostileString, (input) => {
        count("parseQuery");
        let parsed: ReturnType<typeof parseQuery>;
        try {
          parsed = parseQuery(input);
        } catch (error) {
          expect(error).toBeInstanceOf(QueryError);
          const { message, parameter } = error as QueryError;
          expect(message.length).toBeGreaterThan(0);
          if (input.length <= MAX_QUERY_LENGTH) {
            // The one thing a short query can get wrong: a date filter that names no month,
            // the query's own (`q`, not the request's `date`).
            expect(parameter).toBe("q");
            expect(input).toMatch(/date:/i);
            expect(message).toMatch(/write 20\d\d-\d\d/);
          } else {
            expect(parameter).toBe("q");
          }
          return;
        }
        expect(input.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
        expect(parsed.words.length).toBeLessThanOrEqual(MAX_QUERY_WORDS);
        for (const word of [...parsed.words, ...parsed.excludedWords]) {
          expect(word.text.length).toBeGreaterThan(0);
          expect(word.term.length).toBeGreaterThan(0);
        }
        // Messages quote the query: never half an emoji.
        if (isWellFormed(input))
          for (const warning of parsed.warnings)
            for (const language of LANGUAGES)
              expect(isWellFormed(describeNotice(warning, language))).toBe(true);
      }),
      runs(3000),
    );
  });

  test("a query of 501 characters is a QueryError naming the limit", () => {
    expect(() => parseQuery("a".repeat(501))).toThrow(QueryError);
    expect(() => parseQuery("a".repeat(501))).toThrow(/the limit is 500/);
    expect(parseQuery("a ".repeat(250)).words.length).toBeLessThanOrEqual(MAX_QUERY_WORDS);
  });
});

/** A query cut from the engine's own documents, so hostile queries find hostile hits. */
function querySlices(engine: () => LoupeEngine): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.nat(),
      fc.nat(),
      fc.integer({ min: 1, max: 60 }),
      fc.constantFrom("", "*", " ", '"', "-"),
    )
    .map(([doc, start, length, decoration]) => {
      const bodies = [...engine().index.documents.values()].map((d) => d.body);
      const body = bodies[doc % bodies.length] ?? "";
      const from = body.length === 0 ? 0 : start % body.length;
      return decoration === "-" || decoration === '"'
        ? `${decoration}${body.slice(from, from + length)}`
        : `${body.slice(from, from + length)}${decoration}`;
    });
}

/** Checks one search; false when it was refused (a QueryError), so nothing could be checked. */
function checkSearch(engine: LoupeEngine, q: string, options: SearchOptions): boolean {
  const result = onlyQueryErrors(() => engine.search(q, options));
  if (result === undefined) return false;
  expect(result.hits.length).toBeLessThanOrEqual(result.limit);
  expect(result.total).toBeGreaterThanOrEqual(result.hits.length);
  for (const hit of result.hits) {
    const doc = engine.index.documents.get(hit.id);
    expect(doc, hit.id).toBeDefined();
    const body = doc?.body ?? "";
    // The snippet shows a passage of the body, `…` where it is cut; as HTML (the server's
    // rendering of the spans), escaped, its marks balanced.
    const shown = markedText(markHtml(hit.snippet.text, hit.snippet.marks));
    expect(shown).toBe(hit.snippet.text);
    expectSpans(hit.snippet.marks, hit.snippet.text.length, `snippet of ${hit.id}`);
    const passage = shown.replace(/^…/, "").replace(/…$/, "");
    expect(
      body.includes(passage) || body.includes(shown),
      `snippet of ${hit.id}: ${JSON.stringify(shown.slice(0, 80))}`,
    ).toBe(true);
    if (isWellFormed(body))
      expect(isWellFormed(hit.snippet.text), `snippet of ${hit.id} splits a character`).toBe(true);
    expect(markedText(markHtml(hit.title, hit.titleMarks))).toBe(doc?.title);
    expectSpans(hit.titleMarks, hit.title.length, `title of ${hit.id}`);
  }
  // With `highlights`, the whole body is read and marked: the same hits, every match listed.
  const whole = engine.search(q, { ...options, highlights: true });
  expect(whole.hits.map((hit) => hit.id)).toEqual(result.hits.map((hit) => hit.id));
  for (const hit of whole.hits) {
    const body = engine.index.documents.get(hit.id)?.body ?? "";
    expect(hit.highlights, hit.id).toBeDefined();
    expectSpans(hit.highlights ?? [], body.length, `body of ${hit.id}`);
  }
  return true;
}

/** Sorted, disjoint, non-empty spans inside a text of `length`. */
function expectSpans(spans: ReadonlyArray<[number, number]>, length: number, what: string): void {
  let last = 0;
  for (const [start, end] of spans) {
    if (!(start >= last && end > start && end <= length))
      expect.fail(`span [${start}, ${end}] of ${what} after ${last}, length ${length}`);
    last = end;
  }
}

function checkDocument(engine: LoupeEngine, id: string, q: string | undefined): void {
  const view = onlyQueryErrors(() => engine.getDocument(id, q));
  if (view === undefined) return;
  if (view.highlights !== undefined) {
    expect(markedText(markHtml(view.body, view.highlights))).toBe(view.body);
    expectSpans(view.highlights, view.body.length, `body of ${id}`);
  }
  if (view.titleMarks !== undefined) {
    expect(markedText(markHtml(view.title, view.titleMarks))).toBe(view.title);
    expectSpans(view.titleMarks, view.title.length, `title of ${id}`);
  }
}

const searchOptions = fc.record(
  {
    limit: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: -5, max: 200 })),
    offset: fc.oneof(
      fc.constant(0),
      fc.integer({ min: 0, max: 20 }),
      fc.integer({ min: -1, max: 20_000 }),
    ),
    date: fc.constantFrom("2020-01", "2020-01..2020-03", "..2020-02", "2020-13", "x", ""),
    filter: fc.oneof(filterLanguage, hostileString),
    facets: fc.array(fc.constantFrom("date", "", "x", "title"), { maxLength: 3 }),
    sort: fc.array(fc.constantFrom("date:asc", "date:desc", "date", "x:asc"), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

/**
 * Options the engine accepts (the indexes here have the default settings: `date` alone is
 * filterable, nothing sortable; sort-topk.test.ts pages through sorts): the options above are refused 97 % of the time, which leaves
 * snippets under a filter, facets or a sort nearly unchecked.
 */
const validOptions = fc.record(
  {
    limit: fc.integer({ min: 1, max: 100 }),
    offset: fc.integer({ min: 0, max: 30 }),
    date: fc.constantFrom("2020-01", "2020-01..2020-03", "..2020-02", "2019-12.."),
    filter: fc.constantFrom(
      "date = 2020-01",
      "date >= 2020-01 AND date < 2020-03",
      "date EXISTS",
      "NOT date IS NULL",
      "date 2019-12 TO 2020-02",
      "date IN [2020-01, 2020-02] OR date NOT EXISTS",
    ),
    facets: fc.constant<string[]>(["date"]),
  },
  { requiredKeys: [] },
);

describe.each([
  ["the seeds", () => seeds],
  ["documents of hostile text", () => hostile],
])("the engine over %s", (_name, engine) => {
  test("search throws only QueryError; snippets and titles are escaped text with balanced <mark>s", () => {
    fc.assert(
      fc.property(
        fc.oneof(hostileString, querySlices(engine), fc.constantFrom(...FRENCH)),
        searchOptions,
        (q, options) => {
          count("search");
          checkSearch(engine(), q, {});
          checkSearch(engine(), q, options);
        },
      ),
      runs(600),
    );
  });

  test("the same with options the engine accepts: dates, filters, facets, pages", () => {
    let checked = 0;
    let runsMade = 0;
    fc.assert(
      fc.property(
        fc.oneof(querySlices(engine), fc.constantFrom(...FRENCH)),
        validOptions,
        (q, options) => {
          count("search, valid options");
          runsMade++;
          if (checkSearch(engine(), q, options)) checked++;
        },
      ),
      runs(300),
    );
    // Only a query of its own can be refused now (a `date:` naming no month, or too long).
    expect(checked).toBeGreaterThan(runsMade * 0.9);
  });

  test("suggest and getDocument never throw (but QueryError for the query)", () => {
    const ids = [...engine().index.documents.keys()];
    fc.assert(
      fc.property(
        fc.oneof(hostileString, querySlices(engine)),
        fc.oneof(fc.constantFrom(...ids), hostileString),
        fc.integer({ min: -3, max: 50 }),
        (q, id, limit) => {
          count("suggest+getDocument");
          const suggestions = engine().suggest(q, limit);
          expect(suggestions.length).toBeLessThanOrEqual(20);
          for (const s of suggestions) expect(typeof s).toBe("string");
          checkDocument(engine(), id, q);
          checkDocument(engine(), id, undefined);
        },
      ),
      runs(400),
    );
  });
});

describe("the HTML checker itself", () => {
  test.each([
    ["<b>", /unescaped '<'/],
    ["a > b", /unescaped '>'/],
    ["AT&T", /unescaped '&'/],
    ["<mark><mark>x</mark></mark>", /nested/],
    ["x</mark>", /without <mark>/],
    ["<mark>x", /never closed/],
    ["<mark></mark>", /empty/],
    ['<mark class="x">a</mark>', /unescaped '<'/],
  ])("refuses %s", (html, why) => {
    expect(() => markedText(html)).toThrow(why);
  });

  test("reads escaped text and marks", () => {
    expect(markedText("&lt;script&gt; &amp;amp; <mark>l&#39;OTAN</mark> &quot;")).toBe(
      `<script> &amp; l'OTAN "`,
    );
  });
});

describe("found while testing", () => {
  test("a snippet cut where there is no space never splits an emoji in two", () => {
    const result = hostile.search("OTAN", { limit: 100 });
    const hit = result.hits.find((h) => h.id === "emoji");
    expect(hit).toBeDefined();
    const snippet = hit?.snippet ?? { text: "", marks: [] };
    expect(snippet.marks.map(([start, end]) => snippet.text.slice(start, end))).toContain("OTAN");
    expect(isWellFormed(snippet.text)).toBe(true);
  });

  test("a warning quoting 40 characters of the query never ends in half an emoji", () => {
    const { warnings } = parseQuery(`-${"😀".repeat(30)} OTAN`);
    expect(warnings).toHaveLength(1);
    for (const language of LANGUAGES)
      expect(isWellFormed(warnings[0] ? describeNotice(warnings[0], language) : "")).toBe(true);
  });
});
