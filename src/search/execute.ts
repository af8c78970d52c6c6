/**
 * Running a parsed query against a loaded index: which documents match, in what order.
 *
 *   plan (words and what each may match) → filter (exclusions, phrases from positions)
 *   → score (top-k: only what can reach the page is scored in full) → rank (all words first
 *   in short queries, then the learned model, or proximity, over the best few) → the page,
 *   an exact total, facets.
 *
 * Each query word scores a document by the best of its alternatives; a document's score sums
 * its words (`score.ts`). In queries of 2–4 words documents holding every word come first
 * (Meilisearch's "words" rule): they are the ones re-ranked, and lead past them; a learned
 * model orders the re-ranked few by its score alone. Longer queries are ranked by score
 * alone, which the known-item benchmark prefers (bench/). Phrases are required; exclusions
 * and the date filter remove.
 */
import { FIELD_COUNT, type LoadedIndex, stopwordKey } from "../index/index.js";
import { type DateRange, inRange } from "./dates.js";
import type { DocList } from "./doc-list.js";
import {
  type Alternative,
  DEFAULT_EXPANSION,
  type ExpansionParams,
  expandWord,
  type MatchKind,
  typedStopwordAlternatives,
} from "./expand.js";
import {
  featuresOf,
  type LearnedModel,
  learnedScore,
  nearnessOf,
  SHIPPED_MODEL,
  signalsOf,
  weightVector,
} from "./learned.js";
import type { Notice } from "./notices.js";
import { MIN_PREFIX_LETTERS, type ParsedQuery, type QueryPhrase, type QueryWord } from "./parse.js";
import { matchPhrase } from "./phrase-match.js";
import {
  PositionReader,
  type Proximity,
  type ProximityParams,
  proximityFor,
  proximityOf,
} from "./proximity.js";
import {
  allWordsThenMaxScore,
  byUpperBound,
  championPlan,
  championsFirst,
  type Found,
  maxScore,
  type Retrieval,
} from "./retrieve.js";
import {
  addLooked,
  addWord,
  type Bm25Params,
  forEachDoc,
  lookupWord,
  prepareWord,
  type ScoredWord,
  type ScoringMode,
  type Scratch,
  scratchFor,
} from "./score.js";
import { synonymsOf, withSynonyms } from "./synonyms.js";
import { type TitleMatch, titleBonus } from "./title.js";
import { firstInOrder, sortByScore } from "./top.js";
import type { LearnedSignal, Strategy } from "./types.js";
import { type QueryWeighting, weighWords } from "./weigh.js";

export { firstInOrder } from "./top.js";

export interface RankingParams {
  bm25: Bm25Params;
  /** Multiply a document's score by the number of query words it holds (MiniSearch does). */
  coordination: boolean;
  /**
   * In queries of up to this many words, documents holding every word first: they are the
   * ones re-ranked, and lead past them (and within them, without a learned model).
   */
  allWordsFirstUpTo: number;
  expansion: ExpansionParams;
  proximity: ProximityParams;
  /** Long queries: each word weighted by its idf and how often it is written (`weigh.ts`). */
  queryWeighting?: QueryWeighting;
  /** Short queries: a bonus for covering a title, in the re-ranked few (`title.ts`). */
  titleMatch?: TitleMatch;
  /**
   * A model re-ranking the best `rerankDepth` documents instead of proximity and the title
   * bonus (`learned.ts`), by its score alone: in short queries, documents holding every word
   * choose those documents and come first past them. Stopword-only queries keep their
   * frequency order.
   */
  learned?: LearnedModel;
  /** Queries of up to `upTo` scored words re-rank their best `depth` instead. */
  shortRerank?: { upTo: number; depth: number };
}

/** How many of the best by score a query's re-ranking sees. */
export function rerankDepth(params: RankingParams, words: number): number {
  const short = params.shortRerank;
  return short !== undefined && words <= short.upTo ? short.depth : params.proximity.rerank;
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
  // Longer queries re-rank their best 50. Re-ranking their best 100 instead, with the trees
  // refitted per fold on that depth (bench/learn-rank.ts, trees), measured 0.705 ± 0.014 CV
  // objective against 0.709 ± 0.015, known items 0.778 against 0.782: BM25's best 100 hold
  // 92.5 % of the training man pages' targets against 91.0 % for its best 50, too few more for
  // the look-alikes that come too.
  proximity: { weight: 0.5, window: 8, rerank: 50 },
  // 100 LambdaMART trees over 29 signals re-ranking the best 50, fitted on the training queries
  // and ordering them by their score alone (bench/learn-rank.ts, bench/results/learn-rank.md):
  // +0.126 ± 0.011 CV objective over BM25 + proximity (5/5 folds; known items 0.801 ± 0.017
  // against 0.744, every source and length better; dev known items 0.808 against 0.789).
  learned: SHIPPED_MODEL,
  // The learned model re-ranks the best 100 of queries of ≤ 4 words instead of 50 (the same
  // model): 50 measured −0.005 ± 0.004 CV objective against 100 (short-sp −0.017 ± 0.017,
  // known items unchanged), 150 +0.001 ± 0.002 and 200 +0.000 ± 0.002, for more features to
  // compute (`npm run bench:relevance -- --levers rerank-short --grid none`). Dev with 100:
  // known items 0.784, short-man 0.418, short-sp 0.630.
  shortRerank: { upTo: 4, depth: 100 },
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
  /** The vocabulary word that scored, when it was a prefix, typo or synonym match. */
  match?: string;
  kind?: Exclude<MatchKind, "exact">;
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
  /**
   * The part of the score proximity brought, and its signals: for the re-ranked few of a ranking
   * without a learned model (without the window), and for the page with `explain`.
   */
  proximity?: Proximity;
  /** With a learned ranking and `explain`, each signal's part of the score (the page only). */
  learned?: LearnedSignal[];
  /** Ranked after the re-ranking's window, by the first order: its score is not re-ranked. */
  pastWindow?: true;
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
  /**
   * Documents holding every scored word came first, whatever their score: in the re-ranked
   * window unless `windowByScore`, and past it.
   */
  allWordsFirst: boolean;
  /** The learned model ordered the re-ranked window by its score alone (`rank`). */
  windowByScore: boolean;
  /** How the page was found: "conjunctive" and "maxscore" skip what cannot reach it. */
  strategy: Strategy;
  /** Each scored word's score in a ranked document and what matched, for `explain`. */
  explain(doc: RankedDocument): WordScore[];
  /**
   * Per scored word, its posting lists in field `field`: where the query's words stand in a
   * document (`match-positions.ts`; its phrases stand at their places, `phrasePlaces`).
   */
  listsIn(field: number): number[][];
}

