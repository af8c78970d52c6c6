/**
 * Phrases from the index's word positions: the phrase's words in order within one field,
 * each at the same distance from the first as in the phrase, in every document (no candidate
 * cap, no text analysed again). A stopword of the phrase matches any word at its place
 * (`formation des formateurs` finds `formation de formateurs`): stopwords carry little meaning
 * and users misremember them; a phrase of stopwords only must match them all. With a slop
 * (`"mots proches"~3`) the words keep their order and may stand up to that many more words
 * apart in all.
 */
import type { AnalyzedToken } from "../analysis/index.js";
import {
  FIELD_COUNT,
  type PostingCursor,
  type Postings,
  stopwordKey,
  stopwordPairKey,
} from "../index/index.js";

export interface PhraseSpec {
  tokens: readonly AnalyzedToken[];
  slop?: number;
}

/**
 * Calls `found(doc, field)` for every document and field holding the phrase, once per pair;
 * documents come in ascending order within a field. `stop()` is asked between documents;
 * documents `consider` refuses are passed over before any list is sought or position read.
 */
export function matchPhrase(
  postings: Postings,
  phrase: PhraseSpec,
  found: (doc: number, field: number) => void,
  stop: () => boolean = () => false,
  consider: (doc: number) => boolean = () => true,
): void {
  const { tokens } = phrase;
  if (tokens.length === 0) return;
  const base = tokens[0]!.position;
  const span = tokens.at(-1)!.position - base;
  const content = tokens.filter((token) => !token.stopword);
  const required = content.length > 0 ? content : tokens;
  const slop = Math.max(0, phrase.slop ?? 0);
  const { keys, offsets, pairs } =
    content.length === 0 && slop === 0
      ? stopwordPairs(postings, tokens, base)
      : wordByWord(required, base);
  // One key standing for the whole phrase (a pair of stopwords, or a single word), with no
  // slop: each document of its list holds the phrase. `"de la"` read the positions of
  // 34,500 Littré entries for nothing (4.4 of its 11 ms).
  const whole = keys.length === 1 && slop === 0 && (span === 0 || (span === 1 && pairs === 1));
  // The per-field arrays are made by loops, never by `map`: an array `map` made from code
  // TurboFan had inlined has another elements kind than one the builtin made, and each switch
  // deoptimized this function ("wrong map" on `order`) until it was recompiled, which a
  // phrase's first run after others paid: `"ÉTYMOLOGIE Lat"` took 13–42 ms instead of 7.
  const n = keys.length;
  const lists = new Int32Array(n);
  const order = new Int32Array(n);
  fields: for (let field = 0; field < FIELD_COUNT; field++) {
    for (let i = 0; i < n; i++) {
      lists[i] = postings.list(keys[i]!, field);
      if (postings.size(lists[i]!) === 0) continue fields;
    }
    // The rarest word drives; the others are sought in its documents (insertion sort: a
    // phrase has a few words).
    for (let i = 0; i < n; i++) {
      let j = i;
      for (; j > 0 && postings.size(lists[order[j - 1]!]!) > postings.size(lists[i]!); j--) {
        order[j] = order[j - 1]!;
      }
      order[j] = i;
    }
    const cursors: PostingCursor[] = [];
    for (let i = 0; i < n; i++) cursors.push(postings.cursor(lists[i]!));
    const done = whole
      ? everyPosting(cursors[order[0]!]!, field, found, stop, consider)
      : positionsAgree(
          cursors,
          order,
          offsets,
          span,
          slop,
          postings.data.words[field]!,
          field,
          found,
          stop,
          consider,
        );
    if (done) return;
  }
}

/*
 * The two loops over a field's documents are functions of their own, not blocks of
 * `matchPhrase`: as one function, TurboFan took 61–71 ms to compile it (every closure and
 * cursor method inlined), its optimised code was thrown away whenever a phrase took a branch of
 * the set-up none had taken before (`"de la"`'s stopword pairs), and bench:scale's first heavy
 * phrases ran in baseline code while it compiled again (`"ÉTYMOLOGIE Lat"` 10.7–21.1 ms at
 * first sight against 5–7 repeated, `--trace-opt --trace-deopt`). Each returns whether `stop()`
 * said to stop.
 */

