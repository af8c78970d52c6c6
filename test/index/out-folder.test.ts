/**
 * `loupe index` writes only into a folder that is its own: a rebuild removes the generations it
 * replaces, and must never remove or overwrite what a user keeps in --out, nor index into the
 * documents' own folder.
 */
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { buildIndex } from "../../src/index/build.js";
import { IndexError } from "../../src/index/errors.js";
import { loadIndex } from "../../src/index/load.js";
import { entries, removeTemps, SEEDS, tempDir } from "./helpers.js";

afterAll(removeTemps);

/** The documents of the seeds, copied into `dir`. */
async function seedsIn(dir: string): Promise<string> {
  await cp(SEEDS, dir, { recursive: true });
  return dir;
}

describe("the index folder", () => {
  test("a folder of the user's named like a generation is refused, and kept whole", async () => {
    const root = await tempDir();
    const out = path.join(root, "out");
    await mkdir(path.join(out, "gen-notes"), { recursive: true });
    await writeFile(path.join(out, "gen-notes", "notes.txt"), "mes notes importantes");
    const input = await seedsIn(path.join(root, "docs"));
    const refusal = await buildIndex({ input, out }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(IndexError);
    expect((refusal as Error).message).toMatch(/is not a loupe index: it holds 'gen-notes'/);
    expect(await readFile(path.join(out, "gen-notes", "notes.txt"), "utf8")).toBe(
      "mes notes importantes",
    );
    expect(await entries(out)).toEqual(["gen-notes"]);
  });

  test("a file given as --out is said to be a file, and left as it is", async () => {
    const root = await tempDir();
    const input = await seedsIn(path.join(root, "docs"));
    const out = path.join(root, "notes.txt");
    await writeFile(out, "mes notes");
    const refusal = await buildIndex({ input, out }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(IndexError);
    // It was mkdir's "EEXIST: file already exists" (QA).
    expect((refusal as Error).message).toMatch(
      /--out '.*notes\.txt' is a file, not a folder: give the index a folder of its own/,
    );
    expect(await readFile(out, "utf8")).toBe("mes notes");
  });

  test("a user's folder holding a manifest.json of its own is no generation either", async () => {
    const root = await tempDir();
    const input = await seedsIn(path.join(root, "docs"));
    const out = path.join(root, "index");
    await buildIndex({ input, out });
    const app = path.join(out, "gen-app");
    await mkdir(app);
    await writeFile(path.join(app, "manifest.json"), '{"name": "Mon appli", "icons": []}');
    await writeFile(path.join(app, "index.html"), "<!doctype html>");
    await expect(buildIndex({ input, out, force: true })).rejects.toThrow(/holds 'gen-app'/);
    expect((await entries(app)).sort()).toEqual(["index.html", "manifest.json"]);
  });

  test("a generation of an older format, with other files, is loupe's", async () => {
    const root = await tempDir();
    const input = await seedsIn(path.join(root, "docs"));
    const out = path.join(root, "index");
    await buildIndex({ input, out });
    const old = path.join(out, "gen-20200101t000000-00000000");
    await mkdir(old);
    await writeFile(path.join(old, "manifest.json"), '{"format": 1, "data": {}}');
    await writeFile(path.join(old, "documents.json"), "[]");
    await buildIndex({ input, out, force: true });
    expect(await entries(out)).not.toContain(path.basename(old));
  });

  test("any other file of the user's in --out is refused too, CURRENT included", async () => {
    const root = await tempDir();
    const out = path.join(root, "out");
    await mkdir(out);
    await writeFile(path.join(out, "CURRENT"), "mes notes");
    await writeFile(path.join(out, "lisez-moi.txt"), "à garder");
    const input = await seedsIn(path.join(root, "docs"));
    await expect(buildIndex({ input, out })).rejects.toThrow(/holds 'lisez-moi.txt'/);
    expect(await readFile(path.join(out, "CURRENT"), "utf8")).toBe("mes notes");
  });

  test("--out may not be the documents' folder, nor hold it", async () => {
    const root = await tempDir();
    const input = await seedsIn(path.join(root, "gen-docs"));
    const before = await entries(input);
    await expect(buildIndex({ input, out: input })).rejects.toThrow(
      /is the documents' folder.*a folder of its own/,
    );
    await expect(buildIndex({ input, out: root })).rejects.toThrow(/holds the documents' folder/);
    expect(await entries(input)).toEqual(before);
    expect(await entries(root)).toEqual(["gen-docs"]);
  });

  test("an index in the documents' folder, an empty folder, and a rebuild are fine", async () => {
    const root = await tempDir();
    const input = await seedsIn(path.join(root, "docs"));
    const inside = path.join(input, "index");
    await buildIndex({ input, out: inside });
    expect((await loadIndex(inside)).documents.size).toBe(5);
    const empty = path.join(root, "empty");
    await mkdir(empty);
    await writeFile(path.join(empty, ".gitignore"), "*\n");
    await buildIndex({ input, out: empty });
    await buildIndex({ input, out: empty, force: true });
    const names = await entries(empty);
    expect(names.filter((name) => name.startsWith("gen-"))).toHaveLength(2);
    expect(names).toContain(".gitignore");
  });

  test("a user's folder put among the generations later is refused, never removed", async () => {
    const root = await tempDir();
    const input = await seedsIn(path.join(root, "docs"));
    const out = path.join(root, "index");
    await buildIndex({ input, out });
    await mkdir(path.join(out, "gen-2020-archives"));
    await writeFile(path.join(out, "gen-2020-archives", "a.txt"), "archive");
    await expect(buildIndex({ input, out, force: true })).rejects.toThrow(
      /holds 'gen-2020-archives'/,
    );
    expect(await readFile(path.join(out, "gen-2020-archives", "a.txt"), "utf8")).toBe("archive");
    expect((await loadIndex(out)).documents.size).toBe(5);
  });
});

describe("nothing to index", () => {
  test("a folder whose one file of records is skipped says so, by files", async () => {
    const root = await tempDir();
    const input = path.join(root, "docs");
    await mkdir(input);
    await writeFile(
      path.join(input, "fiches.ndjson"),
      '{"title": "sans id"}\n{"title": "non plus"}\n',
    );
    await expect(buildIndex({ input, out: path.join(root, "index") })).rejects.toThrow(
      /nothing to index in '.*': its one file was skipped/,
    );
  });
});

describe("a generation whose removal was cut short", () => {
  test("is still loupe's: the next rebuild removes it instead of refusing the folder", async () => {
    const root = await tempDir();
    const input = await seedsIn(path.join(root, "docs"));
    const out = path.join(root, "index");
    await buildIndex({ input, out });
    await buildIndex({ input, out, force: true });
    const [oldest] = (await entries(out)).filter((name) => name.startsWith("gen-")).sort();
    // A kill during its removal: the manifest gone, some data files left.
    await rm(path.join(out, oldest!, "manifest.json"));
    await rm(path.join(out, oldest!, "postings.bin"));
    await buildIndex({ input, out, force: true });
    await buildIndex({ input, out, force: true });
    expect(await entries(out)).not.toContain(oldest);
    expect((await loadIndex(out)).documents.size).toBe(5);
  });
});
