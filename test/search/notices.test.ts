/**
 * Warnings and refusals are data until the answer is made, then worded in English (default)
 * or French: the search page is in French, the API and the CLI in English unless asked.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { DEFAULT_RANKING } from "../../src/search/execute.js";
import { describeNotice, LANGUAGES, type Notice } from "../../src/search/notices.js";
import { refusal, type SeedsEngine, seedsEngine } from "./helpers.js";

const EVERY_NOTICE: Notice[] = [
  { code: "query_too_long", length: 501, max: 500 },
  { code: "bad_date", parameter: "date", value: "2020-13" },
  {
    code: "date_reversed",
    parameter: "date",
    value: "2020-03..2020-01",
    from: "2020-03",
    to: "2020-01",
  },
  { code: "bad_integer", parameter: "limit", min: 1, max: 100 },
  { code: "unclosed_quote" },
  { code: "negated_date", clause: "-date:2020-01" },
  { code: "no_word", clause: "***" },
  { code: "only_stopwords_excluded", clause: "-le" },
  { code: "phrase_no_word", phrase: "!!" },
  { code: "query_cut", max: 32 },
  { code: "operator_ignored", operator: "AND" },
  { code: "timed_out", budgetMs: 50 },
];

describe("wording", () => {
  test("every notice has its own wording in each language, quoting what it names", () => {
    for (const notice of EVERY_NOTICE) {
      const english = describeNotice(notice, "en");
      const french = describeNotice(notice, "fr");
      expect(english).toBe(describeNotice(notice));
      expect(french).not.toBe(english);
      for (const value of Object.values(notice).filter((v) => v !== notice.code))
        if (typeof value === "string" && value !== "date" && value !== "limit")
          for (const language of LANGUAGES)
            expect(describeNotice(notice, language), `${notice.code} ${language}`).toContain(value);
    }
  });

  test("French follows French typography: no-break spaces inside « » and before : ;", () => {
    for (const notice of EVERY_NOTICE) {
      const french = describeNotice(notice, "fr");
      expect(french, notice.code).not.toMatch(/« | »| [:;]/);
      expect(french, notice.code).not.toMatch(/'/);
    }
  });
});

describe("the engine in each language", () => {
  let seeds: SeedsEngine;
  beforeAll(async () => {
    seeds = await seedsEngine();
  });

  test("warnings: English by default, French when asked", () => {
    const { engine } = seeds;
    const query = '"Alliance atlantique -le';
    expect(engine.search(query).warnings).toEqual([
      "an opening quote had no closing quote: the phrase runs to the end",
    ]);
    expect(engine.search(query, { language: "en" }).warnings).toEqual(
      engine.search(query).warnings,
    );
    expect(engine.search(query, { language: "fr" }).warnings).toEqual([
      "un guillemet ouvert n’a pas été fermé\u202f: l’expression va jusqu’à la fin de la requête",
    ]);
    expect(engine.search("OTAN -le -date:2020-01", { language: "fr" }).warnings).toEqual([
      "«\u00a0-le\u00a0» n’exclut que des mots vides, présents dans tous les documents\u202f: il a été ignoré",
      "«\u00a0-date:2020-01\u00a0» a été ignoré\u202f: un filtre de date ne peut pas être exclu\u202f; écrivez date:2020-02.. ou date:..2019-12",
    ]);
  });

  test("refusals keep their parameter and say the same thing in French", () => {
    const { engine } = seeds;
    const cases: Array<[() => unknown, () => unknown, string, RegExp]> = [
      [
        () => engine.search("OTAN date:2020-13"),
        () => engine.search("OTAN date:2020-13", { language: "fr" }),
        // Typed in the query: the query's parameter.
        "q",
        /^la date «\u00a02020-13\u00a0» n’est ni un mois ni une période/,
      ],
      [
        () => engine.search("OTAN", { date: "2020-03..2020-01" }),
        () => engine.search("OTAN", { date: "2020-03..2020-01", language: "fr" }),
        "date",
        /^la période «\u00a02020-03..2020-01\u00a0» finit avant de commencer\u202f: écrivez 2020-01..2020-03$/,
      ],
      [
        () => engine.search("x".repeat(501)),
        () => engine.search("x".repeat(501), { language: "fr" }),
        "q",
        /^la requête fait 501 caractères, pour une limite de 500/,
      ],
      [
        () => engine.search("OTAN", { limit: 101 }),
        () => engine.search("OTAN", { limit: 101, language: "fr" }),
        "limit",
        /^limit doit être un nombre entier de 0 à 100$/,
      ],
      [
        () => engine.getDocument(seeds.documents[0]!.id, "x".repeat(501)),
        () => engine.getDocument(seeds.documents[0]!.id, "x".repeat(501), { language: "fr" }),
        "q",
        /^la requête fait 501 caractères/,
      ],
    ];
    for (const [english, french, parameter, wording] of cases) {
      const en = refusal(english);
      const fr = refusal(french);
      expect(en.parameter).toBe(parameter);
      expect(fr.parameter).toBe(parameter);
      expect(en.notice).toEqual(fr.notice);
      expect(en.message).toBe(describeNotice(en.notice!, "en"));
      expect(fr.message).toMatch(wording);
    }
  });

  test("the same query asked in two languages is worded in each, in turn", () => {
    const engine = new LoupeEngine(seeds.engine.index, DEFAULT_RANKING);
    const query = '"Alliance atlantique';
    const fr = engine.search(query, { language: "fr" }).warnings;
    const en = engine.search(query).warnings;
    expect(fr?.[0]).toMatch(/^un guillemet/);
    expect(en?.[0]).toMatch(/^an opening quote/);
    expect(engine.search(query, { language: "fr" }).warnings).toEqual(fr);
  });

  test("a search cut by its time budget is said in French too", () => {
    const docs = Array.from({ length: 320 }, (_, i) => ({
      id: `d${i}`,
      title: `Note ${i}`,
      body: `le dossier de la procédure numéro ${i}`,
      source: `d${i}.txt`,
      bytes: 40,
      readingMinutes: 1,
      hash: "",
    }));
    const engine = new LoupeEngine(indexDocuments(docs));
    // A budget spent before the search starts: cut at its first check, whatever the machine.
    const result = engine.search('"de la procédure" dossier', {
      language: "fr",
      budgetMs: Number.MIN_VALUE,
    });
    expect(result.timedOut).toBe(true);
    expect(result.warnings?.at(-1)).toMatch(
      /^la recherche a dépassé son budget de .*\u00a0ms\u202f: voici les meilleurs résultats/,
    );
    const full = engine.search('"de la procédure" dossier', { language: "fr", budgetMs: 0 });
    expect(full.timedOut).toBeUndefined();
    expect(full.total).toBe(320);
  });
});