/** Every posting of the driver's list is the phrase: no position needs reading. */
function everyPosting(
  driver: PostingCursor,
  field: number,
  found: (doc: number, field: number) => void,
  stop: () => boolean,
  consider: (doc: number) => boolean,
): boolean {
  let asked = 0;
  for (let doc = driver.doc; driver.at < driver.end; doc = driver.next()) {
    if ((++asked & 63) === 0 && stop()) return true;
    if (consider(doc)) found(doc, field);
  }
  return false;
}

/**
 * The rarest list (`order[0]`) drives; the others are sought in its documents, and the
 * positions of each document they all hold are read and compared.
 */
function positionsAgree(
  cursors: readonly PostingCursor[],
  order: Int32Array,
  offsets: Int32Array,
  span: number,
  slop: number,
  words: Uint32Array,
  field: number,
  found: (doc: number, field: number) => void,
  stop: () => boolean,
  consider: (doc: number) => boolean,
): boolean {
  const n = cursors.length;
  const driver = cursors[order[0]!]!;
  // Each list's positions in the current document: `positions[i][0..counts[i])`.
  const positions: number[][] = [];
  for (let i = 0; i < n; i++) positions.push([]);
  const counts = new Int32Array(n);
  let asked = 0;
  documents: for (let doc = driver.doc; driver.at < driver.end; doc = driver.next()) {
    // The clock is read every 64 documents: reading it for each was 4 % of a phrase's time.
    if ((++asked & 63) === 0 && stop()) return true;
    if (!consider(doc)) continue;
    for (let k = 1; k < n; k++) {
      const cursor = cursors[order[k]!]!;
      const at = cursor.seek(doc);
      if (cursor.at >= cursor.end) return false;
      if (at !== doc) continue documents;
    }
    for (let i = 0; i < n; i++) counts[i] = cursors[i]!.readPositions(positions[i]!);
    const start =
      slop === 0
        ? exactStart(positions, counts, offsets, span, words[doc]!)
        : sloppyStart(positions, counts, offsets, span, slop, words[doc]!);
    if (start >= 0) found(doc, field);
  }
  return false;
}

/** Each required token's key and its offset from the phrase's first token. */
function wordByWord(
  required: readonly AnalyzedToken[],
  base: number,
): { keys: string[]; offsets: Int32Array; pairs: number } {
  const keys: string[] = [];
  const offsets = new Int32Array(required.length);
  for (const [i, token] of required.entries()) {
    keys.push(token.stopword ? stopwordKey(token.term) : token.term);
    offsets[i] = token.position - base;
  }
  return { keys, offsets, pairs: 0 };
}

/**
 * A phrase of stopwords only, as the index's lists of stopword pairs (`stopwordPairKey`) where
 * it has them: `"de la"` reads the documents where « de la » stands, not every « de » and every
 * « la » of the collection with all their positions (60 ms on the Littré). Tokens are paired
 * from the start, the last one with its neighbour when their number is odd; a pair the index
 * lacks, or two tokens not side by side, are looked for one word at a time.
 */
function stopwordPairs(
  postings: Postings,
  tokens: readonly AnalyzedToken[],
  base: number,
): { keys: string[]; offsets: Int32Array; pairs: number } {
  const keys: string[] = [];
  const offsets: number[] = [];
  let pairs = 0;
  const single = (token: AnalyzedToken) => {
    keys.push(stopwordKey(token.term));
    offsets.push(token.position - base);
  };
  for (let i = 0; i < tokens.length; i += 2) {
    // An odd last token pairs with the one before it (that pair overlaps the previous one).
    const first = i + 1 < tokens.length ? i : i - 1;
    if (first < 0) {
      single(tokens[i]!);
      continue;
    }
    const a = tokens[first]!;
    const b = tokens[first + 1]!;
    const key = stopwordPairKey(a.term, b.term);
    if (b.position === a.position + 1 && postings.termId(key) !== undefined) {
      keys.push(key);
      offsets.push(a.position - base);
      pairs++;
    } else {
      if (first === i) single(a);
      single(b);
    }
  }
  return { keys, offsets: Int32Array.from(offsets), pairs };
}

