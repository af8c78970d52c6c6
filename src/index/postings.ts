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

export interface Postings {
  readonly documentCount: number;
  fieldId(field: string): number;
  averageLength(fieldId: number): number;
  /** Per field, the documents holding `term` and how often. */
  term(term: string): TermData | undefined;
  /** Each field's length in the document (MiniSearch counts distinct terms). */
  lengths(shortId: number): number[] | undefined;
  /** The document's id, or undefined for a discarded one not vacuumed yet. */
  id(shortId: number): string | undefined;
  shortId(id: string): number | undefined;
}

export function postingsOf<T>(miniSearch: MiniSearch<T>): Postings {
  const internals = miniSearch as unknown as MiniSearchInternals;
  if (!(internals._index && internals._documentIds && internals._fieldIds && internals._fieldLength && internals._idToShortId)) {
    throw new Error("this MiniSearch version keeps its index differently: loupe needs minisearch 7");
  }
  return {
    get documentCount() {
      return internals._documentCount;
    },
    fieldId: (field) => {
      const id = internals._fieldIds[field];
      if (id === undefined) throw new Error(`no field '${field}' in the index`);
      return id;
    },
    averageLength: (fieldId) => internals._avgFieldLength[fieldId] ?? 0,
    term: (term) => internals._index.get(term),
    lengths: (shortId) => internals._fieldLength.get(shortId),
    id: (shortId) => internals._documentIds.get(shortId),
    shortId: (id) => internals._idToShortId.get(id),
  };
}
