/**
 * The query sets of the relevance harness, each query with its one relevant document:
 * - `known-items`: the 3,054 training queries (bench/known-items-train.tsv, a copy of
 *   ../shared/bench-corpus/known-items-train.tsv) and the 150 development queries of the corpus;
 * - `short-man`, `short-sp`: keyword-style queries of 2–4 words made here from what the corpus
 *   offers (see `shortManQueries` and `shortSheetQueries`), split into train and dev halves by a
 *   hash of the target, so a document's short queries all fall on one side;
 * - `short-title`: the first keywords of a title (`shortTitleQueries`), split the same way. The
 *   two sets above leave the title's words out by design, so a model fitted on them alone
 *   learns that a short query's words in a title mark a wrong document.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { analyzeWord } from "../../src/analysis/index.js";
import { type BenchDoc, type BenchQuery, type BenchSource, fnv1a } from "../corpus.js";
import { seededRandom, shuffled } from "../random.js";

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const TRAIN_TSV = join(BENCH_DIR, "known-items-train.tsv");

export const SETS = ["known-items", "short-man", "short-sp", "short-title"] as const;
export type SetName = (typeof SETS)[number];
/** The keyword-style sets, beside the long known-item queries. */
export const SHORT_SETS = SETS.filter((set) => set !== "known-items");
export type Split = "train" | "dev";

export interface EvalQuery extends BenchQuery {
  set: SetName;
  split: Split;
  /** Whitespace-separated words, for the length buckets. */
  words: number;
}

export const LENGTH_BUCKETS = ["1–3", "4–7", "8–15", "16+"] as const;
export type LengthBucket = (typeof LENGTH_BUCKETS)[number];

export function lengthBucket(words: number): LengthBucket {
  return words <= 3 ? "1–3" : words <= 7 ? "4–7" : words <= 15 ? "8–15" : "16+";
}

const countWords = (query: string) => query.split(/\s+/u).filter((w) => w !== "").length;

function sourceOf(id: string): BenchSource {
  if (id.startsWith("sp-")) return "sp";
  if (id.startsWith("man-")) return "man";
  throw new Error(`unknown source prefix in ${id}`);
}

/** `query<TAB>doc_filename` lines, as bench/corpus.ts reads the dev set. */
export function readTsv(path: string, known: ReadonlySet<string>): BenchQuery[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => {
      const [query, file] = line.split("\t");
      if (!query || !file) throw new Error(`${path}:${i + 1}: expected query<TAB>doc_filename`);
      const id = file.trim().replace(/\.txt$/, "");
      if (!known.has(id)) throw new Error(`${path}:${i + 1}: ${id} is not in the corpus`);
      return { query: query.trim(), id, source: sourceOf(id) };
    });
}

/** Analysed terms of a text's content words (stopwords left out). */
function contentTerms(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.split(/[\s,;:()[\]«»"!?]+/u)) {
    if (raw === "") continue;
    const a = analyzeWord(raw);
    if (!a.stopword && a.term !== "") out.add(a.term);
  }
  return out;
}

/**
 * A keyword as a user types it: letters (and inner apostrophes or hyphens), 3+ letters, not a
 * stopword; the elided article of `d'UUID` is dropped (`UUID`).
 */
function keywords(text: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(/\s+/u)) {
    const word = raw
      .replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "")
      .replace(/^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]/iu, "");
    if (word.length < 3 || !/^\p{L}[\p{L}'’-]*$/u.test(word)) continue;
    const a = analyzeWord(word);
    if (a.stopword || seen.has(a.term)) continue;
    seen.add(a.term);
    out.push(word);
  }
  return out;
}

/** Keyword-style: at most this many words. */
const MAX_WORDS = 4;

/**
 * Man pages: the keywords of the page's NAME description, as someone who knows what the tool
 * does but not its name would type them (`fonction arc sinus` → `fonction arc sinus`,
 * `définir la protection d'une partie de la mémoire` → `définir protection partie mémoire`).
 * The NAME line was removed from every body when the corpus was made, so it is nowhere in the
 * target's text. Only the training set's NAME descriptions are used (the dev set stays
 * untouched); a word of the target's title (its command names, `asin`, `mprotect`) is dropped,
 * since typing the name would be a title look-up, not a search. Up to the first 4 keywords are
 * kept, in order; descriptions left with fewer than 2 are passed over.
 */
export function shortManQueries(train: readonly BenchQuery[], docs: ReadonlyMap<string, BenchDoc>) {
  const out: BenchQuery[] = [];
  for (const q of train) {
    if (q.source !== "man") continue;
    const title = contentTerms(docs.get(q.id)?.title.replace(/[(),]/g, " ") ?? "");
    const words = keywords(q.query).filter((w) => !title.has(analyzeWord(w).term));
    if (words.length < 2) continue;
    out.push({
      query: words.slice(0, MAX_WORDS).join(" "),
      id: q.id,
      source: "man",
    });
  }
  return out;
}

/**
 * Fact-sheet section headings: standalone lines of 1–8 words that start with a capital letter,
 * end without a full stop, colon or question mark and are not list items
 * (`Convention d'accueil obligatoire`, `Séquence d'observation au collège et au lycée`).
 */
export function headings(body: string): string[] {
  return body
    .split(/\n\s*\n/u)
    .map((p) => p.trim())
    .filter(
      (p) =>
        !p.includes("\n") &&
        /^\p{Lu}/u.test(p) &&
        !/[.:?!;,]$/u.test(p) &&
        !p.startsWith("-") &&
        countWords(p) <= 8,
    );
}

