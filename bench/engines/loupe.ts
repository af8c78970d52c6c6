import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoupeDocument } from "../../src/corpus/types.js";
import { indexDocuments, loadIndex, saveIndex } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { DEFAULT_RANKING, type RankingParams } from "../../src/search/execute.js";
import type { BenchDoc, BenchEngine } from "./types.js";

export function toLoupeDocument(doc: BenchDoc): LoupeDocument {
  return {
    id: doc.id,
    title: doc.title,
    body: doc.body,
    source: `${doc.id}.txt`,
    bytes: doc.bytes,
    readingMinutes: 1,
    hash: "",
  };
}

/**
 * loupe itself, through its library API: the same analysis chain, index and search as the
 * server, snippets included in every query (`search()` always builds them).
 */
export function createLoupe(ranking: RankingParams = DEFAULT_RANKING, name = "loupe"): BenchEngine {
  let engine: LoupeEngine | undefined;
  return {
    name,
    config:
      "loupe: its own French chain (elision, reviewed stopwords, folding, current Snowball), " +
      "MiniSearch BM25 over title (boost 2) and body, every word scored by its best exact/prefix/typo " +
      "match, all-words-first ranking, snippets and highlights built for every hit returned",
    build(docs) {
      engine = new LoupeEngine(indexDocuments(docs.map(toLoupeDocument)), ranking);
    },
    search(query, limit) {
      if (engine === undefined) throw new Error("build first");
      try {
        return engine.search(query, { limit }).hits.map((hit) => hit.id);
      } catch {
        return [];
      }
    },
    async serialize() {
      // loupe persists to a folder: the string is that folder's path, written here.
      if (engine === undefined) throw new Error("build first");
      const dir = mkdtempSync(join(tmpdir(), "loupe-bench-"));
      const index = engine.index;
      const documents = [...index.documents.values()];
      await saveIndex(dir, "bench", documents, index.miniSearch, index.vocabulary);
      return dir;
    },
    async load(dir) {
      engine = new LoupeEngine(await loadIndex(dir), ranking);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
