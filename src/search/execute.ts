/**
 * Running a parsed query against a loaded index: which documents match, in what order.
 *
 * Each query word scores a document by the best of its alternatives (its own term, else a
 * prefix or typo match, weighted lower), BM25 from MiniSearch with the title boosted. A
 * document's score sums its words; documents holding every word come first (Meilisearch's
 * "words" rule), the others follow by score. Phrases are required and checked on the stored
 * text; exclusions and the date filter remove documents.
 */
import type { AnalyzedToken } from "../analysis/index.js";
import type { LoadedIndex } from "../index/index.js";
import { TITLE_BOOST } from "../index/index.js";
import type { DateRange } from "./dates.js";
import { inRange } from "./dates.js";
import { type Alternative, DEFAULT_EXPANSION, type ExpansionParams, expandWord } from "./expand.js";
import type { ParsedQuery, QueryPhrase, QueryWord } from "./parse.js";
import { findPhrase, type Span } from "./phrase.js";

export interface RankingParams {
  titleBoost: number;
  bm25: { k: number; b: number; d: number };
  /** Multiply a document's score by the number of query words it holds (MiniSearch does). */
  coordination: boolean;
  /** Documents holding every query word first, whatever their score. */
  allWordsFirst: boolean;
  expansion: ExpansionParams;
}

export const DEFAULT_RANKING: RankingParams = {
  titleBoost: TITLE_BOOST,
  bm25: { k: 1.2, b: 0.7, d: 0.5 },
  coordination: true,
  allWordsFirst: true,
  expansion: DEFAULT_EXPANSION,
};

export interface WordScore {
  word: string;
  score: number;
  /** The alternative that scored: the word's own term, or a prefix or typo match. */
  match?: string;
}

export interface RankedDocument {
  id: string;
  score: number;
  wordsMatched: number;
  allWords: boolean;
  words: WordScore[];
  /** Where the query's phrases occur: in the title and in the body. */
  phraseSpans?: { title: Span[]; body: Span[] };
}

export interface Execution {
  ranked: RankedDocument[];
  /** Counts per month of matching documents, before the date filter (so other months show). */
  facets: Record<string, number>;
  /** The words scored, each with what it may match: for highlighting and explaining. */
  scoredWords: Array<{ word: QueryWord; alternatives: Alternative[] }>;
  /** Whether the words scored are stopwords (a query made of nothing else). */
  stopwordsOnly: boolean;
}

/** Analysed stored text, cached by the engine: phrases and snippets both need it. */
export type TokensOf = (id: string) => { title: AnalyzedToken[]; body: AnalyzedToken[] };

