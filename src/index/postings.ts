/**
 * Read access to the term frequencies inside a MiniSearch index.
 *
 * MiniSearch's `search()` scores each field with its own BM25, document frequency included,
 * and sums the fields: a word found in a short title, where it is rare, outweighs the whole
 * body (on the benchmark's man pages, `système` in the title `system(3)` scored 8× the best
 * body match). loupe scores with BM25F instead (fields weighted before saturation, one
 * document frequency per term), which needs the raw frequencies MiniSearch keeps but does
 * not expose. This file is the only place that reads MiniSearch's internals; the lockfile
 * pins MiniSearch, the manifest records its version, and a test checks these fields exist.
 */
import type MiniSearch from "minisearch";
import type SearchableMap from "minisearch/SearchableMap";

/** fieldId → document short id → occurrences of the term in that field. */
export type TermData = Map<number, Map<number, number>>;

interface MiniSearchInternals {
  _index: SearchableMap<TermData>;
  _documentIds: Map<number, string>;
  _idToShortId: Map<string, number>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
}

/**
 * A snapshot of the index's statistics in flat arrays indexed by MiniSearch's short document
 * ids, taken once per loaded index: scoring touches them once per posting, and flat arrays
 * cost a fraction of the Map look-ups and garbage MiniSearch's own structures would.
 */
export interface Postings {
  readonly documentCount: number;
  /** One more than the largest short id. */
  readonly size: number;
  fieldId(field: string): number;
  averageLength(fieldId: number): number;
  /** Per field, the documents holding `term` and how often. */
  term(term: string): TermData | undefined;
  /** `lengths[fieldId][shortId]`: the field's length in that document (distinct terms, as MiniSearch counts). */
  readonly lengths: Float64Array[];
  /** `ids[shortId]`: the document's id; undefined for a discarded one not vacuumed yet. */
  readonly ids: ReadonlyArray<string | undefined>;
  shortId(id: string): number | undefined;
}

export function postingsOf<T>(miniSearch: MiniSearch<T>): Postings {
  const internals = miniSearch as unknown as MiniSearchInternals;
  if (
    !(
      internals._index &&
      internals._documentIds &&
      internals._fieldIds &&
      internals._fieldLength &&
      internals._idToShortId
    )
  ) {
    throw new Error(
      "this MiniSearch version keeps its index differently: loupe needs minisearch 7",
    );
  }
  let size = 0;
  for (const shortId of internals._documentIds.keys()) size = Math.max(size, shortId + 1);
  const ids: Array<string | undefined> = new Array(size);
  for (const [shortId, id] of internals._documentIds) ids[shortId] = id;
  const fieldCount = Object.keys(internals._fieldIds).length;
  const lengths = Array.from({ length: fieldCount }, () => new Float64Array(size));
  for (const [shortId, fieldLengths] of internals._fieldLength) {
    if (shortId >= size) continue;
    fieldLengths.forEach((length, fieldId) => {
      lengths[fieldId]![shortId] = length ?? 0;
    });
  }
  const averages = [...internals._avgFieldLength];
  return {
    documentCount: internals._documentCount,
    size,
    fieldId: (field) => {
      const id = internals._fieldIds[field];
      if (id === undefined) throw new Error(`no field '${field}' in the index`);
      return id;
    },
    averageLength: (fieldId) => averages[fieldId] ?? 0,
    term: (term) => internals._index.get(term),
    lengths,
    ids,
    shortId: (id) => internals._idToShortId.get(id),
  };
}
