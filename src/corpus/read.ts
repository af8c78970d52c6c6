/**
 * Reads a folder of French documents into LoupeDocuments: `.txt` and `.md` files, HTML pages
 * (`.html`, `.htm`) and JSON records (`.json`, `.ndjson`, `.jsonl`, one document per record).
 *
 * Every file that looks like a source but cannot be used ends up in `skipped` with one reason a
 * user can act on; one bad file never stops the run. Only a missing or non-folder input throws,
 * because then there is nothing to do at all.
 */
import { constants, type Dirent, existsSync, readFileSync, statSync } from "node:fs";
import { access, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { hashBytes } from "./hash.js";

export { hashBytes, hashFile } from "./hash.js";

import { parseHtmlDocument } from "./html.js";
import { parseMarkdownDocument } from "./markdown.js";
import { isMarkdown, type ParseOptions, parseDocument } from "./parse.js";
import { isRecordsSource, parseRecords, type RecordSettings } from "./records.js";
import { DEFAULT_SETTINGS, SETTINGS_FILE } from "./settings.js";
import type { LoupeDocument, SkippedFile } from "./types.js";

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
/**
 * JSON records come as one export file holding a whole collection, so they get more room than a
 * page or a text; JSON.parse needs several times the file's size in memory, hence a bound still.
 */
export const DEFAULT_MAX_RECORDS_BYTES = 256 * 1024 * 1024;
export const SOURCE_EXTENSIONS: readonly string[] = [
  ".txt",
  ".md",
  // Markdown's other extension (GitHub, Jekyll): such files were passed over without a word (QA).
  ".markdown",
  ".html",
  ".htm",
  ".json",
  ".ndjson",
  ".jsonl",
];
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
  /** Text and HTML files larger than this are skipped. Default 10 MiB. */
  maxBytes?: number;
  /** JSON records files larger than this are skipped. Default 256 MiB. */
  maxRecordsBytes?: number;
  /** Called once per candidate file, after it is read or skipped. */
  onFile?: (done: number, total: number, source: string) => void;
  parse?: ParseOptions;
  /** How many files are read at once. Results keep the sorted order whatever this is. */
  concurrency?: number;
  /** How JSON records are read (primaryKey, searchableAttributes); the defaults otherwise. */
  settings?: RecordSettings;
  /**
   * The settings file, when the caller names one (`--settings FILE`): never read as records.
   * `loupe.json` at the input folder's root never is either.
   */
  settingsFile?: string;
  /**
   * Folders not walked: the index being written (`loupe index --input . --out index` would
   * otherwise read the previous generation's files as documents, and never settle).
   */
  exclude?: readonly string[];
  /**
   * The previous index's documents (id → hash of their source): when two files give one id
   * (`a.txt`, `a.md`), the one already indexed keeps it, instead of a file just added
   * replacing it. Known by its hash only (the index keeps no paths): if it was also edited
   * since, neither is known, and the order decides as in a first build.
   */
  previous?: () => Promise<Readonly<Record<string, string>>>;
}

export interface CorpusReadResult {
  documents: LoupeDocument[];
  skipped: SkippedFile[];
  /** Files indexed with part of what they say left out (a date that is none), and why. */
  notes: SkippedFile[];
  /** Bytes actually read from disk, skipped files included (huge files are not read). */
  bytesRead: number;
}

/**
 * What one file gave: one document for a text file or a page, one per record for JSON records,
 * and what was set aside (the whole file, or some of its records).
 */
export interface SourceReadResult {
  documents: LoupeDocument[];
  skipped: SkippedFile[];
  notes?: SkippedFile[];
  bytesRead: number;
  /** An HTML page that marks its content with `data-loupe-body`. */
  markedBody?: boolean;
}

