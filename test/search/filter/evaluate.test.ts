import { describe, expect, test } from "vitest";
import { flattenRecord } from "../../../src/corpus/attributes.js";
import type { AttributeValue, LoupeDocument } from "../../../src/corpus/types.js";
import type { DocumentStore } from "../../../src/index/document-store.js";
import { catalogOf } from "../../../src/index/documents.js";
import { DocumentTable } from "../../../src/index/index.js";
import { compileFilter } from "../../../src/search/filter/evaluate.js";
import { parseFilter } from "../../../src/search/filter/parse.js";
import { dateSpan } from "../../../src/search/filter/values.js";

function doc(id: string, attributes: Record<string, AttributeValue>, date?: string): LoupeDocument {
  return {
    id,
    title: id,
    body: "",
    source: `${id}.json`,
    bytes: 1,
    readingMinutes: 1,
    hash: id,
    attributes,
    ...(date !== undefined && { date }),
  };
}

// Ordinals follow this order (ids sorted).
const DOCS = [
  doc(
    "a",
    { price: 10, when: "2020-03-15", tags: ["Otan", "irak"], label: "Défense", n: "9" },
    "2020-03",
  ),
  doc(
    "b",
    { price: 9.5, when: "2020-04-01T10:00:00Z", tags: [], label: "défense", n: "10" },
    "2020-04",
  ),
  doc("c", { price: "100", when: "2019-12", tags: ["syrie"], label: "", author: null }),
  doc("d", { price: null, when: "not a date", label: "Zèbre", author: "Marie" }, "2021-01"),
  doc("e", {}),
];
const table = DocumentTable.inMemory(DOCS);
const FILTERABLE = ["price", "when", "tags", "label", "author", "n", "date"];

function ids(filter: string): string[] {
  const parsed = parseFilter(filter, FILTERABLE);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problem));
  const test = compileFilter(parsed.filter, table);
  return DOCS.filter((_, ordinal) => test(ordinal)).map((d) => d.id);
}

describe("numbers compare as numbers", () => {
  test("JSON numbers and numeric strings alike", () => {
    expect(ids("price > 9.75")).toEqual(["a", "c"]);
    expect(ids("price = 10")).toEqual(["a"]);
    expect(ids("price = 10.0")).toEqual(["a"]);
    expect(ids("price 9 TO 10")).toEqual(["a", "b"]);
    // "10" > "9" as numbers, not as text.
    expect(ids("n > 9")).toEqual(["b"]);
    expect(ids("price < 9.5")).toEqual([]);
    expect(ids("price <= 9.5")).toEqual(["b"]);
  });

  test("a number is not ordered against a word", () => {
    expect(ids("price > abc")).toEqual([]);
    expect(ids("label < 5")).toEqual([]);
  });
});

describe("dates compare as dates", () => {
  test("days, months and date-times against a month", () => {
    expect(ids("when >= 2020-03")).toEqual(["a", "b"]);
    expect(ids("when > 2020-03")).toEqual(["b"]);
    expect(ids("when < 2020-03")).toEqual(["c"]);
    expect(ids("when <= 2020-03")).toEqual(["a", "c"]);
    expect(ids("when = 2020-03")).toEqual(["a"]);
    expect(ids("when 2020-01 TO 2020-03-31")).toEqual(["a"]);
  });

  test("a day against a date-time, and the date field of files", () => {
    expect(ids("when = 2020-04-01")).toEqual(["b"]);
    expect(ids("when > 2020-04-01T09:00:00Z")).toEqual(["b"]);
    expect(ids("date >= 2020-04")).toEqual(["b", "d"]);
  });

  test("a year alone is that year against dates, and a number against numbers", () => {
    // Read only as a number, `date >= 2020` compared with no date and found nothing (QA).
    expect(ids("date >= 2020")).toEqual(["a", "b", "d"]);
    expect(ids("date = 2020")).toEqual(["a", "b"]);
    expect(ids("when < 2020")).toEqual(["c"]);
    expect(ids("when 2019 TO 2020")).toEqual(["a", "b", "c"]);
    expect(ids("date IN [2021]")).toEqual(["d"]);
    expect(ids("price > 2020")).toEqual([]);
    expect(ids("price < 2020")).toEqual(["a", "b", "c"]);
  });

  test("an impossible day, quoted, is text: no order against dates (bare, it is refused)", () => {
    expect(ids("when < '2020-02-31'")).toEqual([]);
  });
});

describe("strings", () => {
  test("equality ignores case, not accents", () => {
    expect(ids("label = DÉFENSE")).toEqual(["a", "b"]);
    expect(ids("label = defense")).toEqual([]);
    expect(ids("label != défense")).toEqual(["c", "d", "e"]);
  });

  test("an array matches when one item does", () => {
    expect(ids("tags = otan")).toEqual(["a"]);
    expect(ids("tags IN [syrie, irak]")).toEqual(["a", "c"]);
    expect(ids("tags NOT IN [syrie, irak]")).toEqual(["b", "d", "e"]);
  });

  test("strings are ordered lowercased, by code point", () => {
    expect(ids("label > e")).toEqual(["d"]);
  });
});