/** The first start position where every required word stands at its offset, or -1. */
function exactStart(
  positions: number[][],
  counts: Int32Array,
  offsets: Int32Array,
  span: number,
  words: number,
): number {
  const first = positions[0]!;
  for (let j = 0; j < counts[0]!; j++) {
    const start = first[j]! - offsets[0]!;
    if (exactAt(positions, counts, offsets, span, words, start)) return start;
  }
  return -1;
}

/** Whether the phrase stands at `start`, every required word at its offset. */
function exactAt(
  positions: number[][],
  counts: Int32Array,
  offsets: Int32Array,
  span: number,
  words: number,
  start: number,
): boolean {
  // The phrase's stopwords at its edges need words there too.
  if (start < 0 || start + span >= words) return false;
  for (let i = 1; i < positions.length; i++) {
    if (!has(positions[i]!, counts[i]!, start + offsets[i]!)) return false;
  }
  return true;
}

/** Like `exactStart`, the words in order but up to `slop` more words apart in all. */
function sloppyStart(
  positions: number[][],
  counts: Int32Array,
  offsets: Int32Array,
  _span: number,
  slop: number,
  words: number,
): number {
  const first = positions[0]!;
  for (let j = 0; j < counts[0]!; j++) {
    const start = first[j]! - offsets[0]!;
    if (sloppyEnd(positions, counts, offsets, slop, words, first[j]!) >= 0) return start;
  }
  return -1;
}

/**
 * Where the last required word stands when the phrase starts with its first required word at
 * `p`, the others in order and up to `slop` more words apart in all; -1 when it does not.
 */
function sloppyEnd(
  positions: number[][],
  counts: Int32Array,
  offsets: Int32Array,
  slop: number,
  words: number,
  p: number,
): number {
  const start = p - offsets[0]!;
  if (start < 0) return -1;
  let previous = p;
  for (let i = 1; i < positions.length; i++) {
    const gap = offsets[i]! - offsets[i - 1]!;
    const next = firstAtLeast(positions[i]!, counts[i]!, previous + gap);
    if (next < 0 || next - (start + offsets[i]!) > slop) return -1;
    previous = next;
  }
  return previous < words ? previous : -1;
}

/** Where a phrase stands in a field: the positions of its first and last words. */
export type PhrasePlace = readonly [first: number, last: number];

/**
 * Where `phrase` stands in one field of one document, by `matchPhrase`'s rule, in order, the
 * first `max` places: what its marks and a hit's snippet are made from, so that what is marked
 * is where it matched (with its slop, and whatever word stands at a stopword's place).
 */
export function phrasePlaces(
  postings: Postings,
  phrase: PhraseSpec,
  doc: number,
  field: number,
  max: number,
): PhrasePlace[] {
  const { tokens } = phrase;
  const places: PhrasePlace[] = [];
  if (tokens.length === 0 || max <= 0) return places;
  const base = tokens[0]!.position;
  const span = tokens.at(-1)!.position - base;
  const content = tokens.filter((token) => !token.stopword);
  const { keys, offsets } = wordByWord(content.length > 0 ? content : tokens, base);
  const slop = Math.max(0, phrase.slop ?? 0);
  const positions: number[][] = [];
  const counts = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const list = postings.list(keys[i]!, field);
    if (list < 0) return places;
    const cursor = postings.cursor(list);
    if (cursor.seek(doc) !== doc) return places;
    positions.push([]);
    counts[i] = cursor.readPositions(positions[i]!);
  }
  const words = postings.data.words[field]![doc]!;
  const last = offsets[offsets.length - 1]!;
  const first = positions[0]!;
  const edges =
    content.length > 0 ? new EdgeStopwords(postings, tokens, base, doc, field) : undefined;
  // Trimmed before it is cut to the field's last word: the trailing stopwords' places are
  // counted back from where the phrase would end.
  const place = (from: number, to: number) => {
    const [first, last] = edges === undefined ? [from, to] : edges.trim(from, to);
    places.push([first, Math.max(first, Math.min(words - 1, last))]);
  };
  for (let j = 0; j < counts[0]! && places.length < max; j++) {
    const start = first[j]! - offsets[0]!;
    if (slop === 0) {
      if (exactAt(positions, counts, offsets, span, words, start)) place(start, start + span);
      continue;
    }
    const end = sloppyEnd(positions, counts, offsets, slop, words, first[j]!);
    // Stopwords after the last required word are part of the place, where the field has them.
    if (end >= 0) place(start, end + span - last);
  }
  return places;
}

