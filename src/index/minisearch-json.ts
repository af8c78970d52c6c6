/**
 * Every generation keeps a MiniSearch index that `MiniSearch.loadJSON(text, miniSearchOptions())`
 * reads, so any MiniSearch user can open loupe's index. loupe itself never loads it: it is
 * written from loupe's own posting lists in MiniSearch's serialisation (version 2, the shape of
 * `MiniSearch.prototype.toJSON`), in chunks, which costs a fraction of building a MiniSearch
 * and stringifying it, and never makes one string of the whole index (V8 refuses strings over
 * ~512 MB; MiniSearch's `loadJSON` itself needs one, which bounds what it can open).
 */
import MiniSearch, { type Options } from "minisearch";
import { FIELD_COUNT, INDEXED_FIELDS } from "./fields.js";
import type { PostingsData } from "./postings.js";

/** What MiniSearch indexes: analysed terms, space separated. */
export interface IndexedFields {
  id: string;
  title: string;
  body: string;
}

const splitTerms = (text: string): string[] => (text.length === 0 ? [] : text.split(" "));

/** MiniSearch stores none of its options in its JSON: these load loupe's; the manifest records them. */
export function miniSearchOptions(): Options<IndexedFields> {
  return {
    idField: "id",
    fields: [...INDEXED_FIELDS],
    storeFields: [],
    tokenize: splitTerms,
    processTerm: (term) => term,
  };
}

export function describeOptions(): Record<string, unknown> {
  return {
    idField: "id",
    fields: [...INDEXED_FIELDS],
    storeFields: [],
    tokenize: "split on spaces: fields hold terms analysed by loupe's chain",
    processTerm: "identity",
    terms: "stems as loupe's chain makes them; stopwords prefixed with _ and counted in full",
    scoring: "loupe scores with its own postings (postings.bin), not MiniSearch's search()",
  };
}

/** Chunks of MiniSearch's JSON for an index of documents `ids` (in ordinal order). */
export function* miniSearchJson(data: PostingsData, ids: readonly string[]): Generator<string> {
  const documents = ids.length;
  const average = (values: Uint32Array) => {
    let sum = 0;
    for (const value of values) sum += value;
    return documents === 0 ? 0 : sum / documents;
  };
  const fieldIds = Object.fromEntries(INDEXED_FIELDS.map((name, id) => [name, id]));
  yield `{"documentCount":${documents},"nextId":${documents},"documentIds":{`;
  let chunk = "";
  for (let i = 0; i < documents; i++) {
    chunk += `${i === 0 ? "" : ","}"${i}":${JSON.stringify(ids[i])}`;
    if (chunk.length > 65_536) {
      yield chunk;
      chunk = "";
    }
  }
  chunk += `},"fieldIds":${JSON.stringify(fieldIds)},"fieldLength":{`;
  for (let i = 0; i < documents; i++) {
    const lengths = data.lengths.map((field) => field[i]!);
    chunk += `${i === 0 ? "" : ","}"${i}":[${lengths.join(",")}]`;
    if (chunk.length > 65_536) {
      yield chunk;
      chunk = "";
    }
  }
  chunk += `},"averageFieldLength":[${data.lengths.map(average).join(",")}],"storedFields":{},"dirtCount":0,"index":[`;
  for (let t = 0; t < data.terms.length; t++) {
    chunk += `${t === 0 ? "" : ","}[${JSON.stringify(data.terms[t])},{`;
    let firstField = true;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const l = t * FIELD_COUNT + f;
      const from = data.listStart[l]!;
      const to = data.listStart[l + 1]!;
      if (from === to) continue;
      chunk += `${firstField ? "" : ","}"${f}":{`;
      firstField = false;
      for (let p = from; p < to; p++) {
        chunk += `${p === from ? "" : ","}"${data.docs[p]}":${data.tfs[p]}`;
      }
      chunk += "}";
    }
    chunk += "}]";
    if (chunk.length > 65_536) {
      yield chunk;
      chunk = "";
    }
  }
  yield `${chunk}],"serializationVersion":2}`;
}

/** A MiniSearch over the same postings, for tests and for programs that want one in memory. */
export function toMiniSearch(
  data: PostingsData,
  ids: readonly string[],
): MiniSearch<IndexedFields> {
  return MiniSearch.loadJSON<IndexedFields>(
    [...miniSearchJson(data, ids)].join(""),
    miniSearchOptions(),
  );
}
