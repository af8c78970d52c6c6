import { appendFile, cp, mkdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import type MiniSearch from "minisearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCorpus } from "../../src/corpus/read.js";
import { type BuildReport, buildIndex } from "../../src/index/build.js";
import { IndexError } from "../../src/index/errors.js";
import { analyzeDocument } from "../../src/index/fields.js";
import { type LoadedIndex, loadIndex, verifyIndex } from "../../src/index/load.js";
import { DATA_FILES, type Manifest } from "../../src/index/manifest.js";
import type { IndexedFields } from "../../src/index/minisearch-json.js";
import { currentGeneration } from "../../src/index/store.js";
import {
  answers,
  copySeeds,
  entries,
  freshIndex,
  ids,
  QUERIES,
  readJson,
  removeTemps,
  SEEDS,
  tempDir,
  writeJson,
} from "./helpers.js";

afterAll(removeTemps);

const SEED_IDS = [
  "000_40aae3a910703884",
  "001_ba59de7d1c28a194",
  "002_14b393e916f4b8aa",
  "003_b6b568fd3f14d03f",
  "004_35c4cf714ecaba77",
];

async function newOut(): Promise<string> {
  return path.join(await tempDir(), "index");
}

/**
 * The loaded index must be the one a from-scratch build of `input` gives: same answers (scores
 * to rounding: an updated MiniSearch sums its averages in another order), same vocabulary, same
 * documents in the same order.
 */
async function expectSameAsFresh(loaded: LoadedIndex, input: string): Promise<void> {
  const { documents } = await readCorpus(input);
  const fresh = freshIndex(documents);
  expect([...loaded.documents.values()]).toEqual(documents);
  expect(loaded.miniSearch.documentCount).toBe(documents.length);
  expect(loaded.vocabulary.toJSON()).toEqual(fresh.vocabulary.toJSON());
  expectCloseAnswers(loaded.miniSearch, fresh.miniSearch);
}

function expectCloseAnswers(
  actual: MiniSearch<IndexedFields>,
  expected: MiniSearch<IndexedFields>,
): void {
  const got = answers(actual);
  const want = answers(expected);
  expect(got.length).toBe(want.length);
  for (const [i, hits] of want.entries()) {
    const gotHits = got[i] ?? [];
    expect(gotHits.map(([id]) => id).sort()).toEqual(hits.map(([id]) => id).sort());
    const scores = new Map(gotHits);
    for (const [id, score] of hits) expect(scores.get(id)).toBeCloseTo(score, 9);
  }
}

/** A word of document `id` that only it holds, by key and by term. */
function wordOnlyIn(index: LoadedIndex, id: string): { key: string; form: string } {
  const doc = index.documents.get(id);
  if (doc === undefined) throw new Error(`no document ${id}`);
  for (const word of analyzeDocument(doc).words) {
    if (word.form.length < 6 || /\d/.test(word.form)) continue;
    if (index.vocabulary.get(word.key)?.documents !== 1) continue;
    const found = ids(index.miniSearch, word.form);
    if (found.length === 1 && found[0] === id) return { key: word.key, form: word.form };
  }
  throw new Error(`no word only in ${id}`);
}

/** A word of document `id` that other documents hold too. */
function sharedWordOf(index: LoadedIndex, id: string): { key: string; documents: number } {
  const doc = index.documents.get(id);
  if (doc === undefined) throw new Error(`no document ${id}`);
  for (const word of analyzeDocument(doc).words) {
    const entry = index.vocabulary.get(word.key);
    if (entry !== undefined && entry.documents >= 3)
      return { key: word.key, documents: entry.documents };
  }
  throw new Error(`no shared word in ${id}`);
}

describe("building the seeds", () => {
  let out: string;
  let first: BuildReport;

  beforeAll(async () => {
    out = await newOut();
    first = await buildIndex({ input: SEEDS, out });
  });

  it("builds a generation of the five seeds and points CURRENT at it", async () => {
    expect(first).toMatchObject({
      status: "built",
      documents: 5,
      added: 5,
      changed: 0,
      removed: 0,
      skipped: [],
    });
    expect(first.generation).toMatch(/^gen-/);
    expect(await currentGeneration(out)).toBe(first.generation);
    expect(await entries(out)).toEqual(["CURRENT", first.generation]);
    expect(await entries(path.join(out, first.generation))).toEqual(
      [...DATA_FILES, "manifest.json"].sort(),
    );

    const manifest = await readJson<Manifest>(path.join(out, first.generation, "manifest.json"));
    expect(manifest.documents).toBe(5);
    expect(manifest.generation).toBe(first.generation);
    const sources = await readJson<Record<string, string>>(
      path.join(out, first.generation, "sources.json"),
    );
    expect(Object.keys(sources).sort()).toEqual([...SEED_IDS].sort());
    expect(Object.values(sources).every((hash) => /^[0-9a-f]{64}$/.test(hash))).toBe(true);
    const dataBytes = Object.values(manifest.data).reduce((sum, file) => sum + file.bytes, 0);
    expect(first.indexBytes).toBe(dataBytes);
    expect(first.bytesRead).toBe(16107);
  });

  it("does nothing on a second run over the same input", async () => {
    const before = await entries(out);
    const again = await buildIndex({ input: SEEDS, out });
    expect(again).toMatchObject({
      status: "unchanged",
      documents: 5,
      added: 0,
      changed: 0,
      removed: 0,
      generation: first.generation,
      indexBytes: first.indexBytes,
    });
    expect(await entries(out)).toEqual(before);
    expect(await currentGeneration(out)).toBe(first.generation);
  });

  it("loads an index that answers exactly like the MiniSearch built in memory", async () => {
    const loaded = await loadIndex(out);
    const { documents } = await readCorpus(SEEDS);
    const fresh = freshIndex(documents);

    expect(loaded.generation).toBe(first.generation);
    expect([...loaded.documents.keys()]).toEqual(SEED_IDS);
    expect([...loaded.documents.values()]).toEqual(documents);
    const got = answers(loaded.miniSearch);
    // Exactly: JSON keeps every double as it was.
    expect(got).toEqual(answers(fresh.miniSearch));
    // …and the queries do find things, so the comparison means something.
    expect(got.filter((hits) => hits.length > 0).length).toBeGreaterThan(QUERIES.length * 2);
    expect(ids(loaded.miniSearch, "OTAN Irak")).toContain("000_40aae3a910703884");
    expect(ids(loaded.miniSearch, "xyzzyq")).toEqual([]);

    expect(loaded.vocabulary.size).toBeGreaterThan(100);
    expect(loaded.vocabulary.toJSON()).toEqual(fresh.vocabulary.toJSON());
    expect(loaded.vocabulary.get("otan")?.documents).toBe(fresh.vocabulary.get("otan")?.documents);
  });

  it("rebuilds from scratch with force, keeping the generation before it", async () => {
    const forced = await buildIndex({ input: SEEDS, out, force: true });
    expect(forced).toMatchObject({ status: "built", documents: 5, added: 5 });
    expect(forced.generation).not.toBe(first.generation);
    expect(await currentGeneration(out)).toBe(forced.generation);
    expect(await entries(out)).toEqual(["CURRENT", first.generation, forced.generation].sort());
    const loaded = await loadIndex(out);
    expect(answers(loaded.miniSearch)).toEqual(
      answers(freshIndex((await readCorpus(SEEDS)).documents).miniSearch),
    );
  });

  it("keeps only the current generation and the one just before it", async () => {
    const gens: string[] = [];
    const input = await copySeeds();
    const dir = await newOut();
    gens.push((await buildIndex({ input, out: dir })).generation);
    // Several builds within one second: the one kept must still be the previous one.
    for (let i = 0; i < 4; i++) {
      await appendFile(path.join(input, "004_35c4cf714ecaba77.txt"), `\nAjout numéro ${i}.\n`);
      const report = await buildIndex({ input, out: dir });
      expect(report.status).toBe("updated");
      gens.push(report.generation);
    }
    expect(new Set(gens).size).toBe(gens.length);
    expect(await entries(dir)).toEqual(gens.slice(-2).concat("CURRENT").sort());
  });
});

describe("updating an index incrementally", () => {
  const MODIFIED = "004_35c4cf714ecaba77";
  const REMOVED = "000_40aae3a910703884";

  async function setUp(): Promise<{ input: string; out: string; before: LoadedIndex }> {
    const input = await copySeeds();
    const out = await newOut();
    expect((await buildIndex({ input, out })).status).toBe("built");
    return { input, out, before: await loadIndex(out) };
  }

  it("ignores a file that was only touched: its bytes are the same", async () => {
    const { input, out, before } = await setUp();
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(input, `${MODIFIED}.txt`), later, later);
    const report = await buildIndex({ input, out });
    expect(report).toMatchObject({
      status: "unchanged",
      changed: 0,
      generation: before.generation,
    });
  });

  it("re-indexes a modified file: its new words are found, its old ones are not", async () => {
    const { input, out, before } = await setUp();
    const old = wordOnlyIn(before, MODIFIED);
    expect(ids(before.miniSearch, "zeppelins Moulinsart")).toEqual([]);
    expect(before.vocabulary.get("zeppelins")).toBeUndefined();

    await writeFile(
      path.join(input, `${MODIFIED}.txt`),
      "Le capitaine inspecte les zeppelins\n\nÀ Moulinsart, le capitaine Haddock inspecte les zeppelins de la marine.\n",
    );
    const report = await buildIndex({ input, out });
    expect(report).toMatchObject({
      status: "updated",
      documents: 5,
      added: 0,
      changed: 1,
      removed: 0,
    });
    expect(report.generation).not.toBe(before.generation);

    const after = await loadIndex(out);
    expect(after.generation).toBe(report.generation);
    expect(ids(after.miniSearch, "zeppelins")).toEqual([MODIFIED]);
    expect(ids(after.miniSearch, "Moulinsart")).toEqual([MODIFIED]);
    expect(ids(after.miniSearch, old.form)).toEqual([]);
    expect(after.vocabulary.get(old.key)).toBeUndefined();
    expect(after.vocabulary.get("zeppelins")).toMatchObject({
      documents: 1,
      forms: { zeppelins: 1 },
    });
    expect(after.documents.get(MODIFIED)?.title).toBe("Le capitaine inspecte les zeppelins");
    await expectSameAsFresh(after, input);
  });

  it("adds a new file", async () => {
    const { input, out } = await setUp();
    await writeFile(
      path.join(input, "005_nouveau.txt"),
      "Les ornithorynques débarquent\n\nDes ornithorynques ont été aperçus dans le port de Brest.\n",
    );
    const report = await buildIndex({ input, out });
    expect(report).toMatchObject({
      status: "updated",
      documents: 6,
      added: 1,
      changed: 0,
      removed: 0,
    });
    const after = await loadIndex(out);
    expect(after.documents.has("005_nouveau")).toBe(true);
    expect(ids(after.miniSearch, "ornithorynque")).toEqual(["005_nouveau"]);
    expect(after.vocabulary.get("ornithorynques")?.documents).toBe(1);
    await expectSameAsFresh(after, input);
  });

  it("removes a deleted file from search, documents and vocabulary counts", async () => {
    const { input, out, before } = await setUp();
    const only = wordOnlyIn(before, REMOVED);
    const shared = sharedWordOf(before, REMOVED);
    expect(ids(before.miniSearch, "OTAN Irak")).toContain(REMOVED);

    await rm(path.join(input, `${REMOVED}.txt`));
    const report = await buildIndex({ input, out });
    expect(report).toMatchObject({
      status: "updated",
      documents: 4,
      added: 0,
      changed: 0,
      removed: 1,
    });

    const after = await loadIndex(out);
    expect(after.documents.has(REMOVED)).toBe(false);
    expect(after.manifest.documents).toBe(4);
    expect(after.miniSearch.has(REMOVED)).toBe(false);
    expect(ids(after.miniSearch, "OTAN Irak")).not.toContain(REMOVED);
    expect(ids(after.miniSearch, "OTAN Irak").length).toBeGreaterThan(0);
    expect(ids(after.miniSearch, only.form)).toEqual([]);
    expect(after.vocabulary.get(only.key)).toBeUndefined();
    expect(after.vocabulary.get(shared.key)?.documents).toBe(shared.documents - 1);
    await expectSameAsFresh(after, input);
  });

  it("keeps a file it can no longer read as last indexed, and says so; an emptied one goes", async () => {
    const { input, out, before } = await setUp();
    const title = before.documents.get(MODIFIED)?.title;
    // An edit that left a Latin-1 byte: the file is still there, and reads as no UTF-8.
    await appendFile(path.join(input, `${MODIFIED}.txt`), Buffer.from("\nDéjà.", "latin1"));
    const report = await buildIndex({ input, out });
    expect(report.skipped.map((entry) => entry.source)).toEqual([`${MODIFIED}.txt`]);
    expect(report.kept).toEqual([{ source: `${MODIFIED}.txt`, documents: 1 }]);
    expect(report).toMatchObject({ documents: 5, removed: 0 });
    const after = await loadIndex(out);
    expect(after.documents.get(MODIFIED)?.title).toBe(title);
    // Nothing changed but that: the next run finds the index as it is.
    expect((await buildIndex({ input, out })).status).toBe("unchanged");

    // Rebuilt from scratch, it is read as it is: skipped, not kept.
    const forced = await buildIndex({ input, out, force: true });
    expect(forced).toMatchObject({ documents: 4, kept: [] });

    // Emptied, a file is meant empty: its document goes.
    await writeFile(path.join(input, `${MODIFIED}.txt`), before.documents.get(MODIFIED)!.body);
    expect((await buildIndex({ input, out })).documents).toBe(5);
    await writeFile(path.join(input, `${MODIFIED}.txt`), "");
    const emptied = await buildIndex({ input, out });
    expect(emptied).toMatchObject({ documents: 4, removed: 1, kept: [] });
  });

  it("keeps a records file whose JSON broke as last indexed; one bad record goes alone", async () => {
    const input = await tempDir();
    const records = (last: string) =>
      `[\n{"id": "r1", "title": "Un", "body": "mission"},\n{"id": "r2", "title": "Deux", "body": "mission"}${last}\n]\n`;
    await writeFile(path.join(input, "recs.json"), records(""));
    // Another file: with none left to read, the run stops and leaves the index as it was.
    await writeFile(path.join(input, "note.txt"), "Une note\n\nUne mission de plus.\n");
    const out = await newOut();
    expect((await buildIndex({ input, out })).documents).toBe(3);
    // A trailing comma: the file is no JSON, and its skip names the line.
    await writeFile(path.join(input, "recs.json"), records(","));
    const broken = await buildIndex({ input, out });
    expect(broken.skipped.map((entry) => entry.reason)).toEqual([
      expect.stringMatching(
        /^line \d+: invalid JSON \([^\n]+\): fix the syntax; no record of this file is indexed$/,
      ),
    ]);
    expect(broken).toMatchObject({
      documents: 3,
      removed: 0,
      kept: [{ source: "recs.json", documents: 2 }],
    });
    // One record without an id: it alone goes, with its reason; the file was read.
    await writeFile(
      path.join(input, "recs.json"),
      '[\n{"id": "r1", "title": "Un", "body": "mission"},\n{"title": "Deux", "body": "mission"}\n]\n',
    );
    const one = await buildIndex({ input, out });
    expect(one).toMatchObject({ documents: 2, removed: 1, kept: [] });
  });

  it("applies an addition, a change and a removal in one run, then a second run is a no-op", async () => {
    const { input, out } = await setUp();
    await rm(path.join(input, `${REMOVED}.txt`));
    await appendFile(
      path.join(input, `${MODIFIED}.txt`),
      "\nLes cormorans de Camargue sont de retour.\n",
    );
    await mkdir(path.join(input, "sub"));
    await cp(path.join(SEEDS, `${REMOVED}.txt`), path.join(input, "sub", "copie.txt"));
    const report = await buildIndex({ input, out });
    expect(report).toMatchObject({
      status: "updated",
      documents: 5,
      added: 1,
      changed: 1,
      removed: 1,
    });
    const after = await loadIndex(out);
    expect(ids(after.miniSearch, "cormorans Camargue")).toEqual([MODIFIED]);
    expect(ids(after.miniSearch, "OTAN Irak")).toContain("sub/copie");
    await expectSameAsFresh(after, input);
    expect(await buildIndex({ input, out })).toMatchObject({
      status: "unchanged",
      generation: report.generation,
    });
  });

  it("gets back to the exact index of the original input after undoing the changes", async () => {
    const { input, out, before } = await setUp();
    // Opened now: the generation it reads from is removed two builds later.
    const beforeMiniSearch = before.miniSearch;
    const original = await readFile(path.join(input, `${REMOVED}.txt`));
    await rm(path.join(input, `${REMOVED}.txt`));
    await buildIndex({ input, out });
    await writeFile(path.join(input, `${REMOVED}.txt`), original);
    expect(await buildIndex({ input, out })).toMatchObject({ status: "updated", added: 1 });
    const after = await loadIndex(out);
    expect(after.vocabulary.toJSON()).toEqual(before.vocabulary.toJSON());
    expectCloseAnswers(after.miniSearch, beforeMiniSearch);
  });
});