/**
 * A phrase's stopwords before its first word and after its last, each matching any word in
 * its place: a place's ends are trimmed to the first and last of them that stand there as
 * written. `"de l’oeuvre"` matches « UNE ŒUVRE », whose mark was the two words; now « ŒUVRE »,
 * as Elasticsearch marks only what matched. A stopword that stands there (« de l’œuvre »)
 * keeps its place in the mark. Its positions are read once per document and field.
 */
class EdgeStopwords {
  private readonly leading: AnalyzedToken[];
  private readonly trailing: AnalyzedToken[];
  private readonly held = new Map<string, number[]>();

  constructor(
    private readonly postings: Postings,
    private readonly tokens: readonly AnalyzedToken[],
    private readonly base: number,
    private readonly doc: number,
    private readonly field: number,
  ) {
    const firstWord = tokens.findIndex((token) => !token.stopword);
    const lastWord = tokens.findLastIndex((token) => !token.stopword);
    this.leading = tokens.slice(0, firstWord);
    this.trailing = tokens.slice(lastWord + 1).reverse();
  }

  trim(from: number, to: number): PhrasePlace {
    const tokens = this.tokens;
    const span = tokens.at(-1)!.position - this.base;
    let start = from;
    for (const token of this.leading) {
      const at = from + token.position - this.base;
      if (this.stands(token.term, at)) break;
      start = at + 1;
    }
    let end = to;
    // After a sloppy place the trailing stopwords stand right after its last word.
    for (const token of this.trailing) {
      const at = to - (span - (token.position - this.base));
      if (this.stands(token.term, at)) break;
      end = at - 1;
    }
    return [start, Math.max(start, end)];
  }

  /** Whether the document's word at `position` in the field is `term`. */
  private stands(term: string, position: number): boolean {
    let positions = this.held.get(term);
    if (positions === undefined) {
      positions = [];
      const list = this.postings.list(stopwordKey(term), this.field);
      if (list >= 0) {
        const cursor = this.postings.cursor(list);
        if (cursor.seek(this.doc) === this.doc) cursor.readPositions(positions);
      }
      this.held.set(term, positions);
    }
    return has(positions, positions.length, position);
  }
}

/** Whether `sorted[0..count)` holds `value`. */
function has(sorted: number[], count: number, value: number): boolean {
  let low = 0;
  let high = count - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = sorted[mid]!;
    if (at === value) return true;
    if (at < value) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

function firstAtLeast(sorted: number[], count: number, value: number): number {
  for (let i = 0; i < count; i++) if (sorted[i]! >= value) return sorted[i]!;
  return -1;
}

/** Each phrase's places in one field of one document (`phrasePlaces`), the first `max` of each. */
export function placesOf(
  postings: Postings,
  phrases: readonly PhraseSpec[],
  doc: number,
  field: number,
  max: number,
): PhrasePlace[][] {
  const places: PhrasePlace[][] = [];
  for (const phrase of phrases) places.push(phrasePlaces(postings, phrase, doc, field, max));
  return places;
}
