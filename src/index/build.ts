/**
 * Building the persisted index from an input folder.
 *
 * Every file is read and hashed; when the current generation was built by this loupe from
 * exactly these files, nothing is written. Otherwise the whole index is built again from the
 * documents read, in one pass of the analysis chain per document: every file had to be read
 * to know what changed anyway, and building posting lists with positions from scratch costs
 * less than taking documents out of them (MiniSearch's discard + vacuum took longer than a
 * build at 100,000 documents). The report still says what was added, changed and removed.
 */
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type MiniSearch from "minisearch";
import { type Analyzer, currentAnalyzer, withAnalyzer } from "../analysis/index.js";
import {
  assertInputFolder,
  canonicalSettings,
  DEFAULT_SETTINGS,
  type LoupeSettings,
  loadSettings,
  type ReadCorpusOptions,
  readCorpus,
  SettingsError,
} from "../corpus/index.js";
import type { LoupeDocument, SkippedFile } from "../corpus/types.js";
import { LOUPE_VERSION } from "../version.js";
import { indexAnalyzer } from "./analyzer.js";
import { type BodyCheckpoints, encodeDocuments } from "./document-store.js";
import { catalogOf, DocumentTable } from "./documents.js";
import { IndexError } from "./errors.js";
import { Indexer } from "./indexer.js";
import type { LoadedIndex } from "./load.js";
import { storedDocumentsFrom, verifyIndex } from "./load.js";
import { FORMAT_VERSION, isSources, type Manifest, type Sources } from "./manifest.js";
import {
  describeOptions,
  type IndexedFields,
  miniSearchJson,
  toMiniSearch,
} from "./minisearch-json.js";
import { Postings, type PostingsData } from "./postings.js";
import { compare, PostingsBuilder } from "./postings-builder.js";
import { encodePostings } from "./postings-file.js";
import {
  assertIndexFolder,
  currentGeneration,
  newGenerationName,
  removeLeftovers,
  withWriteLock,
  writeGeneration,
} from "./store.js";
import { Vocabulary } from "./vocabulary.js";
export interface BuildOptions {
  input: string;
  out: string;
  /** Rebuild from scratch even when the previous index could be updated. */
  force?: boolean;
  /** Files larger than this many bytes are skipped (default 10 MiB). */
  maxBytes?: number;
  /** A settings file other than `loupe.json` at the input folder's root (`--settings FILE`). */
  settings?: string;
  /** Called as files are read: for a progress bar. */
  onProgress?: (done: number, total: number) => void;
  /** Why a full rebuild happens, and the like: one line each. */
  log?: (line: string) => void;
}

export interface BuildReport {
  status: "built" | "updated" | "unchanged";
  documents: number;
  added: number;
  changed: number;
  removed: number;
  skipped: SkippedFile[];
  /**
   * Files (or folders) still there that could not be read this time, whose documents the
   * index keeps as they were last read (among `skipped` too, with why).
   */
  kept: Array<{ source: string; documents: number }>;
  /** Files indexed with part of what they say left out (a date that is none), and why. */
  notes: SkippedFile[];
  bytesRead: number;
  seconds: number;
  /** Bytes of the data files of the generation being served. */
  indexBytes: number;
  generation: string;
}

/** Why nothing was indexed, by files (a file of records may have had several skipped). */
function skippedFiles(skipped: readonly SkippedFile[]): string {
  const files = new Set(skipped.map((entry) => entry.source)).size;
  return files === 1 ? "its one file was skipped" : `all ${files} files were skipped`;
}

