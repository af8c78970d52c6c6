/**
 * Builds the flat posting lists of `postings.ts` one document at a time, by sort-based
 * inversion: each document's postings are appended to one growing stream of 32-bit numbers
 * (list, document, frequency, position deltas), in document order, and laid out per list, in
 * term order, once at the end. Plain arrays per list cost 8 bytes a number plus an object per
 * list and kept the collector busy: on the Littré (108,891 entries) the build peaked at
 * 1.38 GB and spent a fifth of its time collecting.
 */
import { championsOf } from "./champions.js";
import { type AnalyzedField, FIELD_COUNT, STOPWORD_PREFIX } from "./fields.js";
import { POSITION_SKIP, type PostingsData } from "./postings.js";

/** A Uint32Array that grows by doubling. */
class Growable {
  values: Uint32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.values = new Uint32Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Uint32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

/** Bytes of `value` as a varint. */
function varintBytes(value: number): number {
  let bytes = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    bytes++;
  }
  return bytes;
}

/**
 * An append-only stream of numbers in fixed chunks: growing never copies what is written
 * (doubling one array peaked at three times its size while it copied), and a record never
 * spans two chunks.
 */
class ChunkedStream {
  static readonly CHUNK = 1 << 22;
  readonly chunks: Uint32Array[] = [];
  readonly lengths: number[] = [];
  current = new Uint32Array(ChunkedStream.CHUNK);
  length = 0;
  /** The chunk to write `count` numbers into, from `length` on. */
  room(count: number): Uint32Array {
    if (this.length + count > this.current.length) {
      this.chunks.push(this.current);
      this.lengths.push(this.length);
      this.current = new Uint32Array(Math.max(ChunkedStream.CHUNK, count));
      this.length = 0;
    }
    return this.current;
  }
  *each(): Generator<[Uint32Array, number]> {
    for (let i = 0; i < this.chunks.length; i++) yield [this.chunks[i]!, this.lengths[i]!];
    yield [this.current, this.length];
  }
}

export class PostingsBuilder {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly stream = new ChunkedStream();
  /** Per list (term id × field): postings, position bytes, highest tf and tf per length. */
  private readonly counts = new Growable();
  private readonly bytes = new Growable();
  private readonly maxTf = new Growable();
  private maxTfPerLength = new Float32Array(1024);
  private readonly lengths = Array.from({ length: FIELD_COUNT }, () => new Growable());
  private readonly words = Array.from({ length: FIELD_COUNT }, () => new Growable());
  private count = 0;
  /** Per list: 1 for a stopword's list (its key has the prefix). */
  private stop = new Uint8Array(1024);
  // Scratch for one field: which field each list was last seen in, its tf, where its
  // positions go, and the lists in first-seen order.
  private seenIn = new Uint32Array(1024);
  private tf = new Uint32Array(1024);
  private fill = new Uint32Array(1024);
  private fieldsSeen = 0;
  private distinct = new Uint32Array(1024);
  private grouped = new Uint32Array(1024);

  get documents(): number {
    return this.count;
  }

