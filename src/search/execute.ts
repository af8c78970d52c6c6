/**
 * Running a parsed query against a loaded index: which documents match, in what order.
 *
 * Each query word scores a document by the best of its alternatives (its own term, else a
 * prefix or typo match, weighted lower); a document's score sums its words. In short queries
 * documents holding every word come first (Meilisearch's "words" rule); long ones are ranked
 * by score alone, which the known-item benchmark prefers (bench/). Phrases are required and
 * checked on the stored text; exclusions and the date filter remove documents.
 */
import type { LoadedIndex } from "../index/index.js";
import type { Postings } from "../index/postings.js";
import { type Bm25fParams, type Scratch, scoreTerm, scratchFor, type TermScores } from "./bm25f.js";
import type { DateRange } from "./dates.js";
import { inRange } from "./dates.js";
import { type Alternative, DEFAULT_EXPANSION, type ExpansionParams, expandWord } from "./expand.js";
import type { Notice } from "./notices.js";
import type { ParsedQuery, QueryPhrase, QueryWord } from "./parse.js";
import type { Span } from "./phrase.js";

export interface RankingParams {
  bm25: Bm25fParams;
  /** Multiply a document's score by the number of query words it holds (MiniSearch does). */
  coordination: boolean;
  /** In queries of up to this many words, documents holding every word come first. */
  allWordsFirstUpTo: number;
  expansion: ExpansionParams;
}

/** Chosen on the benchmark's development queries; each lever's effect is in the README. */
export const DEFAULT_RANKING: RankingParams = {
  bm25: {
    k1: 1.0,
    delta: 1,
    perField: true,
    fields: [
      { field: "title", weight: 1, b: 0.5 },
      { field: "body", weight: 1, b: 0.9 },
    ],
  },
  coordination: false,
  allWordsFirstUpTo: 4,
  expansion: DEFAULT_EXPANSION,
};

export interface WordScore {
  word: string;
  score: number;
  /** The vocabulary word that scored, when it was a prefix or typo match. */
  match?: string;
}

export interface RankedDocument {
  id: string;
  shortId: number;
  score: number;
  wordsMatched: number;
  allWords: boolean;
  /** Where the query's phrases occur: in the title and in the body. */
  phraseSpans?: { title: Span[]; body: Span[] };
  /** The part of the score the phrases' words brought. */
  phraseScore?: number;
}

export interface WordPlan {
  /** The words scored, each with what it may match: for highlighting and explaining. */
  scoredWords: Array<{ word: QueryWord; alternatives: Alternative[] }>;
  /** Whether the words scored are stopwords (a query made of nothing else). */
  stopwordsOnly: boolean;
}

export interface Execution extends WordPlan {
  /** The first `wanted` documents, best first. */
  ranked: RankedDocument[];
  /** How many documents match in all. */
  total: number;
  /** What the execution could not do fully, for the user. */
  warnings: Notice[];
  /** Counts per month of matching documents, before the date filter (so other months show). */
  facets: Record<string, number>;
  /** Each scored word's score in a ranked document and what matched, for `explain`. */
  explain(doc: RankedDocument): WordScore[];
}

/** Where a phrase occurs in a stored document, found by the engine (which has its text). */
export type PhraseFinder = (id: string, phrase: QueryPhrase) => { title: Span[]; body: Span[] };

/**
 * Phrases are checked on the stored text, which costs a pass of the analysis chain over each
 * candidate document; a phrase of very common words would check the whole collection while
 * every other request waits. Only this many candidates (those whose phrase words score best)
 * are checked, and the result says so.
 */
export const MAX_PHRASE_CHECKS = 300;

/** Stopword-only queries look in the stopword field alone. */
const STOPWORD_FIELDS: Bm25fParams = {
  k1: 1.2,
  delta: 0,
  perField: false,
  fields: [{ field: "stop", weight: 1, b: 0 }],
};

