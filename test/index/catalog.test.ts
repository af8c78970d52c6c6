/**
 * The catalog of a built index holds a column per filterable and sortable attribute, so that
 * filters, facets and sort never parse the stored documents; null and absent stay distinct.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { getAttribute } from "../../src/corpus/attributes.js";
import type { Catalog } from "../../src/index/documents.js";
import { buildIndex, currentGeneration, loadIndex } from "../../src/index/index.js";

let root: string;
let out: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "loupe-catalog-"));
  out = join(root, "index");
  await buildIndex({ input: "test/fixtures/records-fr", out });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

test("catalog.json has a column for each filterable and sortable attribute", async () => {
  const generation = await currentGeneration(out);
  const catalog = JSON.parse(
    readFileSync(join(out, generation!, "catalog.json"), "utf8"),
  ) as Catalog;
  expect(Object.keys(catalog.attributes).sort()).toEqual(
    ["date", "meta.author", "price", "section", "tags", "title", "year"].sort(),
  );
  // a1…a6 in ordinal order: a4's author is null, a6 has none.
  expect(catalog.attributes["meta.author"]).toEqual({
    values: ["Claire Martin", "John Smith", "Claire Martin", null, "Paul Durand", null],
    missing: [5],
  });
  expect(catalog.attributes.tags?.values[2]).toEqual([]);
});

test("the loaded table answers from the catalog as the documents would", async () => {
  const index = await loadIndex(out);
  for (const name of ["meta.author", "tags", "price", "date", "year"]) {
    const column = index.documents.column(name);
    const expected = [...index.documents.values()].map((doc) => getAttribute(doc, name));
    expect(column, name).toEqual(expected);
  }
});
