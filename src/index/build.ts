/**
 * Building and updating the persisted index from an input folder.
 *
 * Every file is read and hashed and the previous index loaded to compare; unchanged files
 * cost nothing more, and when none changed nothing is written. Changed, added and removed files
 * are applied to the previous generation (MiniSearch discard/add, then vacuum) and written as a
 * new one. A full rebuild happens with `force`, on a first build, or when the previous index
 * cannot be used (another analysis chain or loupe version, another format, damaged).
 */
import { readFileSync } from "node:fs";
import type MiniSearch from "minisearch";
import { ANALYSIS_VERSION, analysisFingerprint } from "../analysis/index.js";
import { hashBytes, type ReadCorpusOptions, readCorpus } from "../corpus/index.js";
import type { LoupeDocument, SkippedFile } from "../corpus/types.js";
import { LOUPE_VERSION } from "../version.js";
import { IndexError } from "./errors.js";
import {
  analyzeDocument,
  createMiniSearch,
  describeOptions,
  type IndexedFields,
} from "./fields.js";
import { type LoadedIndex, loadIndex, verifyIndex } from "./load.js";
import { type DATA_FILES, FORMAT_VERSION, type Manifest } from "./manifest.js";
import {
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
  bytesRead: number;
  seconds: number;
  /** Bytes of the data files of the generation being served. */
  indexBytes: number;
  generation: string;
}

export async function buildIndex(options: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const readOptions: ReadCorpusOptions = {
    ...(options.maxBytes !== undefined && { maxBytes: options.maxBytes }),
    ...(options.onProgress && {
      onFile: (done: number, total: number) => options.onProgress?.(done, total),
    }),
  };
  const corpus = await readCorpus(options.input, readOptions);
  if (corpus.documents.length === 0) {
    const why =
      corpus.skipped.length === 0
        ? "it holds no .txt or .md file"
        : `all ${corpus.skipped.length} files were skipped`;
    throw new IndexError(
      `nothing to index in '${options.input}': ${why}; the previous index is untouched`,
      corpus.skipped,
    );
  }

  return withWriteLock(options.out, async () => {
    // The common case (`npm start` on an unchanged folder) needs no parsing of the index: the
    // manifest lists every file's hash, and the checks prove the data files are intact.
    const sound = options.force
      ? undefined
      : await unchangedManifest(options.out, corpus.documents);
    if (sound !== undefined) {
      await removeLeftovers(options.out);
      return {
        status: "unchanged",
        documents: corpus.documents.length,
        added: 0,
        changed: 0,
        removed: 0,
        skipped: corpus.skipped,
        bytesRead: corpus.bytesRead,
        seconds: (performance.now() - started) / 1000,
        indexBytes: dataBytes(sound),
        generation: sound.generation,
      };
    }
    const previous = options.force ? undefined : await usablePrevious(options.out, options.log);
    const plan = previous ? diff(previous, corpus.documents) : undefined;
    const report = (
      status: BuildReport["status"],
      generation: string,
      indexBytes: number,
    ): BuildReport => ({
      status,
      documents: corpus.documents.length,
      added: plan?.added.length ?? corpus.documents.length,
      changed: plan?.changed.length ?? 0,
      removed: plan?.removed.length ?? 0,
      skipped: corpus.skipped,
      bytesRead: corpus.bytesRead,
      seconds: (performance.now() - started) / 1000,
      indexBytes,
      generation,
    });

    if (previous && plan && plan.added.length + plan.changed.length + plan.removed.length === 0) {
      // Nothing to write, but what a killed writer left behind still goes.
      await removeLeftovers(options.out);
      return report("unchanged", previous.generation, dataBytes(previous.manifest));
    }
    const { miniSearch, vocabulary } =
      previous && plan ? await update(previous, plan) : fresh(corpus.documents);
    const manifest = await saveIndex(
      options.out,
      options.input,
      corpus.documents,
      miniSearch,
      vocabulary,
    );
    return report(previous ? "updated" : "built", manifest.generation, dataBytes(manifest));
  });
}

/** The manifest of a sound index built by this loupe from exactly these files, if there is one. */
async function unchangedManifest(
  out: string,
  documents: LoupeDocument[],
): Promise<Manifest | undefined> {
  if ((await currentGeneration(out)) === undefined) return undefined;
  const manifest = await verifyIndex(out).catch(() => undefined);
  if (manifest === undefined || manifest.loupeVersion !== LOUPE_VERSION) return undefined;
  const files = Object.entries(manifest.files);
  const same =
    files.length === documents.length &&
    documents.every((doc) => manifest.files[doc.source] === doc.hash);
  return same ? manifest : undefined;
}

/** The previous index when it can be updated in place; why not, otherwise. */
async function usablePrevious(
  out: string,
  log: BuildOptions["log"],
): Promise<LoadedIndex | undefined> {
  if ((await currentGeneration(out)) === undefined) return undefined;
  try {
    const previous = await loadIndex(out);
    // Another loupe may parse files differently (titles, headers): documents it left unchanged
    // would keep its reading while the vocabulary counts them by this one's.
    if (previous.manifest.loupeVersion !== LOUPE_VERSION) {
      log?.(
        `rebuilding from scratch: the index was built by loupe ${previous.manifest.loupeVersion}, this is ${LOUPE_VERSION}`,
      );
      return undefined;
    }
    return previous;
  } catch (error) {
    log?.(`rebuilding from scratch: ${(error as Error).message.replace(/: run .*$/, "")}`);
    return undefined;
  }
}

