import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { extract } from "tar";

export type BenchSource = "sp" | "man";

export interface BenchDoc {
  /** File name without `.txt`, the same id loupe derives from a path relative to the docs folder. */
  id: string;
  title: string;
  body: string;
  source: BenchSource;
  /** Size of the source file in bytes (UTF-8), used for MB/s. */
  bytes: number;
}

export interface BenchQuery {
  query: string;
  /** Id of the one relevant document. */
  id: string;
  source: BenchSource;
}

export interface LoadOptions {
  /** Share of the corpus to keep, 0 < fraction <= 1. */
  fraction?: number;
  /** Absolute number of documents to keep (wins over `fraction`). */
  limit?: number;
  /** Number of known-item queries to keep (deterministic pick). */
  queries?: number;
}

export interface BenchCorpus {
  docs: BenchDoc[];
  queries: BenchQuery[];
  /** Documents in the full corpus, before slicing. */
  totalDocs: number;
  totalBytes: number;
  /** Human-readable statement of how the slice was taken, for the report. */
  sliceNote: string;
}

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const TARBALL = join(BENCH_DIR, "fr-corpus.tar.gz");
export const CORPUS_DIR = join(BENCH_DIR, "fr-corpus");
const MARKER = join(CORPUS_DIR, ".unpacked");

/** Entry types kept: plain files (old and new tar spellings) and folders; links are dropped. */
const PLAIN = new Set(["File", "OldFile", "Directory"]);

/** Unpacks the tarball into `bench/fr-corpus/` unless a complete copy is already there. */
export function ensureCorpus(): string {
  const tarballSize = statSync(TARBALL).size;
  if (existsSync(MARKER) && readFileSync(MARKER, "utf8").trim() === String(tarballSize)) {
    return CORPUS_DIR;
  }
  // Unpack beside the target and rename, so an interrupted run never leaves a half corpus that
  // looks complete.
  const work = join(BENCH_DIR, ".work", `unpack-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // The `tar` package gunzips, checks each header and refuses paths that climb out of `cwd`
  // (`..`, absolute names) by default; only plain files and folders are taken from the archive.
  extract({
    file: TARBALL,
    cwd: work,
    sync: true,
    strict: true,
    filter: (_path, entry) => !("type" in entry) || PLAIN.has(entry.type),
  });
  const unpacked = join(work, "fr-corpus");
  if (!existsSync(join(unpacked, "docs"))) throw new Error("tar: archive has no fr-corpus/docs");
  writeFileSync(join(unpacked, ".unpacked"), `${tarballSize}\n`);
  rmSync(CORPUS_DIR, { recursive: true, force: true });
  renameSync(unpacked, CORPUS_DIR);
  rmSync(work, { recursive: true, force: true });
  return CORPUS_DIR;
}

/** FNV-1a: a stable, dependency-free order for deterministic slices. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function sourceOf(id: string): BenchSource {
  if (id.startsWith("sp-")) return "sp";
  if (id.startsWith("man-")) return "man";
  throw new Error(`unknown source prefix in ${id}`);
}

function byHash<T>(items: readonly T[], key: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, h: fnv1a(key(item)), k: key(item) }))
    .sort((a, b) => a.h - b.h || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.item);
}

/**
 * Loads the corpus and the dev known-item queries.
 *
 * Slicing (fraction < 1, or limit): the slice always holds every kept query's target, filled up
 * with other documents in a fixed hash order, so relevance stays measurable on any slice and
 * smaller slices are subsets of larger ones. Relevance on a slice is therefore optimistic (fewer
 * distractors); only the full corpus gives comparable MRR figures.
 */
export function loadBenchCorpus(options: LoadOptions = {}): BenchCorpus {
  const dir = ensureCorpus();
  const docsDir = join(dir, "docs");
  const ids = readdirSync(docsDir)
    .filter((name) => name.endsWith(".txt"))
    .sort()
    .map((name) => name.slice(0, -".txt".length));
  const totalBytes = ids.reduce((n, id) => n + statSync(join(docsDir, `${id}.txt`)).size, 0);

  let queries: BenchQuery[] = readFileSync(join(dir, "known-items-dev.tsv"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [query, file] = line.split("\t");
      if (!query || !file) throw new Error(`known-items-dev.tsv: bad line ${JSON.stringify(line)}`);
      const id = file.trim().replace(/\.txt$/, "");
      return { query: query.trim(), id, source: sourceOf(id) };
    });
  const known = new Set(ids);
  for (const q of queries)
    if (!known.has(q.id)) throw new Error(`query target ${q.id} not in corpus`);
  if (options.queries !== undefined && options.queries < queries.length) {
    const keep = new Set(byHash(queries, (q) => q.query).slice(0, options.queries));
    queries = queries.filter((q) => keep.has(q));
  }

  const fraction = options.fraction ?? 1;
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`fraction must be in (0, 1]: ${fraction}`);
  const wanted = options.limit ?? Math.round(ids.length * fraction);
  let kept = ids;
  let sliceNote = `full corpus (${ids.length} docs), ${queries.length} queries`;
  if (wanted < ids.length) {
    const targets = new Set(queries.map((q) => q.id));
    const fill = byHash(
      ids.filter((id) => !targets.has(id)),
      (id) => id,
    ).slice(0, Math.max(0, wanted - targets.size));
    const keep = new Set([...targets, ...fill]);
    kept = ids.filter((id) => keep.has(id));
    sliceNote =
      `slice of ${kept.length}/${ids.length} docs that always contains the ${targets.size} ` +
      `query targets (relevance on a slice is optimistic: fewer distractors), ${queries.length} queries`;
  }

  // Only the kept files are read, so a small slice does not carry the whole corpus in memory.
  const docs = kept.map((id): BenchDoc => {
    const raw = readFileSync(join(docsDir, `${id}.txt`));
    const text = raw.toString("utf8");
    const nl = text.indexOf("\n");
    const title = (nl === -1 ? text : text.slice(0, nl)).trim();
    const body = nl === -1 ? "" : text.slice(nl + 1).replace(/^\s*\n/, "");
    return { id, title, body, source: sourceOf(id), bytes: raw.length };
  });
  return { docs, queries, totalDocs: ids.length, totalBytes, sliceNote };
}
