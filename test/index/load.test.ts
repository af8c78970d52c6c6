import { createHash } from "node:crypto";
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildIndex } from "../../src/index/build.js";
import { IndexError } from "../../src/index/errors.js";
import { loadIndex, verifyIndex } from "../../src/index/load.js";
import { DATA_FILES, FORMAT_VERSION, type Manifest } from "../../src/index/manifest.js";
import { answers, readJson, removeTemps, SEEDS, tempDir, writeJson } from "./helpers.js";

afterAll(removeTemps);

/** What every refusal of a damaged index tells the user to do. */
const FIX = "npm run index -- --force";

let pristine: string;
let generation: string;
let out: string;
let genDir: string;

beforeAll(async () => {
  pristine = path.join(await tempDir(), "index");
  generation = (await buildIndex({ input: SEEDS, out: pristine })).generation;
});

beforeEach(async () => {
  out = path.join(await tempDir(), "index");
  await cp(pristine, out, { recursive: true });
  genDir = path.join(out, generation);
});

/**
 * The index refused by `loadIndex`, or when opened for MiniSearch (minisearch.json, which loupe
 * does not load), or by the indexer's `verifyIndex` (sources.json, which only it reads).
 */
async function refusal(dir = out): Promise<IndexError> {
  const error = await loadIndex(dir)
    .then(
      async (index) => {
        void index.miniSearch;
        await verifyIndex(dir);
        return undefined;
      },
      (caught: unknown) => caught,
    )
    .catch((caught: unknown) => caught);
  expect(error, "the index should have been refused").toBeInstanceOf(IndexError);
  return error as IndexError;
}

async function editManifest(edit: (manifest: Record<string, unknown>) => void): Promise<void> {
  const file = path.join(genDir, "manifest.json");
  const manifest = await readJson<Record<string, unknown>>(file);
  edit(manifest);
  await writeJson(file, manifest);
}

/** A damaged index is also one `buildIndex` rebuilds from scratch, saying why. */
async function expectRebuilt(why: RegExp): Promise<void> {
  const log: string[] = [];
  const report = await buildIndex({ input: SEEDS, out, log: (line) => log.push(line) });
  expect(report.status).toBe("built");
  expect(log.join("\n")).toMatch(why);
  expect((await loadIndex(out)).documents.size).toBe(5);
}

