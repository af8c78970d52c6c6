import MiniSearch from "minisearch";
import { frenchProcessTerm } from "./french-analysis.js";
import type { BenchDoc, BenchEngine } from "./types.js";

function options() {
  return {
    fields: ["title", "body"],
    idField: "id",
    processTerm: frenchProcessTerm(),
    searchOptions: { boost: { title: 2 } },
  };
}

export function createMiniSearchFrench(): BenchEngine {
  let index = new MiniSearch<BenchDoc>(options());
  return {
    name: "minisearch-french",
    config:
      "MiniSearch 7, default tokenizer (splits on space/punctuation, so elisions l'/d' split " +
      "off), processTerm = lowercase, stopword `fra` list (168 words), snowball-stemmer.jsx " +
      "French, accent folding (NFD strip marks, œ→oe, æ→ae); fields title+body, boost title 2, " +
      "OR, no prefix/fuzzy, no stem cache",
    build(docs) {
      index = new MiniSearch<BenchDoc>(options());
      index.addAll(docs);
    },
    search(query, limit) {
      return index
        .search(query)
        .slice(0, limit)
        .map((r) => String(r.id));
    },
    serialize() {
      return JSON.stringify(index);
    },
    load(data) {
      index = MiniSearch.loadJSON<BenchDoc>(data, options());
    },
  };
}