export type { Strategy };

export interface ExecuteOptions {
  /** Documents wanted, best first (offset + limit). */
  wanted?: number;
  /** Stop scoring past this `performance.now()` time, and say so. */
  deadline?: number;
  /** Filled with the milliseconds each step took (`SearchProfile`'s). */
  profile?: { expand: number; retrieve: number; rank: number };
  /** Score every match in full (the reference top-k is tested against). */
  exhaustive?: boolean;
  /** The filter expression, per document ordinal: a document failing it matches nothing. */
  where?: (doc: number) => boolean;
  /** Called once for every matching document (after every filter): facets count them. */
  onMatch?: (doc: number) => void;
  /**
   * Orders documents before relevance (`sort=`). Every match is then scored: top-k pruning
   * keeps the best by score, which need not be the first by this order.
   */
  sort?: (a: number, b: number) => number;
  /**
   * With a learned ranking, called with the documents to re-rank (in their order before it)
   * and their feature vectors (views of one buffer, `featuresOf`): what bench/learn-rank.ts
   * trains on.
   */
  onFeatures?: (top: readonly RankedDocument[], features: Features) => void;
  /**
   * Work out what `explain` shows of the page's documents: each learned signal's part, and
   * proximity with its smallest window. Nothing else reads them, and they cost (walking
   * every tree again, a second pass over the positions).
   */
  explain?: boolean;
}

export type Features = ReturnType<typeof featuresOf>;

/**
 * What one query works with, from plan to page: its words ready to score, the scratch space,
 * the lists of documents whose scratch entries it set (emptied by `release`), and the clock.
 */
interface QueryRun {
  index: LoadedIndex;
  query: ParsedQuery;
  params: RankingParams;
  plan: WordPlan;
  /** How the query words score: BM25 over content terms, or over stopwords' frequencies. */
  mode: ScoringMode;
  /** How phrase words and exclusions score: always content terms. */
  contentMode: ScoringMode;
  words: ScoredWord[];
  /** Required phrases, rarest first (at most 254: the filter byte counts them). */
  phrases: QueryPhrase[];
  scratch: Scratch;
  /** Documents whose `mark` was set, whose `total`/`matched` were set, whose phrase score was. */
  marked: number[];
  touched: DocList;
  phraseDocs: Uint32Array[];
  /** Every document matching the query's words or phrases, before the date filter. */
  member: number[];
  wanted: number;
  late: () => boolean;
  timedOut: () => boolean;
}