export function execute(
  index: LoadedIndex,
  query: ParsedQuery,
  date: DateRange | undefined,
  tokensOf: TokensOf,
  params: RankingParams = DEFAULT_RANKING,
): Execution {
  const { scoredWords, stopwordsOnly } = planWords(index, query, params);
  const words = scoredWords.map(({ word }) => word);
  const search = termSearcher(index, stopwordsOnly ? ["stop"] : ["title", "body"], params);
  const scores = new Map<string, Float64Array>();
  const matches = new Map<string, Array<string | undefined>>();
  scoredWords.forEach(({ alternatives }, w) => {
    for (const alternative of alternatives) {
      for (const [id, raw] of search(alternative.term)) {
        let row = scores.get(id);
        if (row === undefined) {
          row = new Float64Array(words.length);
          scores.set(id, row);
          matches.set(id, new Array(words.length));
        }
        const score = raw * alternative.weight;
        if (score > row[w]!) {
          row[w] = score;
          matches.get(id)![w] = alternative.kind === "exact" ? undefined : (alternative.via ?? alternative.term);
        }
      }
    }
  });

  let candidates: Map<string, RankedDocument>;
  if (words.length > 0) {
    candidates = new Map();
    for (const [id, row] of scores) {
      let sum = 0;
      let matched = 0;
      for (const score of row) {
        sum += score;
        if (score > 0) matched++;
      }
      candidates.set(id, {
        id,
        score: params.coordination ? sum * matched : sum,
        wordsMatched: matched,
        allWords: matched === words.length,
        words: words.map((word, w) => ({
          word: word.text,
          score: row[w]!,
          ...(matches.get(id)![w] !== undefined && { match: matches.get(id)![w] }),
        })),
      });
    }
  } else {
    // No word to score (only phrases, filters or exclusions): every document is a candidate.
    candidates = new Map();
    for (const id of index.documents.keys()) {
      candidates.set(id, { id, score: 0, wordsMatched: 0, allWords: true, words: [] });
    }
  }

  for (const phrase of query.phrases) {
    const found = phraseMatches(phrase, search, tokensOf, candidates);
    for (const [id, doc] of candidates) {
      const match = found.get(id);
      if (match === undefined) {
        candidates.delete(id);
        continue;
      }
      doc.score += match.score;
      doc.phraseSpans = {
        title: [...(doc.phraseSpans?.title ?? []), ...match.spans.title],
        body: [...(doc.phraseSpans?.body ?? []), ...match.spans.body],
      };
    }
  }
  for (const word of query.excludedWords) {
    for (const [id] of search(word.term)) candidates.delete(id);
  }
  for (const phrase of query.excludedPhrases) {
    for (const id of phraseMatches(phrase, search, tokensOf, candidates).keys()) candidates.delete(id);
  }

  const facets: Record<string, number> = {};
  const ranked: RankedDocument[] = [];
  for (const doc of candidates.values()) {
    const documentDate = index.documents.get(doc.id)?.date;
    if (documentDate !== undefined) facets[documentDate] = (facets[documentDate] ?? 0) + 1;
    if (date === undefined || inRange(documentDate, date)) ranked.push(doc);
  }
  const browsing = words.length === 0 && query.phrases.length === 0;
  ranked.sort((a, b) => {
    if (params.allWordsFirst && a.allWords !== b.allWords) return a.allWords ? -1 : 1;
    if (browsing) {
      // Browsing by filter alone: newest first.
      const byDate = (index.documents.get(b.id)?.date ?? "").localeCompare(index.documents.get(a.id)?.date ?? "");
      if (byDate !== 0) return byDate;
    }
    return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
  return { ranked, facets, scoredWords, stopwordsOnly };
}

export type WordPlan = Pick<Execution, "scoredWords" | "stopwordsOnly">;

/**
 * The words that score and what each may match. Stopwords are dropped unless the query has
 * nothing else (`être ou ne être`): then they are what it looks for, in their own field.
 */
export function planWords(index: LoadedIndex, query: ParsedQuery, params: RankingParams = DEFAULT_RANKING): WordPlan {
  const contentWords = dedupe(query.words.filter((word) => !word.stopword));
  const stopwordsOnly = contentWords.length === 0 && query.phrases.length === 0 && query.words.length > 0;
  const words = stopwordsOnly ? dedupe(query.words) : contentWords;
  const scoredWords = words.map((word) => ({
    word,
    alternatives: expandWord(word, index.vocabulary, words.length, params.expansion),
  }));
  return { scoredWords, stopwordsOnly };
}

/** Two query words with one term count once (`état État`). */
function dedupe(words: QueryWord[]): QueryWord[] {
  const byTerm = new Map<string, QueryWord>();
  for (const word of words) {
    const seen = byTerm.get(word.term);
    if (seen === undefined) byTerm.set(word.term, { ...word });
    else seen.prefix ||= word.prefix;
  }
  return [...byTerm.values()];
}

type TermSearch = (term: string) => Map<string, number>;

/** One term's BM25 scores by document, each term looked up once per query. */
function termSearcher(index: LoadedIndex, fields: string[], params: RankingParams): TermSearch {
  const cache = new Map<string, Map<string, number>>();
  return (term) => {
    let found = cache.get(term);
    if (found === undefined) {
      found = new Map();
      const results = index.miniSearch.search(term, {
        fields,
        boost: { title: params.titleBoost },
        bm25: params.bm25,
        prefix: false,
        fuzzy: false,
      });
      for (const result of results) found.set(String(result.id), result.score);
      cache.set(term, found);
    }
    return found;
  };
}

/** Documents among `within` holding the phrase, with its spans and the score of its words. */
function phraseMatches(
  phrase: QueryPhrase,
  search: TermSearch,
  tokensOf: TokensOf,
  within: Map<string, RankedDocument>,
): Map<string, { score: number; spans: { title: Span[]; body: Span[] } }> {
  const content = [...new Set(phrase.tokens.filter((token) => !token.stopword).map((token) => token.term))];
  let ids: string[] = [...within.keys()];
  const scores = new Map<string, number>();
  for (const term of content) {
    const found = search(term);
    ids = ids.filter((id) => found.has(id));
    for (const id of ids) scores.set(id, (scores.get(id) ?? 0) + (found.get(id) ?? 0));
  }
  const result = new Map<string, { score: number; spans: { title: Span[]; body: Span[] } }>();
  for (const id of ids) {
    const tokens = tokensOf(id);
    const spans = { title: findPhrase(phrase.tokens, tokens.title), body: findPhrase(phrase.tokens, tokens.body) };
    if (spans.title.length + spans.body.length > 0) result.set(id, { score: scores.get(id) ?? 0, spans });
  }
  return result;
}