export async function readCorpus(
  inputDir: string,
  opts: ReadCorpusOptions = {},
): Promise<CorpusReadResult> {
  const { files, skipped } = await scanSourceFiles(inputDir, opts);
  // Read only when two files give one id: on the Littré the previous sources are 10 MB of JSON.
  let previous: Readonly<Record<string, string>> | undefined;
  const results = await mapInOrder(
    files,
    opts.concurrency ?? DEFAULT_CONCURRENCY,
    (file) => readSourceFile(file, opts),
    (done, file) => opts.onFile?.(done, files.length, file.source),
  );

  // As Pagefind does with data-pagefind-body: once a page marks its content, the site's pages
  // that do not (tag lists, search page, 404) are not content.
  const marking = results.some((r) => r.markedBody);
  const documents: LoupeDocument[] = [];
  const firstOfId = new Map<string, { doc: LoupeDocument; at: number }>();
  let bytesRead = 0;
  const notes: SkippedFile[] = [];
  for (const result of results) {
    bytesRead += result.bytesRead;
    skipped.push(...result.skipped);
    notes.push(...(result.notes ?? []));
    if (marking && result.markedBody === false) {
      for (const doc of result.documents) {
        skipped.push({
          source: doc.source,
          reason: "no data-loupe-body while other pages have one: mark its content or leave it out",
        });
      }
      continue;
    }
    for (const doc of result.documents) {
      // `a.txt` and `a.md` give the same id; keeping both would make the index ambiguous.
      const seen = firstOfId.get(doc.id);
      if (seen === undefined) {
        firstOfId.set(doc.id, { doc, at: documents.length });
        documents.push(doc);
        continue;
      }
      let kept = seen.doc;
      let dropped = doc;
      if (doc.line === undefined && kept.line === undefined)
        previous ??= (await opts.previous?.()) ?? {};
      if (
        doc.line === undefined &&
        kept.line === undefined &&
        previous?.[doc.id] === doc.hash &&
        previous[doc.id] !== kept.hash
      ) {
        // The file indexed before keeps its id; the one added since is the one set aside.
        documents[seen.at] = doc;
        firstOfId.set(doc.id, { doc, at: seen.at });
        [kept, dropped] = [doc, kept];
      }
      if (dropped.line === undefined) {
        skipped.push({
          source: dropped.source,
          reason: `same id '${dropped.id}' as ${where(kept)}: ${kept.line === undefined ? "rename one of the two files" : "rename the file or change the record's id"}`,
        });
      } else {
        skipped.push({
          source: dropped.source,
          line: dropped.line,
          reason: `line ${dropped.line}: duplicate id '${dropped.id}' (first in ${where(kept)}): give each record its own id`,
        });
      }
    }
  }
  skipped.sort((a, b) => compareStrings(a.source, b.source) || (a.line ?? 0) - (b.line ?? 0));
  return { documents, skipped, notes, bytesRead };
}

/** `'a.txt'`, or `'records.ndjson' line 4` for a record. */
function where(doc: LoupeDocument): string {
  return doc.line === undefined ? `'${doc.source}'` : `'${doc.source}' line ${doc.line}`;
}

/** Candidate files only; see scanSourceFiles for the ones set aside while walking. */
export async function listSourceFiles(
  inputDir: string,
  opts: Pick<ReadCorpusOptions, "settingsFile" | "exclude"> = {},
): Promise<SourceFile[]> {
  return (await scanSourceFiles(inputDir, opts)).files;
}

/**
 * Walks the folder in sorted order (by code unit, not locale, so the order is the same on every
 * machine). Dot-files and dot-folders are ignored. Symbolic links to files inside the folder are
 * followed; links leaving the folder or dangling are reported. Linked folders are not followed:
 * inside the folder their files are walked anyway, and a link to a parent would loop.
 */
export async function scanSourceFiles(
  inputDir: string,
  opts: Pick<ReadCorpusOptions, "settingsFile" | "exclude"> = {},
): Promise<{ files: SourceFile[]; skipped: SkippedFile[] }> {
  const root = path.resolve(inputDir);
  await assertInputFolder(inputDir);
  if (isIndexFolder(root)) {
    throw new Error(
      `input folder '${inputDir}' is a loupe index (CURRENT names a generation), not documents: pass the folder the index was built from as --input`,
    );
  }
  const realRoot = await realpath(root);
  const files: SourceFile[] = [];
  const skipped: SkippedFile[] = [];
  const settingsFiles = new Set([path.join(root, SETTINGS_FILE)]);
  if (opts.settingsFile !== undefined) settingsFiles.add(path.resolve(opts.settingsFile));
  const exclude = new Set((opts.exclude ?? []).map((dir) => path.resolve(dir)));
  await walk({ root, realRoot, files, skipped, settingsFiles, exclude }, root);
  return { files, skipped };
}

/** Throws, naming the folder and the fix, unless `inputDir` is a folder that can be read. */
export async function assertInputFolder(inputDir: string): Promise<void> {
  const root = path.resolve(inputDir);
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
  try {
    await access(root, constants.R_OK | constants.X_OK);
  } catch (err) {
    // Said of the folder: it was said of a loupe.json it holds, or does not (QA).
    throw new Error(
      `input folder '${inputDir}' cannot be read (${errorCode(err) ?? String(err)}): check its permissions or pass --input <folder>`,
    );
  }
}

