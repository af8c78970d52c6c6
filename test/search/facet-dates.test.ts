/**
 * A facet's count is what its link finds: the page's facet links filter `attribute = value`,
 * and dates of mixed precision (a month, a day, a date-time) must agree with that filter.
 */
import { describe, expect, test } from "vitest";
import { defaultSettings } from "../../src/corpus/index.js";
import type { LoupeDocument } from "../../src/corpus/types.js";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { textDocument } from "./helpers.js";

const PUBLISHED = [
  "2020-03",
  "2020-03-15",
  "2020-03-15T10:00:00Z",
  "2020-04-01",
  // April 1st in UTC, though written on March 31st: filters read date-times in UTC.
  "2020-03-31T23:30:00-02:00",
  "2020-03-15",
  "pas une date",
];

const docs = PUBLISHED.map(
  (published, i): LoupeDocument => ({
    ...textDocument(`d${i}`, "note", "une note"),
    attributes: { published },
  }),
);
const engine = new LoupeEngine(
  indexDocuments(docs, { ...defaultSettings(), filterableAttributes: ["published"] }),
);

describe("facets over dates of mixed precision", () => {
  test("each value's count is the total of the filter its link applies", () => {
    const facets = engine.search("note", { facets: ["published"] }).facetDistribution?.published;
    expect(facets).toEqual({
      "2020-03": 4,
      "2020-03-15": 3,
      "2020-03-15T10:00:00Z": 1,
      "2020-03-31T23:30:00-02:00": 1,
      "2020-04-01": 2,
      "pas une date": 1,
    });
    for (const [value, count] of Object.entries(facets ?? {})) {
      const total = engine.search("note", { filter: `published = "${value}"` }).total;
      expect(total, value).toBe(count);
    }
  });

  test("= a day does not hold a value known only as its month", () => {
    const ids = engine
      .search("note", { filter: 'published = "2020-03-15"', limit: 10 })
      .hits.map((hit) => hit.id)
      .sort();
    expect(ids).toEqual(["d1", "d2", "d5"]);
  });
});