describe("missing, null and empty", () => {
  test("EXISTS is any value, null and empty included", () => {
    expect(ids("author EXISTS")).toEqual(["c", "d"]);
    expect(ids("author NOT EXISTS")).toEqual(["a", "b", "e"]);
    expect(ids("price EXISTS")).toEqual(["a", "b", "c", "d"]);
  });

  test("IS NULL is null only; IS NOT NULL its negation (missing included)", () => {
    expect(ids("author IS NULL")).toEqual(["c"]);
    expect(ids("price IS NULL")).toEqual(["d"]);
    expect(ids("author IS NOT NULL")).toEqual(["a", "b", "d", "e"]);
  });

  test("IS EMPTY is an empty string or array", () => {
    expect(ids("tags IS EMPTY")).toEqual(["b"]);
    expect(ids("label IS EMPTY")).toEqual(["c"]);
    expect(ids("tags IS NOT EMPTY")).toEqual(["a", "c", "d", "e"]);
  });

  test("an empty object is present and empty, as in Meilisearch's table of these operators", () => {
    const records = [
      { id: "1", tags: null },
      { id: "2", tags: [null] },
      { id: "3", tags: [] },
      { id: "4", tags: ["hello", "world"] },
      { id: "5", tags: [""] },
      { id: "6" },
      { id: "7", tags: {} },
      { id: "10", tags: "" },
    ].map(({ id, ...rest }) => doc(id, flattenRecord(rest)));
    const meili = DocumentTable.inMemory(records);
    const pass = (filter: string) => {
      const parsed = parseFilter(filter, ["tags"]);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problem));
      const test = compileFilter(parsed.filter, meili);
      return records.filter((_, ordinal) => test(ordinal)).map((d) => d.id);
    };
    expect(pass("tags IS EMPTY")).toEqual(["3", "7", "10"]);
    expect(pass("tags EXISTS")).toEqual(["1", "2", "3", "4", "5", "7", "10"]);
    expect(pass("tags NOT EXISTS")).toEqual(["6"]);
  });

  test("an object's fields are filterable with it, and it exists when it has some", () => {
    const records = [
      { id: "1", meta: { author: "Zola", year: 1880 } },
      { id: "2", meta: {} },
      { id: "3" },
      { id: "4", meta: { tags: ["a"], deep: { x: null } } },
      { id: "5", meta: "plain" },
    ].map(({ id, ...rest }) => doc(id, flattenRecord(rest)));
    const passing = (table: DocumentTable) => (filter: string) => {
      const parsed = parseFilter(filter, ["meta"]);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problem));
      const test = compileFilter(parsed.filter, table);
      return records.filter((_, ordinal) => test(ordinal)).map((d) => d.id);
    };
    const catalog = catalogOf(records, ["meta"]);
    expect(Object.keys(catalog.attributes).sort()).toEqual([
      "meta",
      "meta.author",
      "meta.deep.x",
      "meta.tags",
      "meta.year",
    ]);
    // A sortable object gets no columns for its fields: sort reads only the names it lists.
    expect(Object.keys(catalogOf(records, ["meta"], []).attributes)).toEqual(["meta"]);
    const store = {
      size: records.length,
      get: (ordinal: number) => records[ordinal]!,
      meta: (ordinal: number) => records[ordinal]!,
      segment: () => ({ text: "", from: 0 }),
    } as unknown as DocumentStore;
    const older = { ...catalog, attributes: { meta: catalog.attributes.meta! } };
    delete (older as { nested?: true }).nested;
    for (const table of [
      DocumentTable.inMemory(records),
      DocumentTable.stored(catalog, store),
      // Built before the catalog held nested fields: they are read from the documents.
      DocumentTable.stored(older, store),
    ]) {
      const pass = passing(table);
      expect(pass("meta EXISTS")).toEqual(["1", "2", "4", "5"]);
      expect(pass("meta NOT EXISTS")).toEqual(["3"]);
      expect(pass("meta IS EMPTY")).toEqual(["2"]);
      expect(pass("meta.author = zola")).toEqual(["1"]);
      expect(pass("meta.year > 1800")).toEqual(["1"]);
      expect(pass("meta.deep EXISTS")).toEqual(["4"]);
      expect(pass("meta.deep.x IS NULL")).toEqual(["4"]);
      expect(pass("meta.autor EXISTS")).toEqual([]);
    }
    expect(parseFilter("metadata = 1", ["meta"]).ok).toBe(false);
  });

  test("a missing or null value never passes a comparison", () => {
    expect(ids("price >= 0")).toEqual(["a", "b", "c"]);
    expect(ids("author = marie")).toEqual(["d"]);
  });
});

test("AND, OR, NOT combine as written", () => {
  expect(ids("(price > 9 OR tags = syrie) AND NOT label = défense")).toEqual(["c"]);
  expect(ids("NOT (price EXISTS)")).toEqual(["e"]);
});

test("a date-time without a zone is read in UTC, whatever the server's time zone", () => {
  const zone = process.env.TZ;
  try {
    for (const tz of ["Pacific/Kiritimati", "America/Los_Angeles", "UTC"]) {
      process.env.TZ = tz;
      expect(dateSpan("2020-03-01T00:30:00")?.[0], tz).toBe(Date.UTC(2020, 2, 1, 0, 30));
      expect(dateSpan("2020-03-01 00:30")?.[0], tz).toBe(Date.UTC(2020, 2, 1, 0, 30));
      expect(dateSpan("2020-03-01T00:30:00+01:00")?.[0], tz).toBe(Date.UTC(2020, 1, 29, 23, 30));
    }
  } finally {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  }
});
