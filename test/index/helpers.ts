/** Shared helpers for the index tests: temporary folders, copies of the seeds, generated corpora. */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type MiniSearch from "minisearch";
import type { SearchOptions } from "minisearch";
import { terms } from "../../src/analysis/index.js";
import type { LoupeDocument } from "../../src/corpus/types.js";
import { indexDocuments } from "../../src/index/build.js";
import type { IndexedFields } from "../../src/index/minisearch-json.js";
import type { Vocabulary } from "../../src/index/vocabulary.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SEEDS = path.join(ROOT, "seeds");

const temps: string[] = [];

/** A fresh temporary folder, removed by `removeTemps`. */
export async function tempDir(label = "loupe-index-"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), label));
  temps.push(dir);
  return dir;
}

export async function removeTemps(): Promise<void> {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A writable copy of the seeds. */
export async function copySeeds(): Promise<string> {
  const dir = path.join(await tempDir(), "input");
  await cp(SEEDS, dir, { recursive: true });
  return dir;
}

/** The index exactly as the documents would give it from scratch: the reference to compare with. */
export function freshIndex(documents: readonly LoupeDocument[]): {
  miniSearch: MiniSearch<IndexedFields>;
  vocabulary: Vocabulary;
} {
  const { miniSearch, vocabulary } = indexDocuments([...documents]);
  return { miniSearch, vocabulary };
}

/** A query as the index's tokenizer wants it: loupe's terms joined with spaces. */
export function query(text: string): string {
  return terms(text).join(" ");
}

export const QUERIES = [
  "OTAN Irak",
  "l’Alliance nord-atlantique",
  "soldats canadiens",
  "gouvernement",
  "mission d’entraînement suspendue",
  "hélicoptères",
  "Bagdad attaque américaine",
  "forces armées",
  "xyzzyq introuvable",
];

export const SEARCH_OPTIONS: Array<SearchOptions | undefined> = [
  undefined,
  { combineWith: "AND" },
  { prefix: true },
  { fuzzy: 0.2 },
  { fields: ["title"] },
];

/** Every query × every option set, as `[id, score]` pairs sorted by score then id. */
export function answers(miniSearch: MiniSearch<IndexedFields>): Array<Array<[string, number]>> {
  const all: Array<Array<[string, number]>> = [];
  for (const text of QUERIES) {
    for (const options of SEARCH_OPTIONS) {
      const hits = miniSearch
        .search(query(text), options)
        .map((hit): [string, number] => [String(hit.id), hit.score]);
      hits.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      all.push(hits);
    }
  }
  return all;
}

export function ids(miniSearch: MiniSearch<IndexedFields>, text: string): string[] {
  return miniSearch
    .search(query(text))
    .map((hit) => String(hit.id))
    .sort();
}

/** Entries of an index folder, sorted. */
export async function entries(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

export async function readJson<T = unknown>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, "utf8")) as T;
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, JSON.stringify(value, null, 2));
}

// ---------------------------------------------------------------------------------------------
// A generated French-ish corpus, deterministic (seeded), for builds large enough to kill.

const WORDS = (
  "le gouvernement a annoncé une réforme des retraites mardi soir devant l’Assemblée nationale " +
  "les syndicats dénoncent un projet injuste et appellent à la grève générale dans les transports " +
  "la ministre de l’économie défend une mesure nécessaire pour l’équilibre des comptes publics " +
  "à Marseille les pêcheurs inquiets attendent des aides européennes après une saison difficile " +
  "le tribunal administratif de Lyon a suspendu l’arrêté municipal contesté par les associations " +
  "les hélicoptères de la gendarmerie ont survolé la vallée toute la nuit à la recherche des randonneurs " +
  "l’OTAN et l’Union européenne préparent une conférence sur la sécurité énergétique du continent " +
  "les agriculteurs bretons manifestent contre la hausse du prix des engrais et du carburant " +
  "une étude de l’Inserm montre que les adolescents dorment de moins en moins pendant la semaine " +
  "le conseil constitutionnel examinera la loi immigration avant sa promulgation au printemps"
).split(" ");

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `count` documents of roughly `bytes` bytes each into `dir`. */
export async function generateCorpus(
  dir: string,
  count: number,
  bytes = 3000,
  seed = 42,
): Promise<void> {
  const random = prng(seed);
  const pick = () => WORDS[Math.floor(random() * WORDS.length)] as string;
  await rm(dir, { recursive: true, force: true });
  await import("node:fs/promises").then((fs) => fs.mkdir(dir, { recursive: true }));
  const writes: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const title = `Dépêche ${i} : ${pick()} ${pick()} ${pick()}`;
    const sentences: string[] = [];
    let size = 0;
    while (size < bytes) {
      const length = 8 + Math.floor(random() * 14);
      // A made-up word per sentence keeps the vocabulary growing, as real text does.
      const words = Array.from({ length }, pick);
      words.push(`mot${i}x${sentences.length}`);
      const sentence = `${words.join(" ")}.`;
      sentences.push(sentence.charAt(0).toUpperCase() + sentence.slice(1));
      size += sentence.length + 1;
    }
    const name = `doc-${String(i).padStart(4, "0")}.txt`;
    writes.push(writeFile(path.join(dir, name), `${title}\n\n${sentences.join(" ")}\n`));
  }
  await Promise.all(writes);
}

/**
 * Optimal string alignment: Levenshtein with two adjacent units swapped counting one edit, as
 * the typo search counts (Meilisearch's and Elasticsearch's `transpositions`), by the book.
 */
export function osaDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