export function execute(
  index: LoadedIndex,
  query: ParsedQuery,
  date: DateRange | undefined,
  params: RankingParams = DEFAULT_RANKING,
  options: ExecuteOptions = {},
): Execution {
  const { profile } = options;
  const clock = profile === undefined ? 0 : performance.now();
  const run = planRun(index, query, params, options);
  const planned = profile === undefined ? 0 : performance.now();
  try {
    const held = filterDocuments(run);
    const where = options.where;
    // The filter expression removes like exclusions; the date filter stays apart, since the
    // month facet counts before it. No filter at all: none is called per posting.
    const filter =
      held === undefined
        ? where
        : where === undefined
          ? held
          : (doc: number) => held(doc) && where(doc);
    const passes = filter ?? (() => true);
    const dates = index.documents.dates;
    const inDate = date === undefined ? () => true : (doc: number) => inRange(dates[doc], date);
    const allowed =
      filter === undefined && date === undefined
        ? undefined
        : (doc: number) => passes(doc) && inDate(doc);
    // Without a date filter (the month facet counts before it), a scoring pass that read
    // every list whole has met every match: it counts them, instead of a pass of its own over
    // the same lists (a rare word beside `est` on the Littré: a seventh of the query's time).
    const countLater = date === undefined && run.words.length > 0;
    // With no filter expression and no date, a phrase's marks alone say what matches.
    const marksDecide = where === undefined && date === undefined;
    const counted = countLater
      ? undefined
      : countMatches(run, passes, inDate, options.onMatch, marksDecide);
    // A sort orders by attributes first: the best by score need not come first, so every
    // match is scored (no top-k pruning).
    const exhaustive = options.exhaustive === true || options.sort !== undefined;
    const {
      strategy,
      candidates,
      total: found,
    } = gather(run, allowed, date === undefined ? undefined : inDate, exhaustive);
    // A count made without reading every list has no month to give (an undated collection,
    // nobody to tell of each match, as countScored).
    const foundCount =
      found !== undefined && !index.documents.dated && options.onMatch === undefined
        ? { total: found, facets: {} }
        : undefined;
    // Nothing filters the matches and no month is counted: the words' lists' union is all.
    const unionOnly =
      allowed === undefined && !index.documents.dated && options.onMatch === undefined;
    const { total, facets } =
      counted ??
      foundCount ??
      (strategy === "exhaustive"
        ? countScored(run, candidates, options.onMatch)
        : unionOnly
          ? { total: countUnion(run), facets: {} }
          : countMatches(run, passes, inDate, options.onMatch, false));
    const retrieved = profile === undefined ? 0 : performance.now();
    const { page: ranked, windowByScore } = rank(run, candidates, options);
    if (profile !== undefined) {
      profile.expand = planned - clock;
      profile.retrieve = retrieved - planned;
      profile.rank = performance.now() - retrieved;
    }
    const warnings: Notice[] = [];
    if (query.phrases.length > run.phrases.length) {
      warnings.push({ code: "query_cut", max: run.phrases.length });
    }
    // The plan's two fields named, not spread: an object literal opening with a spread and
    // adding properties after it took 12 µs of a two-word Littré query on Node 20 (each
    // property past the spread a slow store), against under 1 µs written out (.scratch/spread.mjs).
    return {
      scoredWords: run.plan.scoredWords,
      stopwordsOnly: run.plan.stopwordsOnly,
      ranked,
      total,
      facets,
      timedOut: run.timedOut(),
      allWordsFirst: allWordsComeFirst(params, run.words.length),
      windowByScore,
      strategy,
      explain: explainer(run),
      listsIn: (field) => listsIn(run, field),
      warnings,
    };
  } finally {
    release(run);
  }
}

/** Plan → words ready to score, scratch and clock. */
function planRun(
  index: LoadedIndex,
  query: ParsedQuery,
  params: RankingParams,
  options: ExecuteOptions,
): QueryRun {
  const { postings } = index;
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  let timedOut = false;
  const plan = planWords(index, query, params);
  const scratch = scratchFor(postings);
  const mode: ScoringMode = plan.stopwordsOnly
    ? { bm25: STOPWORD_BM25, stopwords: true }
    : { bm25: params.bm25, stopwords: false };
  return {
    index,
    query,
    params,
    plan,
    mode,
    contentMode: { bm25: params.bm25, stopwords: false },
    words: weighed(query, params, plan, preparedWords(postings, plan, mode)),
    phrases: byRarity(postings, query.phrases.slice(0, 254)),
    scratch,
    marked: [],
    // The scratch's own list: searches are synchronous, and `release` empties it.
    touched: scratch.touched,
    phraseDocs: [],
    member: [],
    wanted: Math.max(1, options.wanted ?? 10),
    late: () => {
      if (!timedOut && performance.now() > deadline) timedOut = true;
      return timedOut;
    },
    timedOut: () => timedOut,
  };
}

/**
 * Words an excluded prefix expands to at most, the most frequent first: the documents holding
 * the others stay (a prefix of one letter would otherwise read most of the vocabulary's lists).
 */
const MAX_EXCLUDED_PREFIX = 1000;

/**
 * Exclusions and required phrases, as one byte per document (`mark`): 255 for an excluded
 * one, else how many phrases it holds. Returns whether a document passes them all, or
 * undefined when the query has neither.
 */
function filterDocuments(run: QueryRun): ((doc: number) => boolean) | undefined {
  const { excludedWords, excludedPhrases } = run.query;
  if (excludedWords.length === 0 && excludedPhrases.length === 0 && run.phrases.length === 0) {
    return undefined;
  }
  const { postings } = run.index;
  const { mark } = run.scratch;
  const { marked } = run;
  const exclude = (doc: number) => {
    if (mark[doc] === 0) marked.push(doc);
    mark[doc] = 255;
  };
  for (const word of excludedWords) {
    const alternatives: Alternative[] = [{ term: word.term, weight: 1, kind: "exact" }];
    // `-gouv*` excludes every word starting so (it excluded only a word spelled `gouv`).
    if (word.prefix && word.folded.length >= MIN_PREFIX_LETTERS) {
      for (const entry of run.index.vocabulary.withPrefix(word.folded, MAX_EXCLUDED_PREFIX))
        alternatives.push({ term: entry.term, weight: 1, kind: "prefix" });
    }
    forEachDoc(postings, prepareWord(postings, alternatives, run.contentMode), exclude);
  }
  for (const phrase of excludedPhrases) {
    matchPhrase(postings, phrase, (doc) => exclude(doc));
  }
  // Every phrase is required: the rarest goes first, and each later one only looks at the
  // documents that hold all before it (eight common phrases in one query read every list
  // whole, 340 ms on the benchmark corpus, when the first already left no document).
  for (const [i, phrase] of run.phrases.entries()) {
    let found = 0;
    matchPhrase(
      postings,
      phrase,
      (doc) => {
        // Once per document and phrase: the first field that holds it counts.
        if (mark[doc] !== i) return;
        if (mark[doc] === 0) marked.push(doc);
        mark[doc] = i + 1;
        found++;
      },
      run.late,
      (doc) => mark[doc] === i,
    );
    if (found === 0) break;
  }
  const needed = run.phrases.length;
  return (doc) => mark[doc] === needed;
}

