/**
 * Loading a persisted index, refusing anything it cannot trust: a missing or unknown
 * generation, a manifest that does not parse, a data file whose checksum differs, an index
 * made by another format or analysis chain. Every refusal names the file and the fix.
 */
import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import MiniSearch from "minisearch";
import type { Analyzer } from "../analysis/index.js";
import { hashBytes } from "../corpus/index.js";
import type { LoupeDocument } from "../corpus/types.js";
import { indexAnalyzer } from "./analyzer.js";
import { DocumentStore } from "./document-store.js";
import { type Catalog, DocumentTable } from "./documents.js";
import { IndexError } from "./errors.js";
import {
  DATA_FILES,
  type DataFile,
  FORMAT_VERSION,
  isSources,
  LOADED_FILES,
  type Manifest,
  manifestSchema,
  type Sources,
} from "./manifest.js";
import { type IndexedFields, miniSearchOptions } from "./minisearch-json.js";
import { Postings } from "./postings.js";
import { decodePostings } from "./postings-file.js";
import { currentGeneration } from "./store.js";
import { Vocabulary } from "./vocabulary.js";

export interface LoadedIndex {
  dir: string;
  generation: string;
  manifest: Manifest;
  postings: Postings;
  /** By id and by ordinal (id order). */
  documents: DocumentTable;
  vocabulary: Vocabulary;
  /** The analysis chain that made its terms (the French one, plus its settings' stopWords). */
  analyzer: Analyzer;
  /**
   * MiniSearch over the same terms and documents, as MiniSearch users open loupe's index:
   * read (and its checksum checked) on first use only, since loupe never searches with it.
   */
  readonly miniSearch: MiniSearch<IndexedFields>;
}

/**
 * How to rebuild the index in `dir` (an index folder, or one of its generations): the command
 * for that folder, not only the default one (`--index dmg` was told to rebuild `index/`).
 */
function rebuild(dir: string): string {
  const indexDir = /^gen-/.test(path.basename(dir)) ? path.dirname(dir) : dir;
  return `run \`loupe index --force --input DOCUMENTS --out ${indexDir}\`, DOCUMENTS being the folder it was built from (for the default index: \`npm run index -- --force\`)`;
}

export interface LoadOptions {
  /** Accepted for callers of the earlier loader; loading no longer rebuilds a tree in steps. */
  background?: boolean;
}

export async function loadIndex(dir: string, _options: LoadOptions = {}): Promise<LoadedIndex> {
  const { generation, genDir, manifest, data, analyzer } = await readVerified(dir, LOADED_FILES);
  const [postingsBytes, storeBytes, catalogBytes, vocabularyBytes] = data as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
  ];
  const parsed = (name: DataFile, read: () => unknown) => {
    try {
      return read();
    } catch (error) {
      // Checksums matched, so this is a file loupe wrote wrongly, not damage on disk.
      throw new IndexError(
        `'${path.join(genDir, name)}' cannot be read (${(error as Error).message}): ${rebuild(genDir)}`,
      );
    }
  };
  const postings = parsed(
    "postings.bin",
    () => new Postings(decodePostings(postingsBytes)),
  ) as Postings;
  const documents = parsed("documents.bin", () =>
    DocumentTable.stored(
      JSON.parse(catalogBytes.toString("utf8")) as Catalog,
      new DocumentStore(storeBytes),
    ),
  ) as DocumentTable;
  const vocabulary = parsed("vocabulary.txt", () =>
    Vocabulary.fromText(vocabularyBytes.toString("utf8")),
  ) as Vocabulary;
  if (documents.size !== manifest.documents || postings.documentCount !== manifest.documents) {
    throw new IndexError(
      `'${genDir}' cannot be read (it holds ${documents.size} documents where the manifest says ${manifest.documents}): ${rebuild(genDir)}`,
    );
  }
  let miniSearch: MiniSearch<IndexedFields> | undefined;
  return {
    dir,
    generation,
    manifest,
    postings,
    documents,
    vocabulary,
    analyzer,
    get miniSearch() {
      if (miniSearch === undefined) {
        const file = path.join(genDir, "minisearch.json");
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch (error) {
          throw unreadable(file, error, genDir);
        }
        checkData(genDir, manifest, "minisearch.json", bytes);
        miniSearch = MiniSearch.loadJSON<IndexedFields>(
          bytes.toString("utf8"),
          miniSearchOptions(),
        );
      }
      return miniSearch;
    },
  };
}

/**
 * The documents of the index in `dir` read from a source (a path relative to the input
 * folder, as documents record it) that `wanted` accepts, if the index is sound; none otherwise.
 */
export async function storedDocumentsFrom(
  dir: string,
  wanted: (source: string) => boolean,
): Promise<LoupeDocument[]> {
  let bytes: Buffer | undefined;
  try {
    bytes = (await readVerified(dir, ["documents.bin"])).data[0];
  } catch {
    return [];
  }
  if (bytes === undefined) return [];
  const store = new DocumentStore(bytes);
  const found: LoupeDocument[] = [];
  for (let ordinal = 0; ordinal < store.size; ordinal++) {
    if (wanted(store.meta(ordinal).source)) found.push(store.get(ordinal));
  }
  return found;
}

/**
 * The current generation's manifest and sources after every check `loadIndex` makes
 * (compatible, every data file present with its checksum), without parsing the rest: enough to
 * know the index on disk is sound and what went into it.
 */
