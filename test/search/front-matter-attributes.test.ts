/**
 * A Markdown file's front matter fields are its attributes, as a JSON record's: a Hugo or
 * Jekyll site's tags and categories were read and dropped, and `--facets tags` gave `{}` (QA).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { buildIndex } from "../../src/index/build.js";
import { openEngine } from "../../src/search/engine.js";
import { removeTemps, tempDir } from "../index/helpers.js";

afterAll(removeTemps);

async function site() {
  const root = await tempDir("loupe-front-matter-");
  const input = path.join(root, "content");
  await mkdir(input);
  await writeFile(
    path.join(input, "tarte.md"),
    "---\ntitle: La tarte aux pommes\ndate: 2023-10-02\ntags: [cuisine, dessert]\nauteur: Alice\nportions: 6\n---\n\nUne recette de tarte.\n",
  );
  await writeFile(
    path.join(input, "soupe.md"),
    '+++\ntitle = "La soupe"\ndate = 2023-11-20\ntags = ["cuisine"]\nauteur = "Bob"\nportions = 4\n+++\n\nUne recette de soupe.\n',
  );
  await writeFile(path.join(input, "note.txt"), "Une note\n\nSans front matter, une recette.\n");
  await writeFile(
    path.join(input, "loupe.json"),
    JSON.stringify({ filterableAttributes: ["tags", "auteur"], sortableAttributes: ["portions"] }),
  );
  await buildIndex({ input, out: path.join(root, "index") });
  return openEngine(path.join(root, "index"));
}

async function oddSite() {
  const root = await tempDir("loupe-front-matter-odd-");
  const input = path.join(root, "content");
  await mkdir(input);
  // YAML refuses the block (an unclosed list): read line by line, its fields as text.
  await writeFile(
    path.join(input, "huit.md"),
    "---\ntitle: Huit\ntags: [a, b\nauthor: Durand\n---\n\nUne page.\n",
  );
  // The file's own fields are not the front matter's to say.
  await writeFile(
    path.join(input, "x.md"),
    "---\ntitle: Autre\nid: autre-id\nurl: ailleurs.html\nauthor: Martin\n---\n\nUne page.\n",
  );
  await writeFile(
    path.join(input, "loupe.json"),
    JSON.stringify({ filterableAttributes: ["author", "id", "url"] }),
  );
  await buildIndex({ input, out: path.join(root, "index") });
  return openEngine(path.join(root, "index"));
}

describe("front matter fields", () => {
  test("of a block YAML refuses are its lines' text; a file's own fields stay its own", async () => {
    const engine = await oddSite();
    // Said read line by line, it lost every attribute (QA).
    expect(engine.search("", { filter: "author = Durand" }).hits.map((hit) => hit.id)).toEqual([
      "huit",
    ]);
    // `id: autre-id` answered for the file's id in filters (QA).
    expect(engine.search("", { filter: "id = x" }).hits.map((hit) => hit.id)).toEqual(["x"]);
    expect(engine.search("", { filter: "id = autre-id" }).total).toBe(0);
    const x = engine.search("", { filter: "author = Martin" }).hits[0];
    expect(x?.attributes).toEqual({ author: "Martin" });
  });

  test("are filters, facets and sort keys once declared, in YAML and in TOML", async () => {
    const engine = await site();
    const result = engine.search("recette", { facets: ["tags"], filter: "tags = cuisine" });
    expect(result.hits.map((hit) => hit.id).sort()).toEqual(["soupe", "tarte"]);
    expect(result.facetDistribution).toEqual({ tags: { cuisine: 2, dessert: 1 } });
    expect(engine.search("", { filter: "auteur = bob" }).hits.map((hit) => hit.id)).toEqual([
      "soupe",
    ]);
    expect(engine.search("recette", { sort: ["portions:asc"] }).hits.map((hit) => hit.id)).toEqual([
      "soupe",
      "tarte",
      "note",
    ]);
  });

  test("are a hit's attributes, as written; the title and date stay the document's own", async () => {
    const engine = await site();
    const hit = engine.search("tarte").hits[0]!;
    expect(hit.title).toBe("La tarte aux pommes");
    expect(hit.date).toBe("2023-10");
    expect(hit.attributes).toEqual({ tags: ["cuisine", "dessert"], auteur: "Alice", portions: 6 });
    expect(engine.search("note").hits[0]?.attributes).toBeUndefined();
  });
});
