/**
 * Shared helpers for the search tests: the engine over seeds/ (built in memory once per file),
 * the ids of the five seed articles, and brute-force checks that read the stored text through
 * the analysis chain, independently of the index.
 */
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { analyze, analyzeWord } from "../../src/analysis/index.js";
import { readCorpus } from "../../src/corpus/index.js";
import type { LoupeDocument } from "../../src/corpus/types.js";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { type MarkedText, QueryError, type Span } from "../../src/search/types.js";
import { markHtml } from "../../src/server/marked-html.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A document made in a test: its id as given, or `d007` for 7. */
export function testDocument(id: string | number, title: string, body: string): LoupeDocument {
  const name = typeof id === "number" ? `d${String(id).padStart(3, "0")}` : id;
  const source = typeof id === "number" ? `d${id}.txt` : `${id}.txt`;
  return { id: name, title, body, source, bytes: body.length, readingMinutes: 1, hash: "" };
}
export const SEEDS = path.join(ROOT, "seeds");

/** The five seed articles, by what they are about. */
export const SEED = {
  /** 2020-01. NATO suspends training after Soleimani's death; "formation des formateurs"; "Etat islamique". */
  suspension: "000_40aae3a910703884",
  /** 2020-02. Canada, Harjit Sajjan, "hélicoptères", "œuvrent", "l’Etat islamique". */
  canada: "001_ba59de7d1c28a194",
  /** 2020-02. Brussels, Kay Bailey Hutchison, "l'État islamique". */
  bruxelles: "002_14b393e916f4b8aa",
  /** No date. Anadolu; title names Soleimani; "Des hélicoptères américains"; "l'état d'alerte". */
  anadolu: "003_b6b568fd3f14d03f",
  /** No date. Florence Parly; Otan written "Otan". */
  parly: "004_35c4cf714ecaba77",
} as const;

export const ALL_SEEDS: string[] = Object.values(SEED).sort();

export interface SeedsEngine {
  engine: LoupeEngine;
  documents: LoupeDocument[];
  byId: Map<string, LoupeDocument>;
}

/** The engine over seeds/, built in memory (the fastest way: no disk index). */
export async function seedsEngine(): Promise<SeedsEngine> {
  const { documents } = await readCorpus(SEEDS);
  return {
    engine: new LoupeEngine(indexDocuments(documents)),
    documents,
    byId: new Map(documents.map((d) => [d.id, d])),
  };
}

const temps: string[] = [];

/** A fresh temporary folder, removed by `removeTemps`. */
export async function tempDir(label = "loupe-search-"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), label));
  temps.push(dir);
  return dir;
}

export async function removeTemps(): Promise<void> {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A temporary copy of seeds/ with extra files (name → content). */
export async function seedsWith(extra: Record<string, string>): Promise<string> {
  const dir = path.join(await tempDir(), "corpus");
  await cp(SEEDS, dir, { recursive: true });
  for (const [name, content] of Object.entries(extra))
    await writeFile(path.join(dir, name), content);
  return dir;
}

/** The term a word typed in a query becomes. */
/** Numbers in [0, 1) from a linear congruential generator: the same sequence for a seed, always. */
export function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

export function termOf(word: string): string {
  return analyzeWord(word).term;
}

/** Every term of a text, stopwords included. */
export function termsIn(text: string): string[] {
  return analyze(text, { keepStopwords: true }).map((token) => token.term);
}

/** Whether the stored title or body holds a word with the same term as `word`. */
export function holds(doc: LoupeDocument, word: string): boolean {
  const term = termOf(word);
  return termsIn(`${doc.title}\n${doc.body}`).includes(term);
}

/** How many words of `text` have the term of `word`. */
export function occurrences(text: string, word: string): number {
  const term = termOf(word);
  return termsIn(text).filter((t) => t === term).length;
}

/** The ids, sorted, of the documents for which `predicate` holds. */
export function idsWhere(
  documents: readonly LoupeDocument[],
  predicate: (doc: LoupeDocument) => boolean,
): string[] {
  return documents
    .filter(predicate)
    .map((doc) => doc.id)
    .sort();
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};

/** The text an HTML fragment of ours shows (`<mark>` tags removed, entities decoded), or a marked text's text. */
export function visibleText(html: string | MarkedText): string {
  if (typeof html !== "string") return html.text;
  return html
    .replace(/<\/?mark>/g, "")
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** The contents of each `<mark>`, decoded; or the text of each span of a marked text. */
export function markedWords(html: string | MarkedText): string[] {
  if (typeof html !== "string")
    return html.marks.map(([start, end]) => html.text.slice(start, end));
  return [...html.matchAll(/<mark>(.*?)<\/mark>/gs)].map((match) => visibleText(match[1] ?? ""));
}

/** A marked text as the API and the page show it: HTML with `<mark>`. */
export function asHtml(text: string | MarkedText, marks?: readonly Span[]): string {
  return typeof text === "string" ? markHtml(text, marks ?? []) : markHtml(text.text, text.marks);
}

export function sortedIds(hits: ReadonlyArray<{ id: string }>): string[] {
  return hits.map((hit) => hit.id).sort();
}

/** The QueryError `run` throws; fails the test when it throws nothing or something else. */
export function refusal(run: () => unknown): QueryError {
  try {
    run();
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
  throw new Error("expected a QueryError");
}

/** A plain-text document with only what indexing needs. */
export function textDocument(id: string, title: string, body: string): LoupeDocument {
  return { id, title, body, source: `${id}.txt`, bytes: 1, readingMinutes: 1, hash: id };
}
