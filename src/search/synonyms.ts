/**
 * Synonyms at query time, through the same analysis chain as the documents: a query word whose
 * term is the term of a synonym key (`OTAN` → `otan`) also matches the terms of the words the
 * key lists, as alternatives of kind "synonym" beside its own spellings, prefixes and typos.
 * One-way synonyms work as Meilisearch's: only the key finds its list.
 *
 * Chosen for cost: a key of several words (`état islamique`) is not looked for across query
 * words, and a listed synonym of several words matches through each of its content words, each
 * weighing 1/n (a document holding one word of `Union européenne` scores less than one holding
 * the key itself), not as a phrase.
 */
import { terms } from "../analysis/index.js";
import type { LoadedIndex } from "../index/index.js";
import type { Alternative } from "./expand.js";
import { settingsOf } from "./index-settings.js";
import type { QueryWord } from "./parse.js";

/** Key term → the alternatives it adds. */
export type SynonymTable = ReadonlyMap<string, readonly Alternative[]>;

const cache = new WeakMap<LoadedIndex, SynonymTable>();

export function synonymTable(synonyms: Readonly<Record<string, readonly string[]>>): SynonymTable {
  const table = new Map<string, Alternative[]>();
  for (const [key, words] of Object.entries(synonyms)) {
    const keyTerms = terms(key);
    if (keyTerms.length !== 1) continue;
    const keyTerm = keyTerms[0]!;
    const alternatives = table.get(keyTerm) ?? [];
    for (const word of words) {
      const wordTerms = [...new Set(terms(word))];
      for (const term of wordTerms) {
        if (term === keyTerm || alternatives.some((a) => a.term === term)) continue;
        alternatives.push({ term, weight: 1 / wordTerms.length, kind: "synonym", via: word });
      }
    }
    if (alternatives.length > 0) table.set(keyTerm, alternatives);
  }
  return table;
}

export function synonymsOf(index: LoadedIndex): SynonymTable {
  let table = cache.get(index);
  if (table === undefined) {
    table = synonymTable(settingsOf(index).synonyms);
    cache.set(index, table);
  }
  return table;
}

/** `alternatives` and the synonyms of `word` whose terms they do not already hold. */
export function withSynonyms(
  alternatives: Alternative[],
  word: QueryWord,
  table: SynonymTable,
): Alternative[] {
  if (word.stopword) return alternatives;
  const synonyms = table.get(word.term);
  if (synonyms === undefined) return alternatives;
  const seen = new Set(alternatives.map((alternative) => alternative.term));
  return [...alternatives, ...synonyms.filter((synonym) => !seen.has(synonym.term))];
}
