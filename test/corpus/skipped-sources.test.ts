/**
 * Sources loupe cannot take are skipped with a reason, and the rest is read: a file nested
 * deeper than a parser's stack (it stopped the whole run with "Maximum call stack size
 * exceeded"), a symbolic link to a folder (passed over without a word).
 */
import * as fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { readCorpus } from "../../src/corpus/read.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await fsp.rm(dir, { recursive: true, force: true });
});

test("deeply nested Markdown, HTML and JSON are skipped with a reason, the rest is read", async () => {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "loupe-deep-"));
  dirs.push(dir);
  let nested = '"feuille"';
  for (let i = 0; i < 20_000; i++) nested = `{"x":${nested}}`;
  const files: Record<string, string> = {
    "note.txt": "Une note\n\nLe texte de la note.",
    "cite.md": `# Cité\n\n${">".repeat(20_000)} texte cité\n`,
    "page.html": `<html><head><title>Profond</title></head><body>${"<div>".repeat(20_000)}texte${"</div>".repeat(20_000)}</body></html>`,
    "fiches.json": `[{"id":"r1","title":"Profond","body":"texte","meta":${nested}}]`,
  };
  for (const [name, content] of Object.entries(files))
    await fsp.writeFile(path.join(dir, name), content);
  const corpus = await readCorpus(dir);
  expect(corpus.documents.map((d) => d.source)).toEqual(["note.txt"]);
  const reasons = Object.fromEntries(corpus.skipped.map((s) => [s.source, s.reason]));
  for (const name of ["cite.md", "page.html", "fiches.json"]) {
    expect(reasons[name], name).toMatch(/nested too deeply to be read.*flatten/);
  }
});

test("a symbolic link to a folder, a loop included, is said not to be followed", async () => {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "loupe-links-"));
  const outside = await fsp.mkdtemp(path.join(os.tmpdir(), "loupe-outside-"));
  dirs.push(dir, outside);
  await fsp.writeFile(path.join(dir, "note.txt"), "Une note\n\nLe texte de la note.");
  await fsp.writeFile(path.join(outside, "autre.txt"), "Autre\n\nUn autre texte.");
  await fsp.mkdir(path.join(dir, "sous"));
  await fsp.symlink(outside, path.join(dir, "ailleurs"));
  await fsp.symlink("..", path.join(dir, "sous", "boucle"));
  const corpus = await readCorpus(dir);
  expect(corpus.documents.map((d) => d.source)).toEqual(["note.txt"]);
  const reasons = Object.fromEntries(corpus.skipped.map((s) => [s.source, s.reason]));
  expect(Object.keys(reasons).sort()).toEqual(["ailleurs", "sous/boucle"]);
  for (const reason of Object.values(reasons)) {
    expect(reason).toMatch(/^symbolic link to a folder: not followed/);
  }
});
