/**
 * What a query word may match: its own term, and below it the terms of words that start with
 * it (prefix) or are one or two typos away (fuzzy). Both run on the surface vocabulary, words
 * as written, because stems are no prefix of what users type (`gouverneme` → `gouvernement`,
 * whose stem `gouvern` is shorter than the prefix).
 */
import { analyzeWord, currentAnalyzer } from "../analysis/index.js";
import type { Vocabulary, VocabularyEntry } from "../index/index.js";
import { MIN_PREFIX_LETTERS, type QueryWord } from "./parse.js";

export type MatchKind = "exact" | "prefix" | "fuzzy" | "synonym";

export interface Alternative {
  term: string;
  weight: number;
  kind: MatchKind;
  /** The vocabulary word it came from (prefix, fuzzy, other spellings), or the synonym as the settings write it. */
  via?: string;
  /** A stopword's own term, read from the stopwords' lists, in a query of other words. */
  stopword?: true;
}

export interface ExpansionParams {
  prefixWeight: number;
  fuzzyWeight: number;
  /** Most vocabulary words a prefix expands to (the most frequent ones). */
  maxPrefixTerms: number;
  maxFuzzyTerms: number;
  /** Typo tolerance for known words in queries up to this many words, else only for unknown words. */
  fuzzyAllWordsUpTo: number;
  /**
   * ...and only for known words found in fewer documents than this: a word most documents
   * use is rarely a typo, and looking up its neighbours in the radix tree was most of a short
   * query's time (profiled on the benchmark corpus).
   */
  fuzzyKnownBelow: number;
  /**
   * A last word still being typed is a prefix in queries up to this many words; a longer
   * query is a sentence pasted or finished, where a prefix only adds noise.
   */
  typingPrefixUpTo: number;
}

export const DEFAULT_EXPANSION: ExpansionParams = {
  prefixWeight: 0.5,
  fuzzyWeight: 0.4,
  maxPrefixTerms: 30,
  maxFuzzyTerms: 8,
  fuzzyAllWordsUpTo: 4,
  fuzzyKnownBelow: 3,
  typingPrefixUpTo: 3,
};

/**
 * The word's own term, and the terms of every spelling in the collection that users would type
 * as this word (the vocabulary's key is the folded word). The French chain folds before it
 * stems, so all spellings of a key share one term and this adds nothing; a chain that stems
 * words as written (`sécurité` → `sécur`, `securite` → `securit`, a variant the benchmark
 * composes) stays accent-insensitive through it. A spelling's term is the chain's own answer
 * for it, whatever term the vocabulary entry was first counted under.
 */
function exactAlternatives(word: QueryWord, entry: VocabularyEntry | undefined): Alternative[] {
  const alternatives: Alternative[] = [{ term: word.term, weight: 1, kind: "exact" }];
  if (word.stopword || entry === undefined) return alternatives;
  const seen = new Set([word.term]);
  // Where the key makes the term, every spelling's term is the entry's: not one of them is
  // analysed again (a Littré query's expansion: 86 µs against 103, 3,334 queries).
  const terms = currentAnalyzer().keyMakesTerm
    ? [entry.term]
    : [entry.term, ...Object.keys(entry.forms).map((form) => analyzeWord(form).term)];
  for (const term of terms) {
    if (seen.has(term) || term.length === 0) continue;
    seen.add(term);
    alternatives.push({ term, weight: 1, kind: "exact", via: entry.key });
  }
  return alternatives;
}

/** Typo budget by length: none under 5 letters, 1 edit from 5, 2 from 9. */
export function maxTypos(word: string): number {
  return word.length >= 9 ? 2 : word.length >= 5 ? 1 : 0;
}