describe("an index of another folder", () => {
  it("is replaced with a note naming both folders; the same folder written otherwise gets none", async () => {
    const out = await newOut();
    await buildIndex({ input: SEEDS, out });
    const manifest = await verifyIndex(out);
    expect(manifest.manifest.input).toBe(path.resolve(SEEDS));
    const other = await tempDir();
    await writeFile(path.join(other, "note.txt"), "Une note\n\nLe texte de la note.\n");
    const log: string[] = [];
    const report = await buildIndex({ input: other, out, log: (line) => log.push(line) });
    expect(report).toMatchObject({ documents: 1, removed: 5, added: 1 });
    expect(log).toEqual([
      `'${out}' held the index of '${path.resolve(SEEDS)}': it now indexes '${other}' instead`,
    ]);
    await writeFile(path.join(other, "autre.txt"), "Une autre\n\nUn autre texte.\n");
    const again: string[] = [];
    await buildIndex({
      input: path.join(other, ".", "..", path.basename(other)),
      out,
      log: (line) => again.push(line),
    });
    expect(again).toEqual([]);
  });
});

describe("an index that cannot be updated is rebuilt", () => {
  it("after a change of analysis chain: loading refuses it, building starts over", async () => {
    const out = await newOut();
    const { generation } = await buildIndex({ input: SEEDS, out });
    const manifestFile = path.join(out, generation, "manifest.json");
    const manifest = await readJson<Manifest>(manifestFile);
    manifest.analysis.fingerprint = "0123456789abcdef";
    await writeJson(manifestFile, manifest);

    const refusal = await loadIndex(out).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(IndexError);
    expect((refusal as Error).message).toContain("another analysis chain");
    expect((refusal as Error).message).toContain(path.join(out, generation));
    expect((refusal as Error).message).toContain("--force");

    const log: string[] = [];
    const report = await buildIndex({ input: SEEDS, out, log: (line) => log.push(line) });
    expect(report).toMatchObject({ status: "built", documents: 5, added: 5 });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/^rebuilding from scratch: .*another analysis chain/);
    const loaded = await loadIndex(out);
    expect(loaded.generation).toBe(report.generation);
    expect(loaded.documents.size).toBe(5);
  });

  it("after damage to a data file", async () => {
    const out = await newOut();
    const { generation } = await buildIndex({ input: SEEDS, out });
    const file = path.join(out, generation, "vocabulary.txt");
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 10));
    const log: string[] = [];
    const report = await buildIndex({ input: SEEDS, out, log: (line) => log.push(line) });
    expect(report.status).toBe("built");
    expect(log.join("\n")).toMatch(/rebuilding from scratch: .*vocabulary\.txt.*truncated/);
    expect((await loadIndex(out)).documents.size).toBe(5);
  });

  it("not when nothing is wrong: no log line", async () => {
    const out = await newOut();
    await buildIndex({ input: SEEDS, out });
    const log: string[] = [];
    await buildIndex({ input: SEEDS, out, log: (line) => log.push(line) });
    expect(log).toEqual([]);
  });
});