describe("loadIndex", () => {
  it("loads an intact index", async () => {
    const loaded = await loadIndex(out);
    expect(loaded.generation).toBe(generation);
    expect(loaded.dir).toBe(out);
    expect(loaded.documents.size).toBe(5);
    expect(loaded.manifest.documents).toBe(5);
    expect(answers(loaded.miniSearch)).toEqual(answers((await loadIndex(pristine)).miniSearch));
  });

  it("refuses a folder with no index, saying how to build one", async () => {
    const empty = path.join(await tempDir(), "empty");
    await mkdir(empty);
    const error = await refusal(empty);
    expect(error.message).toContain(`no index in '${empty}'`);
    expect(error.message).toContain("npm run index");
    expect(error.message).toContain(`--out ${empty}`);
    expect((await refusal(path.join(empty, "missing"))).message).toContain("no index in");
    // A folder of documents: indexing into it, as the message said, was then refused (QA).
    const documents = path.join(await tempDir(), "docs");
    await mkdir(documents);
    await writeFile(path.join(documents, "articles.json"), "[]");
    const said = (await refusal(documents)).message;
    expect(said).toContain(`no index in '${documents}', which holds other files ('articles.json')`);
    expect(said).toContain(`loupe index --input ${documents} --out INDEX`);
    expect(said).not.toContain(`--out ${documents}`);
  });

  it("refuses a CURRENT that names no generation", async () => {
    await writeFile(path.join(out, "CURRENT"), "../../etc\n");
    const error = await refusal();
    expect(error.message).toContain(`'${path.join(out, "CURRENT")}' is corrupt`);
    expect(error.message).toContain(FIX);
  });

  it("refuses a CURRENT naming a generation that is not there", async () => {
    const missing = "gen-20000101t000000-deadbeef";
    await writeFile(path.join(out, "CURRENT"), `${missing}\n`);
    const error = await refusal();
    expect(error.message).toContain(path.join(out, missing, "manifest.json"));
    expect(error.message).toContain("is missing");
    expect(error.message).toContain(FIX);
    await expectRebuilt(/rebuilding from scratch: .*is missing/);
  });

  it("refuses a manifest that is not JSON", async () => {
    const file = path.join(genDir, "manifest.json");
    const text = await readFile(file, "utf8");
    await writeFile(file, text.slice(0, text.length / 2));
    const error = await refusal();
    expect(error.message).toContain(`'${file}' is corrupt (not JSON)`);
    expect(error.message).toContain(FIX);
    await expectRebuilt(/rebuilding from scratch: .*manifest\.json' is corrupt \(not JSON\)/);
  });

  it("refuses a manifest that does not follow the schema, naming the field", async () => {
    await editManifest((manifest) => {
      delete manifest.data;
    });
    let error = await refusal();
    expect(error.message).toContain(
      `'${path.join(genDir, "manifest.json")}' is not a loupe manifest (data:`,
    );
    expect(error.message).toContain(FIX);

    await cp(pristine, out, { recursive: true });
    await editManifest((manifest) => {
      (manifest.data as Record<string, { sha256: string }>)["documents.bin"]!.sha256 = "abc";
    });
    error = await refusal();
    expect(error.message).toContain("is not a loupe manifest (data.documents.bin.sha256:");

    // Sources whose checksum matches but which are no map of ids to hashes: written wrongly.
    await cp(pristine, out, { recursive: true });
    const sourcesFile = path.join(genDir, "sources.json");
    const sources = await readJson<Record<string, unknown>>(sourcesFile);
    sources[Object.keys(sources)[0]!] = 42;
    await writeJson(sourcesFile, sources);
    const written = await readFile(sourcesFile);
    await editManifest((manifest) => {
      (manifest.data as Record<string, { bytes: number; sha256: string }>)["sources.json"] = {
        bytes: written.length,
        sha256: createHash("sha256").update(written).digest("hex"),
      };
    });
    error = await refusal();
    expect(error.message).toContain(
      `'${sourcesFile}' cannot be read (not an object of document id → sha256)`,
    );

    await cp(pristine, out, { recursive: true });
    await editManifest((manifest) => {
      manifest.documents = "five";
    });
    error = await refusal();
    expect(error.message).toContain("is not a loupe manifest (documents:");
    await expectRebuilt(/rebuilding from scratch: .*is not a loupe manifest/);
  });

  it("refuses an index of another format version", async () => {
    await editManifest((manifest) => {
      manifest.format = FORMAT_VERSION + 1;
    });
    const error = await refusal();
    expect(error.message).toContain(
      `'${genDir}' has index format ${FORMAT_VERSION + 1}, this loupe reads format ${FORMAT_VERSION}`,
    );
    expect(error.message).toContain(FIX);
    await expectRebuilt(
      new RegExp(`rebuilding from scratch: .*index format ${FORMAT_VERSION + 1}`),
    );
  });

  it("rebuilds an index of the previous format (no positions), never misreading it", async () => {
    // Format 1 held minisearch.json, documents.json and vocabulary.json, and no positions.
    await editManifest((manifest) => {
      manifest.format = 1;
      manifest.data = {
        "minisearch.json": { bytes: 2, sha256: "0".repeat(64) },
        "documents.json": { bytes: 2, sha256: "0".repeat(64) },
        "vocabulary.json": { bytes: 2, sha256: "0".repeat(64) },
      };
    });
    const error = await refusal();
    expect(error.message).toContain(
      `'${genDir}' has index format 1, this loupe reads format ${FORMAT_VERSION}`,
    );
    await expectRebuilt(/rebuilding from scratch: .*index format 1/);
  });

  it("rebuilds an index of format 2 (vocabulary in JSON, catalog without attribute columns), never misreading it", async () => {
    await editManifest((manifest) => {
      const data = manifest.data as Record<string, unknown>;
      manifest.format = 2;
      data["vocabulary.json"] = data["vocabulary.txt"];
      delete data["vocabulary.txt"];
    });
    const error = await refusal();
    expect(error.message).toContain(
      `'${genDir}' has index format 2, this loupe reads format ${FORMAT_VERSION}`,
    );
    await expectRebuilt(/rebuilding from scratch: .*index format 2/);
  });

  /** An index of an older `format`, whose `file` began with that format's `magic`. */
  async function expectOldMagicRebuilt(format: number, file: string, magic: string) {
    const bytes = await readFile(path.join(genDir, file));
    bytes.write(magic, 0, "latin1");
    await writeFile(path.join(genDir, file), bytes);
    await editManifest((manifest) => {
      manifest.format = format;
    });
    const error = await refusal();
    expect(error.message).toContain(
      `'${genDir}' has index format ${format}, this loupe reads format ${FORMAT_VERSION}`,
    );
    await expectRebuilt(new RegExp(`rebuilding from scratch: .*index format ${format}`));
  }

  it("rebuilds an index of format 3 (each document one JSON, bodies read whole), never misreading it", async () => {
    // Format 3's store began with the magic of the whole-JSON records.
    await expectOldMagicRebuilt(3, "documents.bin", "LOUPEDS1");
  });

  it("rebuilds an index of format 4 (sources listed in the manifest), never misreading it", async () => {
    const sourcesFile = path.join(genDir, "sources.json");
    const sources = await readJson<Record<string, string>>(sourcesFile);
    await rm(sourcesFile);
    await editManifest((manifest) => {
      manifest.format = 4;
      manifest.files = sources;
      delete (manifest.data as Record<string, unknown>)["sources.json"];
    });
    const error = await refusal();
    expect(error.message).toContain(
      `'${genDir}' has index format 4, this loupe reads format ${FORMAT_VERSION}`,
    );
    await expectRebuilt(/rebuilding from scratch: .*index format 4/);
  });

  it("rebuilds an index of format 5 (a position skip every 64 postings), never misreading it", async () => {
    // Format 5's postings began with the magic of skips every 64 postings: read with skips
    // every 16, its positions would be found at the wrong bytes.
    await expectOldMagicRebuilt(5, "postings.bin", "LOUPEPO2");
  });

  it("rebuilds an index of format 6 (no champion lists), never misreading it", async () => {
    // Format 6's postings ended after the terms: read as format 7's, it is shorter than its
    // header says, and a query would find no champion lists.
    await expectOldMagicRebuilt(6, "postings.bin", "LOUPEPO3");
  });

  it("rebuilds an index of format 7 (records stored flattened), never misreading it", async () => {
    await editManifest((manifest) => {
      manifest.format = 7;
    });
    const error = await refusal();
    expect(error.message).toContain(
      `'${genDir}' has index format 7, this loupe reads format ${FORMAT_VERSION}`,
    );
    await expectRebuilt(/rebuilding from scratch: .*index format 7/);
  });

  it("refuses an index made by another analysis chain", async () => {
    await editManifest((manifest) => {
      (manifest.analysis as Manifest["analysis"]).fingerprint = "ffffffffffffffff";
    });
    const error = await refusal();
    expect(error.message).toContain(`'${genDir}' was built by another analysis chain`);
    expect(error.message).toContain(FIX);
  });

  describe.each(DATA_FILES)("%s", (name) => {
    it("refuses it with one byte changed: checksum mismatch", async () => {
      const file = path.join(genDir, name);
      const bytes = await readFile(file);
      const at = Math.floor(bytes.length / 2);
      // Any byte but a quote or a backslash keeps the file as long and, often, valid JSON.
      bytes[at] = bytes[at] === 0x31 ? 0x32 : 0x31;
      await writeFile(file, bytes);
      const error = await refusal();
      expect(error.message).toContain(`'${file}' is corrupt (checksum mismatch)`);
      expect(error.message).toContain(FIX);
      await expectRebuilt(
        new RegExp(
          `rebuilding from scratch: .*${name.replace(".", "\\.")}' is corrupt \\(checksum`,
        ),
      );
    });

    it("refuses it truncated", async () => {
      const file = path.join(genDir, name);
      const bytes = await readFile(file);
      await writeFile(file, bytes.subarray(0, bytes.length - 1));
      const error = await refusal();
      expect(error.message).toContain(
        `'${file}' is corrupt (truncated: ${bytes.length - 1} bytes, expected ${bytes.length})`,
      );
      expect(error.message).toContain(FIX);
    });

    it("refuses it with bytes added", async () => {
      const file = path.join(genDir, name);
      const bytes = await readFile(file);
      await writeFile(file, Buffer.concat([bytes, Buffer.from("\n")]));
      const error = await refusal();
      expect(error.message).toContain(`'${file}' is corrupt`);
      expect(error.message).toContain(`${bytes.length + 1} bytes, expected ${bytes.length}`);
    });

    it("refuses it missing", async () => {
      const file = path.join(genDir, name);
      await rm(file);
      const error = await refusal();
      expect(error.message).toContain(`'${file}' is missing: the index is damaged`);
      expect(error.message).toContain(FIX);
      await expectRebuilt(
        new RegExp(`rebuilding from scratch: .*${name.replace(".", "\\.")}' is missing`),
      );
    });
  });

  it("refuses data whose checksums match but whose content disagrees with the manifest", async () => {
    await editManifest((manifest) => {
      manifest.documents = 6;
    });
    const error = await refusal();
    expect(error.message).toContain(
      `'${genDir}' cannot be read (it holds 5 documents where the manifest says 6)`,
    );
    expect(error.message).toContain(FIX);
  });
});
