/**
 * Builds the flat posting lists of `postings.ts` one document at a time. Lists grow as plain
 * arrays while documents come in (in ordinal order, so each list is sorted by construction),
 * then are laid out once, in term order, in typed arrays.
 */
import { type AnalyzedField, FIELD_COUNT, STOPWORD_PREFIX } from "./fields.js";
import type { PostingsData } from "./postings.js";

export class PostingsBuilder {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  /** Per (term id × field): ordinals, frequencies, and the positions' deltas. */
  private readonly docs: number[][] = [];
  private readonly tfs: number[][] = [];
  private readonly deltas: number[][] = [];
  private readonly lengths: number[][] = Array.from({ length: FIELD_COUNT }, () => []);
  private readonly words: number[][] = Array.from({ length: FIELD_COUNT }, () => []);
  private count = 0;

  get documents(): number {
    return this.count;
  }

  /** Adds the next document (ordinal `documents`) and returns its ordinal. */
  add(fields: readonly AnalyzedField[]): number {
    const ordinal = this.count++;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const field = fields[f]!;
      this.lengths[f]!.push(field.length);
      this.words[f]!.push(field.words);
      const byKey = new Map<string, number[]>();
      for (let i = 0; i < field.keys.length; i++) {
        const key = field.keys[i]!;
        const list = byKey.get(key);
        if (list === undefined) byKey.set(key, [field.positions[i]!]);
        else list.push(field.positions[i]!);
      }
      for (const [key, positions] of byKey) {
        const l = this.listOf(key) * FIELD_COUNT + f;
        this.docs[l]!.push(ordinal);
        this.tfs[l]!.push(positions.length);
        const deltas = this.deltas[l]!;
        let previous = 0;
        for (const position of positions) {
          deltas.push(position - previous);
          previous = position;
        }
      }
    }
    return ordinal;
  }

  private listOf(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(key, id);
      this.terms.push(key);
      for (let f = 0; f < FIELD_COUNT; f++) {
        this.docs.push([]);
        this.tfs.push([]);
        this.deltas.push([]);
      }
    }
    return id;
  }

  finish(): PostingsData {
    const order = this.terms
      .map((_, id) => id)
      .sort((a, b) => compare(this.terms[a]!, this.terms[b]!));
    const lists = order.length * FIELD_COUNT;
    let postings = 0;
    let positionCount = 0;
    for (let l = 0; l < this.docs.length; l++) {
      postings += this.docs[l]!.length;
      positionCount += this.deltas[l]!.length;
    }
    const listStart = new Uint32Array(lists + 1);
    const docs = new Uint32Array(postings);
    const tfs = new Uint32Array(postings);
    const positionStart = new Float64Array(lists + 1);
    // A varint of a position delta takes 1 byte below 128, 5 at most for 32 bits.
    let positions = new Uint8Array(Math.max(16, positionCount * 2));
    const maxTf = new Uint32Array(lists);
    const maxTfPerLength = new Float32Array(lists);
    const lengths = this.lengths.map((values) => Uint32Array.from(values));
    const words = this.words.map((values) => Uint32Array.from(values));
    let at = 0;
    let byte = 0;
    for (let rank = 0; rank < order.length; rank++) {
      const id = order[rank]!;
      const stop = this.terms[id]!.startsWith(STOPWORD_PREFIX);
      for (let f = 0; f < FIELD_COUNT; f++) {
        const l = rank * FIELD_COUNT + f;
        const source = id * FIELD_COUNT + f;
        listStart[l] = at;
        positionStart[l] = byte;
        const listDocs = this.docs[source]!;
        const listTfs = this.tfs[source]!;
        const listDeltas = this.deltas[source]!;
        if (byte + listDeltas.length * 5 > positions.length) {
          const grown = new Uint8Array(
            Math.max(positions.length * 2, byte + listDeltas.length * 5),
          );
          grown.set(positions.subarray(0, byte));
          positions = grown;
        }
        for (const delta of listDeltas) {
          let value = delta;
          while (value >= 0x80) {
            positions[byte++] = (value & 0x7f) | 0x80;
            value = Math.floor(value / 128);
          }
          positions[byte++] = value;
        }
        const fieldLengths = stop ? words[f]! : lengths[f]!;
        let top = 0;
        let topPerLength = 0;
        for (let i = 0; i < listDocs.length; i++) {
          const tf = listTfs[i]!;
          docs[at] = listDocs[i]!;
          tfs[at] = tf;
          at++;
          if (tf > top) top = tf;
          const perLength = tf / Math.max(1, fieldLengths[listDocs[i]!]!);
          if (perLength > topPerLength) topPerLength = perLength;
        }
        maxTf[l] = top;
        // Rounded up, so the float is still an upper bound.
        maxTfPerLength[l] = topPerLength * (1 + 1e-6);
        // The builder's arrays are no longer needed: free them as the layout proceeds.
        this.docs[source] = [];
        this.tfs[source] = [];
        this.deltas[source] = [];
      }
    }
    listStart[lists] = at;
    positionStart[lists] = byte;
    return {
      terms: order.map((id) => this.terms[id]!),
      listStart,
      docs,
      tfs,
      positionStart,
      positions: positions.slice(0, byte),
      maxTf,
      maxTfPerLength,
      lengths,
      words,
    };
  }
}

/** Code-unit order, the order `<` gives and the files keep. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