/**
 * Which documents match at all, before any pruning: the exact total, and the facets (the
 * month facet before the date filter, so that other months show). Fills `run.member`.
 */
function countMatches(
  run: QueryRun,
  passes: (doc: number) => boolean,
  inDate: (doc: number) => boolean,
  onMatch: ((doc: number) => void) | undefined,
  marksDecide: boolean,
): { total: number; facets: Record<string, number> } {
  const { postings, documents } = run.index;
  const { seen } = run.scratch;
  const { member, marked } = run;
  const dates = documents.dates;
  const dated = documents.dated;
  const facets: Record<string, number> = {};
  let total = 0;
  const count = (doc: number) => {
    const month = dated ? dates[doc] : undefined;
    if (month !== undefined) facets[month] = (facets[month] ?? 0) + 1;
    if (inDate(doc)) {
      total++;
      onMatch?.(doc);
    }
  };
  if (run.words.length === 0) {
    if (run.phrases.length > 0 && marksDecide) {
      // Every phrase held: the document's mark is their number (`filterDocuments`). Read
      // here, not through `passes` and a call per document: `"de la"`'s 34,500 Littré
      // matches spent a third of the query in those calls and in counting them one by one.
      const { mark } = run.scratch;
      const needed = run.phrases.length;
      for (let i = 0; i < marked.length; i++) {
        const doc = marked[i]!;
        if (mark[doc] === needed) member.push(doc);
      }
      if (!dated && onMatch === undefined) return { total: member.length, facets };
    } else if (run.phrases.length > 0) {
      for (const doc of marked) if (passes(doc)) member.push(doc);
    } else {
      for (let doc = 0; doc < postings.documentCount; doc++) if (passes(doc)) member.push(doc);
    }
    for (const doc of member) count(doc);
    return { total, facets };
  }
  for (const word of run.words) {
    forEachDoc(postings, word, (doc) => {
      if (seen[doc] === 0) {
        seen[doc] = 1;
        member.push(doc);
      }
    });
  }
  for (const doc of member) if (passes(doc)) count(doc);
  return { total, facets };
}

/**
 * How many documents the words' lists hold together, each marked in `seen` when first met and
 * unmarked by a second pass over the same lists: what `countMatches` counts when no filter
 * and no month facet needs each match, without its call and array push per posting. A
 * strategy that did not read every list whole (documents holding every word, from the rarest
 * word's list) leaves the total to count: on the Littré, 17 µs of a two-word query and 29 of
 * a three-word one went to it, 5 and 4 now (means, timers in a copy).
 */
function countUnion(run: QueryRun): number {
  const { docs, listStart } = run.index.postings.data;
  const { seen } = run.scratch;
  const lists: number[] = [];
  for (const word of run.words)
    for (const alternative of word.alternatives)
      for (const { list } of alternative.lists) lists.push(list);
  let total = 0;
  try {
    for (const list of lists) {
      const end = listStart[list + 1]!;
      for (let p = listStart[list]!; p < end; p++) {
        const doc = docs[p]!;
        total += seen[doc]! ^ 1;
        seen[doc] = 1;
      }
    }
  } finally {
    for (const list of lists) {
      const end = listStart[list + 1]!;
      for (let p = listStart[list]!; p < end; p++) seen[docs[p]!] = 0;
    }
  }
  return total;
}

/**
 * The total and the month facet of a query without a date filter, from a scoring pass that
 * read every list whole: every document it scored matches and passes the filters, and no
 * match was skipped.
 */
function countScored(
  run: QueryRun,
  scored: Uint32Array,
  onMatch?: (doc: number) => void,
): { total: number; facets: Record<string, number> } {
  const { dates, dated } = run.index.documents;
  const facets: Record<string, number> = {};
  // Undated collections (the Littré) and no caller to tell: the count is the list's length
  // (a pass over a common word's 74,000 documents for nothing was a tenth of its query).
  if (!dated && onMatch === undefined) return { total: scored.length, facets };
  for (const doc of scored) {
    const month = dates[doc];
    if (month !== undefined) facets[month] = (facets[month] ?? 0) + 1;
    onMatch?.(doc);
  }
  return { total: scored.length, facets };
}

/**
 * The documents scored in full, and how they were found: the words' top-k strategy
 * (`retrieve.ts`), then the phrases' words added to their scores; with no word, the phrase
 * matches (or every document, for a filter alone).
 */
