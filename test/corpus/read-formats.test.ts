import * as fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCorpus } from "../../src/corpus/read.js";
import { loadSettings } from "../../src/corpus/settings.js";

let dir: string;
const write = async (rel: string, content: string | Uint8Array) => {
  const file = path.join(dir, rel);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await fsp.writeFile(file, content);
};
const page = (title: string, body: string) =>
  `<!doctype html><html lang="fr"><head><title>${title}</title></head><body><nav>Menu</nav><main>${body}</main></body></html>`;

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), "loupe-formats-"));
  await write("loupe.json", '{"primaryKey": "ref", "filterableAttributes": ["rubrique"]}');
  await write("autres-reglages.json", '{"sortableAttributes": ["date"]}');
  await write("notes.txt", "Une note\n\nLe texte de la note.");
  await write("site/page.html", page("Page", "<p>Le contenu de la page.</p>"));
  await write("site/vide.htm", page("Vide", "<script>x()</script>"));
  // "L’été, cœur" in Windows-1252: é is 0xE9, which is no UTF-8, and ’ and œ are 0x92 and
  // 0x9C, which Latin-1 reads as control characters.
  await write(
    "site/latin1.html",
    Buffer.concat([
      Buffer.from('<html><head><meta charset="windows-1252"><title>x</title></head><body>'),
      Buffer.from([0x4c, 0x92, 0xe9, 0x74, 0xe9, 0x2c, 0x20, 0x63, 0x9c, 0x75, 0x72]),
      Buffer.from("</body></html>"),
    ]),
  );
  await write(
    "data/latin1.json",
    Buffer.from([0x5b, 0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d, 0x5d]),
  );
  await write(
    "data/fiches.ndjson",
    [
      '{"ref": "f1", "title": "Fiche un", "body": "Premier texte.", "rubrique": "défense"}',
      '{"ref": "f2", "title": "Fiche deux", body: 2}',
      '{"title": "Sans ref"}',
      '{"ref": "notes", "title": "Même id qu’un fichier"}',
      '{"ref": "f3", "title": "Fiche trois", "body": "Troisième texte."}',
    ].join("\n"),
  );
  await write("data/suite.jsonl", '{"ref": "f1", "title": "Encore f1"}\n');
  await write("data/casse.json", '[{"ref": "c1", "title": "un"},\n {"ref": "c2",,}]');
});

afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe("readCorpus on a folder of every format", () => {
  it("reads text, pages and records, and skips the bad parts with one line each", async () => {
    const { settings } = await loadSettings(dir);
    const { documents, skipped } = await readCorpus(dir, {
      settings,
      settingsFile: path.join(dir, "autres-reglages.json"),
    });
    expect(documents.map((d) => [d.id, d.format ?? "text"])).toEqual([
      // Sorted order decides who keeps a shared id: data/ comes before notes.txt.
      ["f1", "ndjson"],
      ["notes", "ndjson"],
      ["f3", "ndjson"],
      // It says its charset: read in it, as a browser reads it (it was refused, QA).
      ["site/latin1", "html"],
      ["site/page", "html"],
    ]);
    expect(documents.find((d) => d.id === "site/latin1")?.body).toBe("L’été, cœur");
    expect(documents.find((d) => d.id === "f1")?.attributes?.rubrique).toBe("défense");
    expect(skipped.map((s) => `${s.source}: ${s.reason}`)).toEqual([
      expect.stringMatching(/^data\/casse\.json: line 2: invalid JSON \(.+\): fix the syntax/),
      expect.stringMatching(/^data\/fiches\.ndjson: line 2: invalid JSON/),
      'data/fiches.ndjson: line 3: no id: add a "ref" attribute, or set primaryKey in loupe.json',
      "data/latin1.json: not valid UTF-8 (first at line 1; Latin-1 or Windows-1252?): re-save the file as UTF-8",
      "data/suite.jsonl: line 1: duplicate id 'f1' (first in 'data/fiches.ndjson' line 1): give each record its own id",
      "notes.txt: same id 'notes' as 'data/fiches.ndjson' line 4: rename the file or change the record's id",
      "site/vide.htm: no text in the page's content (main, article or body)",
    ]);
  });

  it("says on which line a file stops being UTF-8, and reads .markdown as Markdown", async () => {
    const one = await fsp.mkdtemp(path.join(os.tmpdir(), "loupe-stray-"));
    try {
      const text = Buffer.from("Un titre\n\nLigne deux.\nLigne trois, déjà.\n");
      // One Latin-1 byte in line 4, after valid accents.
      await fsp.writeFile(
        path.join(one, "stray.txt"),
        Buffer.concat([text, Buffer.from([0xe9, 0x0a])]),
      );
      await fsp.writeFile(path.join(one, "notes.markdown"), "# Les notes\n\nUn *texte*.");
      await fsp.writeFile(
        path.join(one, "unknown.html"),
        Buffer.concat([
          Buffer.from('<meta charset="x-unknown-8"><p>'),
          Buffer.from([0xe9]),
          Buffer.from("</p>"),
        ]),
      );
      const { documents, skipped } = await readCorpus(one);
      expect(documents.map((d) => [d.id, d.title, d.body])).toEqual([
        ["notes", "Les notes", "Un texte."],
      ]);
      expect(skipped.map((s) => `${s.source}: ${s.reason}`)).toEqual([
        "stray.txt: not valid UTF-8 (first at line 5; Latin-1 or Windows-1252?): re-save the file as UTF-8",
        "unknown.html: not valid UTF-8 (first at line 1; it declares charset x-unknown-8, which loupe cannot read): re-save the file as UTF-8",
      ]);
    } finally {
      await fsp.rm(one, { recursive: true, force: true });
    }
  });

  it("never reads loupe.json or the named settings file as records", async () => {
    const { documents, skipped } = await readCorpus(dir, {
      settingsFile: path.join(dir, "autres-reglages.json"),
    });
    const sources = [...documents, ...skipped].map((d) => d.source);
    expect(sources).not.toContain("loupe.json");
    expect(sources).not.toContain("autres-reglages.json");
    // Without the flag the other file is an ordinary JSON file (here: a record with no id).
    const plain = await readCorpus(dir);
    expect(plain.skipped.map((s) => s.source)).toContain("autres-reglages.json");
  });
});

describe("size limits", () => {
  it("gives records files their own, larger limit", async () => {
    const { settings } = await loadSettings(dir);
    const small = await readCorpus(dir, { maxBytes: 10, settings });
    expect(small.documents.map((d) => d.id)).toContain("f3");
    expect(small.skipped.map((s) => s.source)).toContain("notes.txt");
    const tiny = await readCorpus(dir, { maxRecordsBytes: 10, settings });
    expect(tiny.documents.map((d) => d.id)).not.toContain("f3");
    expect(tiny.skipped.find((s) => s.source === "data/fiches.ndjson")?.reason).toMatch(
      /^too large/,
    );
  });
});

describe("data-loupe-body across a site", () => {
  it("leaves out the pages without it once one page has it", async () => {
    const site = await fsp.mkdtemp(path.join(os.tmpdir(), "loupe-marked-"));
    try {
      await fsp.writeFile(
        path.join(site, "article.html"),
        page("Article", "<p>Menu du site</p><div data-loupe-body><p>Le texte.</p></div>"),
      );
      await fsp.writeFile(path.join(site, "tags.html"), page("Étiquettes", "<p>otan, irak</p>"));
      await fsp.writeFile(path.join(site, "note.txt"), "Une note\n\nTexte.");
      const { documents, skipped } = await readCorpus(site);
      expect(documents.map((d) => [d.id, d.body])).toEqual([
        ["article", "Le texte."],
        ["note", "Texte."],
      ]);
      expect(skipped).toEqual([
        {
          source: "tags.html",
          reason: "no data-loupe-body while other pages have one: mark its content or leave it out",
        },
      ]);
    } finally {
      await fsp.rm(site, { recursive: true, force: true });
    }
  });
});