export function execute(
  index: LoadedIndex,
  postings: Postings,
  query: ParsedQuery,
  date: DateRange | undefined,
  findPhraseIn: PhraseFinder,
  params: RankingParams = DEFAULT_RANKING,
  wanted = Number.POSITIVE_INFINITY,
): Execution {
  const plan = planWords(index, query, params);
  const { scoredWords } = plan;
  const count = scoredWords.length;
  const scratch = scratchFor(postings);
  const search = termSearcher(
    postings,
    plan.stopwordsOnly ? STOPWORD_FIELDS : params.bm25,
    scratch,
  );
  // Phrases and exclusions are about content words whatever the query scores.
  const searchContent = plan.stopwordsOnly ? termSearcher(postings, params.bm25, scratch) : search;

  // Flat per-document accumulators, reused from query to query: a long query touches most of
  // the collection, and Maps or objects per posting would cost more in garbage than the
  // scoring itself. Emptied again before anything else can throw or search.
  const { total, matched, best } = scratch;
  const touchedAny: number[] = [];
  const candidates = new Map<number, RankedDocument>();
  try {
    for (const { alternatives } of scoredWords) {
      const touched: number[] = [];
      try {
        for (const alternative of alternatives) {
          const { ids, scores } = search(alternative.term);
          for (let i = 0; i < ids.length; i++) {
            const shortId = ids[i]!;
            const score = scores[i]! * alternative.weight;
            if (best[shortId] === 0) touched.push(shortId);
            if (score > best[shortId]!) best[shortId] = score;
          }
        }
        for (const shortId of touched) {
          if (matched[shortId] === 0) touchedAny.push(shortId);
          total[shortId]! += best[shortId]!;
          matched[shortId]!++;
        }
      } finally {
        for (const shortId of touched) best[shortId] = 0;
      }
    }
    for (const shortId of touchedAny) {
      const wordsMatched = matched[shortId]!;
      candidates.set(shortId, {
        id: postings.ids[shortId]!,
        shortId,
        score: params.coordination ? total[shortId]! * wordsMatched : total[shortId]!,
        wordsMatched,
        allWords: wordsMatched === count,
      });
    }
  } finally {
    for (const shortId of touchedAny) {
      total[shortId] = 0;
      matched[shortId] = 0;
    }
  }
  if (count === 0) {
    // No word to score (only phrases, filters or exclusions): every document is a candidate.
    postings.ids.forEach((id, shortId) => {
      if (id !== undefined)
        candidates.set(shortId, { id, shortId, score: 0, wordsMatched: 0, allWords: true });
    });
  }

  for (const word of query.excludedWords) {
    for (const shortId of searchContent(word.term).ids) candidates.delete(shortId);
  }
  // Documents in the date range are checked first when a phrase is too common to check all.
  const wantedFirst = (doc: RankedDocument) =>
    date === undefined || inRange(index.documents.get(doc.id)?.date, date);
  const warnings: Notice[] = [];
  for (const phrase of query.phrases) {
    const { found, capped } = phraseMatches(
      phrase,
      searchContent,
      findPhraseIn,
      candidates,
      MAX_PHRASE_CHECKS,
      wantedFirst,
    );
    if (capped) {
      warnings.push({ code: "phrase_too_common", phrase: phrase.text, max: MAX_PHRASE_CHECKS });
    }
    for (const [shortId, doc] of candidates) {
      const match = found.get(shortId);
      if (match === undefined) {
        candidates.delete(shortId);
        continue;
      }
      doc.score += match.score;
      doc.phraseScore = (doc.phraseScore ?? 0) + match.score;
      doc.phraseSpans = {
        title: [...(doc.phraseSpans?.title ?? []), ...match.spans.title],
        body: [...(doc.phraseSpans?.body ?? []), ...match.spans.body],
      };
    }
  }
  // An exclusion is checked everywhere: a document it should remove must never slip through.
  for (const phrase of query.excludedPhrases) {
    const { found } = phraseMatches(phrase, searchContent, findPhraseIn, candidates);
    for (const shortId of found.keys()) candidates.delete(shortId);
  }

  const facets: Record<string, number> = {};
  const ranked: RankedDocument[] = [];
  for (const doc of candidates.values()) {
    const documentDate = index.documents.get(doc.id)?.date;
    if (documentDate !== undefined) facets[documentDate] = (facets[documentDate] ?? 0) + 1;
    if (date === undefined || inRange(documentDate, date)) ranked.push(doc);
  }
  const allWordsFirst = count > 1 && count <= params.allWordsFirstUpTo;
  const browsing = count === 0 && query.phrases.length === 0;
  const dateOf = (doc: RankedDocument) => index.documents.get(doc.id)?.date ?? "";
  const order = (a: RankedDocument, b: RankedDocument): number => {
    if (allWordsFirst && a.allWords !== b.allWords) return a.allWords ? -1 : 1;
    // Browsing by filter alone: newest first.
    if (browsing) return dateOf(b).localeCompare(dateOf(a)) || (a.id < b.id ? -1 : 1);
    return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  };
  const matching = ranked.length;
  const top = firstInOrder(ranked, wanted, order);
  const explain = (doc: RankedDocument): WordScore[] =>
    scoredWords.map(({ word, alternatives }) => {
      let top = 0;
      let via: Alternative | undefined;
      for (const alternative of alternatives) {
        const found = search(alternative.term);
        const at = found.ids.indexOf(doc.shortId);
        const score = at < 0 ? 0 : found.scores[at]! * alternative.weight;
        if (score > top) {
          top = score;
          via = alternative;
        }
      }
      const match = via !== undefined && via.kind !== "exact" ? { match: via.via ?? via.term } : {};
      return { word: word.text, score: top, ...match };
    });
  return { ...plan, ranked: top, total: matching, facets, explain, warnings };
}

