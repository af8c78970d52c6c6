/**
 * Reads a folder of `.txt` / `.md` French documents into LoupeDocuments.
 *
 * Every file that looks like a source but cannot be used ends up in `skipped` with one reason a
 * user can act on; one bad file never stops the run. Only a missing or non-folder input throws,
 * because then there is nothing to do at all.
 */
import { createHash } from "node:crypto";
import { createReadStream, type Dirent } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { type ParseOptions, parseDocument } from "./parse.js";
import type { LoupeDocument, SkippedFile } from "./types.js";

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
export const SOURCE_EXTENSIONS: readonly string[] = [".txt", ".md"];
// Enough to overlap disk waits; more only adds open file handles.
const DEFAULT_CONCURRENCY = 16;

/** A candidate source file found on disk, before it is read. */
export interface SourceFile {
  /** Relative to the input folder, native separators (see LoupeDocument.source). */
  source: string;
  absPath: string;
  size: number;
  mtimeMs: number;
}

export interface ReadCorpusOptions {
  /** Files larger than this are skipped. Default 10 MiB. */
  maxBytes?: number;
  /** Called once per candidate file, after it is read or skipped. */
  onFile?: (done: number, total: number, source: string) => void;
  parse?: ParseOptions;
  /** How many files are read at once. Results keep the sorted order whatever this is. */
  concurrency?: number;
}

export interface CorpusReadResult {
  documents: LoupeDocument[];
  skipped: SkippedFile[];
  /** Bytes actually read from disk, skipped files included (huge files are not read). */
  bytesRead: number;
}

export type SourceReadResult =
  | { ok: true; document: LoupeDocument; bytesRead: number }
  | { ok: false; skipped: SkippedFile; bytesRead: number };

export async function readCorpus(
  inputDir: string,
  opts: ReadCorpusOptions = {},
): Promise<CorpusReadResult> {
  const { files, skipped } = await scanSourceFiles(inputDir);
  const results = await mapInOrder(
    files,
    opts.concurrency ?? DEFAULT_CONCURRENCY,
    (file) => readSourceFile(file, opts),
    (done, file) => opts.onFile?.(done, files.length, file.source),
  );

  const documents: LoupeDocument[] = [];
  const firstSourceOfId = new Map<string, string>();
  let bytesRead = 0;
  for (const result of results) {
    bytesRead += result.bytesRead;
    if (!result.ok) {
      skipped.push(result.skipped);
      continue;
    }
    // `a.txt` and `a.md` give the same id; keeping both would make the index ambiguous.
    const { id, source } = result.document;
    const first = firstSourceOfId.get(id);
    if (first !== undefined) {
      skipped.push({
        source,
        reason: `same id '${id}' as '${first}': rename one of the two files`,
      });
      continue;
    }
    firstSourceOfId.set(id, source);
    documents.push(result.document);
  }
  skipped.sort((a, b) => compareStrings(a.source, b.source));
  return { documents, skipped, bytesRead };
}

/** Candidate files only; see scanSourceFiles for the ones set aside while walking. */
export async function listSourceFiles(inputDir: string): Promise<SourceFile[]> {
  return (await scanSourceFiles(inputDir)).files;
}

/**
 * Walks the folder in sorted order (by code unit, not locale, so the order is the same on every
 * machine). Dot-files and dot-folders are ignored. Symbolic links to files inside the folder are
 * followed; links leaving the folder or dangling are reported. Linked folders are not followed:
 * inside the folder their files are walked anyway, and a link to a parent would loop.
 */
export async function scanSourceFiles(
  inputDir: string,
): Promise<{ files: SourceFile[]; skipped: SkippedFile[] }> {
  const root = path.resolve(inputDir);
  await assertFolder(inputDir, root);
  const realRoot = await realpath(root);
  const files: SourceFile[] = [];
  const skipped: SkippedFile[] = [];
  await walk({ root, realRoot, files, skipped }, root);
  return { files, skipped };
}

async function assertFolder(inputDir: string, root: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(root)).isDirectory();
  } catch (err) {
    const code = errorCode(err);
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new Error(`input folder '${inputDir}' does not exist: pass --input <folder>`);
    }
    throw new Error(
      `input folder '${inputDir}' cannot be opened (${code ?? String(err)}): check its permissions or pass --input <folder>`,
    );
  }
  if (!isDirectory) {
    throw new Error(`input folder '${inputDir}' is not a folder: pass --input <folder>`);
  }
}

interface WalkState {
  root: string;
  realRoot: string;
  files: SourceFile[];
  skipped: SkippedFile[];
}

async function walk(state: WalkState, dir: string): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    state.skipped.push({
      source: relativeSource(state, dir) || ".",
      reason: `folder cannot be read (${errorCode(err) ?? String(err)}): check its permissions`,
    });
    return;
  }
  entries.sort((a, b) => compareStrings(a.name, b.name));
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const absPath = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      await walk(state, absPath);
    } else if (hasSourceExtension(entry.name)) {
      await addCandidate(state, entry, absPath);
    }
  }
}

