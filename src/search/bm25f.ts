/**
 * Scoring one term: BM25 over the title and the body, with BM25+'s lower bound.
 *
 * Two ways to combine fields, both measured on the benchmark's known-item queries (bench/):
 * - BM25F (Robertson & Zaragoza 2009): field frequencies weighted and length-normalised,
 *   added, then saturated, one document frequency per term.
 * - per field (`perField`, MiniSearch's way): each field scored with its own document
 *   frequency, then added. A word rare among titles weighs more in a title than in a body.
 * Per field wins on the fact sheets (titles name the topic) and loses on man pages (titles
 * are command names); see the README for the figures.
 */
import type { Postings, TermData } from "../index/postings.js";

export interface FieldWeight {
  field: string;
  weight: number;
  /** Length normalisation of this field, 0 (none) to 1 (full). */
  b: number;
}

export interface Bm25fParams {
  k1: number;
  /** BM25+'s lower bound for a matching term (Lv & Zhai 2011): a match always counts. */
  delta: number;
  /** Score each field apart, with its own document frequency, and add the fields. */
  perField: boolean;
  fields: FieldWeight[];
}

/** One term's scores: `scores[i]` for the document of short id `ids[i]`. */
export interface TermScores {
  ids: number[];
  scores: number[];
}

/**
 * Scratch space reused from term to term and from query to query, sized to the index:
 * per-document sums without a Map or an allocation per posting. Every array is all zeros
 * between uses; whoever fills one empties it before returning, even on a throw. Searches are
 * synchronous, so one workspace per index is never in use twice at once.
 */
export class Scratch {
  readonly sums: Float64Array;
  /** 1 + the document's place in the result being built, 0 when not in it yet. */
  readonly seen: Int32Array;
  /** Per document, for a whole query: the score so far, the words matched, one word's best. */
  readonly total: Float64Array;
  readonly matched: Uint8Array;
  readonly best: Float64Array;
  constructor(size: number) {
    this.sums = new Float64Array(size);
    this.seen = new Int32Array(size);
    this.total = new Float64Array(size);
    this.matched = new Uint8Array(size);
    this.best = new Float64Array(size);
  }
}

// One per index snapshot, dropped with it: allocating ~20 bytes per document for every query
// made each search feed the garbage collector, whose pauses set the latency tail (bench/).
const scratches = new WeakMap<Postings, Scratch>();

export function scratchFor(postings: Postings): Scratch {
  let scratch = scratches.get(postings);
  // A Postings view is a snapshot: its size never changes.
  if (scratch === undefined) {
    scratch = new Scratch(postings.size);
    scratches.set(postings, scratch);
  }
  return scratch;
}

export function scoreTerm(
  postings: Postings,
  term: string,
  params: Bm25fParams,
  scratch: Scratch,
): TermScores {
  const result: TermScores = { ids: [], scores: [] };
  const data = postings.term(term);
  if (data === undefined) return result;
  const groups = params.perField ? params.fields.map((field) => [field]) : [params.fields];
  try {
    for (const fields of groups) {
      const scale = params.perField ? fields[0]!.weight : 1;
      addFields(postings, data, fields, params, scale, scratch, result);
    }
  } finally {
    for (const shortId of result.ids) scratch.seen[shortId] = 0;
  }
  return result;
}

/** Adds to `result` the saturated, weighted frequency of the term over `fields` together. */
function addFields(
  postings: Postings,
  data: TermData,
  fields: FieldWeight[],
  params: Bm25fParams,
  scale: number,
  scratch: Scratch,
  result: TermScores,
): void {
  const { sums, seen } = scratch;
  const touched: number[] = [];
  // Resolved first: an unknown field throws before any sum is touched.
  const fieldIds = fields.map(({ field }) => postings.fieldId(field));
  try {
    for (const [f, { weight, b }] of fields.entries()) {
      const fieldId = fieldIds[f]!;
      const frequencies = data.get(fieldId);
      if (frequencies === undefined) continue;
      const average = postings.averageLength(fieldId) || 1;
      const lengths = postings.lengths[fieldId]!;
      const fieldWeight = fields.length === 1 ? 1 : weight;
      // forEach, not for…of: destructuring each entry allocated a pair per posting.
      frequencies.forEach((frequency, shortId) => {
        if (postings.ids[shortId] === undefined) return;
        const normalised = (fieldWeight * frequency) / (1 - b + (b * lengths[shortId]!) / average);
        if (sums[shortId] === 0) touched.push(shortId);
        sums[shortId]! += normalised;
      });
    }
  } catch (error) {
    for (const shortId of touched) sums[shortId] = 0;
    throw error;
  }
  const documents = touched.length;
  const idf = Math.log(1 + (postings.documentCount - documents + 0.5) / (documents + 0.5));
  const { k1, delta } = params;
  for (const shortId of touched) {
    const tf = sums[shortId]!;
    sums[shortId] = 0;
    const score = scale * idf * (delta + (tf * (k1 + 1)) / (tf + k1));
    if (seen[shortId] === 0) {
      seen[shortId] = result.ids.length + 1;
      result.ids.push(shortId);
      result.scores.push(score);
    } else {
      result.scores[seen[shortId]! - 1]! += score;
    }
  }
}