function gather(
  run: QueryRun,
  allowed: ((doc: number) => boolean) | undefined,
  inDate: ((doc: number) => boolean) | undefined,
  exhaustive: boolean,
): Found {
  const { index, params, scratch, touched, late, words } = run;
  const { postings } = index;
  const phraseWords = run.phrases.flatMap((phrase) =>
    phraseTerms(postings, phrase, run.contentMode),
  );
  if (words.length === 0) {
    const candidates = Uint32Array.from(
      inDate === undefined ? run.member : run.member.filter(inDate),
    );
    addPhraseWords(run, phraseWords, candidates);
    return { strategy: "browse", candidates };
  }
  const count = words.length;
  const depth = Math.max(run.wanted, rerankDepth(params, count));
  const pruning = !exhaustive && !params.coordination;
  const retrieval: Retrieval = {
    index,
    words,
    bm25: run.mode.bm25,
    scratch,
    allowed,
    touched,
    depth,
    late,
    allWordsFirst: allWordsComeFirst(params, count),
  };
  // A common word beside rarer ones, or alone, from its best documents (`champions.ts`).
  const champion =
    pruning && allowed === undefined && !run.mode.stopwords
      ? championPlan(index.postings, words, run.mode.bm25)
      : undefined;
  const found = !pruning
    ? undefined
    : ((champion && championsFirst(retrieval, champion)) ??
      (count > 1 && count <= params.allWordsFirstUpTo
        ? allWordsThenMaxScore(retrieval)
        : count > 1
          ? maxScore(retrieval)
          : undefined));
  const result: Found = found ?? scoreAll(run, allowed);
  addPhraseWords(run, phraseWords, result.candidates);
  return result;
}

/**
 * The phrases' words added to the scores of the documents found, sought in their lists:
 * reading the lists whole (`étymologie` is in nearly every Littré entry) was a sixth of a
 * phrase's time. A function of the module, not a closure made by each query: V8 keeps a
 * closure's optimised code only while a closure from that place is alive, so a full
 * collection sent it back to baseline code (it was a fifth of the CPU profile of the first
 * `"ÉTYMOLOGIE Lat"` after one, 11.2 ms against 4.5 repeated; still the largest line of it
 * after this change, as phrases are too few in a warm-up for V8 to have optimised it yet).
 */
function addPhraseWords(run: QueryRun, phraseWords: readonly ScoredWord[], docs: Uint32Array) {
  if (phraseWords.length === 0 || docs.length === 0) return;
  const { postings } = run.index;
  const { phrase } = run.scratch;
  const sorted = Uint32Array.from(docs).sort();
  run.phraseDocs.push(sorted);
  for (const phraseWord of phraseWords) {
    if (run.late()) break;
    const scores = lookupWord(postings, phraseWord, run.contentMode.bm25, sorted);
    addLooked(phrase, undefined, sorted, scores);
  }
}

/** Every match scored in full, highest-bound word first. */
function scoreAll(run: QueryRun, allowed: ((doc: number) => boolean) | undefined): Found {
  for (const word of byUpperBound(run.words)) {
    if (run.late()) break;
    addWord(run.index.postings, word, run.mode.bm25, run.scratch, allowed, run.touched);
  }
  return { strategy: "exhaustive", candidates: run.touched.view() };
}

/** Whether documents holding every scored word rank before the others, whatever their score. */
function allWordsComeFirst(params: RankingParams, words: number): boolean {
  return words > 1 && words <= params.allWordsFirstUpTo;
}

/**
 * The page, best first: documents holding every word first in short queries, newest first
 * when browsing by a filter alone, then by score; the learned model (by its score alone) or
 * proximity re-ranks the best few.
 */
