/**
 * What the analysis chain owes the search over the seed articles: stopword-only queries rank
 * by frequency, and a chain that stems words as written (a variant the benchmark composes)
 * still matches accent-insensitively, through the vocabulary's spellings.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type Analyzer,
  createAnalyzer,
  elisionStage,
  foldStage,
  normalizeStage,
  stemStage,
  stopwordStage,
  useAnalyzer,
} from "../../src/analysis/index.js";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import {
  holds,
  idsWhere,
  markedWords,
  SEED,
  type SeedsEngine,
  seedsEngine,
  sortedIds,
  textDocument,
} from "./helpers.js";

describe("a query made only of stopwords", () => {
  let seeds: SeedsEngine;
  beforeAll(async () => {
    seeds = await seedsEngine();
  });

  test("nous: the article with seven « nous » in 483 words first", () => {
    const result = seeds.engine.search("nous", { limit: 10 });
    expect(sortedIds(result.hits)).toEqual(idsWhere(seeds.documents, (doc) => holds(doc, "nous")));
    expect(result.hits.map((hit) => hit.id)).toEqual([SEED.bruxelles, SEED.canada, SEED.parly]);
    expect(result.hits[0]!.score).toBeGreaterThan(result.hits[1]!.score);
  });
});

describe("a chain that stems words as written", () => {
  let seeds: SeedsEngine;
  let previous: Analyzer;
  beforeAll(async () => {
    previous = useAnalyzer(
      createAnalyzer([normalizeStage, elisionStage(), stopwordStage(), stemStage, foldStage]),
    );
    seeds = await seedsEngine();
  });
  afterAll(() => {
    useAnalyzer(previous);
  });
  const ids = (query: string) =>
    seeds.engine.search(query, { limit: 100 }).hits.map((hit) => hit.id);

  test("securite finds what sécurité finds, and marks sécurité", () => {
    const expected = ids("sécurité");
    expect(expected.length).toBeGreaterThan(0);
    expect(ids("securite")).toEqual(expected);
    expect(ids('"securite"')).toEqual(expected);
    for (const hit of seeds.engine.search("securite").hits)
      expect(markedWords(hit.snippet).join(" ")).toMatch(/sécurité/i);
  });

  test("finds both spellings of a word where the collection writes both (they stem apart)", () => {
    expect(seeds.engine.index.analyzer.keyMakesTerm).toBe(false);
    // « sécurité » → sécur, « securite » → securit: one key, two terms, both the word's.
    const engine = new LoupeEngine(
      indexDocuments([
        textDocument("a", "Un", "La sécurité des lieux."),
        textDocument("b", "Deux", "La securite des lieux."),
        textDocument("c", "Trois", "Rien de tel."),
      ]),
    );
    for (const query of ["sécurité", "securite", "Sécurité"])
      expect(sortedIds(engine.search(query).hits), query).toEqual(["a", "b"]);
  });

  test("helicoptere and Etat islamique still find the accented spellings", () => {
    expect(sortedIds(seeds.engine.search("helicoptere").hits)).toEqual([SEED.canada, SEED.anadolu]);
    expect(ids("Etat islamique")).toEqual(ids("État islamique"));
  });
});
