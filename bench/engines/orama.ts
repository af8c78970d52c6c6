import { create, insertMultiple, load, type RawData, save, search } from "@orama/orama";
import { stemmer } from "@orama/stemmers/french";
import { stopwords } from "@orama/stopwords/french";
import type { BenchEngine } from "./types.js";

function createDb() {
  // `id` is left out of the schema so it is used as the document id without being indexed.
  return create({
    schema: { title: "string", body: "string" } as const,
    components: {
      tokenizer: { language: "french", stemming: true, stemmer, stopWords: stopwords },
    },
  });
}

type Db = ReturnType<typeof createDb>;

export function createOrama(): BenchEngine {
  let db: Db = createDb();
  return {
    name: "orama",
    config:
      "Orama 3 full-text (BM25), tokenizer language french + @orama/stemmers french + " +
      "@orama/stopwords french (its own splitter keeps hyphens, splits elisions, folds " +
      "diacritics after stemming); properties title+body, boost title 2, threshold 1 (= OR: " +
      "every doc matching any term), tolerance 0. Orama matches query terms as prefixes " +
      "(exact:true would also require every term verbatim in one field, i.e. AND) and its " +
      "default tokenizer dedups tokens per field, so TF is flat (allowDuplicates:true makes " +
      "insert quadratic in document length)",
    async build(docs) {
      db = createDb();
      await insertMultiple(
        db,
        docs.map((d) => ({ id: d.id, title: d.title, body: d.body })),
        1000,
      );
    },
    async search(query, limit) {
      const res = await search(db, {
        term: query,
        properties: ["title", "body"],
        boost: { title: 2 },
        threshold: 1,
        limit,
      });
      return res.hits.map((h) => h.id);
    },
    serialize() {
      return JSON.stringify(save(db));
    },
    load(data) {
      const raw: unknown = JSON.parse(data);
      if (typeof raw !== "object" || raw === null || !("index" in raw) || !("docs" in raw)) {
        throw new Error("orama: not a saved database");
      }
      db = createDb();
      load(db, raw as RawData);
    },
  };
}
