/**
 * `documents.bin`: every stored document, one after the other, then a table of their offsets,
 * so that loading parses nothing but the table. The table comes last so that documents stream
 * to disk as they are serialised, never all held as bytes at once. (One JSON array of 104 MB
 * took a second to parse at load, and V8 refuses a single string over ~512 MB.)
 *
 * A document is its fields but the body as JSON, then its body as UTF-8 (not JSON: it can be
 * read in part), then checkpoints: for about every `CHECKPOINT_EVERY`-th word position of the
 * body, where that word starts, in UTF-16 units and in bytes. A snippet needs a few hundred
 * characters around the words matched, whose positions the postings give: the checkpoints
 * turn them into a byte range, and only that range is decoded. Decoding and marking whole
 * bodies for every hit was three fifths of a distinct query's time on the benchmark corpus.
 *
 *   "LOUPEDS2" · records · padding to 8 · offsets f64[N+1] · count f64
 *   record: metaBytes u32 · bodyBytes u32 · bodyChars u32 · checkpoints u32 ·
 *           meta JSON · body UTF-8 · checkpoints × (position u32, char u32, byte u32)
 */
import { WORD_CHAR } from "../analysis/index.js";
import { flattenRecord } from "../corpus/attributes.js";
import type { LoupeDocument } from "../corpus/types.js";

const MAGIC = "LOUPEDS2";
const HEADER = 16;

/**
 * Word positions between checkpoints: a snippet decodes at most about this many words more
 * than it shows, on each side.
 */
export const CHECKPOINT_EVERY = 32;

/**
 * A document's body checkpoints as the analysis found them: `[position, char, position,
 * char, …]`, positions ascending, each at the start of a tokenizer match (`fields.ts`).
 */
export type BodyCheckpoints = readonly number[];

/**
 * Records a body's checkpoints as its tokens go by, for both ways the build reads a body
 * (`fields.ts`, `indexer.ts`). Only where a tokenizer match starts (not inside `porte-parole`
 * or `l’État`) does tokenizing from there give the same words: a segment read from a
 * checkpoint then tokenizes as the whole body did.
 */
export class CheckpointRecorder {
  private next = 0;

  constructor(readonly marks: number[]) {}

  /** The token at word `position` starts at `start` in `text`. */
  token(text: string, position: number, start: number): void {
    if (position < this.next || (start > 0 && WORD_CHAR.test(text[start - 1]!))) return;
    this.marks.push(position, start);
    this.next = (Math.floor(position / CHECKPOINT_EVERY) + 1) * CHECKPOINT_EVERY;
  }
}

/** A part of a body, decoded: `text` is `body.slice(start, end)`. */
export interface BodySegment {
  text: string;
  start: number;
  end: number;
  /** The whole body's length, in UTF-16 units. */
  length: number;
  /** The word position of the segment's first word. */
  position: number;
  /** The word position just past its last word (`Infinity` when it ends with the body). */
  endPosition: number;
}

export function* encodeDocuments(
  documents: Iterable<LoupeDocument>,
  checkpoints: readonly BodyCheckpoints[] = [],
): Generator<Uint8Array> {
  const offsets: number[] = [];
  let at = 0;
  let ordinal = 0;
  yield Buffer.from(MAGIC, "latin1");
  for (const doc of documents) {
    const { body, ...rest } = doc;
    // A record's attributes are made again from it when read: stored once, not twice.
    if (rest.record !== undefined) delete rest.attributes;
    const meta = Buffer.from(JSON.stringify(rest), "utf8");
    const text = Buffer.from(body, "utf8");
    const marks = checkpoints[ordinal++] ?? [];
    const count = marks.length / 2;
    const header = Buffer.allocUnsafe(HEADER);
    header.writeUInt32LE(meta.length, 0);
    header.writeUInt32LE(text.length, 4);
    header.writeUInt32LE(body.length, 8);
    header.writeUInt32LE(count, 12);
    const table = Buffer.allocUnsafe(count * 12);
    let char = 0;
    let byte = 0;
    for (let i = 0; i < count; i++) {
      const to = marks[2 * i + 1]!;
      byte += utf8Length(body, char, to);
      char = to;
      table.writeUInt32LE(marks[2 * i]!, 12 * i);
      table.writeUInt32LE(char, 12 * i + 4);
      table.writeUInt32LE(byte, 12 * i + 8);
    }
    offsets.push(at);
    at += HEADER + meta.length + text.length + table.length;
    yield header;
    yield meta;
    yield text;
    yield table;
  }
  offsets.push(at);
  const pad = (8 - ((8 + at) % 8)) % 8;
  if (pad > 0) yield new Uint8Array(pad);
  const table = new Float64Array(offsets.length + 1);
  table.set(offsets);
  table[offsets.length] = offsets.length - 1;
  yield new Uint8Array(table.buffer);
}