describe("bad files in the input", () => {
  const BAD: Record<string, { content: Buffer; reason: RegExp }> = {
    "empty.txt": { content: Buffer.alloc(0), reason: /^empty file$/ },
    "binary.txt": {
      content: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]),
      reason: /binary/,
    },
    "latin1.txt": {
      content: Buffer.from("Un été à Noël, déjà réglé.\n\nLe café était très chaud.", "latin1"),
      reason: /not valid UTF-8/,
    },
    "huge.txt": { content: Buffer.from("Un texte très long. ".repeat(1000)), reason: /too large/ },
    "blank.md": { content: Buffer.from("  \n\t\n   \n"), reason: /only whitespace/ },
  };
  const MAX_BYTES = 10_000;

  async function badInput(withSeeds: boolean): Promise<string> {
    const input = withSeeds ? await copySeeds() : path.join(await tempDir(), "bad");
    await mkdir(input, { recursive: true });
    for (const [name, { content }] of Object.entries(BAD))
      await writeFile(path.join(input, name), content);
    return input;
  }

  it("skips each with its reason and indexes the rest", async () => {
    const input = await badInput(true);
    const out = await newOut();
    const report = await buildIndex({ input, out, maxBytes: MAX_BYTES });
    expect(report).toMatchObject({ status: "built", documents: 5 });
    expect(report.skipped.map((skipped) => skipped.source)).toEqual(Object.keys(BAD).sort());
    for (const skipped of report.skipped)
      expect(skipped.reason).toMatch(BAD[skipped.source]!.reason);

    const loaded = await loadIndex(out);
    expect([...loaded.documents.keys()]).toEqual(SEED_IDS);
    expect(Object.keys((await verifyIndex(out)).sources)).toHaveLength(5);
    for (const name of Object.keys(BAD))
      expect(loaded.miniSearch.has(name.replace(/\.\w+$/, ""))).toBe(false);

    // The huge file is fine below a higher limit: it is then added.
    const bigger = await buildIndex({ input, out, maxBytes: 1_000_000 });
    expect(bigger).toMatchObject({ status: "updated", added: 1, documents: 6 });
    expect(bigger.skipped).toHaveLength(4);
  });

  it("refuses an input of bad files only and leaves the previous index as it was", async () => {
    const out = await newOut();
    const previous = await buildIndex({ input: SEEDS, out });
    const before = await entries(out);
    const input = await badInput(false);

    const failure = await buildIndex({ input, out, maxBytes: MAX_BYTES }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(IndexError);
    expect((failure as Error).message).toContain(`nothing to index in '${input}'`);
    expect((failure as Error).message).toContain(
      `all ${Object.keys(BAD).length} files were skipped`,
    );
    expect((failure as IndexError).skipped.map((skipped) => skipped.source)).toEqual(
      Object.keys(BAD).sort(),
    );

    expect(await currentGeneration(out)).toBe(previous.generation);
    expect(await entries(out)).toEqual(before);
    const loaded = await loadIndex(out);
    expect([...loaded.documents.keys()]).toEqual(SEED_IDS);
  });

  it("refuses a folder with no source file at all", async () => {
    const input = path.join(await tempDir(), "vide");
    await mkdir(input);
    await writeFile(path.join(input, "notes.pdf"), "pas un texte");
    const out = await newOut();
    await expect(buildIndex({ input, out })).rejects.toThrow(
      /nothing to index in .*no \.txt, \.md, \.markdown, \.html, \.htm, \.json, \.ndjson or \.jsonl file/,
    );
  });

  it("refuses a missing input folder, naming it", async () => {
    const out = await newOut();
    const input = path.join(await tempDir(), "absent");
    await expect(buildIndex({ input, out })).rejects.toThrow(
      `input folder '${input}' does not exist`,
    );
  });
});