  /** Adds the next document (ordinal `documents`) and returns its ordinal. */
  add(fields: readonly AnalyzedField[]): number {
    const ordinal = this.count;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const field = fields[f]!;
      const lists = new Uint32Array(field.keys.length);
      for (let i = 0; i < field.keys.length; i++) lists[i] = this.listOf(field.keys[i]!);
      this.addField(
        ordinal,
        f,
        lists,
        Uint32Array.from(field.positions),
        lists.length,
        field.words,
      );
    }
    this.endDocument();
    return ordinal;
  }

  /**
   * Adds field `f` of document `ordinal`: `count` tokens, token i of list `lists[i]` at word
   * position `positions[i]` (in text order). Its BM25 length, the distinct content terms, is
   * counted here. `endDocument` after the last field.
   */
  addField(
    ordinal: number,
    f: number,
    lists: Uint32Array,
    positions: Uint32Array,
    count: number,
    words: number,
  ): void {
    // Tokens grouped by list with two passes over typed arrays: a Map of arrays per field
    // was a third of the builder's time on the Littré.
    const mark = ++this.fieldsSeen;
    let distinct = 0;
    let length = 0;
    for (let i = 0; i < count; i++) {
      const id = lists[i]!;
      if (this.seenIn[id] !== mark) {
        this.seenIn[id] = mark;
        this.tf[id] = 0;
        this.distinct[distinct++] = id;
        if (this.stop[id] === 0) length++;
      }
      this.tf[id]!++;
    }
    if (this.grouped.length < count) this.grouped = new Uint32Array(count * 2);
    let offset = 0;
    for (let d = 0; d < distinct; d++) {
      const id = this.distinct[d]!;
      this.fill[id] = offset;
      offset += this.tf[id]!;
    }
    for (let i = 0; i < count; i++) this.grouped[this.fill[lists[i]!]!++] = positions[i]!;
    this.lengths[f]!.push(length);
    this.words[f]!.push(words);
    let from = 0;
    for (let d = 0; d < distinct; d++) {
      const id = this.distinct[d]!;
      const stop = this.stop[id] === 1;
      const l = id * FIELD_COUNT + f;
      const tf = this.tf[id]!;
      const values = this.stream.room(3 + tf);
      let at = this.stream.length;
      values[at++] = l;
      values[at++] = ordinal;
      values[at++] = tf;
      let previous = 0;
      let bytes = 0;
      for (let p = from; p < from + tf; p++) {
        const position = this.grouped[p]!;
        const delta = position - previous;
        values[at++] = delta;
        bytes += varintBytes(delta);
        previous = position;
      }
      from += tf;
      this.stream.length = at;
      this.counts.values[l]!++;
      this.bytes.values[l]! += bytes;
      if (tf > this.maxTf.values[l]!) this.maxTf.values[l] = tf;
      const perLength = tf / Math.max(1, stop ? words : length);
      if (perLength > this.maxTfPerLength[l]!) this.maxTfPerLength[l] = perLength;
    }
  }

  /** Ends the document `addField` filled: the next one gets the next ordinal. */
  endDocument(): void {
    this.count++;
  }

  /** The build number of `key`'s lists (term ids in first-seen order). */
  listOf(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(key, id);
      this.terms.push(key);
      for (let f = 0; f < FIELD_COUNT; f++) {
        this.counts.push(0);
        this.bytes.push(0);
        this.maxTf.push(0);
      }
      if (this.counts.length > this.maxTfPerLength.length) {
        const grown = new Float32Array(this.maxTfPerLength.length * 2);
        grown.set(this.maxTfPerLength);
        this.maxTfPerLength = grown;
      }
      if (id >= this.stop.length) {
        const size = this.stop.length * 2;
        this.stop = grownTo(this.stop, size, Uint8Array);
        this.seenIn = grownTo(this.seenIn, size, Uint32Array);
        this.tf = grownTo(this.tf, size, Uint32Array);
        this.fill = grownTo(this.fill, size, Uint32Array);
        this.distinct = grownTo(this.distinct, size, Uint32Array);
      }
      this.stop[id] = key.startsWith(STOPWORD_PREFIX) ? 1 : 0;
    }
    return id;
  }

  finish(): PostingsData {
    const order = this.terms
      .map((_, id) => id)
      .sort((a, b) => compare(this.terms[a]!, this.terms[b]!));
    const lists = order.length * FIELD_COUNT;
    // Where each list (by its build number) starts, in postings and in position bytes.
    const startOf = new Uint32Array(lists);
    const byteOf = new Float64Array(lists);
    const listStart = new Uint32Array(lists + 1);
    const positionStart = new Float64Array(lists + 1);
    const maxTf = new Uint32Array(lists);
    const maxTfPerLength = new Float32Array(lists);
    let postings = 0;
    let byte = 0;
    for (let rank = 0; rank < order.length; rank++) {
      for (let f = 0; f < FIELD_COUNT; f++) {
        const l = rank * FIELD_COUNT + f;
        const built = order[rank]! * FIELD_COUNT + f;
        listStart[l] = postings;
        positionStart[l] = byte;
        startOf[built] = postings;
        byteOf[built] = byte;
        postings += this.counts.values[built]!;
        byte += this.bytes.values[built]!;
        maxTf[l] = this.maxTf.values[built]!;
        // Rounded up, so the float is still an upper bound.
        maxTfPerLength[l] = this.maxTfPerLength[built]! * (1 + 1e-6);
      }
    }
    listStart[lists] = postings;
    positionStart[lists] = byte;
    const docs = new Uint32Array(postings);
    const tfs = new Uint32Array(postings);
    const positions = new Uint8Array(byte);
    const positionSkips = new Float64Array(Math.floor(postings / POSITION_SKIP) + 1);
    for (const [stream, length] of this.stream.each()) {
      for (let at = 0; at < length; ) {
        const built = stream[at++]!;
        const doc = stream[at++]!;
        const tf = stream[at++]!;
        const posting = startOf[built]!++;
        docs[posting] = doc;
        tfs[posting] = tf;
        let b = byteOf[built]!;
        if (posting % POSITION_SKIP === 0) positionSkips[posting / POSITION_SKIP] = b;
        for (let left = tf; left > 0; left--) {
          let value = stream[at++]!;
          while (value >= 0x80) {
            positions[b++] = (value & 0x7f) | 0x80;
            value = Math.floor(value / 128);
          }
          positions[b++] = value;
        }
        byteOf[built] = b;
      }
    }
    const terms = order.map((id) => this.terms[id]!);
    const lengths = this.lengths.map((g) => g.values.slice(0, g.length));
    return {
      terms,
      listStart,
      docs,
      tfs,
      positionStart,
      positions,
      positionSkips,
      maxTf,
      maxTfPerLength,
      lengths,
      words: this.words.map((g) => g.values.slice(0, g.length)),
      champions: championsOf({ terms, listStart, docs, tfs, lengths }),
    };
  }
}

function grownTo<T extends Uint8Array | Uint32Array>(
  array: T,
  size: number,
  make: new (size: number) => T,
): T {
  const grown = new make(size);
  grown.set(array);
  return grown;
}

/** Code-unit order, the order `<` gives and the files keep. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
