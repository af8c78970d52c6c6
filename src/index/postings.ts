/**
 * loupe's inverted index in flat typed arrays: one posting list per (term, field), documents
 * in ascending order, each with its frequency and word positions.
 *
 * MiniSearch's own maps (a Map per term and field, a Map entry per posting) cost ~10× the
 * memory, take seconds to rebuild from JSON at 100,000 documents, and hold no positions; flat
 * arrays load as views over the file's bytes and are scanned without allocating (bench/).
 * Lists are numbered `termId * FIELD_COUNT + fieldId`; terms are sorted, so a list's number
 * follows from the term's rank.
 */
import { averageOf, type ChampionData } from "./champions.js";
import { FIELD_COUNT, INDEXED_FIELDS } from "./fields.js";

/**
 * Postings between two entries of `positionSkips`. A document's positions are found by stepping
 * over the bytes of the postings before it since the last entry: every 64, that stepping was
 * the largest line of a distinct query's profile on the benchmark corpus (long pages, where
 * common words stand dozens of times). Every 16 with the branchless count of stepToCurrent:
 * 0.95× a search over 64 (.scratch A/B, 10,000 distinct title queries; every 8 a further
 * 0.98×), for 0.5 byte more a posting (the benchmark's index 62.2 → 62.6 MB).
 */
export const POSITION_SKIP = 16;

/** The arrays of an index, as built and as persisted. */
export interface PostingsData {
  /** Index keys (terms; stopwords prefixed), sorted. */
  terms: string[];
  /** `listStart[l]..listStart[l + 1]`: list `l`'s postings. */
  listStart: Uint32Array;
  /** Document ordinal of each posting. */
  docs: Uint32Array;
  /** Occurrences of each posting's term in its field. */
  tfs: Uint32Array;
  /** Byte offset of list `l`'s positions in `positions` (Float64: may pass 4 GiB). */
  positionStart: Float64Array;
  /** Per posting, its `tf` word positions, delta-encoded varints. */
  positions: Uint8Array;
  /**
   * `positionSkips[k]`: the byte where posting `k × POSITION_SKIP`'s positions start. Reading
   * one document's positions steps over at most that many postings' bytes, not its whole list
   * (proximity reads a few documents deep inside long lists).
   */
  positionSkips: Float64Array;
  /** Per list: the highest frequency, and the highest frequency per unit of field length. */
  maxTf: Uint32Array;
  maxTfPerLength: Float32Array;
  /** `lengths[f][doc]`: distinct content terms of field `f` (BM25's length). */
  lengths: Uint32Array[];
  /** `words[f][doc]`: words in field `f`, stopwords included. */
  words: Uint32Array[];
  /** Each common term's best documents by its own score (`champions.ts`). */
  champions: ChampionData;
}

/** A term's champion list (`champions.ts`). */
export interface Champion {
  /** Its best documents, ascending ordinals. */
  docs: Uint32Array;
  /** The highest score among its documents left out of `docs`. */
  floor: number;
  /** How many documents hold the term in any field. */
  documents: number;
}

/**
 * A cursor that lives as long as its postings. V8 holds an object's shape weakly: a full garbage
 * collection that finds no cursor alive lets their shape die and throws away every function
 * optimised for it, and the next queries run unoptimised (bench:scale times its phrases after
 * a collection: `"ÉTYMOLOGIE Lat"` took 34–69 ms there, 10–14 ms without the collection).
 */
const keepsShape = new WeakMap<Postings, PostingCursor>();

export class Postings {
  readonly termCount: number;
  readonly documentCount: number;
  /** Per field, the average of `lengths` and of `words`. */
  readonly averageLength: number[];
  readonly averageWords: number[];
  private readonly termIds: Map<string, number>;
  /** Term id → its champion list's number. */
  private readonly championOf: Map<number, number>;

  constructor(readonly data: PostingsData) {
    this.termCount = data.terms.length;
    this.documentCount = data.lengths[0]?.length ?? 0;
    this.termIds = new Map(data.terms.map((term, id) => [term, id]));
    this.averageLength = data.lengths.map(averageOf);
    this.averageWords = data.words.map(averageOf);
    this.championOf = new Map(Array.from(data.champions.terms, (term, c) => [term, c]));
    keepsShape.set(this, new PostingCursor(data, -1));
  }

  termId(term: string): number | undefined {
    return this.termIds.get(term);
  }

  /** The list of `term` in field `field`, or -1. */
  list(term: string, field: number): number {
    const id = this.termIds.get(term);
    return id === undefined ? -1 : id * FIELD_COUNT + field;
  }

  /**
   * Whether the champion lists were made with this BM25 (one entry per field, each once):
   * made with another, they would leave out documents this scoring ranks higher.
   */
  scoredLike(bm25: {
    k1: number;
    delta: number;
    fields: ReadonlyArray<{ field: string; weight: number; b: number }>;
  }): boolean {
    const { scoring, terms } = this.data.champions;
    if (terms.length === 0 || scoring[0] !== bm25.k1 || scoring[1] !== bm25.delta) return false;
    const seen = new Set<number>();
    for (const { field, weight, b } of bm25.fields) {
      const f = (INDEXED_FIELDS as readonly string[]).indexOf(field);
      if (f < 0 || seen.has(f) || scoring[2 + 2 * f] !== weight || scoring[3 + 2 * f] !== b)
        return false;
      seen.add(f);
    }
    return seen.size === FIELD_COUNT;
  }

