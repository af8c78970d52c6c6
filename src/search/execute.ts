/**
 * Running a parsed query against a loaded index: which documents match, in what order.
 *
 *   plan (words and what each may match) → filter (exclusions, phrases from positions)
 *   → score (top-k: only what can reach the page is scored in full) → rank (all words first
 *   in short queries, proximity over the best few) → the page, an exact total, facets.
 *
 * Each query word scores a document by the best of its alternatives; a document's score sums
 * its words (`score.ts`). In queries of 2–4 words documents holding every word come first
 * (Meilisearch's "words" rule); longer ones are ranked by score alone, which the known-item
 * benchmark prefers (bench/). Phrases are required; exclusions and the date filter remove.
 */
import type { LoadedIndex } from "../index/index.js";
import { type DateRange, inRange } from "./dates.js";
import { type Alternative, DEFAULT_EXPANSION, type ExpansionParams, expandWord } from "./expand.js";
import type { Notice } from "./notices.js";
import type { ParsedQuery, QueryPhrase, QueryWord } from "./parse.js";
import { matchPhrase } from "./phrase-match.js";
import { type Proximity, type ProximityParams, proximityFor, proximityOf } from "./proximity.js";
import {
  addWord,
  type Bm25Params,
  forEachDoc,
  lookupWord,
  prepareWord,
  type ScoredWord,
  type ScoringMode,
  scratchFor,
} from "./score.js";
import { type TitleMatch, titleBonus } from "./title.js";
import { firstInOrder } from "./top.js";
import type { Strategy } from "./types.js";
import { type QueryWeighting, weighWords } from "./weigh.js";

export { firstInOrder } from "./top.js";

export interface RankingParams {
  bm25: Bm25Params;
  /** Multiply a document's score by the number of query words it holds (MiniSearch does). */
  coordination: boolean;
  /** In queries of up to this many words, documents holding every word first. */
  allWordsFirstUpTo: number;
  expansion: ExpansionParams;
  proximity: ProximityParams;
  /** Long queries: each word weighted by its idf and how often it is written (`weigh.ts`). */
  queryWeighting?: QueryWeighting;
  /** Short queries: a bonus for covering a title, in the re-ranked few (`title.ts`). */
  titleMatch?: TitleMatch;
}

/** Chosen on the benchmark's queries; each lever's effect is in the README and bench/. */
export const DEFAULT_RANKING: RankingParams = {
  bm25: {
    k1: 1.0,
    // BM25+'s δ 1 let long pages that use every word once (bash(1), mount(8)) outrank the
    // page about the query: δ 0 measured +0.015 ± 0.005 CV objective (5/5 folds; man pages
    // +0.027, 4–7 words +0.021, no length or source worse), dev known items −0.013.
    delta: 0,
    fields: [
      { field: "title", weight: 1, b: 0.5 },
      // b 1 measured +0.004 ± 0.002 CV objective over 0.9 (man pages +0.008), but ranks the
      // Parly article above one with « État islamique » side by side (a judged seed test);
      // 0.95 keeps the test and is within noise of 0.9 (+0.001, short-sp −0.001): 0.9 stays.
      { field: "body", weight: 1, b: 0.9 },
    ],
  },
  coordination: false,
  allWordsFirstUpTo: 4,
  // A prefix match at 0.3 of the word: +0.001 CV objective (4/5 folds, no length or set worse).
  expansion: { ...DEFAULT_EXPANSION, prefixWeight: 0.3 },
  proximity: { weight: 0.5, window: 8, rerank: 50 },
};

/** Stopword-only queries score how often a document uses the words, over its length in words. */
const STOPWORD_BM25: Bm25Params = {
  k1: 1.2,
  delta: 0,
  fields: [
    { field: "title", weight: 1, b: 0.75 },
    { field: "body", weight: 1, b: 0.75 },
  ],
};

export interface WordScore {
  word: string;
  score: number;
  /** The vocabulary word that scored, when it was a prefix or typo match. */
  match?: string;
}

export interface RankedDocument {
  id: string;
  /** The document's ordinal in the index. */
  ordinal: number;
  score: number;
  wordsMatched: number;
  allWords: boolean;
  /** The part of the score the phrases' words brought. */
  phraseScore: number;
  /** The part of the score proximity brought, and its signals (for the best few). */
  proximity?: Proximity;
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
  /** How many documents match in all (a lower bound when `timedOut`). */
  total: number;
  warnings: Notice[];
  /** Counts per month of matching documents, before the date filter (so other months show). */
  facets: Record<string, number>;
  /** The time budget ran out: the best found so far. */
  timedOut: boolean;
  /** How the page was found: "conjunctive" and "maxscore" skip what cannot reach it. */
  strategy: Strategy;
  /** Each scored word's score in a ranked document and what matched, for `explain`. */
  explain(doc: RankedDocument): WordScore[];
}

