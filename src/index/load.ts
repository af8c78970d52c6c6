/**
 * Loading a persisted index, refusing anything it cannot trust: a missing or unknown
 * generation, a manifest that does not parse, a data file whose checksum differs, an index
 * made by another format or analysis chain. Every refusal names the file and the fix.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import MiniSearch from "minisearch";
import { ANALYSIS_VERSION, analysisFingerprint } from "../analysis/index.js";
import { hashBytes } from "../corpus/index.js";
import type { LoupeDocument } from "../corpus/types.js";
import { IndexError } from "./errors.js";
import { type IndexedFields, miniSearchOptions } from "./fields.js";
import { type DataFile, FORMAT_VERSION, type Manifest, manifestSchema } from "./manifest.js";
import { currentGeneration } from "./store.js";
import { Vocabulary, type VocabularyJSON } from "./vocabulary.js";

export interface LoadedIndex {
  dir: string;
  generation: string;
  manifest: Manifest;
  miniSearch: MiniSearch<IndexedFields>;
  /** In the order of the input folder. */
  documents: Map<string, LoupeDocument>;
  vocabulary: Vocabulary;
}

const REBUILD = "run `npm run index -- --force` (or `loupe index --force`)";

export interface LoadOptions {
  /**
   * Rebuild MiniSearch's tree in small steps that let other work run (a server swapping in a
   * new index while it answers): about twice as slow as all at once, which start-up uses.
   */
  background?: boolean;
}

export async function loadIndex(dir: string, options: LoadOptions = {}): Promise<LoadedIndex> {
  const { generation, genDir, manifest, data } = await readVerified(dir);
  const [searchJson, documentsJson, vocabularyJson] = data;
  try {
    const miniSearch = options.background
      ? await MiniSearch.loadJSONAsync<IndexedFields>(searchJson, miniSearchOptions())
      : MiniSearch.loadJSON<IndexedFields>(searchJson, miniSearchOptions());
    const documents = new Map<string, LoupeDocument>();
    for (const doc of JSON.parse(documentsJson) as LoupeDocument[]) documents.set(doc.id, doc);
    const vocabulary = Vocabulary.fromJSON(JSON.parse(vocabularyJson) as VocabularyJSON);
    if (documents.size !== manifest.documents || miniSearch.documentCount !== manifest.documents) {
      throw new Error(
        `it holds ${documents.size} documents where the manifest says ${manifest.documents}`,
      );
    }
    return { dir, generation, manifest, miniSearch, documents, vocabulary };
  } catch (error) {
    // Checksums matched, so this is a file loupe wrote wrongly, not damage on disk.
    throw new IndexError(`'${genDir}' cannot be read (${(error as Error).message}): ${REBUILD}`);
  }
}

/**
 * The current generation's manifest after every check `loadIndex` makes (compatible, every
 * data file present with its checksum), without parsing anything: enough to know the index on
 * disk is sound and what went into it.
 */
export async function verifyIndex(dir: string): Promise<Manifest> {
  return (await readVerified(dir)).manifest;
}

async function readVerified(dir: string): Promise<{
  generation: string;
  genDir: string;
  manifest: Manifest;
  data: [string, string, string];
}> {
  const generation = await currentGeneration(dir);
  if (generation === undefined) {
    const pointer = path.join(dir, "CURRENT");
    if (existsSync(pointer)) {
      throw new IndexError(`'${pointer}' is corrupt (it names no index generation): ${REBUILD}`);
    }
    throw new IndexError(
      `no index in '${dir}': run \`npm run index\` (or \`loupe index --out ${dir}\`)`,
    );
  }
  const genDir = path.join(dir, generation);
  const manifest = await readManifest(genDir);
  checkCompatible(manifest, genDir);
  const data = await Promise.all([
    readData(genDir, manifest, "minisearch.json"),
    readData(genDir, manifest, "documents.json"),
    readData(genDir, manifest, "vocabulary.json"),
  ]);
  return { generation, genDir, manifest, data };
}

async function readManifest(genDir: string): Promise<Manifest> {
  const file = path.join(genDir, "manifest.json");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new IndexError(`'${file}' is missing: the index is damaged; ${REBUILD}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new IndexError(`'${file}' is corrupt (not JSON): ${REBUILD}`);
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new IndexError(
      `'${file}' is not a loupe manifest (${issue?.path.join(".") || "root"}: ${issue?.message}): ${REBUILD}`,
    );
  }
  return result.data;
}

function checkCompatible(manifest: Manifest, genDir: string): void {
  if (manifest.format !== FORMAT_VERSION) {
    throw new IndexError(
      `'${genDir}' has index format ${manifest.format}, this loupe reads format ${FORMAT_VERSION}: ${REBUILD}`,
    );
  }
  if (manifest.analysis.fingerprint !== analysisFingerprint()) {
    throw new IndexError(
      `'${genDir}' was built by another analysis chain (${manifest.analysis.version}, this loupe has ${ANALYSIS_VERSION}): rebuild it: ${REBUILD}`,
    );
  }
}

async function readData(genDir: string, manifest: Manifest, name: DataFile): Promise<string> {
  const file = path.join(genDir, name);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    throw new IndexError(`'${file}' is missing: the index is damaged; ${REBUILD}`);
  }
  const expected = manifest.data[name];
  if (bytes.length !== expected.bytes) {
    throw new IndexError(
      `'${file}' is corrupt (${bytes.length < expected.bytes ? "truncated" : "too long"}: ${bytes.length} bytes, expected ${expected.bytes}): ${REBUILD}`,
    );
  }
  if (hashBytes(bytes) !== expected.sha256) {
    throw new IndexError(`'${file}' is corrupt (checksum mismatch): ${REBUILD}`);
  }
  return bytes.toString("utf8");
}
