/**
 * `postings.bin`: the arrays of `PostingsData` as one little-endian file, each section 8-byte
 * aligned so that loading makes typed-array views over the bytes read instead of copies.
 *
 *   "LOUPEPO4" · header (f64 × 8) · listStart u32[L+1] · docs u32[P] · tfs u32[P]
 *   · positionStart f64[L+1] · maxTf u32[L] · maxTfPerLength f32[L] · lengths u32[F×N]
 *   · words u32[F×N] · positions u8[B] · positionSkips f64[P/16+1] · terms (UTF-8, "\n"-separated)
 *   · champion scoring f64[2+2F] · champion terms u32[C] · start u32[C+1] · docs u32[start[C]]
 *   · floor f64[C] · documents u32[C]
 *
 * Limits: u32 postings and ordinals (4,294,967,295 postings, documents), positions and the
 * file itself under Node's 4 GiB Buffer bound (a 1 GB text collection writes about 0.9 GB).
 */
import type { ChampionData } from "./champions.js";
import { FIELD_COUNT } from "./fields.js";
import { POSITION_SKIP, type PostingsData } from "./postings.js";

// 4: champion lists (3: a position skip every 16 postings; 2: every 64); the manifest's format
// says it too.
const MAGIC = "LOUPEPO4";
const HEADER_NUMBERS = 8;

export function encodePostings(data: PostingsData): Uint8Array[] {
  const lists = data.listStart.length - 1;
  const terms = Buffer.from(data.terms.join("\n"), "utf8");
  const header = new Float64Array(HEADER_NUMBERS);
  header.set([
    FIELD_COUNT,
    data.lengths[0]?.length ?? 0,
    lists,
    data.docs.length,
    data.positions.length,
    terms.length,
    data.terms.length,
    data.champions.terms.length,
  ]);
  const sections: ArrayBufferView[] = [
    header,
    data.listStart,
    data.docs,
    data.tfs,
    data.positionStart,
    data.maxTf,
    data.maxTfPerLength,
    ...data.lengths,
    ...data.words,
    data.positions,
    data.positionSkips,
    terms,
    data.champions.scoring,
    data.champions.terms,
    data.champions.start,
    data.champions.docs,
    data.champions.floor,
    data.champions.documents,
  ];
  const chunks: Uint8Array[] = [Buffer.from(MAGIC, "latin1")];
  for (const section of sections) {
    const bytes = new Uint8Array(section.buffer, section.byteOffset, section.byteLength);
    chunks.push(bytes);
    const pad = (8 - (bytes.length % 8)) % 8;
    if (pad > 0) chunks.push(new Uint8Array(pad));
  }
  return chunks;
}

/** Views over `bytes` (copied once if the buffer is not 8-byte aligned). Throws on damage. */
export function decodePostings(input: Uint8Array): PostingsData {
  const bytes = input.byteOffset % 8 === 0 ? input : new Uint8Array(input);
  if (Buffer.from(bytes.buffer, bytes.byteOffset, 8).toString("latin1") !== MAGIC) {
    throw new Error("it is not a loupe postings file");
  }
  let at = bytes.byteOffset + 8;
  const end = bytes.byteOffset + bytes.byteLength;
  const take = <T>(
    make: (buffer: ArrayBufferLike, offset: number, length: number) => T,
    count: number,
    size: number,
  ): T => {
    const length = count * size;
    if (!Number.isSafeInteger(count) || count < 0 || at + length > end) {
      throw new Error("it is shorter than its header says");
    }
    const view = make(bytes.buffer, at, count);
    at += length + ((8 - (length % 8)) % 8);
    return view;
  };
  const f64 = (b: ArrayBufferLike, o: number, n: number) => new Float64Array(b, o, n);
  const u32 = (b: ArrayBufferLike, o: number, n: number) => new Uint32Array(b, o, n);
  const header = take(f64, HEADER_NUMBERS, 8);
  const [fields, documents, lists, postings, positionBytes, termBytes, termCount, championCount] =
    header as unknown as number[];
  if (fields !== FIELD_COUNT || lists !== termCount! * FIELD_COUNT) {
    throw new Error(
      `its header describes ${fields} fields and ${lists} lists for ${termCount} terms`,
    );
  }
  const arrays = {
    listStart: take(u32, lists! + 1, 4),
    docs: take(u32, postings!, 4),
    tfs: take(u32, postings!, 4),
    positionStart: take(f64, lists! + 1, 8),
    maxTf: take(u32, lists!, 4),
    maxTfPerLength: take((b, o, n) => new Float32Array(b, o, n), lists!, 4),
    lengths: Array.from({ length: FIELD_COUNT }, () => take(u32, documents!, 4)),
    words: Array.from({ length: FIELD_COUNT }, () => take(u32, documents!, 4)),
    positions: take((b, o, n) => new Uint8Array(b, o, n), positionBytes!, 1),
    positionSkips: take(f64, Math.floor(postings! / POSITION_SKIP) + 1, 8),
  };
  const termText = take((b, o, n) => Buffer.from(b, o, n), termBytes!, 1).toString("utf8");
  const scoring = take(f64, 2 + 2 * FIELD_COUNT, 8);
  const championTerms = take(u32, championCount!, 4);
  const start = take(u32, championCount! + 1, 4);
  const champions: ChampionData = {
    scoring,
    terms: championTerms,
    start,
    docs: take(u32, start[championCount!]!, 4),
    floor: take(f64, championCount!, 8),
    documents: take(u32, championCount!, 4),
  };
  if (start[0] !== 0) throw new Error("its champion lists disagree with its terms");
  for (let c = 0; c < championCount!; c++) {
    if (start[c + 1]! < start[c]! || championTerms[c]! >= termCount!)
      throw new Error("its champion lists disagree with its terms");
  }
  const data: PostingsData = {
    terms: termCount === 0 ? [] : termText.split("\n"),
    ...arrays,
    champions,
  };
  if (at !== end + ((8 - (end % 8)) % 8) && at !== end)
    throw new Error("it is longer than its header says");
  if (data.terms.length !== termCount || data.listStart[lists!] !== postings) {
    throw new Error("its sections disagree with its header");
  }
  return data;
}