/**
 * Fact sheets: the keywords of the sheet's most specific section heading, as someone who
 * remembers one part of what the sheet covers would type them. A heading found in 3 or more
 * sheets (`Assurance`, `Démarche`, `Où s'adresser`) names no one sheet and is never used; the
 * words of the sheet's title are dropped (the query must not be a copy of the title, which the
 * ranking weighs most and which would make the query trivial); among the headings left with 2+
 * keywords, the one found in the fewest sheets wins (ties: the first in the sheet), and up to
 * its first 4 keywords make the query. Sheets without such a heading are passed over.
 */
export function shortSheetQueries(docs: readonly BenchDoc[]): BenchQuery[] {
  const sheets = docs.filter((d) => d.source === "sp");
  const perSheet = sheets.map((d) => ({ doc: d, headings: [...new Set(headings(d.body))] }));
  const df = new Map<string, number>();
  for (const s of perSheet)
    for (const h of s.headings) df.set(h.toLowerCase(), (df.get(h.toLowerCase()) ?? 0) + 1);
  const out: BenchQuery[] = [];
  for (const { doc, headings: hs } of perSheet) {
    const title = contentTerms(doc.title);
    let best: { words: string[]; df: number } | undefined;
    for (const h of hs) {
      const count = df.get(h.toLowerCase()) ?? 0;
      if (count >= 3 || (best !== undefined && count >= best.df)) continue;
      const words = keywords(h).filter((w) => !title.has(analyzeWord(w).term));
      if (words.length >= 2) best = { words, df: count };
    }
    if (best === undefined) continue;
    out.push({ query: best.words.slice(0, MAX_WORDS).join(" "), id: doc.id, source: "sp" });
  }
  return out;
}

/**
 * Titles: their first 2 or 3 keywords (by a hash of the document), as someone who knows the
 * page's name would type it (`Carte grise perte`, `mprotect`: a man page's title is its
 * names, its section number dropped; a name with `_` or an inner digit is no keyword). Every
 * document with a keyword in its title gives one; several titles may start alike, and only the
 * one the words came from counts as found.
 */
export function shortTitleQueries(docs: readonly BenchDoc[]): BenchQuery[] {
  const out: BenchQuery[] = [];
  for (const doc of docs) {
    const words = keywords(doc.title.replace(/[(),]/gu, " "));
    if (words.length === 0) continue;
    const take = 2 + (fnv1a(`title:${doc.id}`) % 2);
    out.push({ query: words.slice(0, take).join(" "), id: doc.id, source: doc.source });
  }
  return out;
}

/** Train or dev half of a short set, by a hash of the target (a document stays on one side). */
const halfOf = (id: string, seed: number): Split =>
  fnv1a(`half:${seed}:${id}`) % 2 === 0 ? "train" : "dev";

export interface QuerySets {
  queries: EvalQuery[];
  /** How many of each set and split, for the report. */
  counts: Record<SetName, Record<Split, number>>;
}

export function buildQuerySets(
  docs: readonly BenchDoc[],
  dev: readonly BenchQuery[],
  trainPath: string,
  seed: number,
): QuerySets {
  const byId = new Map(docs.map((d) => [d.id, d]));
  const train = readTsv(trainPath, new Set(byId.keys()));
  const devKeys = new Set(dev.map((q) => `${q.query}\t${q.id}`));
  for (const q of train)
    if (devKeys.has(`${q.query}\t${q.id}`)) throw new Error(`train query also in dev: ${q.query}`);
  const tag = (qs: readonly BenchQuery[], set: SetName, split: (q: BenchQuery) => Split) =>
    qs.map((q): EvalQuery => ({ ...q, set, split: split(q), words: countWords(q.query) }));
  const queries = [
    ...tag(train, "known-items", () => "train"),
    ...tag(dev, "known-items", () => "dev"),
    ...tag(shortManQueries(train, byId), "short-man", (q) => halfOf(q.id, seed)),
    ...tag(shortSheetQueries(docs), "short-sp", (q) => halfOf(q.id, seed)),
    ...tag(shortTitleQueries(docs), "short-title", (q) => halfOf(q.id, seed)),
  ];
  const counts = Object.fromEntries(
    SETS.map((set) => [
      set,
      {
        train: queries.filter((q) => q.set === set && q.split === "train").length,
        dev: queries.filter((q) => q.set === set && q.split === "dev").length,
      },
    ]),
  ) as Record<SetName, Record<Split, number>>;
  return { queries, counts };
}

/**
 * A seeded sample: at most `cap` queries per half of each short set (the sheets' set alone has
 * 2,530, and every query is run once per system), and in --quick also 600 training known items
 * and 200 per short half. The dev known items are always kept whole.
 */
export function sampleQueries(
  queries: EvalQuery[],
  seed: number,
  cap: number,
  quick: boolean,
): EvalQuery[] {
  const keep = new Set<EvalQuery>();
  const random = seededRandom(seed ^ 0x9e37);
  for (const set of SETS) {
    for (const split of ["train", "dev"] as const) {
      const limit =
        set === "known-items"
          ? quick && split === "train"
            ? 600
            : Number.POSITIVE_INFINITY
          : Math.min(cap, quick ? 200 : cap);
      const side = queries.filter((x) => x.set === set && x.split === split);
      for (const q of shuffled(side, random).slice(0, limit)) keep.add(q);
    }
  }
  return queries.filter((q) => keep.has(q));
}