interface WalkState {
  root: string;
  realRoot: string;
  files: SourceFile[];
  skipped: SkippedFile[];
  /** Absolute paths of settings files: JSON, but not records. */
  settingsFiles: Set<string>;
  /** Absolute paths of folders not walked (`ReadCorpusOptions.exclude`). */
  exclude: Set<string>;
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
      if (state.exclude.has(absPath)) continue;
      if (isIndexFolder(absPath)) {
        state.skipped.push({
          source: relativeSource(state, absPath),
          reason: "a loupe index (CURRENT names a generation): not read as documents",
        });
        continue;
      }
      await walk(state, absPath);
    } else if (hasSourceExtension(entry.name) && !state.settingsFiles.has(absPath)) {
      await addCandidate(state, entry, absPath);
    } else if (entry.isSymbolicLink() && isFolder(absPath)) {
      // Said, as a link to a file outside is: a linked folder (or a loop) was passed over silently.
      state.skipped.push({
        source: relativeSource(state, absPath),
        reason:
          "symbolic link to a folder: not followed (copy or move the folder in, or index it with its own --input)",
      });
    }
  }
}

/** Whether `file` is, or links to, a folder (false when it cannot be reached). */
function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A folder loupe wrote an index into: its `CURRENT` names a generation (the shape store.ts
 * writes; this layer cannot import it). Its files are an index's, never documents.
 */
function isIndexFolder(dir: string): boolean {
  const pointer = path.join(dir, "CURRENT");
  if (!existsSync(pointer)) return false;
  try {
    return /^gen-[0-9a-z-]+\s*$/.test(readFileSync(pointer, "utf8").slice(0, 200));
  } catch {
    return false;
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
    // Synchronous, as the reads (readSourceFile): on files the page cache holds, a promise per
    // stat cost more than the stat.
    const info = statSync(absPath);
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
 * Reads and parses one file, by its extension: text, HTML page, or JSON records.
 */
export async function readSourceFile(
  file: SourceFile,
  opts: Pick<ReadCorpusOptions, "maxBytes" | "maxRecordsBytes" | "parse" | "settings"> = {},
): Promise<SourceReadResult> {
  const maxBytes = isRecordsSource(file.source)
    ? (opts.maxRecordsBytes ?? DEFAULT_MAX_RECORDS_BYTES)
    : (opts.maxBytes ?? DEFAULT_MAX_BYTES);
  const skip = (reason: string, bytesRead = 0): SourceReadResult => ({
    documents: [],
    skipped: [{ source: file.source, reason }],
    bytesRead,
  });
  // Checked before reading so a multi-gigabyte file is never loaded.
  const records = isRecordsSource(file.source);
  if (file.size > maxBytes) return skip(tooLarge(file.size, maxBytes, records));

  let bytes: Buffer;
  try {
    // Synchronous: fs/promises' readFile (open, fstat, read, close, each a promise) took 2.0 s
    // of CPU for the 27,223 files of a quarter of the Littré, readFileSync 0.2 s; the whole
    // Littré spent 9 s reading. mapInOrder yields to the event loop between batches.
    bytes = readFileSync(file.absPath);
  } catch (err) {
    return skip(unreadable(err));
  }
  // The file may have grown since it was listed.
  if (bytes.length > maxBytes) return skip(tooLarge(bytes.length, maxBytes, records), bytes.length);

  const decoded = decodeSource(bytes);
  if (!decoded.ok) return skip(decoded.reason, bytes.length);
  try {
    return parseSource(file, decoded.text, bytes, opts, skip);
  } catch (error) {
    // One file the parsers cannot take (2,000 nested `>` in Markdown, 5,000 nested <div> or
    // JSON objects overflowed the stack) is skipped, naming it: it stopped the whole run.
    if (error instanceof RangeError) {
      return skip(
        "nested too deeply to be read (the parser ran out of stack): flatten its structure",
        bytes.length,
      );
    }
    throw error;
  }
}

/** The documents of one decoded file, by its extension. */
function parseSource(
  file: SourceFile,
  text: string,
  bytes: Buffer,
  opts: Pick<ReadCorpusOptions, "parse" | "settings">,
  skip: (reason: string, bytesRead?: number) => SourceReadResult,
): SourceReadResult {
  if (isRecordsSource(file.source)) {
    const records = parseRecords(text, file.source, opts.settings ?? DEFAULT_SETTINGS);
    if (records.documents.length === 0 && records.skipped.length === 0) {
      return skip("no record in it: write [ {…}, {…} ], or one object per line", bytes.length);
    }
    return { ...records, bytesRead: bytes.length };
  }
  const whole = { bytes: bytes.length, hash: hashBytes(bytes) };
  if (isHtmlSource(file.source)) {
    const page = parseHtmlDocument(text, file.source, opts.parse);
    if (page.document.body === "") {
      return {
        ...skip("no text in the page's content (main, article or body)", bytes.length),
        markedBody: page.markedBody,
      };
    }
    return {
      documents: [{ ...page.document, ...whole }],
      skipped: [],
      bytesRead: bytes.length,
      markedBody: page.markedBody,
    };
  }
  const parsed = isMarkdown(file.source)
    ? parseMarkdownDocument(text, file.source, opts.parse)
    : parseDocument(text, file.source, opts.parse);
  if (parsed.body === "") return skip("no text besides the header", bytes.length);
  const { notes, ...doc } = parsed;
  return {
    documents: [{ ...doc, ...whole }],
    skipped: [],
    bytesRead: bytes.length,
    ...(notes !== undefined && {
      notes: notes.map((reason) => ({ source: file.source, reason })),
    }),
  };
}

function isHtmlSource(source: string): boolean {
  return /\.html?$/i.test(source);
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
    const charset = declaredCharset(bytes);
    // A page that says its charset is read in it, as a browser reads it: it was refused though
    // loupe had read the declaration (QA).
    const declared = charset && !/^utf-?8$/i.test(charset) ? decoderFor(charset) : undefined;
    if (declared !== undefined) {
      text = declared.decode(bytes);
    } else {
      const where = `first at line ${lineOfInvalidUtf8(bytes)}`;
      const utf8 = charset !== undefined && /^utf-?8$/i.test(charset);
      return {
        ok: false,
        reason:
          charset && !utf8
            ? `not valid UTF-8 (${where}; it declares charset ${charset}, which loupe cannot read): re-save the file as UTF-8`
            : `not valid UTF-8 (${where}; Latin-1 or Windows-1252?): re-save the file as UTF-8`,
      };
    }
  }
  // TextDecoder already drops a leading BOM; this catches a doubled one.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n?/g, "\n");
  if (text.trim() === "") return { ok: false, reason: "empty file (only whitespace)" };
  return { ok: true, text };
}

/** What windows-1252 puts at 0x80–0x9F (WHATWG's index; the other bytes are Latin-1's). */
const WINDOWS_1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

/**
 * A decoder for a declared charset other than UTF-8 (windows-1252, iso-8859-15…), if there is
 * one. Node 20's TextDecoder reads windows-1252 as Latin-1, whose 0x80–0x9F are control
 * characters: ’ œ € “ ” – … came out as controls, and `coeur` did not find « cœur » (QA). So
 * windows-1252, and the labels browsers read as it (iso-8859-1, ascii…), are decoded here.
 */
function decoderFor(charset: string): { decode(bytes: Uint8Array): string } | undefined {
  try {
    const decoder = new TextDecoder(charset);
    if (decoder.encoding === "utf-8") return undefined;
    if (decoder.encoding !== "windows-1252") return decoder;
    return {
      decode: (bytes) =>
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
          .toString("latin1")
          .replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!),
    };
  } catch {
    return undefined;
  }
}

