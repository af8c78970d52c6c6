import MiniSearch from "minisearch";
import type { BenchDoc, BenchEngine } from "./types.js";

const OPTIONS = {
  fields: ["title", "body"],
  idField: "id",
  searchOptions: { boost: { title: 2 } },
};

export function createMiniSearchDefaults(): BenchEngine {
  let index = new MiniSearch<BenchDoc>(OPTIONS);
  return {
    name: "minisearch-defaults",
    config:
      "MiniSearch 7 defaults: tokenizer splits on Unicode space/punctuation, lowercase only " +
      "(no stemming, stopwords or accent folding); fields title+body, boost title 2, OR, " +
      "no prefix/fuzzy",
    build(docs) {
      index = new MiniSearch<BenchDoc>(OPTIONS);
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
      index = MiniSearch.loadJSON<BenchDoc>(data, OPTIONS);
    },
  };
}
