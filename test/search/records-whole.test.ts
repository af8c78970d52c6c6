/**
 * A record's attributes come back as the record holds them, through a built and loaded index:
 * flattened to dot paths, an array of objects lost which fields went together, `{}` read `[]`,
 * and a displayed object (`pos`) showed nothing (QA).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { buildIndex } from "../../src/index/build.js";
import { openEngine } from "../../src/search/engine.js";
import { removeTemps, tempDir } from "../index/helpers.js";

const SHOP = {
  id: "b1",
  title: "Boulangerie du centre",
  body: "Pain au levain et croissants.",
  pos: [
    { ville: "Paris", cp: "75001" },
    { ville: "Lyon", cp: "69002" },
  ],
  meta: {},
  horaires: { lundi: "fermé", mardi: ["7h", "19h"] },
  prix: 3,
  __proto__: { cache: true },
};

async function engineOf(settings: object) {
  const root = await tempDir("loupe-records-whole-");
  const input = path.join(root, "in");
  await mkdir(input);
  // Written by hand: JSON.stringify of an object literal leaves a `__proto__` key out.
  const record = JSON.stringify(SHOP).replace(/\}$/, ',"__proto__":{"cache":true}}');
  await writeFile(path.join(input, "shops.json"), `[${record}]`);
  await writeFile(
    path.join(input, "loupe.json"),
    JSON.stringify({ primaryKey: "id", ...settings }),
  );
  await buildIndex({ input, out: path.join(root, "index") });
  return openEngine(path.join(root, "index"));
}

afterAll(removeTemps);

describe("a record's attributes, as the record holds them", () => {
  test("every one with displayedAttributes ['*'], nested objects and arrays kept", async () => {
    const engine = await engineOf({ filterableAttributes: ["pos.ville"] });
    const hit = engine.search("pain").hits[0]!;
    const { __proto__: _, ...rest } = SHOP;
    const expected = JSON.parse(`${JSON.stringify(rest).slice(0, -1)},"__proto__":{"cache":true}}`);
    expect(hit.attributes).toEqual(expected);
    expect(Object.getPrototypeOf(hit.attributes)).toBe(Object.prototype);
    expect(Object.hasOwn(hit.attributes!, "__proto__")).toBe(true);
    // The document route shows the same; filters still read the flattened fields.
    expect(engine.getDocument("b1")?.attributes).toEqual(expected);
    expect(engine.search("", { filter: "pos.ville = lyon" }).total).toBe(1);
  });

  test("a displayed object shows whole; a dot path keeps the objects around its field", async () => {
    const engine = await engineOf({
      displayedAttributes: ["title", "pos.ville", "meta", "horaires"],
    });
    expect(engine.search("pain").hits[0]!.attributes).toEqual({
      title: "Boulangerie du centre",
      pos: [{ ville: "Paris" }, { ville: "Lyon" }],
      meta: {},
      horaires: { lundi: "fermé", mardi: ["7h", "19h"] },
    });
  });

  test("a field inside a displayed object is searched and shown in the body", async () => {
    const engine = await engineOf({
      searchableAttributes: ["title", "pos"],
      displayedAttributes: ["title", "pos"],
    });
    const hit = engine.search("Lyon").hits[0];
    expect(hit?.id).toBe("b1");
    expect(hit?.snippet.text).toContain("Lyon");
  });
});