/**
 * The first `k` items in `order`, sorted. A page needs ten documents and a common word matches
 * thousands: keeping the best in a small sorted buffer avoids sorting them all.
 */
export function firstInOrder<T>(items: T[], k: number, order: (a: T, b: T) => number): T[] {
  if (items.length <= k * 8) return items.sort(order).slice(0, k);
  const best: T[] = [];
  for (const item of items) {
    if (best.length === k && order(item, best[k - 1]!) >= 0) continue;
    let at = best.length;
    while (at > 0 && order(item, best[at - 1]!) < 0) at--;
    best.splice(at, 0, item);
    if (best.length > k) best.pop();
  }
  return best;
}

/**
 * The words that score and what each may match. Stopwords are dropped unless the query has
 * nothing else (`être ou ne être`): then they are what it looks for, in their own field.
 */
export function planWords(
  index: LoadedIndex,
  query: ParsedQuery,
  params: RankingParams = DEFAULT_RANKING,
): WordPlan {
  const contentWords = dedupe(query.words.filter((word) => !word.stopword));
  const stopwordsOnly =
    contentWords.length === 0 && query.phrases.length === 0 && query.words.length > 0;
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

type TermSearch = (term: string) => TermScores;

/** One term's scores by document, each term scored once per query. */
function termSearcher(postings: Postings, params: Bm25fParams, scratch: Scratch): TermSearch {
  const cache = new Map<string, TermScores>();
  return (term) => {
    let found = cache.get(term);
    if (found === undefined) {
      found = scoreTerm(postings, term, params, scratch);
      cache.set(term, found);
    }
    return found;
  };
}

/** Documents among `within` holding the phrase, with its spans and the score of its words. */
function phraseMatches(
  phrase: QueryPhrase,
  search: TermSearch,
  findPhraseIn: PhraseFinder,
  within: Map<number, RankedDocument>,
  cap = Number.POSITIVE_INFINITY,
  first: (doc: RankedDocument) => boolean = () => true,
): {
  found: Map<number, { score: number; spans: { title: Span[]; body: Span[] } }>;
  capped: boolean;
} {
  const content = [
    ...new Set(phrase.tokens.filter((token) => !token.stopword).map((token) => token.term)),
  ];
  let ids = [...within.keys()];
  const scores = new Map<number, number>();
  for (const term of content) {
    const found = search(term);
    const byId = new Map<number, number>(found.ids.map((id, i) => [id, found.scores[i]!]));
    ids = ids.filter((id) => byId.has(id));
    for (const id of ids) scores.set(id, (scores.get(id) ?? 0) + (byId.get(id) ?? 0));
  }
  const capped = ids.length > cap;
  if (capped) {
    const weight = (id: number) => (scores.get(id) ?? 0) + (within.get(id)?.score ?? 0);
    const preferred = (id: number) => (first(within.get(id)!) ? 0 : 1);
    ids = ids
      .sort((a, b) => preferred(a) - preferred(b) || weight(b) - weight(a) || a - b)
      .slice(0, cap);
  }
  const found = new Map<number, { score: number; spans: { title: Span[]; body: Span[] } }>();
  for (const shortId of ids) {
    const spans = findPhraseIn(within.get(shortId)!.id, phrase);
    if (spans.title.length + spans.body.length > 0) {
      found.set(shortId, { score: scores.get(shortId) ?? 0, spans });
    }
  }
  return { found, capped };
}