export type { Strategy };

export interface ExecuteOptions {
  /** Documents wanted, best first (offset + limit). */
  wanted?: number;
  /** Stop scoring past this `performance.now()` time, and say so. */
  deadline?: number;
  /** Score every match in full (the reference top-k is tested against). */
  exhaustive?: boolean;
}

export function execute(
  index: LoadedIndex,
  query: ParsedQuery,
  date: DateRange | undefined,
  params: RankingParams = DEFAULT_RANKING,
  options: ExecuteOptions = {},
): Execution {
  const { postings, documents } = index;
  const wanted = Math.max(1, options.wanted ?? 10);
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  let timedOut = false;
  const late = () => {
    if (!timedOut && performance.now() > deadline) timedOut = true;
    return timedOut;
  };
  const plan = planWords(index, query, params);
  const mode: ScoringMode = plan.stopwordsOnly
    ? { bm25: STOPWORD_BM25, stopwords: true }
    : { bm25: params.bm25, stopwords: false };
  const contentMode: ScoringMode = { bm25: params.bm25, stopwords: false };
  const prepared = plan.scoredWords.map(({ alternatives }) =>
    prepareWord(postings, alternatives, mode),
  );
  const words =
    params.queryWeighting === undefined || plan.stopwordsOnly
      ? prepared
      : weighWords(
          prepared,
          plan.scoredWords.map(
            ({ word }) => query.words.filter((w) => w.term === word.term).length,
          ),
          params.queryWeighting,
        );
  const count = words.length;
  const scratch = scratchFor(postings);
  const { total, matched, mark } = scratch;
  const dates = documents.dates;
  const inDate = date === undefined ? () => true : (doc: number) => inRange(dates[doc], date);

  // Filters, as one byte per document: 255 for an excluded one, else how many phrases it holds.
  const marked: number[] = [];
  const touched: number[] = [];
  const phraseTouched: number[] = [];
  const member: number[] = [];
  const phrases = query.phrases.slice(0, 254);
  const needed = phrases.length;
  try {
    const exclude = (doc: number) => {
      if (mark[doc] === 0) marked.push(doc);
      mark[doc] = 255;
    };
    for (const word of query.excludedWords) {
      const excluded = prepareWord(
        postings,
        [{ term: word.term, weight: 1, kind: "exact" }],
        contentMode,
      );
      forEachDoc(postings, excluded, exclude);
    }
    for (const phrase of query.excludedPhrases)
      matchPhrase(postings, phrase, (doc) => exclude(doc));
    phrases.forEach((phrase, i) => {
      matchPhrase(
        postings,
        phrase,
        (doc) => {
          // Once per document and phrase: the first field that holds it counts.
          if (mark[doc] !== i) return;
          if (mark[doc] === 0) marked.push(doc);
          mark[doc] = i + 1;
        },
        late,
      );
    });
    const passes = (doc: number) => mark[doc] === needed;
    const allowed = (doc: number) => passes(doc) && inDate(doc);

    // Which documents match at all: the exact total and the facets, before any pruning.
    const facets: Record<string, number> = {};
    let matching = 0;
    const count1 = (doc: number) => {
      const month = dates[doc];
      if (month !== undefined) facets[month] = (facets[month] ?? 0) + 1;
      if (inDate(doc)) matching++;
    };
    if (count === 0) {
      if (needed > 0) {
        for (const doc of marked) if (passes(doc)) member.push(doc);
      } else {
        for (let doc = 0; doc < postings.documentCount; doc++) if (passes(doc)) member.push(doc);
      }
      for (const doc of member) count1(doc);
    } else {
      // `matched` doubles as the membership mark here; it is emptied again before scoring.
      for (const word of words) {
        forEachDoc(postings, word, (doc) => {
          if (matched[doc] === 0) {
            matched[doc] = 1;
            member.push(doc);
          }
        });
      }
      for (const doc of member) {
        matched[doc] = 0;
        if (passes(doc)) count1(doc);
      }
    }

    const phraseWords = phrases.map((phrase) => phraseTerms(postings, phrase, contentMode));
    let strategy: Strategy;
    let candidates: number[];
    if (count === 0) {
      strategy = "browse";
      candidates = member.filter(inDate);
      for (const phraseWord of phraseWords.flat()) {
        if (late()) break;
        addWord(
          postings,
          phraseWord,
          contentMode.bm25,
          scratch,
          allowed,
          phraseTouched,
          scratch.phrase,
        );
      }
    } else {
      const allWordsFirst = count > 1 && count <= params.allWordsFirstUpTo;
      const depth = Math.max(wanted, params.proximity.rerank);
      const pruning = !options.exhaustive && !params.coordination;
      const found = pruning
        ? allWordsFirst
          ? conjunctive(index, words, mode.bm25, scratch, allowed, touched, depth, late)
          : count > 1
            ? maxScore(index, words, mode.bm25, scratch, allowed, touched, depth, late)
            : undefined
        : undefined;
      if (found !== undefined) {
        strategy = found.strategy;
        candidates = found.candidates;
      } else {
        strategy = "exhaustive";
        for (const word of byUpperBound(words)) {
          if (late()) break;
          addWord(postings, word, mode.bm25, scratch, allowed, touched);
        }
        candidates = touched;
      }
      if (phraseWords.length > 0) {
        const scoring = new Set(candidates);
        for (const phraseWord of phraseWords.flat()) {
          if (late()) break;
          addWord(
            postings,
            phraseWord,
            contentMode.bm25,
            scratch,
            (doc) => scoring.has(doc),
            phraseTouched,
            scratch.phrase,
          );
        }
      }
    }

    const ranked: RankedDocument[] = candidates.map((ordinal) => {
      const wordsMatched = matched[ordinal]!;
      const score = total[ordinal]!;
      return {
        id: documents.ids[ordinal]!,
        ordinal,
        score: params.coordination ? score * wordsMatched : score,
        wordsMatched,
        allWords: wordsMatched === count,
        phraseScore: scratch.phrase[ordinal]!,
      };
    });
    for (const doc of ranked) doc.score += doc.phraseScore;
    const allWordsFirst = count > 1 && count <= params.allWordsFirstUpTo;
    const browsing = count === 0 && needed === 0;
    const order = (a: RankedDocument, b: RankedDocument): number => {
      if (allWordsFirst && a.allWords !== b.allWords) return a.allWords ? -1 : 1;
      // Browsing by filter alone: newest first.
      if (browsing) {
        const byDate = (dates[b.ordinal] ?? "").localeCompare(dates[a.ordinal] ?? "");
        if (byDate !== 0) return byDate;
      }
      return b.score - a.score || a.ordinal - b.ordinal;
    };
    let top = firstInOrder(ranked, Math.max(wanted, params.proximity.rerank), order);
    const near = proximityFor(params.proximity, count);
    const proximity = count > 1 && near.weight > 0;
    const title =
      params.titleMatch !== undefined &&
      params.titleMatch.weight > 0 &&
      count > 0 &&
      !plan.stopwordsOnly;
    if ((proximity || title) && !late()) {
      for (const doc of top) {
        if (proximity) {
          doc.proximity = proximityOf(postings, words, doc.ordinal, near);
          doc.score += doc.proximity.score;
        }
        if (title) doc.score += titleBonus(postings, words, doc.ordinal, params.titleMatch!);
      }
      top.sort(order);
    }
    top = top.slice(0, wanted);
    if (proximity) {
      for (const doc of top) {
        if (doc.proximity === undefined) continue;
        doc.proximity = proximityOf(postings, words, doc.ordinal, near, true);
      }
    }
    const explain = (doc: RankedDocument): WordScore[] =>
      plan.scoredWords.map(({ word }, i) => {
        let best = 0;
        let via: Alternative | undefined;
        for (const alternative of words[i]!.alternatives) {
          const score = lookupWord(
            postings,
            { ...words[i]!, alternatives: [alternative] },
            mode.bm25,
            [doc.ordinal],
          )[0]!;
          if (score > best) {
            best = score;
            via = alternative.alternative;
          }
        }
        const match =
          via !== undefined && via.kind !== "exact" ? { match: via.via ?? via.term } : {};
        return { word: word.text, score: best, ...match };
      });
    const warnings: Notice[] = [];
    if (query.phrases.length > phrases.length) {
      warnings.push({ code: "query_cut", max: phrases.length });
    }
    return { ...plan, ranked: top, total: matching, facets, timedOut, strategy, explain, warnings };
  } finally {
    for (const doc of touched) {
      total[doc] = 0;
      matched[doc] = 0;
    }
    for (const doc of phraseTouched) scratch.phrase[doc] = 0;
    for (const doc of member) matched[doc] = 0;
    for (const doc of marked) mark[doc] = 0;
  }
}