/**
 * The line of the first byte that is no UTF-8, so that one stray byte in a long file can be
 * found: the file was refused whole, without a place (QA).
 */
export function lineOfInvalidUtf8(bytes: Uint8Array): number {
  let line = 1;
  for (let i = 0; i < bytes.length; ) {
    const byte = bytes[i]!;
    const length =
      byte < 0x80
        ? 1
        : byte >= 0xc2 && byte < 0xe0
          ? 2
          : byte >= 0xe0 && byte < 0xf0
            ? 3
            : byte >= 0xf0 && byte < 0xf5
              ? 4
              : 0;
    if (length === 0 || i + length > bytes.length) return line;
    for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return line;
    // Overlong, surrogate and past-U+10FFFF forms that TextDecoder refuses.
    const second = bytes[i + 1] ?? 0;
    if ((byte === 0xe0 && second < 0xa0) || (byte === 0xed && second >= 0xa0)) return line;
    if ((byte === 0xf0 && second < 0x90) || (byte === 0xf4 && second >= 0x90)) return line;
    if (byte === 0x0a) line++;
    i += length;
  }
  return line;
}

/** An HTML page's `<meta charset>` or `http-equiv` content type, read from its first 1 KiB as HTML says. */
function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
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

function tooLarge(size: number, maxBytes: number, records: boolean): string {
  // --max-file-mb moves the bound of text and HTML files; records have their own, fixed one.
  const fix = records
    ? "split the records into several files"
    : "split the file, or raise the limit (loupe index --max-file-mb N)";
  // Sizes that round alike (10.0 MiB over the 10.0 MiB limit) are given in bytes.
  const [over, limit] =
    formatBytes(size) === formatBytes(maxBytes)
      ? [`${size} bytes`, `${maxBytes}-byte`]
      : [formatBytes(size), formatBytes(maxBytes)];
  return `too large: ${over}, over the ${limit} limit: ${fix}`;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

const YIELD_EVERY = 256;

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
  let sinceYield = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i] as T;
      results[i] = await fn(item);
      onDone(++done, item);
      // `fn` may finish without waiting on anything (reads are synchronous): let timers (the
      // progress bar) and I/O run now and then.
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