export async function buildIndex(options: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const readOptions: ReadCorpusOptions = {
    ...(options.maxBytes !== undefined && { maxBytes: options.maxBytes }),
    ...(options.onProgress && {
      onFile: (done: number, total: number) => options.onProgress?.(done, total),
    }),
  };
  // Before the settings: a file given as --input is "not a folder", not "loupe.json: ENOTDIR".
  await assertInputFolder(options.input);
  await assertIndexFolder(options.out, options.input);
  let settings: LoupeSettings;
  let settingsFile: string | undefined;
  try {
    ({ settings, file: settingsFile } = await loadSettings(options.input, options.settings));
  } catch (error) {
    if (error instanceof SettingsError) {
      throw new IndexError(`${error.message}; the previous index is untouched`);
    }
    throw error;
  }
  const corpus = await readCorpus(options.input, {
    ...readOptions,
    exclude: [options.out],
    previous: () => previousSources(options.out),
    settings,
    ...(settingsFile !== undefined && { settingsFile }),
  });
  const canonical = canonicalSettings(settings);
  if (corpus.documents.length === 0) {
    const why =
      corpus.skipped.length === 0
        ? "it holds no .txt, .md, .markdown, .html, .htm, .json, .ndjson or .jsonl file"
        : skippedFiles(corpus.skipped);
    throw new IndexError(
      `nothing to index in '${options.input}': ${why}; the previous index is untouched`,
      corpus.skipped,
    );
  }

  return withWriteLock(options.out, async () => {
    const kept = options.force
      ? { documents: [], sources: [] }
      : await keptDocuments(options, corpus.skipped, corpus.documents, canonical);
    const documents =
      kept.documents.length === 0 ? corpus.documents : [...corpus.documents, ...kept.documents];
    // The common case (`npm start` on an unchanged folder) needs no parsing of the index: the
    // manifest lists every file's hash, and the checks prove the data files are intact.
    const sound = options.force
      ? undefined
      : await unchangedManifest(options.out, documents, canonical);
    if (sound !== undefined) {
      await removeLeftovers(options.out);
      return {
        status: "unchanged",
        documents: documents.length,
        added: 0,
        changed: 0,
        removed: 0,
        skipped: corpus.skipped,
        kept: kept.sources,
        notes: corpus.notes,
        bytesRead: corpus.bytesRead,
        seconds: (performance.now() - started) / 1000,
        indexBytes: dataBytes(sound),
        generation: sound.generation,
      };
    }
    // Another folder's index replaced without a word read as an update of 0 changed files
    // and many removed ones (QA): said once, before the build.
    const before = await previousInput(options.out);
    if (before !== undefined && path.resolve(before) !== path.resolve(options.input)) {
      options.log?.(
        `'${options.out}' held the index of '${before}': it now indexes '${options.input}' instead`,
      );
    }
    const previous = options.force
      ? undefined
      : await usablePrevious(options.out, canonical, options.log);
    const plan = previous ? diff(previous, documents) : undefined;
    const built = buildInMemory(documents, analyzerOf(canonical));
    const manifest = await saveIndex(options.out, options.input, built, canonical);
    return {
      status: previous ? "updated" : "built",
      documents: documents.length,
      added: plan?.added ?? documents.length,
      changed: plan?.changed ?? 0,
      removed: plan?.removed ?? 0,
      skipped: corpus.skipped,
      kept: kept.sources,
      notes: corpus.notes,
      bytesRead: corpus.bytesRead,
      seconds: (performance.now() - started) / 1000,
      indexBytes: dataBytes(manifest),
      generation: manifest.generation,
    };
  });
}

/**
 * The documents last read from each file (or folder) still there that could not be read this
 * time (its permissions, a stray byte from an edit, broken JSON): kept as they were, as a
 * failed update leaves a document in Elasticsearch or Meilisearch, and said. Dropped, such a
 * file vanished from searches and was counted "removed" (QA). An emptied file is meant empty,
 * and a file gone is gone: neither is kept. Only from an index built by this loupe with these
 * settings, whose documents read the same; documents read again this time win.
 */
async function keptDocuments(
  options: Pick<BuildOptions, "out" | "input" | "log">,
  skipped: readonly SkippedFile[],
  read: readonly LoupeDocument[],
  settings: string,
): Promise<{ documents: LoupeDocument[]; sources: BuildReport["kept"] }> {
  const none = { documents: [], sources: [] };
  // A file none of whose documents was read: skipped whole, or a records file whose JSON broke
  // (its skip names the line). One that gave some records dropped only the bad ones.
  const gave = new Set(read.map((doc) => doc.source));
  const unreadable = new Set(
    skipped
      .filter(
        (entry) =>
          !gave.has(entry.source) &&
          !entry.reason.startsWith("empty file") &&
          existsSync(path.join(options.input, entry.source)),
      )
      .map((entry) => entry.source),
  );
  if (unreadable.size === 0 || (await currentGeneration(options.out)) === undefined) return none;
  const previous = await verifyIndex(options.out).catch(() => undefined);
  if (
    previous === undefined ||
    previous.manifest.loupeVersion !== LOUPE_VERSION ||
    previous.manifest.settings !== settings
  ) {
    // Said, or they went without a word when the settings changed beside them (QA).
    options.log?.(
      `rebuilt from scratch, the index keeps nothing of what cannot be read now: ${[...unreadable].join(", ")}`,
    );
    return none;
  }
  // A folder that could not be read stands for every file under it.
  const within = (source: string) => {
    for (let at = source.lastIndexOf("/"); at > 0; at = source.lastIndexOf("/", at - 1)) {
      if (unreadable.has(source.slice(0, at))) return source.slice(0, at);
    }
    return unreadable.has(source) ? source : undefined;
  };
  const stored = await storedDocumentsFrom(options.out, (source) => within(source) !== undefined);
  const ids = new Set(read.map((doc) => doc.id));
  const documents = stored.filter((doc) => !ids.has(doc.id));
  const counts = new Map<string, number>();
  for (const doc of documents) {
    const from = within(doc.source)!;
    counts.set(from, (counts.get(from) ?? 0) + 1);
  }
  return {
    documents,
    sources: [...counts].map(([source, count]) => ({ source, documents: count })),
  };
}