/** Words by the most they can add, highest first: the order every strategy sums them in. */
function byUpperBound(words: ScoredWord[]): ScoredWord[] {
  return [...words].sort((a, b) => b.upper - a.upper);
}

interface Found {
  strategy: Strategy;
  candidates: number[];
}

/**
 * Documents holding every word, when at least `depth` of them pass the filters: they outrank
 * all others, so only they are scored. The rarest word is read whole; each other word is
 * sought in its documents only. Fewer than `depth`: undefined, and the caller scores all.
 */
function conjunctive(
  index: LoadedIndex,
  words: ScoredWord[],
  bm25: Bm25Params,
  scratch: ReturnType<typeof scratchFor>,
  allowed: (doc: number) => boolean,
  touched: number[],
  depth: number,
  late: () => boolean,
): Found | undefined {
  const { postings } = index;
  const { total, matched } = scratch;
  const cheapest = [...words].sort((a, b) => a.postings - b.postings);
  addWord(postings, cheapest[0]!, bm25, scratch, allowed, touched);
  let candidates = [...touched].sort((a, b) => a - b);
  for (let w = 1; w < cheapest.length && candidates.length >= depth; w++) {
    if (late()) break;
    const scores = lookupWord(postings, cheapest[w]!, bm25, candidates);
    const kept: number[] = [];
    for (let i = 0; i < candidates.length; i++) {
      if (scores[i]! <= 0) continue;
      const doc = candidates[i]!;
      total[doc]! += scores[i]!;
      matched[doc]!++;
      kept.push(doc);
    }
    candidates = kept;
  }
  if (candidates.length >= depth) return { strategy: "conjunctive", candidates };
  // Too few hold every word: start again over every match (the scratch is emptied first).
  for (const doc of touched) {
    total[doc] = 0;
    matched[doc] = 0;
  }
  touched.length = 0;
  return undefined;
}

