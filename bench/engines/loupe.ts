import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoupeDocument } from "../../src/corpus/types.js";
import {
  type BuiltIndex,
  buildInMemory,
  inMemoryIndex,
  loadIndex,
  saveIndex,
} from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { DEFAULT_RANKING, type RankingParams } from "../../src/search/execute.js";
import { directoryBytes } from "../metrics.js";
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

/** The ranking in words, from the parameters themselves so the report cannot drift from them. */
export function describeRanking(ranking: RankingParams): string {
  const { bm25, expansion: x, proximity: p, queryWeighting: q, titleMatch: t } = ranking;
  const depth = `the best ${p.rerank}${ranking.shortRerank ? ` (${ranking.shortRerank.depth} in queries of ≤ ${ranking.shortRerank.upTo} words)` : ""}`;
  const fields = bm25.fields.map((f) => `${f.field} weight ${f.weight} b ${f.b}`).join(", ");
  return (
    `BM25+ k1 ${bm25.k1} δ ${bm25.delta}, saturated per field, per-field document frequency ` +
    `(${fields}); ${ranking.coordination ? "score × words matched" : "no words-matched coordination"}; ` +
    `documents holding every word first in queries of 2–${ranking.allWordsFirstUpTo} words; ` +
    `each word scored by its best exact / prefix (×${x.prefixWeight}, up to ${x.maxPrefixTerms} words) / typo (×${x.fuzzyWeight}, up to ${x.maxFuzzyTerms} words; ` +
    `1 edit from 5 letters, 2 from 9; known words only in queries of ≤ ${x.fuzzyAllWordsUpTo} words and when in < ${x.fuzzyKnownBelow} documents) match; ` +
    `the last word is a prefix in queries of ≤ ${x.typingPrefixUpTo} words; "quoted" = phrase, required, checked on positions; ` +
    `proximity of neighbouring query words (×${p.weight}${p.short ? `, ×${p.short.weight} in queries of ≤ ${p.short.upTo} words` : ""}, window ${p.window}) re-ranks ${depth}` +
    (q !== undefined && Number.isFinite(q.longerThan)
      ? `; queries of > ${q.longerThan} words weigh each word × (idf / highest idf)^${q.idfPower}${q.k3 > 0 ? ` × query-frequency saturation k3 ${q.k3}` : ""}`
      : "") +
    (t !== undefined && t.weight > 0
      ? `; title coverage bonus ×${t.weight} in queries of ≤ ${t.upTo} words${t.requireAll ? " (every word in the title)" : ""}`
      : "") +
    (ranking.learned !== undefined
      ? `; instead of proximity and the title bonus, a learned model (src/search/learned-rank.json: ${ranking.learned.trees ? `${ranking.learned.trees.length} regression trees boosted from` : "linear,"} ${Object.keys(ranking.learned.weights).length} weighted signals; short-query signals up to ${ranking.learned.shortUpTo} words) re-ranks ${depth}`
      : "")
  );
}

/**
 * loupe itself, through its library API: the same analysis chain, index and search as the
 * server, snippets included in every query (`search()` always builds them).
 */
export function createLoupe(ranking: RankingParams = DEFAULT_RANKING, name = "loupe"): BenchEngine {
  let engine: LoupeEngine | undefined;
  let built: BuiltIndex | undefined;
  const written: string[] = [];
  return {
    name,
    config:
      "loupe: its own French chain (NFC, lowercase, elision l’ d’ qu’…, reviewed stopwords, " +
      "accent folding, then the current Snowball French stemmer), its own posting lists with " +
      `positions (and a MiniSearch index of the same terms), scored by loupe: ${describeRanking(ranking)}; ` +
      "snippets and highlights built for every hit returned, no result cache; persisted as a folder " +
      "(binary posting lists and document store, JSON catalog and vocabulary, MiniSearch JSON, " +
      "manifest with SHA-256 checksums, verified on load)",
    build(docs) {
      built = buildInMemory(docs.map(toLoupeDocument));
      engine = new LoupeEngine(inMemoryIndex(built), ranking);
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
      if (built === undefined) throw new Error("build first");
      const dir = mkdtempSync(join(tmpdir(), "loupe-bench-"));
      written.push(dir);
      await saveIndex(dir, "bench", built);
      return dir;
    },
    persistedBytes: directoryBytes,
    async load(dir) {
      // Timed by the runner: read, checksums, parse, and the engine's postings view.
      engine = new LoupeEngine(await loadIndex(dir), ranking);
    },
    dispose() {
      for (const dir of written.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