export async function verifyIndex(dir: string): Promise<{ manifest: Manifest; sources: Sources }> {
  const { manifest, genDir, data } = await readVerified(dir, DATA_FILES);
  const bytes = data[DATA_FILES.indexOf("sources.json")]!;
  let sources: unknown;
  try {
    sources = JSON.parse(bytes.toString("utf8"));
  } catch {
    sources = undefined;
  }
  if (!isSources(sources)) {
    throw new IndexError(
      `'${path.join(genDir, "sources.json")}' cannot be read (not an object of document id → sha256): ${rebuild(genDir)}`,
    );
  }
  return { manifest, sources };
}

async function readVerified(
  dir: string,
  names: readonly DataFile[],
): Promise<{
  generation: string;
  genDir: string;
  manifest: Manifest;
  data: Buffer[];
  analyzer: Analyzer;
}> {
  const generation = await currentGeneration(dir);
  if (generation === undefined) {
    const pointer = path.join(dir, "CURRENT");
    // Read, not looked for: in a folder this user may not enter, `CURRENT` looked absent, and
    // the answer was "no index: run npm run index", which would fail too (QA).
    let present = true;
    try {
      await readFile(pointer);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw unreadable(pointer, error, dir);
      present = false;
    }
    if (present) {
      throw new IndexError(
        `'${pointer}' is corrupt (it names no index generation): ${rebuild(dir)}`,
      );
    }
    // A folder of documents given as the index: indexing into it would be refused (QA).
    const held = await readdir(dir).catch(() => [] as string[]);
    const file = held.find((name) => !name.startsWith("."));
    if (file !== undefined) {
      throw new IndexError(
        `no index in '${dir}', which holds other files ('${file}'): if they are the documents, index them into a folder of its own with \`loupe index --input ${dir} --out INDEX\` and pass that folder, INDEX`,
      );
    }
    throw new IndexError(
      `no index in '${dir}': run \`npm run index\` (or \`loupe index --out ${dir}\`)`,
    );
  }
  const genDir = path.join(dir, generation);
  const manifest = await readManifest(genDir);
  const analyzer = checkCompatible(manifest, genDir);
  const data = await Promise.all(names.map((name) => readData(genDir, manifest, name)));
  return { generation, genDir, manifest, data, analyzer };
}

/**
 * Why an index file could not be read: missing (a damaged index, rebuilt), or not readable by
 * this user, which a rebuild would not mend (a file of mode 000 was said to be missing).
 */
function unreadable(file: string, error: unknown, dir: string): IndexError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") {
    return new IndexError(
      `'${file}' cannot be read (permission denied): give the user running loupe read access to '${path.dirname(file)}' and its files (chmod, chown); the index itself may be sound`,
    );
  }
  return new IndexError(
    `'${file}' is missing${code === "ENOENT" || code === undefined ? "" : ` (${code})`}: the index is damaged; ${rebuild(dir)}`,
  );
}

async function readManifest(genDir: string): Promise<Manifest> {
  const file = path.join(genDir, "manifest.json");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw unreadable(file, error, genDir);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new IndexError(`'${file}' is corrupt (not JSON): ${rebuild(genDir)}`);
  }
  // An index of another format may list other files: its format is checked before its shape.
  const format = (parsed as { format?: unknown } | null)?.format;
  if (typeof format === "number" && format !== FORMAT_VERSION) {
    throw new IndexError(
      `'${genDir}' has index format ${format}, this loupe reads format ${FORMAT_VERSION}: ${rebuild(genDir)}`,
    );
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new IndexError(
      `'${file}' is not a loupe manifest (${issue?.path.join(".") || "root"}: ${issue?.message}): ${rebuild(genDir)}`,
    );
  }
  return result.data;
}

/** The chain the index's terms were made with, when this loupe has it. */
function checkCompatible(manifest: Manifest, genDir: string): Analyzer {
  if (manifest.format !== FORMAT_VERSION) {
    throw new IndexError(
      `'${genDir}' has index format ${manifest.format}, this loupe reads format ${FORMAT_VERSION}: ${rebuild(genDir)}`,
    );
  }
  const analyzer = indexAnalyzer(manifest.settings);
  if (analyzer === undefined) {
    throw new IndexError(
      `'${path.join(genDir, "manifest.json")}' is not a loupe manifest (settings: not the settings' JSON): ${rebuild(genDir)}`,
    );
  }
  // The chain in use, with the index's own stopwords when it has some.
  if (manifest.analysis.fingerprint !== analyzer.fingerprint) {
    throw new IndexError(
      `'${genDir}' was built by another analysis chain (${manifest.analysis.version}, this loupe has ${analyzer.version}): rebuild it: ${rebuild(genDir)}`,
    );
  }
  return analyzer;
}

async function readData(genDir: string, manifest: Manifest, name: DataFile): Promise<Buffer> {
  const file = path.join(genDir, name);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw unreadable(file, error, genDir);
  }
  checkData(genDir, manifest, name, bytes);
  return bytes;
}

function checkData(genDir: string, manifest: Manifest, name: DataFile, bytes: Buffer): void {
  const file = path.join(genDir, name);
  const expected = manifest.data[name];
  if (bytes.length !== expected.bytes) {
    throw new IndexError(
      `'${file}' is corrupt (${bytes.length < expected.bytes ? "truncated" : "too long"}: ${bytes.length} bytes, expected ${expected.bytes}): ${rebuild(genDir)}`,
    );
  }
  if (hashBytes(bytes) !== expected.sha256) {
    throw new IndexError(`'${file}' is corrupt (checksum mismatch): ${rebuild(genDir)}`);
  }
}
