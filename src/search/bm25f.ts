/**
 * Scoring one term: BM25 over the title and the body, with BM25+'s lower bound.
 *
 * Two ways to combine fields, both measured on the benchmark's known-item queries (bench/):
 * - BM25F (Robertson & Zaragoza 2009): field frequencies weighted and length-normalised,
 *   added, then saturated, one document frequency per term.
 * - per field (`perField`, MiniSearch's way): each field scored with its own document
 *   frequency, then added. A word rare among titles weighs more in a title than in a body.
 * Per field wins clearly on the fact sheets (titles name the topic) and loses on man pages
 * (titles are command names); see the README for the figures.
 */
import type { Postings } from "../index/postings.js";

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

/** Scores of one term, by document short id (MiniSearch's internal number). */
export type TermScores = Map<number, number>;

export function scoreTerm(postings: Postings, term: string, params: Bm25fParams): TermScores {
  const scores: TermScores = new Map();
  const data = postings.term(term);
  if (data === undefined) return scores;
  if (params.perField) {
    for (const field of params.fields) addFields(postings, data, [field], params, field.weight, scores);
  } else {
    addFields(postings, data, params.fields, params, 1, scores);
  }
  return scores;
}

/** Adds to `scores` the saturated, weighted frequency of the term over `fields` together. */
function addFields(
  postings: Postings,
  data: NonNullable<ReturnType<Postings["term"]>>,
  fields: FieldWeight[],
  params: Bm25fParams,
  scale: number,
  scores: TermScores,
): void {
  const weighted = new Map<number, number>();
  for (const { field, weight, b } of fields) {
    const fieldId = postings.fieldId(field);
    const frequencies = data.get(fieldId);
    if (frequencies === undefined) continue;
    const average = postings.averageLength(fieldId) || 1;
    const fieldWeight = fields.length === 1 ? 1 : weight;
    for (const [shortId, frequency] of frequencies) {
      if (postings.id(shortId) === undefined) continue;
      const length = postings.lengths(shortId)?.[fieldId] ?? average;
      const normalised = (fieldWeight * frequency) / (1 - b + (b * length) / average);
      weighted.set(shortId, (weighted.get(shortId) ?? 0) + normalised);
    }
  }
  const documents = weighted.size;
  const idf = Math.log(1 + (postings.documentCount - documents + 0.5) / (documents + 0.5));
  const { k1, delta } = params;
  for (const [shortId, tf] of weighted) {
    const score = scale * idf * (delta + (tf * (k1 + 1)) / (tf + k1));
    scores.set(shortId, (scores.get(shortId) ?? 0) + score);
  }
}
