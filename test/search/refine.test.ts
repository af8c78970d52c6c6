/**
 * Filters, facets, sort, displayed attributes and synonyms through the engine, over the JSON
 * records of test/fixtures/records-fr (its loupe.json declares them). In it, `a2` says NATO and
 * never OTAN; `a4` has a null author; `a3` has no tags; `a5` no price; `a6` no section and no
 * author; sections are spelled "Défense" and "défense".
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { loadSettings, readCorpus } from "../../src/corpus/index.js";
import type { LoupeDocument } from "../../src/corpus/types.js";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { ROOT, refusal } from "./helpers.js";

const RECORDS = path.join(ROOT, "test/fixtures/records-fr");
let engine: LoupeEngine;
let documents: LoupeDocument[];

beforeAll(async () => {
  const { settings } = await loadSettings(RECORDS);
  ({ documents } = await readCorpus(RECORDS, { settings }));
  engine = new LoupeEngine(indexDocuments(documents, settings));
});

const ids = (q: string, options: Parameters<LoupeEngine["search"]>[1] = {}) =>
  engine.search(q, options).hits.map((hit) => hit.id);

describe("filter", () => {
  test("with an empty query, the filter alone lists documents, newest first", () => {
    expect(ids("", { filter: "section = défense" })).toEqual(["a5", "a1", "a3"]);
    expect(engine.search("", { filter: "section = défense" }).total).toBe(3);
  });

  test("with words, only matching documents that pass", () => {
    expect(ids("mission").sort()).toEqual(["a1", "a2", "a5", "a6"]);
    expect(ids("mission", { filter: "year < 2021 AND section EXISTS" }).sort()).toEqual([
      "a1",
      "a2",
    ]);
  });

  test("combined with the date filter and date: in the query", () => {
    expect(ids("", { filter: "year = 2020", date: "2020-02" }).sort()).toEqual(["a1", "a6"]);
    expect(ids("date:2020-01", { filter: "year = 2020" })).toEqual(["a2"]);
  });

  test("the month facet counts what the filter lets through, before the date filter", () => {
    const result = engine.search("", { filter: "year = 2020", date: "2020-02" });
    expect(result.facets.date).toEqual({ "2020-01": 1, "2020-02": 2 });
  });

  test("a bad filter is refused with the parameter named", () => {
    const error = refusal(() => engine.search("", { filter: "body = x" }));
    expect(error.parameter).toBe("filter");
    expect(error.message).toContain("'body' (character 1) is not a filterable attribute");
    const french = refusal(() => engine.search("", { filter: "year = ", language: "fr" }));
    expect(french.message).toMatch(/^filtre\u202f: au caractère 8/);
  });
});

describe("facets", () => {
  test("counts equal a brute-force count over the matching documents", () => {
    for (const [q, filter] of [
      ["", "year >= 2019"],
      ["mission", ""],
      ["défense", "tags EXISTS"],
    ] as const) {
      const result = engine.search(q, { filter, facets: ["section", "tags", "year"], limit: 1 });
      const all = engine.search(q, { filter, limit: 100 }).hits.map((hit) => hit.id);
      expect(all.length).toBe(result.total);
      const expected: Record<string, Record<string, number>> = { section: {}, tags: {}, year: {} };
      // In ordinal (id) order: the first document to spell a value names it.
      for (const id of [...all].sort()) {
        const attributes = documents.find((doc) => doc.id === id)!.attributes!;
        for (const name of ["section", "tags", "year"]) {
          const value = attributes[name];
          const values = Array.isArray(value)
            ? value
            : value === undefined || value === null
              ? []
              : [value];
          // Values that differ in case are one value, shown as the first document spells it.
          const seen = new Set<string>();
          for (const item of values) {
            const shown =
              Object.keys(expected[name]!).find(
                (key) => key.toLowerCase() === String(item).toLowerCase(),
              ) ?? String(item);
            if (seen.has(shown)) continue;
            seen.add(shown);
            expected[name]![shown] = (expected[name]![shown] ?? 0) + 1;
          }
        }
      }
      expect(result.facetDistribution, `${q} / ${filter}`).toEqual(expected);
    }
  });

  test("Défense and défense are one value", () => {
    expect(
      engine.search("", { filter: "year EXISTS", facets: ["section"] }).facetDistribution,
    ).toEqual({
      section: { Défense: 3, International: 2 },
    });
  });

  test("no facets asked, no facetDistribution; an attribute not filterable is refused", () => {
    expect(engine.search("mission").facetDistribution).toBeUndefined();
    const error = refusal(() => engine.search("mission", { facets: ["year", "body"] }));
    expect(error.parameter).toBe("facets");
    expect(error.message).toContain("'body' is not a filterable attribute");
  });

  test("with no attribute declared, the refusal says so plainly", () => {
    const bare = new LoupeEngine(indexDocuments(documents));
    expect(refusal(() => bare.search("mission", { sort: ["year:desc"] })).message).toBe(
      "'year' is not a sortable attribute: none is declared; add it to sortableAttributes in loupe.json and index again",
    );
    expect(refusal(() => bare.search("mission", { facets: ["year"] })).message).toBe(
      "'year' is not a filterable attribute, so it has no facet: use 'date', or add it to filterableAttributes in loupe.json and index again",
    );
  });
});

describe("values written with spaces around them, and many values", () => {
  let spaced: LoupeEngine;
  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "loupe-facets-"));
    await writeFile(
      path.join(dir, "loupe.json"),
      JSON.stringify({ primaryKey: "id", filterableAttributes: ["auteur", "prix"] }),
    );
    const records = Array.from({ length: 300 }, (_, i) => ({
      id: `r${i}`,
      title: `Article ${i}`,
      body: "Un texte sur la mission.",
      // Exports leave spaces around values: "Alice " is Alice.
      auteur: ["Alice", "Alice ", "  alice", "Bob", "Bob "][i % 5],
      prix: i,
    }));
    await writeFile(path.join(dir, "r.json"), JSON.stringify(records));
    const { settings } = await loadSettings(dir);
    spaced = new LoupeEngine(
      indexDocuments((await readCorpus(dir, { settings })).documents, settings),
    );
    await rm(dir, { recursive: true, force: true });
  });

  test("are one value for filters and facets, shown without the spaces", () => {
    // Two facet chips each, and filters that missed a third of them.
    const result = spaced.search("", { facets: ["auteur"], filter: "auteur = alice" });
    expect(result.total).toBe(180);
    expect(result.facetDistribution).toEqual({ auteur: { Alice: 180 } });
    expect(spaced.search("", { facets: ["auteur"] }).facetDistribution).toEqual({
      auteur: { Alice: 180, Bob: 120 },
    });
  });

  test("of 300 values counted once each, the 100 kept are the same whatever the filter's order", () => {
    const all = spaced.search("", { facets: ["prix"] }).facetDistribution!.prix!;
    expect(Object.keys(all)).toHaveLength(100);
    // Ties broken by their text ("0", "1", "10", "100"…), not by which documents came first.
    const first = Array.from({ length: 300 }, (_, i) => String(i))
      .sort()
      .slice(0, 100);
    expect(Object.keys(all).sort()).toEqual(first);
    const filtered = spaced.search("", { facets: ["prix"], filter: "prix >= 0" });
    expect(filtered.facetDistribution!.prix).toEqual(all);
  });
});

describe("values written as numbers in strings", () => {
  let texts: LoupeEngine;
  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "loupe-numbers-"));
    await writeFile(
      path.join(dir, "loupe.json"),
      JSON.stringify({
        primaryKey: "id",
        filterableAttributes: ["prix"],
        sortableAttributes: ["prix"],
      }),
    );
    // As a spreadsheet's export writes them: every value a string.
    const prices = ["54", "100", "9", " 7.5", "-3", "sur devis", "1e3"];
    const records = prices.map((prix, i) => ({
      id: `p${i}`,
      title: `Produit ${i}`,
      body: "Un produit.",
      prix,
    }));
    await writeFile(path.join(dir, "p.json"), JSON.stringify(records));
    const { settings } = await loadSettings(dir);
    texts = new LoupeEngine(
      indexDocuments((await readCorpus(dir, { settings })).documents, settings),
    );
    await rm(dir, { recursive: true, force: true });
  });

  test("sort as the numbers they are, as filters compare them; other text after", () => {
    const sorted = (spec: string) =>
      texts.search("", { sort: [spec], limit: 10 }).hits.map((hit) => hit.attributes?.prix);
    expect(sorted("prix:asc")).toEqual(["-3", " 7.5", "9", "54", "100", "1e3", "sur devis"]);
    expect(sorted("prix:desc")).toEqual(["1e3", "100", "54", "9", " 7.5", "-3", "sur devis"]);
    // The filter's order is the sort's.
    expect(
      texts.search("", { filter: "prix > 60", sort: ["prix:asc"] }).hits.map((hit) => hit.id),
    ).toEqual(["p1", "p6"]);
  });
});

describe("sort", () => {
  test("by one attribute, both ways; documents without it last either way", () => {
    expect(ids("", { filter: "year EXISTS", sort: ["price:asc"] })).toEqual([
      "a1",
      "a3",
      "a2",
      "a4",
      // No price: last, in browsing's order (newest first).
      "a5",
      "a6",
    ]);
    expect(ids("", { filter: "year EXISTS", sort: ["price:desc"] }).slice(0, 4)).toEqual([
      "a4",
      "a2",
      "a3",
      "a1",
    ]);
    expect(
      ids("", { filter: "year EXISTS", sort: ["price:desc"] })
        .slice(4)
        .sort(),
    ).toEqual(["a5", "a6"]);
  });

  test("ties broken by the next attribute, then by relevance", () => {
    expect(ids("", { filter: "year EXISTS", sort: ["year:desc", "title:asc"] })).toEqual([
      "a5",
      "a1",
      "a2",
      "a6",
      "a3",
      "a4",
    ]);
    const byYear = engine.search("mission", { sort: ["year:asc"] }).hits;
    expect(byYear.map((hit) => hit.id).at(-1)).toBe("a5");
    const ties = byYear.filter((hit) => hit.id !== "a5");
    expect(ties.map((hit) => hit.score)).toEqual(
      [...ties.map((hit) => hit.score)].sort((a, b) => b - a),
    );
  });

  test("the page after sorting is the same slice of the same order", () => {
    const all = ids("", { filter: "year EXISTS", sort: ["price:asc"], limit: 6 });
    expect(ids("", { filter: "year EXISTS", sort: ["price:asc"], limit: 2, offset: 2 })).toEqual(
      all.slice(2, 4),
    );
  });

  test("a bad sort is refused, naming it and the fix", () => {
    expect(
      refusal(() => engine.search("", { filter: "year EXISTS", sort: ["year"] })).message,
    ).toBe(
      "'year' is not a sort: write attribute:asc or attribute:desc, several separated by commas",
    );
    const error = refusal(() => engine.search("x", { sort: ["section:asc"], language: "fr" }));
    expect(error.parameter).toBe("sort");
    expect(error.message).toContain("«\u00a0section\u00a0» n’est pas un attribut triable");
  });
});

describe("displayed attributes", () => {
  test("hits carry the record's displayed attributes only", () => {
    const hit = engine.search("", { filter: "meta.author = 'claire martin'", sort: ["year:asc"] })
      .hits[0]!;
    expect(hit.id).toBe("a3");
    expect(hit.attributes).toEqual({
      title: "Le budget des armées",
      section: "défense",
      year: 2019,
      tags: [],
      // As the record holds it, as Meilisearch shows a dot path it displays.
      meta: { author: "Claire Martin" },
    });
  });
});

describe("synonyms", () => {
  test("OTAN finds the record that says NATO, highlights it, and explain says so", () => {
    const result = engine.search("OTAN", { explain: true });
    const hit = result.hits.find((h) => h.id === "a2")!;
    expect(hit).toBeDefined();
    expect(hit.title.slice(hit.titleMarks[0]![0], hit.titleMarks[0]![1])).toBe("NATO");
    expect(hit.explain!.words[0]).toMatchObject({ word: "OTAN", match: "NATO", kind: "synonym" });
    const own = result.hits.find((h) => h.id === "a1")!;
    expect(own.explain!.words[0]!.kind).toBeUndefined();
  });

  test("one-way: NATO does not find OTAN", () => {
    expect(ids("NATO")).toEqual(["a2"]);
  });

  test("a synonym of several words matches through its words", () => {
    // Daech → "État islamique": no record says it, "EI" neither; Daech itself still matches.
    expect(ids("Daech")).toEqual(["a4"]);
  });

  test("a document view marks the synonym too", () => {
    const view = engine.getDocument("a2", "otan")!;
    expect(view.titleMarks).toEqual([[0, 4]]);
  });
});