async function addCandidate(state: WalkState, entry: Dirent, absPath: string): Promise<void> {
  const source = relativeSource(state, absPath);
  const skip = (reason: string) => state.skipped.push({ source, reason });
  if (entry.isSymbolicLink()) {
    let target: string;
    try {
      target = await realpath(absPath);
    } catch (err) {
      skip(`cannot be read: broken symbolic link (${errorCode(err) ?? String(err)})`);
      return;
    }
    if (!isInside(state.realRoot, target)) {
      skip("symbolic link to a file outside the input folder: not followed");
      return;
    }
  } else if (!entry.isFile()) {
    skip("not a regular file");
    return;
  }
  try {
    const info = await stat(absPath);
    if (!info.isFile()) {
      skip("not a regular file");
      return;
    }
    state.files.push({ source, absPath, size: info.size, mtimeMs: info.mtimeMs });
  } catch (err) {
    skip(`cannot be read (${errorCode(err) ?? String(err)})`);
  }
}

/**
 * Reads and parses one file.
 */
export async function readSourceFile(
  file: SourceFile,
  opts: Pick<ReadCorpusOptions, "maxBytes" | "parse"> = {},
): Promise<SourceReadResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const skip = (reason: string, bytesRead = 0): SourceReadResult => ({
    ok: false,
    skipped: { source: file.source, reason },
    bytesRead,
  });
  // Checked before reading so a multi-gigabyte file is never loaded.
  if (file.size > maxBytes) return skip(tooLarge(file.size, maxBytes));

  let bytes: Buffer;
  try {
    bytes = await readFile(file.absPath);
  } catch (err) {
    return skip(unreadable(err));
  }
  // The file may have grown since it was listed.
  if (bytes.length > maxBytes) return skip(tooLarge(bytes.length, maxBytes), bytes.length);

  const decoded = decodeSource(bytes);
  if (!decoded.ok) return skip(decoded.reason, bytes.length);

  const parsed = parseDocument(decoded.text, file.source, opts.parse);
  if (parsed.body === "") return skip("no text besides the header", bytes.length);
  return {
    ok: true,
    document: { ...parsed, bytes: bytes.length, hash: hashBytes(bytes) },
    bytesRead: bytes.length,
  };
}

/**
 * Raw bytes → text, or why not. Order matters: NUL bytes are valid UTF-8, so the binary check
 * comes first; UTF-16 has NULs too but deserves its own, more useful, message.
 */
export function decodeSource(
  bytes: Uint8Array,
): { ok: true; text: string } | { ok: false; reason: string } {
  if (bytes.length === 0) return { ok: false, reason: "empty file" };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, reason: "UTF-16 text, not UTF-8: re-save the file as UTF-8" };
  }
  if (bytes.includes(0)) {
    return { ok: false, reason: "binary file (contains NUL bytes): only UTF-8 text is indexed" };
  }
  let text: string;
  try {
    // fatal: a Latin-1 file would otherwise be indexed with U+FFFD in place of every accent.
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return {
      ok: false,
      reason: "not valid UTF-8 (Latin-1 or Windows-1252?): re-save the file as UTF-8",
    };
  }
  // TextDecoder already drops a leading BOM; this catches a doubled one.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n?/g, "\n");
  if (text.trim() === "") return { ok: false, reason: "empty file (only whitespace)" };
  return { ok: true, text };
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** sha256 hex of a file, streamed so it costs no memory whatever the size. */
export async function hashFile(absPath: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(absPath)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Helpers

function hasSourceExtension(name: string): boolean {
  return SOURCE_EXTENSIONS.includes(path.extname(name).toLowerCase());
}

function relativeSource(state: WalkState, absPath: string): string {
  return path.relative(state.root, absPath);
}

function isInside(realRoot: string, target: string): boolean {
  const rel = path.relative(realRoot, target);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errorCode(err: unknown): string | undefined {
  if (typeof err === "object" && err !== null && "code" in err && typeof err.code === "string") {
    return err.code;
  }
  return undefined;
}

function unreadable(err: unknown): string {
  const code = errorCode(err);
  if (code === "EACCES" || code === "EPERM") {
    return `cannot be read (${code}): permission denied, check the file's permissions`;
  }
  if (code === "ENOENT") return "cannot be read (ENOENT): the file disappeared while reading";
  if (code === "EISDIR") return "cannot be read (EISDIR): it is a folder";
  return `cannot be read (${code ?? (err instanceof Error ? err.message : String(err))})`;
}

function tooLarge(size: number, maxBytes: number): string {
  return `too large: ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit: split the file or raise the limit`;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/**
 * Runs `fn` over `items` with at most `limit` in flight, returning results in input order so the
 * corpus order never depends on which disk read finishes first.
 */
async function mapInOrder<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
  onDone: (done: number, item: T) => void,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i] as T;
      results[i] = await fn(item);
      onDone(++done, item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
