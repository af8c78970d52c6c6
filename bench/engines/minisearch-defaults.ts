import MiniSearch, { type Options } from "minisearch";
import type { BenchDoc, BenchEngine } from "./types.js";

/** A MiniSearch peer: title + body, title boosted 2×, OR, with the given extra options. */
export function miniSearchEngine(
  name: string,
  config: string,
  extra: () => Partial<Options<BenchDoc>> = () => ({}),
): BenchEngine {
  const options = (): Options<BenchDoc> => ({
    fields: ["title", "body"],
    idField: "id",
    searchOptions: { boost: { title: 2 } },
    ...extra(),
  });
  let index = new MiniSearch<BenchDoc>(options());
  return {
    name,
    config,
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

export function createMiniSearchDefaults(): BenchEngine {
  return miniSearchEngine(
    "minisearch-defaults",
    "MiniSearch 7 defaults: tokenizer splits on Unicode space/punctuation, lowercase only " +
      "(no stemming, stopwords or accent folding); fields title+body, boost title 2, OR, " +
      "no prefix/fuzzy",
  );
}
