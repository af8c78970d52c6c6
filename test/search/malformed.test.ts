/**
 * Whatever a person types, the search answers: malformed queries are repaired (with a warning)
 * or refused with a QueryError saying what to fix; nothing else is ever thrown.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { describeNotice } from "../../src/search/notices.js";
import { MAX_QUERY_LENGTH, MAX_QUERY_WORDS, parseQuery } from "../../src/search/parse.js";
import { QueryError, type SearchResult } from "../../src/search/types.js";
import { asHtml, SEED, type SeedsEngine, seedsEngine } from "./helpers.js";

let seeds: SeedsEngine;
beforeAll(async () => {
  seeds = await seedsEngine();
});

/** The result, or the QueryError; anything else thrown fails the test. */
function attempt(query: string): SearchResult | QueryError {
  try {
    return seeds.engine.search(query);
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
}

function expectResult(query: string): SearchResult {
  const outcome = attempt(query);
  if (outcome instanceof QueryError)
    throw new Error(`${JSON.stringify(query)} was refused: ${outcome.message}`);
  expect(Number.isInteger(outcome.total)).toBe(true);
  expect(Array.isArray(outcome.hits)).toBe(true);
  return outcome;
}

function expectQueryError(query: string, message: RegExp): QueryError {
  const outcome = attempt(query);
  expect(outcome, JSON.stringify(query)).toBeInstanceOf(QueryError);
  expect((outcome as QueryError).message).toMatch(message);
  return outcome as QueryError;
}

describe("repaired, with a warning", () => {
  test("an unbalanced quote: the phrase runs to the end", () => {
    const result = expectResult('OTAN "formation des formateurs');
    expect(result.warnings?.join(" ")).toMatch(/quote/);
    expect(result.hits.map((hit) => hit.id)).toEqual([SEED.suspension]);
  });

  test.each(["-", "--", "***", "*", "- - -", "-*", "\\", "« »", "' ’"])(
    // Nothing to search matches nothing, as Elasticsearch's zero_terms_query: every document
    // was listed, as if they matched.
    "%j: no word, ignored, nothing listed",
    (query) => {
      const result = expectResult(query);
      expect(result.warnings?.length).toBeGreaterThan(0);
      expect(result.warnings?.join(" ")).toMatch(/ignored/);
      expect(result.hits).toEqual([]);
      expect(result.total).toBe(0);
    },
  );

  test('a lone " is an empty phrase: ignored, nothing listed', () => {
    const result = expectResult('"');
    expect(result.warnings?.length).toBeGreaterThan(0);
    expect(result.total).toBe(0);
  });

  test("a lone - after a word is dropped, the word still searched", () => {
    const result = expectResult("Parly -");
    expect(result.hits.map((hit) => hit.id)).toEqual([SEED.parly]);
    expect(result.warnings?.length).toBe(1);
  });

  test("French punctuation set apart by a space beside words is no clause to warn about", () => {
    // « comment se pacser ? »: the page said the « ? » held no word, under every question.
    for (const query of [
      "Parly ?",
      "Parly !",
      "Parly : OTAN",
      "« Parly »",
      "Parly …",
      "Parly ?!",
    ]) {
      const result = expectResult(query);
      expect(result.warnings, query).toBeUndefined();
      expect(result.hits.map((hit) => hit.id)[0], query).toBe(SEED.parly);
    }
    // Alone, it is all the query holds: still said.
    expect(expectResult("?").warnings?.join(" ")).toMatch(/ignored/);
  });

  test("40 words are cut to the first 32, with a warning", () => {
    const words = Array.from({ length: 40 }, (_, i) => `mot${i}`);
    const query = words.join(" ");
    const parsed = parseQuery(query);
    expect(parsed.words.length).toBe(MAX_QUERY_WORDS);
    expect(parsed.words.map((word) => word.text)).toEqual(words.slice(0, 32));
    const result = expectResult(query);
    expect(result.warnings?.join(" ")).toMatch(/32/);
  });

  test("a quoted phrase of 40 words counts against the 32 too", () => {
    const words = Array.from({ length: 40 }, (_, i) => `mot${i}`);
    const parsed = parseQuery(`"${words.join(" ")}" Parly`);
    const count =
      parsed.words.length + parsed.phrases.reduce((n, phrase) => n + phrase.tokens.length, 0);
    expect(count).toBeLessThanOrEqual(MAX_QUERY_WORDS);
    expect(parsed.warnings.map((w) => describeNotice(w)).join(" ")).toMatch(/32/);
  });

  test("-date:… is not a way to exclude a month: ignored with a warning, no word excluded", () => {
    const parsed = parseQuery("OTAN -date:2020-01");
    expect(parsed.excludedWords).toEqual([]);
    expect(parsed.date).toBeUndefined();
    expect(parsed.warnings.map((w) => describeNotice(w)).join(" ")).toMatch(/date/);
    expect(expectResult("OTAN -date:2020-01").total).toBe(5);
  });
});

describe("refused with a QueryError that says what to fix", () => {
  test("date: with no month", () => {
    expectQueryError("date:", /not a month.*2020-01/);
    expectQueryError("OTAN date:", /not a month/);
  });

  test("date:2020-13, a month that does not exist", () => {
    expectQueryError("date:2020-13", /'2020-13' is not a month/);
    expectQueryError("date:2020-00", /2020-00/);
    expectQueryError("date:janvier", /janvier/);
  });

  test("a range that ends before it starts", () => {
    expectQueryError("date:2020-02..2020-01", /ends before it starts.*2020-01\.\.2020-02/);
  });

  test("10,000 characters: the message names the 500 limit", () => {
    const error = expectQueryError("x".repeat(10_000), /500/);
    expect(error.message).toMatch(/10000/);
    expect(error.parameter).toBe("q");
    expect(MAX_QUERY_LENGTH).toBe(500);
  });

  test("500 characters are still a query", () => {
    expectResult(`${"Bagdad ".repeat(71)}Bag`.slice(0, 500));
  });
});

describe("never anything but a result or a QueryError", () => {
  test("a catalogue of odd queries", () => {
    const odd = [
      "",
      " ",
      "\t\n",
      '""',
      '"" OTAN',
      '-""',
      '-"',
      'OTAN "',
      '"OTAN" "Irak',
      "date:..",
      "date:2020-01..",
      "date:..2020-01",
      "date:2020-01..2020-02..2020-03",
      "DATE:2020-01",
      "date:2020-01 date:2020-02",
      "OTAN*",
      "a*",
      "l'",
      "l’*",
      "-l'",
      "***OTAN***",
      "(OTAN) AND [Irak] OR {Bagdad}",
      "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 emoji",
      "\u0000\u0001\u200b\ufeff",
      "e\u0301te\u0301",
      "a".repeat(500),
      "-".repeat(500),
      '"'.repeat(499),
    ];
    for (const query of odd) expect(attempt(query), JSON.stringify(query)).toBeDefined();
  });

  test("random queries made of words, operators, quotes and filters", () => {
    const piece = fc.oneof(
      fc.constantFrom(
        "OTAN",
        "Irak",
        "hélicoptères",
        "l’OTAN",
        "être",
        "gouverneme",
        "Stoltemberg",
        "x",
      ),
      fc.constantFrom(
        '"',
        "-",
        "*",
        "date:",
        "date:2020-01",
        "date:2020-01..2020-02",
        "..",
        ":",
        "’",
        "'",
        " ",
        "  ",
      ),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.boolean(), (pieces, spaced) => {
        const query = pieces.join(spaced ? " " : "");
        const outcome = attempt(query);
        if (!(outcome instanceof QueryError)) {
          expect(outcome.total).toBeGreaterThanOrEqual(outcome.hits.length);
          for (const hit of outcome.hits)
            expect(asHtml(hit.snippet).replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
        }
      }),
      { numRuns: 300 },
    );
  });

  test("getDocument with an odd query never throws anything but a QueryError", () => {
    for (const query of ['"', "-", "***", "date:2020-01", '-"État islamique"', "𝔘😀"]) {
      const view = seeds.engine.getDocument(SEED.parly, query);
      expect(view?.id).toBe(SEED.parly);
    }
    expect(() => seeds.engine.getDocument(SEED.parly, "date:2020-13")).toThrow(QueryError);
  });
});

describe("excluding stopwords", () => {
  test("is ignored with a warning instead of silently doing nothing", async () => {
    const { seedsEngine } = await import("./helpers.js");
    const { engine } = await seedsEngine();
    const result = engine.search("OTAN -le");
    expect(result.total).toBe(engine.search("OTAN").total);
    expect(result.warnings?.join(" ")).toMatch(/excludes only stopwords/);
  });
});