function rank(
  run: QueryRun,
  candidates: Uint32Array,
  { sort, onFeatures, explain = false }: ExecuteOptions,
): { page: RankedDocument[]; windowByScore: boolean } {
  const { index, params, scratch, words, wanted } = run;
  const { postings, documents } = index;
  const count = words.length;
  const allWordsFirst = allWordsComeFirst(params, count);
  const browsing = count === 0 && run.phrases.length === 0;
  const depth = Math.max(wanted, rerankDepth(params, count));
  // Ranked by score alone, the best few are chosen over the scratch arrays before any object
  // is made: a common word's 48,000 candidates on the Littré each became an object and went
  // through the comparator, a fifth of such a query's time.
  const chosen =
    sort === undefined && !browsing
      ? bestByScore(candidates, scratch, params.coordination, allWordsFirst ? count : 0, depth)
      : candidates;
  // A counted loop, not `Array.from(chosen, …)`: its iterator and a call per document were a
  // third of the ranking step's own time (CPU profile of two-word Littré queries).
  const ranked = new Array<RankedDocument>(chosen.length);
  for (let i = 0; i < chosen.length; i++) {
    const ordinal = chosen[i]!;
    const wordsMatched = scratch.matched[ordinal]!;
    const score = scratch.total[ordinal]!;
    const phraseScore = scratch.phrase[ordinal]!;
    ranked[i] = {
      id: documents.ids[ordinal]!,
      ordinal,
      score: (params.coordination ? score * wordsMatched : score) + phraseScore,
      wordsMatched,
      allWords: wordsMatched === count,
      phraseScore,
    };
  }
  const dates = documents.dates;
  const order = (a: RankedDocument, b: RankedDocument): number => {
    if (sort !== undefined) {
      const sorted = sort(a.ordinal, b.ordinal);
      if (sorted !== 0) return sorted;
    }
    if (allWordsFirst && a.allWords !== b.allWords) return a.allWords ? -1 : 1;
    // Browsing by filter alone: newest first.
    if (browsing) {
      const byDate = (dates[b.ordinal] ?? "").localeCompare(dates[a.ordinal] ?? "");
      if (byDate !== 0) return byDate;
    }
    return b.score - a.score || a.ordinal - b.ordinal;
  };
  // The learned model sees how many words a document holds (`coverage`, among others) and
  // orders its window by its score alone; holding every word still chooses the window and
  // orders what lies past it. Bound within the window as well (the first trees), it ranked
  // lsusb(8), which lacks a word of `lister les périphériques USB`, 8th behind pages holding
  // all of them (the trees now put it first): held out, every-word-first within the window
  // measured 0.786 ± 0.018 MRR@10 on known items against 0.801 ± 0.017 ordered by the model
  // alone (short-man 0.464 against 0.596, short-sp 0.732 against 0.725; bench/learn-rank.ts).
  const byModel = (a: RankedDocument, b: RankedDocument): number => {
    if (sort !== undefined) {
      const sorted = sort(a.ordinal, b.ordinal);
      if (sorted !== 0) return sorted;
    }
    return b.score - a.score || a.ordinal - b.ordinal;
  };
  let windowByScore = false;
  const top = firstInOrder(ranked, depth, order);
  // Re-ranking sees the same best `window` whatever page is asked, and the documents past it
  // keep the first order: re-ranking the best offset + limit gave each page an order of its
  // own, so paging through a query's matches repeated some and skipped others (342 distinct
  // in 557 on a test collection). Elasticsearch's rescore asks for a constant window_size.
  const window = rerankDepth(params, count);
  const head = top.length > window ? top.slice(0, window) : top;
  const tail = top.length > window ? top.slice(window) : [];
  for (const doc of tail) doc.pastWindow = true;
  const near = proximityFor(params.proximity, count);
  const proximity = count > 1 && near.weight > 0;
  const titleMatch = params.titleMatch;
  const model = params.learned;
  const learned = model !== undefined && count > 0 && !run.plan.stopwordsOnly;
  const title =
    !learned &&
    titleMatch !== undefined &&
    titleMatch.weight > 0 &&
    count > 0 &&
    !run.plan.stopwordsOnly;
  if (learned && !run.late()) {
    let best = 0;
    if (sort !== undefined) for (const doc of ranked) if (doc.score > best) best = doc.score;
    const features = featuresOf(
      { postings, words, bm25: run.mode.bm25, shortUpTo: model.shortUpTo, best },
      head,
    );
    onFeatures?.(head, features);
    const weights = weightVector(model);
    head.forEach((doc, i) => {
      doc.score = learnedScore(model, weights, features.vectors[i]!, features.scale);
    });
    windowByScore = true;
    // Signals (explain, and the nearness part) for the page only: with trees, each one walks
    // every tree again.
    const vectors = explain
      ? new Map(head.map((doc, i) => [doc, features.vectors[i]!]))
      : undefined;
    if (sort === undefined) sortByScore(head);
    else head.sort(byModel);
    if (vectors !== undefined) {
      for (const doc of head.slice(0, wanted))
        doc.learned = signalsOf(model, weights, vectors.get(doc)!, features.scale);
    }
  } else if ((proximity || title) && !run.late()) {
    // In ascending ordinals, so that one cursor per list walks forward through them all.
    const reader = new PositionReader(postings);
    for (const doc of [...head].sort((a, b) => a.ordinal - b.ordinal)) {
      if (proximity) {
        doc.proximity = proximityOf(reader, words, doc.ordinal, near);
        doc.score += doc.proximity.score;
      }
      if (title) doc.score += titleBonus(postings, words, doc.ordinal, titleMatch);
    }
    head.sort(order);
  }
  const page = (tail.length === 0 ? head : head.concat(tail)).slice(0, wanted);
  if (proximity && explain) {
    const reader = new PositionReader(postings);
    for (const doc of [...page].sort((a, b) => a.ordinal - b.ordinal)) {
      if (doc.proximity === undefined && doc.learned === undefined) continue;
      doc.proximity = proximityOf(reader, words, doc.ordinal, near, true);
      // A learned score has no proximity term of its own: its nearness signals are that part.
      if (doc.learned !== undefined) doc.proximity.score = nearnessOf(doc.learned);
    }
  }
  return { page, windowByScore };
}

/**
 * The first `k` of `candidates` in the ranking's order (documents holding all `allWords` words
 * first when it is not 0, then by score, then by ordinal), read from the scratch arrays. A
 * heap of the best `k` whose root is the last of them: most candidates leave after one
 * comparison, the others cost log k. (An insertion buffer shifted up to k entries for each
 * candidate while scores rose slowly through a list: a seventh of `ervalenta est`'s time on
 * the Littré, 48,000 candidates.) Returned in that order, taken from the heap last first, so
 * that `firstInOrder`'s sort meets them sorted (it sorted the heap's order in about 7 × k
 * calls of its comparator). Fewer than `k` candidates come back as they are.
 * Phrase scores are read for every query, phrases or not: read only for queries with phrases,
 * the optimised code the others left had no feedback for that branch, and the first phrase
 * after them ran its 10,000 candidates unoptimised (`npm run bench:scale`'s phrases at their
 * first sight: 13–23 ms against 7–10, .scratch/phrseq.mjs).
 */