interface Plan {
  added: LoupeDocument[];
  changed: Array<{ before: LoupeDocument; after: LoupeDocument }>;
  removed: LoupeDocument[];
}

function diff(previous: LoadedIndex, documents: LoupeDocument[]): Plan {
  const plan: Plan = { added: [], changed: [], removed: [] };
  const seen = new Set<string>();
  for (const doc of documents) {
    seen.add(doc.id);
    const before = previous.documents.get(doc.id);
    if (before === undefined) plan.added.push(doc);
    else if (before.hash !== doc.hash || before.source !== doc.source)
      plan.changed.push({ before, after: doc });
  }
  for (const [id, doc] of previous.documents) if (!seen.has(id)) plan.removed.push(doc);
  return plan;
}

/**
 * An index held in memory only, from documents already read: for tests, benchmarks and
 * programs that bring their own documents. `buildIndex` is the same plus persistence.
 */
export function indexDocuments(documents: LoupeDocument[]): LoadedIndex {
  const { miniSearch, vocabulary } = fresh(documents);
  const generation = "memory";
  // Nothing is written, so there is nothing to checksum.
  const unwritten = { bytes: 0, sha256: "0".repeat(64) };
  const manifest = describeIndex(generation, "", documents, {
    "minisearch.json": unwritten,
    "documents.json": unwritten,
    "vocabulary.json": unwritten,
  });
  return {
    dir: "",
    generation,
    manifest,
    miniSearch,
    documents: new Map(documents.map((doc) => [doc.id, doc])),
    vocabulary,
  };
}

function fresh(documents: LoupeDocument[]): {
  miniSearch: MiniSearch<IndexedFields>;
  vocabulary: Vocabulary;
} {
  const miniSearch = createMiniSearch();
  const vocabulary = Vocabulary.empty();
  for (const doc of documents) {
    const analyzed = analyzeDocument(doc);
    miniSearch.add(analyzed.fields);
    vocabulary.count(analyzed.words, 1);
  }
  return { miniSearch, vocabulary };
}

async function update(
  previous: LoadedIndex,
  plan: Plan,
): Promise<{ miniSearch: MiniSearch<IndexedFields>; vocabulary: Vocabulary }> {
  const { miniSearch, vocabulary } = previous;
  for (const doc of [...plan.removed, ...plan.changed.map((change) => change.before)]) {
    // The stored text is what was indexed, so analysing it again gives exactly what to take out.
    vocabulary.count(analyzeDocument(doc).words, -1);
    miniSearch.discard(doc.id);
  }
  for (const doc of [...plan.added, ...plan.changed.map((change) => change.after)]) {
    const analyzed = analyzeDocument(doc);
    miniSearch.add(analyzed.fields);
    vocabulary.count(analyzed.words, 1);
  }
  if (plan.removed.length + plan.changed.length > 0) await miniSearch.vacuum();
  return { miniSearch, vocabulary };
}

/** Writes an index as a new generation of `out` and makes it current, atomically. */
export async function saveIndex(
  out: string,
  input: string,
  documents: LoupeDocument[],
  miniSearch: MiniSearch<IndexedFields>,
  vocabulary: Vocabulary,
): Promise<Manifest> {
  const generation = newGenerationName();
  const data: Record<(typeof DATA_FILES)[number], string> = {
    "minisearch.json": JSON.stringify(miniSearch),
    "documents.json": JSON.stringify(documents),
    "vocabulary.json": JSON.stringify(vocabulary),
  };
  const checksum = (text: string) => {
    const bytes = Buffer.from(text, "utf8");
    return { bytes: bytes.length, sha256: hashBytes(bytes) };
  };
  const manifest = describeIndex(generation, input, documents, {
    "minisearch.json": checksum(data["minisearch.json"]),
    "documents.json": checksum(data["documents.json"]),
    "vocabulary.json": checksum(data["vocabulary.json"]),
  });
  await writeGeneration(out, generation, {
    ...data,
    "manifest.json": `${JSON.stringify(manifest, null, 2)}\n`,
  });
  return manifest;
}

/** The manifest of an index of `documents`, made by this loupe and its analysis chain now. */
function describeIndex(
  generation: string,
  input: string,
  documents: LoupeDocument[],
  data: Manifest["data"],
): Manifest {
  return {
    format: FORMAT_VERSION,
    loupeVersion: LOUPE_VERSION,
    generation,
    builtAt: new Date().toISOString(),
    analysis: { version: ANALYSIS_VERSION, fingerprint: analysisFingerprint() },
    minisearch: { version: MINISEARCH_VERSION, options: describeOptions() },
    documents: documents.length,
    input,
    files: Object.fromEntries(documents.map((doc) => [doc.source, doc.hash])),
    data,
  };
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
