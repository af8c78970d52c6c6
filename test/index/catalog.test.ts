/**
 * The catalog of a built index holds a column per filterable and sortable attribute, so that
 * filters, facets and sort never parse the stored documents; null and absent stay distinct.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { getAttribute } from "../../src/corpus/attributes.js";
import { DocumentStore } from "../../src/index/document-store.js";
import { type Catalog, DocumentTable } from "../../src/index/documents.js";
import { buildIndex, currentGeneration, loadIndex } from "../../src/index/index.js";

let root: string;
let out: string;
let seeds: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "loupe-catalog-"));
  out = join(root, "index");
  seeds = join(root, "seeds");
  await buildIndex({ input: "test/fixtures/records-fr", out });
  await buildIndex({ input: "seeds", out: seeds });
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

/** What a hit shows of a document, as its stored record has it. */
function headingOf(doc: { id: string; title: string; date?: string; attributes?: unknown }) {
  return {
    id: doc.id,
    title: doc.title,
    ...(doc.date !== undefined && { date: doc.date }),
    ...(doc.attributes !== undefined && { attributes: doc.attributes }),
  };
}

test("a hit's heading comes from the catalog without parsing the record, the record's own", async () => {
  const index = await loadIndex(seeds);
  const { documents } = index;
  const records = [...documents.values()];
  const parse = vi.spyOn(DocumentStore.prototype, "meta");
  try {
    const headings = records.map((_, ordinal) => documents.heading(ordinal));
    expect(parse).not.toHaveBeenCalled();
    expect(headings).toEqual(records.map(headingOf));
    expect(headings.some((heading) => heading.date !== undefined)).toBe(true);
  } finally {
    parse.mockRestore();
  }
});

test("records with attributes, and catalogs written before titles, take the heading from the record", async () => {
  const records = await loadIndex(out);
  const all = [...records.documents.values()];
  expect(all.every((doc) => doc.attributes !== undefined)).toBe(true);
  expect(all.map((_, ordinal) => headingOf(records.documents.heading(ordinal)))).toEqual(
    all.map(headingOf),
  );

  // The seeds' catalog as an index built before it held titles wrote it.
  const generation = join(seeds, (await currentGeneration(seeds))!);
  const { titles, attributed, ...older } = JSON.parse(
    readFileSync(join(generation, "catalog.json"), "utf8"),
  ) as Catalog;
  expect(titles).toHaveLength(5);
  expect(attributed).toEqual([]);
  const table = DocumentTable.stored(
    older,
    new DocumentStore(readFileSync(join(generation, "documents.bin"))),
  );
  const docs = [...table.values()];
  expect(docs.map((_, ordinal) => headingOf(table.heading(ordinal)))).toEqual(docs.map(headingOf));
});

test("a catalog whose titles do not match the store is refused", async () => {
  const generation = join(seeds, (await currentGeneration(seeds))!);
  const catalog = JSON.parse(readFileSync(join(generation, "catalog.json"), "utf8")) as Catalog;
  const store = new DocumentStore(readFileSync(join(generation, "documents.bin")));
  expect(() =>
    DocumentTable.stored({ ...catalog, titles: catalog.titles!.slice(1) }, store),
  ).toThrow(/catalog/);
  expect(() => DocumentTable.stored({ ...catalog, attributed: [5] }, store)).toThrow(/catalog/);
});