function bestByScore(
  candidates: Uint32Array,
  scratch: Scratch,
  coordination: boolean,
  allWords: number,
  k: number,
): number[] {
  if (candidates.length <= k) return Array.from(candidates);
  const { total, matched, phrase } = scratch;
  const keys = new Float64Array(k);
  const tiers = new Uint8Array(k);
  const docs = new Int32Array(k);
  // Entry i is behind (ranks after, or is) its children 2i + 1 and 2i + 2.
  const behind = (i: number, j: number) =>
    !ahead(tiers[i]!, keys[i]!, docs[i]!, tiers[j]!, keys[j]!, docs[j]!);
  const swap = (i: number, j: number) => {
    const key = keys[i]!;
    keys[i] = keys[j]!;
    keys[j] = key;
    const tier = tiers[i]!;
    tiers[i] = tiers[j]!;
    tiers[j] = tier;
    const doc = docs[i]!;
    docs[i] = docs[j]!;
    docs[j] = doc;
  };
  let size = 0;
  for (let i = 0; i < candidates.length; i++) {
    const doc = candidates[i]!;
    const m = matched[doc]!;
    const key = (coordination ? total[doc]! * m : total[doc]!) + phrase[doc]!;
    const tier = allWords !== 0 && m === allWords ? 1 : 0;
    if (size < k) {
      // Sift up: the new entry rises while it is behind its parent.
      let at = size++;
      keys[at] = key;
      tiers[at] = tier;
      docs[at] = doc;
      while (at > 0 && behind(at, (at - 1) >> 1)) {
        swap(at, (at - 1) >> 1);
        at = (at - 1) >> 1;
      }
      continue;
    }
    if (!ahead(tier, key, doc, tiers[0]!, keys[0]!, docs[0]!)) continue;
    // Sift down: the new root sinks below the child further behind while one is.
    keys[0] = key;
    tiers[0] = tier;
    docs[0] = doc;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= k) break;
      const right = left + 1;
      const last = right < k && behind(right, left) ? right : left;
      if (!behind(last, at)) break;
      swap(at, last);
      at = last;
    }
  }
  // The root, the last of the best, goes to the end; the rest sift down as above (written out
  // twice: one closure for both read rank 1.02-1.07x, in one process both orders).
  const out = new Array<number>(size);
  for (let left = size; left > 0; left--) {
    out[left - 1] = docs[0]!;
    swap(0, left - 1);
    let at = 0;
    for (;;) {
      const l = 2 * at + 1;
      if (l >= left - 1) break;
      const r = l + 1;
      const last = r < left - 1 && behind(r, l) ? r : l;
      if (!behind(last, at)) break;
      swap(at, last);
      at = last;
    }
  }
  return out;
}

/** Whether a document ranks ahead of another: a higher tier, a higher key, or a lower ordinal. */
function ahead(
  tier: number,
  key: number,
  doc: number,
  otherTier: number,
  otherKey: number,
  other: number,
): boolean {
  if (tier !== otherTier) return tier > otherTier;
  if (key !== otherKey) return key > otherKey;
  return doc < other;
}

/** Each scored word's part of a ranked document's score, and what matched it. */
function explainer(run: QueryRun): (doc: RankedDocument) => WordScore[] {
  const { postings } = run.index;
  const { words, mode } = run;
  return (doc) =>
    run.plan.scoredWords.map(({ word }, i) => {
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
        via !== undefined && via.kind !== "exact"
          ? { match: via.via ?? via.term, kind: via.kind }
          : {};
      return { word: word.text, score: best, ...match };
    });
}

/**
 * The plan's words ready to score, pushed into a new array: `map` gave an array of holey
 * elements in a few queries (one in about 2,000 on the Littré), whose map, new to the
 * optimised code of every function reading the query's words (ranking, retrieval, features),
 * threw them all away at once (`--trace-deopt`, "wrong map"); pushes give packed elements.
 */
function preparedWords(
  postings: LoadedIndex["postings"],
  plan: WordPlan,
  mode: ScoringMode,
): ScoredWord[] {
  const words: ScoredWord[] = [];
  for (const { alternatives } of plan.scoredWords) {
    words.push(prepareWord(postings, alternatives, mode));
  }
  return words;
}

/**
 * The words ready to score, weighted for long queries when the ranking asks (`weigh.ts`):
 * each by its idf and how often the query repeats it.
 */
function weighed(
  query: ParsedQuery,
  params: RankingParams,
  plan: WordPlan,
  prepared: ScoredWord[],
): ScoredWord[] {
  if (params.queryWeighting === undefined || plan.stopwordsOnly) return prepared;
  return weighWords(
    prepared,
    plan.scoredWords.map(({ word }) => query.words.filter((w) => w.term === word.term).length),
    params.queryWeighting,
  );
}