/** Bytes of `text.slice(from, to)` in UTF-8, without making the slice. */
function utf8Length(text: string, from: number, to: number): number {
  let bytes = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    // A surrogate pair is 4 bytes: 2 for each half.
    bytes += code < 0x80 ? 1 : code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 2 : 3;
  }
  return bytes;
}

export class DocumentStore {
  private readonly offsets: Float64Array;
  /** The same bytes as a Buffer: its `toString` decodes UTF-8 several times faster than TextDecoder. */
  private readonly buffer: Buffer;
  /**
   * And as a DataView, for the records' u32 fields: `getUint32` is compiled inline where
   * Buffer's `readUInt32LE` is a call with its own checks (a page's 10 segments: 14 µs against
   * 16, timed inside the hits of 4,500 distinct benchmark queries).
   */
  private readonly view: DataView;

  constructor(input: Uint8Array) {
    const bytes = input.byteOffset % 8 === 0 ? input : new Uint8Array(input);
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (
      bytes.length < 16 ||
      Buffer.from(bytes.buffer, bytes.byteOffset, 8).toString("latin1") !== MAGIC
    ) {
      throw new Error("it is not a loupe document store");
    }
    const count = new Float64Array(bytes.buffer, bytes.byteOffset + bytes.length - 8, 1)[0]!;
    const tableStart = bytes.length - 8 - (count + 1) * 8;
    if (!Number.isSafeInteger(count) || count < 0 || tableStart < 8) {
      throw new Error("its table of documents is damaged");
    }
    this.offsets = new Float64Array(bytes.buffer, bytes.byteOffset + tableStart, count + 1);
    const end = 8 + this.offsets[count]!;
    if (this.offsets[0] !== 0 || end > tableStart || tableStart - end >= 8) {
      throw new Error("its offsets do not match its length");
    }
  }

  get size(): number {
    return this.offsets.length - 1;
  }

  /** The document of ordinal `ordinal`. */
  get(ordinal: number): LoupeDocument {
    const record = this.record(ordinal);
    const body = this.buffer.toString("utf8", record.body, record.table);
    return { ...this.meta(ordinal), body } as LoupeDocument;
  }

  /** Every field of the document but its body (which `segment` reads in part). */
  meta(ordinal: number): Omit<LoupeDocument, "body"> {
    const record = this.record(ordinal);
    // The file's checksum was verified at load: the bytes are the UTF-8 loupe wrote.
    const meta = JSON.parse(this.buffer.toString("utf8", record.meta, record.body)) as Omit<
      LoupeDocument,
      "body"
    >;
    if (meta.record !== undefined) meta.attributes = flattenRecord(meta.record);
    return meta;
  }

  /**
   * The part of the body from the checkpoint at or before word position `from` to the one
   * after word position `to` (the body's end past the last): whole words only.
   */
  segment(ordinal: number, from: number, to: number): BodySegment {
    const { body, table, checkpoints, chars } = this.record(ordinal);
    const { buffer, view } = this;
    const positionAt = (i: number) => view.getUint32(table + 12 * i, true);
    // The last checkpoint at or before `from`, and the first after `to`.
    let low = 0;
    let high = checkpoints;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (positionAt(mid) <= from) low = mid + 1;
      else high = mid;
    }
    const first = low - 1;
    let last = low;
    while (last < checkpoints && positionAt(last) <= to) last++;
    const startChar = first < 0 ? 0 : view.getUint32(table + 12 * first + 4, true);
    const startByte = first < 0 ? 0 : view.getUint32(table + 12 * first + 8, true);
    const endChar = last >= checkpoints ? chars : view.getUint32(table + 12 * last + 4, true);
    const endByte =
      last >= checkpoints ? table - body : view.getUint32(table + 12 * last + 8, true);
    return {
      text: buffer.toString("utf8", body + startByte, body + endByte),
      start: startChar,
      end: endChar,
      length: chars,
      position: first < 0 ? 0 : positionAt(first),
      endPosition: last >= checkpoints ? Number.POSITIVE_INFINITY : positionAt(last),
    };
  }

  private record(ordinal: number) {
    // A DataView reads byte 0 at a NaN offset where Buffer threw: an ordinal out of the store
    // must still fail, not read the magic as a record.
    if (!(Number.isInteger(ordinal) && ordinal >= 0 && ordinal < this.size))
      throw new RangeError(`no document of ordinal ${ordinal} in the store`);
    const at = 8 + this.offsets[ordinal]!;
    const view = this.view;
    const metaBytes = view.getUint32(at, true);
    const bodyBytes = view.getUint32(at + 4, true);
    const chars = view.getUint32(at + 8, true);
    const checkpoints = view.getUint32(at + 12, true);
    const meta = at + HEADER;
    const body = meta + metaBytes;
    const table = body + bodyBytes;
    return { meta, body, table, chars, checkpoints };
  }
}