export function expandWord(
  word: QueryWord,
  vocabulary: Vocabulary,
  queryWordCount: number,
  params: ExpansionParams = DEFAULT_EXPANSION,
): Alternative[] {
  // Looked up once: its spellings and how many documents hold it (a binary search over the
  // vocabulary's keys, twice per word before).
  const entry = word.stopword ? undefined : vocabulary.get(word.folded);
  const alternatives = exactAlternatives(word, entry);
  if (word.exact || word.stopword) return alternatives;
  const seen = new Set(alternatives.map((alternative) => alternative.term));

  const prefix = word.prefix && !(word.typing && queryWordCount > params.typingPrefixUpTo);
  if (prefix && word.folded.length >= MIN_PREFIX_LETTERS) {
    for (const entry of vocabulary.withPrefix(word.folded, params.maxPrefixTerms)) {
      if (seen.has(entry.term)) continue;
      seen.add(entry.term);
      alternatives.push(prefixAlternative(entry, params));
    }
  }

  // A word holding a digit is a number or a code (2020-1255, 75016, a reference): one digit
  // off is another one, which ranked above the decree asked for (QA). Meilisearch's
  // `disableOnNumbers`, always.
  const typos = /\p{N}/u.test(word.folded) ? 0 : maxTypos(word.folded);
  const documents = entry?.documents ?? 0;
  const fuzzy =
    documents === 0 ||
    (queryWordCount <= params.fuzzyAllWordsUpTo && documents < params.fuzzyKnownBelow);
  if (typos > 0 && fuzzy) {
    let added = 0;
    for (const { entry, distance } of vocabulary.near(word.folded, typos)) {
      if (added >= params.maxFuzzyTerms) break;
      if (seen.has(entry.term)) continue;
      seen.add(entry.term);
      added++;
      alternatives.push({
        term: entry.term,
        weight: params.fuzzyWeight / distance,
        kind: "fuzzy",
        via: entry.key,
      });
    }
    // A word the collection never writes (`licenciment`) matches its stem's words only by
    // chance (`licence`, stemmed `licenc` too), no more surely than a word one typo away
    // (`licenciement`): it weighs as one. At 1, the licence pages came first and the dismissal
    // ones nowhere (QA). On the benchmark's 5,577 judged queries, not one MRR@10 moved
    // (bench/relevance.ts --grid none --levers none: CV 0.761, dev 0.808, as before).
    if (entry === undefined && added > 0) {
      for (const alternative of alternatives) {
        if (alternative.kind === "exact") alternative.weight = params.fuzzyWeight;
      }
    }
  }
  return alternatives;
}

/**
 * What a stopword being typed as a query's last word may be the start of (`Par` → Paris,
 * parlement): its prefix matches that are no stopword, the most frequent first, as a prefix's.
 * As a stopword it was left out, unscored, and `hélicoptères sur` never found `survolent`
 * while the suggestions offered it (QA). The stopword itself comes first: typed whole (`il`,
 * `qu’il`), it found only `illisible`, never the page saying « qu’il » (QA). Only a last word
 * of a short query, as the typing prefix (`typingPrefixUpTo`).
 */
export function typedStopwordAlternatives(
  word: QueryWord,
  vocabulary: Vocabulary,
  params: ExpansionParams = DEFAULT_EXPANSION,
): Alternative[] {
  if (word.folded.length < MIN_PREFIX_LETTERS) return [];
  const seen = new Set([word.term]);
  const alternatives: Alternative[] = [
    { term: word.term, weight: 1, kind: "exact", stopword: true },
  ];
  // Twice as many read: the commonest words starting so are often stopwords themselves.
  for (const entry of vocabulary.withPrefix(word.folded, 2 * params.maxPrefixTerms)) {
    if (alternatives.length > params.maxPrefixTerms) break;
    if (seen.has(entry.term) || analyzeWord(entry.key).stopword) continue;
    seen.add(entry.term);
    alternatives.push(prefixAlternative(entry, params));
  }
  return alternatives;
}

/** A vocabulary word that starts with what was typed, as a prefix match. */
function prefixAlternative(entry: VocabularyEntry, params: ExpansionParams): Alternative {
  return { term: entry.term, weight: params.prefixWeight, kind: "prefix", via: entry.key };
}