  /** `term`'s champion list, if it is common enough to have one. */
  champion(term: string): Champion | undefined {
    const id = this.termIds.get(term);
    const c = id === undefined ? undefined : this.championOf.get(id);
    if (c === undefined) return undefined;
    const { start, docs, floor, documents } = this.data.champions;
    return {
      docs: docs.subarray(start[c]!, start[c + 1]!),
      floor: floor[c]!,
      documents: documents[c]!,
    };
  }

  /** Documents in list `l` (its document frequency). */
  size(l: number): number {
    return l < 0 ? 0 : this.data.listStart[l + 1]! - this.data.listStart[l]!;
  }

  /** Documents holding `term` in any field: an upper bound of the union's size. */
  documentFrequency(term: string): number {
    let sum = 0;
    for (let f = 0; f < FIELD_COUNT; f++) sum += this.size(this.list(term, f));
    return sum;
  }

  /** A reader of list `l`'s postings in document order, positions included. */
  cursor(l: number): PostingCursor {
    return new PostingCursor(this.data, l);
  }
}

/**
 * Walks one list forward. Positions are read only for the documents asked for: the bytes of
 * skipped postings are stepped over by counting varint terminators.
 */
export class PostingCursor {
  /** Index of the current posting; `end` when exhausted. */
  at: number;
  readonly end: number;
  private byte: number;
  /** The posting whose positions start at `byte`. */
  private bytePosting: number;

  constructor(
    private readonly data: PostingsData,
    list: number,
  ) {
    this.at = list < 0 ? 0 : data.listStart[list]!;
    this.end = list < 0 ? 0 : data.listStart[list + 1]!;
    this.byte = list < 0 ? 0 : data.positionStart[list]!;
    this.bytePosting = this.at;
  }

  get doc(): number {
    return this.at < this.end ? this.data.docs[this.at]! : 0xffffffff;
  }

  get tf(): number {
    return this.data.tfs[this.at]!;
  }

  /** Moves to the first posting whose document is ≥ `doc` (galloping, then binary search). */
  seek(doc: number): number {
    const { docs } = this.data;
    if (this.at >= this.end || docs[this.at]! >= doc) return this.doc;
    let step = 1;
    let low = this.at;
    let high = this.at + 1;
    while (high < this.end && docs[high]! < doc) {
      low = high;
      step *= 2;
      high = Math.min(this.end, this.at + step);
    }
    // docs[low] < doc; the answer is in (low, high].
    while (low + 1 < high) {
      const mid = (low + high) >>> 1;
      if (docs[mid]! < doc) low = mid;
      else high = mid;
    }
    this.at = high;
    return this.doc;
  }

  next(): number {
    this.at++;
    return this.doc;
  }

  /** The current posting's word positions, ascending, as a new array. */
  positions(): number[] {
    const out: number[] = [];
    this.readPositions(out);
    return out;
  }

  /**
   * The current posting's first word position, decoding nothing more of it: a word's first
   * place in a long document is one varint, its positions there hundreds.
   */
  firstPosition(): number {
    this.stepToCurrent();
    const { positions } = this.data;
    let byte = this.byte;
    let b = positions[byte++]!;
    let value = b & 0x7f;
    let shift = 7;
    while (b >= 0x80) {
      b = positions[byte++]!;
      value += shift < 28 ? (b & 0x7f) << shift : (b & 0x7f) * 2 ** shift;
      shift += 7;
    }
    return value;
  }

  /** Moves `byte` to where the current posting's positions start. */
  private stepToCurrent(): void {
    const { tfs, positions, positionSkips } = this.data;
    let byte = this.byte;
    let from = this.bytePosting;
    const skip = Math.floor(this.at / POSITION_SKIP);
    if (skip * POSITION_SKIP > from) {
      from = skip * POSITION_SKIP;
      byte = positionSkips[skip]!;
    }
    // Every skipped posting's positions at once, each varint's last byte (< 0x80) counted
    // without a branch: a branch per byte and a loop per posting, as before, made a distinct
    // title query take 1 / 0.93 of its time on the benchmark corpus (.scratch A/B).
    let left = 0;
    for (let p = from; p < this.at; p++) left += tfs[p]!;
    while (left > 0) left -= (positions[byte++]! >>> 7) ^ 1;
    this.byte = byte;
    this.bytePosting = this.at;
  }

  /**
   * The current posting's word positions, ascending, into `out[0..n)`; returns `n`: its tf, or
   * `max` when it holds more (the first `max`: a caller that keeps a word's first places need
   * not decode the thousands after them). `out` keeps its length: shortening an array drops its
   * storage, and growing it again for the next posting made reading positions four times
   * slower (bench/, the Littré's `de`).
   */
  readPositions(out: number[], max = Number.POSITIVE_INFINITY): number {
    const { tfs, positions } = this.data;
    this.stepToCurrent();
    const tf = tfs[this.at]!;
    const count = tf > max ? Math.max(0, max) : tf;
    let byte = this.byte;
    let n = 0;
    let value = 0;
    let previous = 0;
    for (let left = count; left > 0; left--) {
      // Most deltas fit one or two bytes; bit operations are exact up to 28 bits, and the
      // rare longer delta goes on with multiplications (`2 ** shift` on every byte made
      // reading positions three times slower than the loop around it).
      let b = positions[byte++]!;
      value = b & 0x7f;
      let shift = 7;
      while (b >= 0x80) {
        b = positions[byte++]!;
        value += shift < 28 ? (b & 0x7f) << shift : (b & 0x7f) * 2 ** shift;
        shift += 7;
      }
      previous += value;
      out[n++] = previous;
    }
    // Read whole, the bytes after it are the next posting's; cut short, the cursor stays at
    // this posting's start and steps over it, by its terminators, when asked for a later one.
    if (count === tf) {
      this.byte = byte;
      this.bytePosting = this.at + 1;
    }
    return n;
  }
}