/** The manifest of a sound index built by this loupe from exactly these files, if there is one. */
async function unchangedManifest(
  out: string,
  documents: LoupeDocument[],
  settings: string,
): Promise<Manifest | undefined> {
  if ((await currentGeneration(out)) === undefined) return undefined;
  const verified = await verifyIndex(out).catch(() => undefined);
  if (verified === undefined) return undefined;
  const { manifest, sources } = verified;
  if (manifest.loupeVersion !== LOUPE_VERSION) return undefined;
  // Settings decide how records are read and what is indexed: a change rebuilds.
  if (manifest.settings !== settings) return undefined;
  const same =
    Object.keys(sources).length === documents.length &&
    documents.every((doc) => sources[doc.id] === doc.hash);
  return same ? manifest : undefined;
}

/** The folder the served generation was built from, as its manifest records it, if any. */
async function previousInput(out: string): Promise<string | undefined> {
  const generation = await currentGeneration(out);
  if (generation === undefined) return undefined;
  try {
    const manifest: unknown = JSON.parse(
      await readFile(path.join(out, generation, "manifest.json"), "utf8"),
    );
    const input = (manifest as { input?: unknown }).input;
    return typeof input === "string" ? input : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The served generation's documents (id → source hash), read without checking the data files:
 * only a hint for which of two files giving one id keeps it (`readCorpus`); empty when there
 * is no index or it cannot be read.
 */
async function previousSources(out: string): Promise<Sources> {
  const generation = await currentGeneration(out);
  if (generation === undefined) return {};
  try {
    const sources: unknown = JSON.parse(
      await readFile(path.join(out, generation, "sources.json"), "utf8"),
    );
    return isSources(sources) ? sources : {};
  } catch {
    return {};
  }
}

/** The previous index's manifest when this build updates it; why not, otherwise. */
async function usablePrevious(
  out: string,
  settings: string,
  log: BuildOptions["log"],
): Promise<Sources | undefined> {
  if ((await currentGeneration(out)) === undefined) return undefined;
  try {
    const { manifest: previous, sources } = await verifyIndex(out);
    // Another loupe may parse files differently (titles, headers): its report would mislead.
    if (previous.loupeVersion !== LOUPE_VERSION) {
      log?.(
        `rebuilding from scratch: the index was built by loupe ${previous.loupeVersion}, this is ${LOUPE_VERSION}`,
      );
      return undefined;
    }
    // Every document is indexed again: counting changed files would report "0 changed".
    if (previous.settings !== settings) {
      log?.("rebuilding from scratch: the settings changed since the last build");
      return undefined;
    }
    return sources;
  } catch (error) {
    log?.(`rebuilding from scratch: ${(error as Error).message.replace(/: run .*$/, "")}`);
    return undefined;
  }
}

/** What changed since the previous build, file by file (`sources.json` lists each file's hash). */
function diff(
  previous: Sources,
  documents: LoupeDocument[],
): { added: number; changed: number; removed: number } {
  const plan = { added: 0, changed: 0, removed: 0 };
  const seen = new Set<string>();
  for (const doc of documents) {
    seen.add(doc.id);
    const before = previous[doc.id];
    if (before === undefined) plan.added++;
    else if (before !== doc.hash) plan.changed++;
  }
  for (const id of Object.keys(previous)) if (!seen.has(id)) plan.removed++;
  return plan;
}

/** An index built in memory, not yet written: its parts as `saveIndex` persists them. */
export interface BuiltIndex {
  /** In ordinal order: sorted by id. */
  documents: LoupeDocument[];
  postings: PostingsData;
  vocabulary: Vocabulary;
  /** Per document, its body's checkpoints (`document-store.ts`). */
  checkpoints: BodyCheckpoints[];
}

/** Analyses every document once and lays out the posting lists and the vocabulary. */
export function buildInMemory(
  documents: readonly LoupeDocument[],
  analyzer: Analyzer = currentAnalyzer(),
): BuiltIndex {
  return withAnalyzer(analyzer, () => analyzeAll(documents));
}

function analyzeAll(documents: readonly LoupeDocument[]): BuiltIndex {
  const sorted = [...documents].sort((a, b) => compare(a.id, b.id));
  const vocabulary = Vocabulary.empty();
  const indexer = new Indexer(new PostingsBuilder(), vocabulary);
  for (const doc of sorted) indexer.add(doc);
  return {
    documents: sorted,
    postings: indexer.finish(),
    vocabulary,
    checkpoints: indexer.checkpoints,
  };
}

/**
 * An index held in memory only, from documents already read: for tests, benchmarks and
 * programs that bring their own documents. `buildIndex` is the same plus persistence.
 */
export function indexDocuments(
  documents: readonly LoupeDocument[],
  settings?: LoupeSettings,
): LoadedIndex {
  const canonical = canonicalSettings(settings ?? DEFAULT_SETTINGS);
  return inMemoryIndex(buildInMemory(documents, analyzerOf(canonical)), settings);
}

/** An index built in memory (`buildInMemory`, with the same settings), ready to search. */
export function inMemoryIndex(built: BuiltIndex, settings?: LoupeSettings): LoadedIndex {
  const canonical = canonicalSettings(settings ?? DEFAULT_SETTINGS);
  const analyzer = analyzerOf(canonical);
  const generation = "memory";
  const unwritten = { bytes: 0, sha256: "0".repeat(64) };
  const manifest = describeIndex(
    generation,
    "",
    built.documents,
    {
      "postings.bin": unwritten,
      "documents.bin": unwritten,
      "catalog.json": unwritten,
      "vocabulary.txt": unwritten,
      "minisearch.json": unwritten,
      "sources.json": unwritten,
    },
    canonical,
  );
  const table = DocumentTable.inMemory(built.documents, built.checkpoints);
  let miniSearch: MiniSearch<IndexedFields> | undefined;
  return {
    dir: "",
    generation,
    manifest,
    postings: new Postings(built.postings),
    documents: table,
    vocabulary: built.vocabulary,
    analyzer,
    get miniSearch() {
      miniSearch ??= toMiniSearch(built.postings, table.ids);
      return miniSearch;
    },
  };
}

/** Writes an index as a new generation of `out` and makes it current, atomically. */
export async function saveIndex(
  out: string,
  input: string,
  built: BuiltIndex,
  settings = canonicalSettings(DEFAULT_SETTINGS),
): Promise<Manifest> {
  const generation = newGenerationName();
  const ids = built.documents.map((doc) => doc.id);
  const catalog = catalogOf(
    built.documents,
    columnNames(settings),
    (JSON.parse(settings) as LoupeSettings).filterableAttributes,
  );
  let manifest: Manifest | undefined;
  await writeGeneration(
    out,
    generation,
    {
      "postings.bin": encodePostings(built.postings),
      "documents.bin": encodeDocuments(built.documents, built.checkpoints),
      "catalog.json": JSON.stringify(catalog),
      "vocabulary.txt": built.vocabulary.toText(),
      "minisearch.json": miniSearchJson(built.postings, ids),
      "sources.json": JSON.stringify(
        Object.fromEntries(built.documents.map((doc) => [doc.id, doc.hash])),
      ),
    },
    (written) => {
      manifest = describeIndex(
        generation,
        input,
        built.documents,
        written as Manifest["data"],
        settings,
      );
      return `${JSON.stringify(manifest, null, 2)}\n`;
    },
  );
  return manifest!;
}

/** The manifest of an index of `documents`, made by this loupe and its analysis chain now. */
function describeIndex(
  generation: string,
  input: string,
  documents: readonly LoupeDocument[],
  data: Manifest["data"],
  settings = canonicalSettings(DEFAULT_SETTINGS),
): Manifest {
  return {
    format: FORMAT_VERSION,
    loupeVersion: LOUPE_VERSION,
    generation,
    builtAt: new Date().toISOString(),
    analysis: (({ version, fingerprint }) => ({ version, fingerprint }))(analyzerOf(settings)),
    minisearch: { version: MINISEARCH_VERSION, options: describeOptions() },
    documents: documents.length,
    // Absolute: a build run from another folder compares it with its own input.
    input: path.resolve(input),
    settings,
    data: {
      "postings.bin": data["postings.bin"],
      "documents.bin": data["documents.bin"],
      "catalog.json": data["catalog.json"],
      "vocabulary.txt": data["vocabulary.txt"],
      "minisearch.json": data["minisearch.json"],
      "sources.json": data["sources.json"],
    },
  };
}

/** The chain an index with these (canonical, well-formed) settings is built with. */
function analyzerOf(canonical: string): Analyzer {
  const analyzer = indexAnalyzer(canonical);
  if (analyzer === undefined) throw new Error("settings that are not canonical JSON");
  return analyzer;
}

/** The attributes the catalog holds a column of: those filters, facets and sort read. */
function columnNames(canonical: string): string[] {
  const settings = JSON.parse(canonical) as LoupeSettings;
  return [...new Set([...settings.filterableAttributes, ...settings.sortableAttributes])];
}

function dataBytes(manifest: Manifest): number {
  return Object.values(manifest.data).reduce((sum, file) => sum + file.bytes, 0);
}

/** MiniSearch's package version: its JSON changes between majors. */
const MINISEARCH_VERSION: string = (
  JSON.parse(
    readFileSync(new URL("../../package.json", import.meta.resolve("minisearch")), "utf8"),
  ) as { version: string }
).version;
