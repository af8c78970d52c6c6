/**
 * Synonyms at query time, through the same analysis chain as the documents: a query word whose
 * term is the term of a synonym key (`OTAN` → `otan`) also matches the terms of the words the
 * key lists, as alternatives of kind "synonym" beside its own spellings, prefixes and typos.
 * One-way synonyms work as Meilisearch's: only the key finds its list.
 *
 * Chosen for cost, not as phrases: a key of several words (`État islamique`) is found as
 * consecutive content words of the query, and each of them then also matches the key's
 * synonyms (a document saying `Daech` holds "every word" of `État islamique`); a listed synonym
 * of several words matches through each of its content words, each weighing 1/n (a document
 * holding one word of `Union européenne` scores less than one holding the key itself).
 */
import { terms } from "../analysis/index.js";
import type { LoadedIndex } from "../index/index.js";
import type { Alternative } from "./expand.js";
import { settingsOf } from "./index-settings.js";
import type { QueryWord } from "./parse.js";

export interface SynonymTable {
  /** Key term → the alternatives it adds. */
  single: ReadonlyMap<string, readonly Alternative[]>;
  /** Keys of several content words, longest first. */
  multi: ReadonlyArray<{ terms: readonly string[]; alternatives: readonly Alternative[] }>;
}

const cache = new WeakMap<LoadedIndex, SynonymTable>();

export function synonymTable(synonyms: Readonly<Record<string, readonly string[]>>): SynonymTable {
  const single = new Map<string, Alternative[]>();
  const multi: Array<{ terms: string[]; alternatives: Alternative[] }> = [];
  for (const [key, words] of Object.entries(synonyms)) {
    const keyTerms = terms(key);
    if (keyTerms.length === 0) continue;
    const alternatives =
      keyTerms.length === 1
        ? (single.get(keyTerms[0]!) ?? [])
        : (multi.find((entry) => same(entry.terms, keyTerms))?.alternatives ?? []);
    for (const word of words) {
      const wordTerms = [...new Set(terms(word))];
      for (const term of wordTerms) {
        if (keyTerms.includes(term) || alternatives.some((a) => a.term === term)) continue;
        alternatives.push({ term, weight: 1 / wordTerms.length, kind: "synonym", via: word });
      }
    }
    if (alternatives.length === 0) continue;
    if (keyTerms.length === 1) single.set(keyTerms[0]!, alternatives);
    else if (!multi.some((entry) => entry.alternatives === alternatives)) {
      multi.push({ terms: keyTerms, alternatives });
    }
  }
  multi.sort((a, b) => b.terms.length - a.terms.length);
  return { single, multi };
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((term, i) => term === b[i]);
}

export function synonymsOf(index: LoadedIndex): SynonymTable {
  let table = cache.get(index);
  if (table === undefined) {
    table = synonymTable(settingsOf(index).synonyms);
    cache.set(index, table);
  }
  return table;
}

/**
 * Each word's alternatives (`expanded[i]` for `words[i]`) with the synonyms of its term and of
 * any multi-word key it is part of, leaving out terms it already has.
 */
export function withSynonyms(
  words: readonly QueryWord[],
  expanded: readonly Alternative[][],
  table: SynonymTable,
): Alternative[][] {
  const added: Alternative[][] = [];
  for (const word of words) {
    const own: Alternative[] = [];
    if (!word.stopword) for (const synonym of table.single.get(word.term) ?? []) own.push(synonym);
    added.push(own);
  }
  for (const { terms: keyTerms, alternatives } of table.multi) {
    for (let start = 0; start + keyTerms.length <= words.length; start++) {
      const run = words.slice(start, start + keyTerms.length);
      if (!run.every((word, i) => !word.stopword && word.term === keyTerms[i])) continue;
      for (let i = start; i < start + keyTerms.length; i++) added[i]!.push(...alternatives);
    }
  }
  // Pushed, not `map`ped: packed elements whatever the query (execute.ts, `preparedWords`).
  const all: Alternative[][] = [];
  for (let i = 0; i < expanded.length; i++) {
    const alternatives = expanded[i]!;
    const seen = new Set(alternatives.map((alternative) => alternative.term));
    const extra: Alternative[] = [];
    for (const synonym of added[i]!) {
      if (seen.has(synonym.term)) continue;
      seen.add(synonym.term);
      extra.push(synonym);
    }
    all.push(extra.length === 0 ? alternatives : [...alternatives, ...extra]);
  }
  return all;
}
