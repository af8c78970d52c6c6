/**
 * `documents.bin`: every stored document as its own JSON, one after the other, then a table
 * of their offsets, so that loading parses nothing but the table and a document costs one
 * small `JSON.parse` when a page shows it. (One JSON array of 104 MB took a second to parse at
 * load, and V8 refuses a single string over ~512 MB.) The table comes last so that documents
 * stream to disk as they are serialised, never all held as bytes at once.
 *
 *   "LOUPEDS1" · JSON bytes · padding to 8 · offsets f64[N+1] · count f64
 */
import type { LoupeDocument } from "../corpus/types.js";

const MAGIC = "LOUPEDS1";

export function* encodeDocuments(documents: Iterable<LoupeDocument>): Generator<Uint8Array> {
  const offsets: number[] = [];
  let at = 0;
  yield Buffer.from(MAGIC, "latin1");
  for (const doc of documents) {
    const bytes = Buffer.from(JSON.stringify(doc), "utf8");
    offsets.push(at);
    at += bytes.length;
    yield bytes;
  }
  offsets.push(at);
  const pad = (8 - ((8 + at) % 8)) % 8;
  if (pad > 0) yield new Uint8Array(pad);
  const table = new Float64Array(offsets.length + 1);
  table.set(offsets);
  table[offsets.length] = offsets.length - 1;
  yield new Uint8Array(table.buffer);
}

export class DocumentStore {
  private readonly offsets: Float64Array;
  /** The same bytes as a Buffer: its `toString` decodes UTF-8 several times faster than TextDecoder. */
  private readonly buffer: Buffer;

  constructor(input: Uint8Array) {
    const bytes = input.byteOffset % 8 === 0 ? input : new Uint8Array(input);
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
    const from = 8 + this.offsets[ordinal]!;
    const to = 8 + this.offsets[ordinal + 1]!;
    // The file's checksum was verified at load: the bytes are the UTF-8 loupe wrote.
    return JSON.parse(this.buffer.toString("utf8", from, to)) as LoupeDocument;
  }
}