/**
 * Each word's lists in `field`. Arrays pushed into, not made by `map` and `flatMap`, for packed
 * elements whatever the query (see `preparedWords`): the snippets' readers of these lists were
 * thrown away by the holey ones a few queries had.
 */
function listsIn(run: QueryRun, field: number): number[][] {
  const all: number[][] = [];
  for (const word of run.words) {
    const lists: number[] = [];
    for (const alternative of word.alternatives)
      for (const list of alternative.lists) if (list.field === field) lists.push(list.list);
    all.push(lists);
  }
  return all;
}

/**
 * Empties every scratch entry the query set, even when it threw half-way. The loops are
 * functions of their own: a loop in `release` was compiled on the fly (OSR) during the first
 * long one, before the lines after it had ever run, and in one of eleven traced Littré
 * processes that code was entered and thrown away again at each of the next 293 queries
 * (`--trace-deopt`: "insufficient type feedback", the rest of each call unoptimised).
 */
function release(run: QueryRun): void {
  const { total, matched, mark, phrase, seen } = run.scratch;
  zeroTotals(total, matched, run.touched.view());
  run.touched.clear();
  const { phraseDocs } = run;
  for (let i = 0; i < phraseDocs.length; i++) zeroAt(phrase, phraseDocs[i]!);
  // `seen` is set only where the query's words were counted (`countMatches`): a phrase or a
  // filter alone leaves it as it was, and its `member` (every document, browsing by a filter
  // on the Littré) needs no pass.
  if (run.words.length > 0) zeroAt(seen, run.member);
  zeroAt(mark, run.marked);
}

function zeroTotals(total: Float64Array, matched: Uint8Array, docs: Uint32Array): void {
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i]!;
    total[doc] = 0;
    matched[doc] = 0;
  }
}

/**
 * A counted loop, not `for…of`: most queries leave these lists empty, and the iterator's reads
 * a query first ran through them threw the optimised `release` away each time (46 times in 627
 * Littré queries, "insufficient type feedback").
 */
function zeroAt(array: Float64Array | Uint8Array, docs: ArrayLike<number>): void {
  for (let i = 0; i < docs.length; i++) array[docs[i]!] = 0;
}

/** Phrases by the size of the rarest list each needs: the cheapest to match first. */
function byRarity(postings: LoadedIndex["postings"], phrases: QueryPhrase[]): QueryPhrase[] {
  const cost = (phrase: QueryPhrase) => {
    const content = phrase.tokens.filter((token) => !token.stopword);
    const keys = (content.length > 0 ? content : phrase.tokens).map((token) =>
      token.stopword ? stopwordKey(token.term) : token.term,
    );
    let least = Number.POSITIVE_INFINITY;
    for (const key of keys) {
      let size = 0;
      for (let field = 0; field < FIELD_COUNT; field++) {
        size += postings.size(postings.list(key, field));
      }
      least = Math.min(least, size);
    }
    return least;
  };
  const costs = new Map(phrases.map((phrase) => [phrase, cost(phrase)]));
  return [...phrases].sort((a, b) => costs.get(a)! - costs.get(b)!);
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
  const typed = typedStopword(index, query, params);
  if (typed !== undefined) contentWords.push(typed.word);
  const stopwordsOnly =
    contentWords.length === 0 && query.phrases.length === 0 && query.words.length > 0;
  const words = stopwordsOnly ? dedupe(query.words) : contentWords;
  const expanded: Alternative[][] = [];
  for (const word of words) {
    expanded.push(
      word === typed?.word
        ? typed.alternatives
        : expandWord(word, index.vocabulary, words.length, params.expansion),
    );
  }
  // Pushed, not `map`ped, for packed elements whatever the query (as `preparedWords`).
  const scoredWords: WordPlan["scoredWords"] = [];
  const alternativesOf = withSynonyms(words, expanded, synonymsOf(index));
  for (let i = 0; i < words.length; i++) {
    scoredWords.push({ word: words[i]!, alternatives: alternativesOf[i]! });
  }
  return { scoredWords, stopwordsOnly };
}

/**
 * The query's only word when it is a stopword still being typed (`Par`), as the prefix of the
 * words it may begin: a content word whose alternatives are those words only
 * (`typedStopwordAlternatives`). Undefined when it is none, or begins no word but stopwords.
 * Beside other words (`hélicoptères sur`) it stays a stopword, as a starred one does: 359 of
 * bench:http's 2,000 distinct title queries end with one (`Prêt de`), and made prefixes they
 * took 1.405× as long (`npm run bench:compare`), each expanding to 30 words.
 */
function typedStopword(
  index: LoadedIndex,
  query: ParsedQuery,
  params: RankingParams,
): { word: QueryWord; alternatives: Alternative[] } | undefined {
  const last = query.words.at(-1);
  if (last === undefined || !last.stopword || !last.typing) return undefined;
  // Alone: `être ou ne pas être` stays a query of stopwords, which finds what uses them.
  if (query.words.length > 1 || query.phrases.length > 0) return undefined;
  const alternatives = typedStopwordAlternatives(last, index.vocabulary, params.expansion);
  // The stopword alone: the query of stopwords it is.
  if (alternatives.length <= 1) return undefined;
  return { word: { ...last, stopword: false }, alternatives };
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