/**
 * MaxScore, term at a time (Turtle & Flood 1995): words are read whole, highest bound first,
 * until what the remaining words could add together cannot lift a document that none of the
 * read words matched to the page's last score; from then on the remaining words are only
 * sought in the documents that can still reach the page.
 */
function maxScore(
  index: LoadedIndex,
  words: ScoredWord[],
  bm25: Bm25Params,
  scratch: ReturnType<typeof scratchFor>,
  allowed: (doc: number) => boolean,
  touched: number[],
  depth: number,
  late: () => boolean,
): Found {
  const { postings } = index;
  const { total, matched } = scratch;
  const ordered = byUpperBound(words);
  let remaining = ordered.reduce((sum, word) => sum + word.upper, 0);
  let read = 0;
  let threshold = Number.NEGATIVE_INFINITY;
  while (read < ordered.length) {
    if (late()) return { strategy: "maxscore", candidates: touched };
    addWord(postings, ordered[read]!, bm25, scratch, allowed, touched);
    remaining -= ordered[read]!.upper;
    read++;
    if (read === ordered.length) break;
    threshold = kthLargest(touched, total, depth, remaining);
    if (remaining < threshold) break;
  }
  // Every word read whole: nothing was skipped.
  if (read === ordered.length) return { strategy: "exhaustive", candidates: touched };
  const candidates = touched
    .filter((doc) => total[doc]! + remaining >= threshold)
    .sort((a, b) => a - b);
  for (let w = read; w < ordered.length; w++) {
    if (late()) break;
    const scores = lookupWord(postings, ordered[w]!, bm25, candidates);
    for (let i = 0; i < candidates.length; i++) {
      if (scores[i]! <= 0) continue;
      const doc = candidates[i]!;
      total[doc]! += scores[i]!;
      matched[doc]!++;
    }
  }
  return { strategy: "maxscore", candidates };
}

/**
 * The `k`-th largest score among `docs`, or −∞ when there are fewer or when it could not be
 * above `bound` anyway (the best score is not): then no sort is worth making.
 */
function kthLargest(
  docs: readonly number[],
  scores: Float64Array,
  k: number,
  bound: number,
): number {
  if (docs.length < k) return Number.NEGATIVE_INFINITY;
  let best = Number.NEGATIVE_INFINITY;
  for (const doc of docs) if (scores[doc]! > best) best = scores[doc]!;
  if (best <= bound) return Number.NEGATIVE_INFINITY;
  const values = new Float64Array(docs.length);
  for (let i = 0; i < docs.length; i++) values[i] = scores[docs[i]!]!;
  return select(values, values.length - k);
}

/** The value that would stand at `n` if `values` were sorted (quickselect, Hoare's partition). */
function select(values: Float64Array, n: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const pivot = values[(low + high) >>> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (n <= j) high = j;
    else if (n >= i) low = i;
    else return values[n]!;
  }
  return values[n]!;
}

/** A phrase's content words, each scored once (exact terms): they add to a matching document's score. */
function phraseTerms(
  postings: LoadedIndex["postings"],
  phrase: QueryPhrase,
  mode: ScoringMode,
): ScoredWord[] {
  const terms = [
    ...new Set(phrase.tokens.filter((token) => !token.stopword).map((token) => token.term)),
  ];
  return terms.map((term) => prepareWord(postings, [{ term, weight: 1, kind: "exact" }], mode));
}

/**
 * The words that score and what each may match. Stopwords are dropped unless the query has
 * nothing else (`être ou ne être`): then they are what it looks for.
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
