import type { AnalyzedToken } from "../analysis/types.js";
import type { JsonValue, LoupeDocument } from "../corpus/types.js";
import { describeNotice, type Language, type Notice } from "./notices.js";

/**
 * The shapes the search layer answers with: what the server and the CLI print. The browser
 * bundle type-checks against this file, so it imports no module that reaches Node.
 */

/** How a query's matches were gathered (`execute.ts`). */
export type Strategy = "exhaustive" | "conjunctive" | "maxscore" | "champions" | "browse";

export interface FieldWeight {
  field: "title" | "body";
  weight: number;
  /** Length normalisation of this field, 0 (none) to 1 (full). */
  b: number;
}

export interface Bm25Params {
  k1: number;
  /** BM25+'s lower bound for a matching term (Lv & Zhai 2011): a match always counts. */
  delta: number;
  fields: FieldWeight[];
}

/** What proximity added to a hit, and from what (`proximity.ts`). */
export interface Proximity {
  /** What proximity added to the score. */
  score: number;
  /** Neighbouring query words standing side by side, in order, in the best field. */
  adjacentPairs: number;
  /** The smallest span of words holding every query word the best field has (0: fewer than 2). */
  window: number;
  field?: "title" | "body";
}

export interface SearchOptions {
  /** Page size, 1–100 (default 10). */
  limit?: number;
  /** Hits to skip, 0–10,000 (default 0). */
  offset?: number;
  /** `YYYY-MM` or `YYYY-MM..YYYY-MM` (either end may be empty); combined with any `date:` in the query. */
  date?: string;
  /**
   * A filter in Meilisearch's syntax (`category = sport AND year >= 2020`), on filterable
   * attributes; combined with `date`. With an empty query, the filter alone lists documents.
   */
  filter?: string;
  /** Filterable attributes to count the values of, over every matching document. */
  facets?: string[];
  /** `attribute:asc` or `attribute:desc` on sortable attributes, first first; relevance breaks ties. */
  sort?: string[];
  /** Return each hit's score parts. */
  explain?: boolean;
  /** Return where the search's time went, step by step (`profile`). */
  profile?: boolean;
  /** Return every match in each hit's body (`highlights`), which reads whole bodies. */
  highlights?: boolean;
  /** The language of `warnings` and of a refusal's message: English (default) or French. */
  language?: Language;
  /**
   * Milliseconds a search may take (default 0: no limit; the server sets one): past it the
   * answer is the best found so far, with `timedOut` (as Elasticsearch's `timed_out`).
   */
  budgetMs?: number;
}

export interface DocumentOptions {
  /** The language of a refusal's message when `query` cannot be read: English (default) or French. */
  language?: Language;
}

/** `[start, end)`: UTF-16 offsets of a match in a text. */
export type Span = [number, number];

/** A text and where, in it, the query matched: sorted, non-overlapping spans. */
export interface MarkedText {
  text: string;
  marks: Span[];
}

/** One scored word of the query and what it brought to a document's score. */
export interface ExplainedWord {
  /** The word as the query reads it. */
  word: string;
  /** Its BM25F contribution, 0 when the document does not hold it. */
  score: number;
  /** The vocabulary word that scored, when it was a prefix, typo or synonym match. */
  match?: string;
  /** How it matched, when not as written: a prefix, a typo, or a synonym from the settings. */
  kind?: "prefix" | "fuzzy" | "synonym";
}

/** A signal of the learned re-ranker (`learned.ts`). */
export type SignalName =
  | "bm25"
  | "title"
  | "body"
  | "proximity"
  | "adjacent"
  | "compactness"
  | "coverage"
  | "idfCoverage"
  | "titleCoverage"
  | "titleShare"
  | "length"
  | "expanded"
  | "early"
  | "shortTitle"
  | "shortProximity"
  | "shortAdjacent"
  | "shortCompactness"
  | "shortTitleCoverage"
  | "shortTitleShare"
  | "shortEarly"
  /** 1 for a query of up to the model's `shortUpTo` words: a feature trees may split on. */
  | "short"
  /**
   * Share of the query's words among the 40 body words after the body's first « DESCRIPTION »:
   * a man page's section saying what it does, which queries made of its summary paraphrase.
   */
  | "described"
  /** The query's scored words over 40 (at most 1): long queries and short ones weigh apart. */
  | "queryLength"
  /** log(1 + the title's length in words) / 3: short titles name one thing, long ones several. */
  | "titleLength"
  /** Share of the query's idf the title holds: a title that names the query's rare words. */
  | "titleIdfCoverage"
  /**
   * Query likelihood of the body with Dirichlet smoothing (the word as typed, not its prefix
   * or typo matches), per query word, less the best among the re-ranked documents: length
   * weighed otherwise than BM25's. Each word's collection share is read back from its highest
   * idf (`learned.ts`), a rough estimate.
   */
  | "likelihood"
  /** Share of the query's idf found in the body's first 50 words. */
  | "leadIdf"
  /** The title's query words, each weighing 1 / (1 + its place in the query): the topic comes first. */
  | "titleLead"
  /**
   * BM25 of the body with k1 2.5, the word as typed only: a word said again and again counts
   * more than at k1 1.
   */
  | "bodySaturated";

/**
 * One signal's part in a learned score: value (score-like ones over the best BM25 score),
 * linear weight, and contribution (weight × value, plus the signal's steps along the trees'
 * paths, times that score). `base` is the trees' starting value, the same for every document.
 */
export interface LearnedSignal {
  signal: SignalName | "base";
  value: number;
  weight: number;
  contribution: number;
}

/** How a hit's score was made, signal by signal (`explain`). */
export interface Explain {
  /** The score before rounding: the words' parts (times `coordination`), the phrases' and proximity's. */
  score: number;
  /**
   * Whether the document holds every scored word: in queries of 2–4 words such documents are
   * the ones re-ranked first, and come first past the re-ranked few (within them too without
   * a learned ranking).
   */
  allWords: boolean;
  wordsMatched: number;
  /** Each scored word's part. */
  words: ExplainedWord[];
  /** The part the phrases' words brought. */
  phrases: number;
  /** The part proximity brought (the best few documents of a query of several words), and its signals. */
  proximity: Proximity;
  /** How the page was found: top-k strategies skip what cannot reach it. */
  strategy: Strategy;
  /** The factor the sum was multiplied by: words matched with coordination on, else 1. */
  coordination: number;
  /** The BM25 parameters the score was computed with. */
  bm25: Bm25Params;
  /**
   * With a learned ranking, the signals its score was made of (it replaces the sum above for
   * the re-ranked few; `score` is then their contributions' sum).
   */
  learned?: LearnedSignal[];
}

export interface Hit {
  id: string;
  /**
   * The score that ordered the hit: BM25 with proximity, or a learned ranking's output, which
   * can be negative, for the re-ranked few; BM25 past them. In short queries, documents holding
   * every word come first past the re-ranked few (and within them without a learned ranking)
   * whatever their score, so it need not fall down the list: `rankingScore` does.
   */
  score: number;
  /**
   * In [0, 1], as Meilisearch's `_rankingScore`: never higher than the hit before it when hits
   * are ordered by relevance (not with `sort`). With a learned ranking, the re-ranked few are
   * above 0.5 and, past them, in queries of 2–4 words, hits holding every word above 0.25;
   * without one, hits holding every word of such a query are above 0.5.
   */
  rankingScore: number;
  title: string;
  date?: string;
  /** The best passage of the body, `…` where it is cut, with the matches in it. */
  snippet: MarkedText;
  /** The matches in `title`. */
  titleMarks: Span[];
  /**
   * With `highlights`: every match in the body. Without, only the snippet's part of the body
   * is read (the document route gives a body's matches).
   */
  highlights?: Span[];
  /** `highlights` holds only the body's first matches (`MAX_HIGHLIGHTS`, 2,000). */
  highlightsTruncated?: true;
  /** A record's displayed attributes (settings' `displayedAttributes`), as the record holds them. */
  attributes?: Record<string, JsonValue>;
  /** With `explain`: how the score was made. */
  explain?: Explain;
}

export interface SearchResult {
  query: string;
  total: number;
  /** The time budget ran out: `hits` are the best found so far and `total` a lower bound. */
  timedOut?: boolean;
  offset: number;
  limit: number;
  tookMs: number;
  hits: Hit[];
  /** Matching documents by month, before the date filter (the page's month chips). */
  facets: { date: Record<string, number> };
  /** With `facets`: for each attribute asked, matching documents by value (Meilisearch's name). */
  facetDistribution?: Record<string, Record<string, number>>;
  /** A "did you mean" query made of real words of the collection, when the query finds little. */
  suggestion?: string;
  /** What the parser repaired or ignored in the query, in words a user understands. */
  warnings?: string[];
  /** With `profile`: where the time went. */
  profile?: SearchProfile;
}

/**
 * Where one search's time went, in milliseconds, step by step (as Elasticsearch's profile API
 * tells it): the steps add up to `tookMs` but for the result's own assembly.
 */
export interface SearchProfile {
  /** Reading the query and its options (filter, sort, facets). */
  parse: number;
  /** Each word's alternatives: its spellings, and its prefix and typo look-ups. */
  expand: number;
  /** Phrases, exclusions and filters, top-k retrieval, and counting every match (facets too). */
  retrieve: number;
  /** Ordering the best: the learned model's signals over its window, or proximity. */
  rank: number;
  /** The page's hits: each one's snippet and marks. */
  hits: number;
  /** The "did you mean" suggestion. */
  suggest: number;
}

/** A whole document, with a query: where its matches are. */
export interface DocumentView extends Omit<LoupeDocument, "hash" | "attributes" | "record"> {
  /** A record's displayed attributes (settings' `displayedAttributes`), as the record holds them. */
  attributes?: Record<string, JsonValue>;
  /** With a query: the matches in `title`. */
  titleMarks?: Span[];
  /** With a query: every match in the body, up to `MAX_HIGHLIGHTS` (2,000). */
  highlights?: Span[];
  /** `highlights` holds only the body's first matches. */
  highlightsTruncated?: true;
}

/** A query the user must fix; the server maps it to HTTP 400. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly parameter = "q",
    /** What was wrong, as data, so the refusal can be worded in another language. */
    readonly notice?: Notice,
  ) {
    super(message);
  }

  /** The refusal `notice`, worded in English. */
  static of(notice: Notice, parameter = "q"): QueryError {
    return new QueryError(describeNotice(notice), parameter, notice);
  }

  /** The same refusal worded in `language`. */
  in(language: Language): QueryError {
    if (this.notice === undefined || language === "en") return this;
    return new QueryError(describeNotice(this.notice, language), this.parameter, this.notice);
  }
}

/** What the index knows about itself, for /api/health. */
export interface IndexInfo {
  /** An id of the index generation being served (changes on every rebuild). */
  version: string;
  builtAt: string;
  documents: number;
  /** The attributes filters and facets may name (the index's filterableAttributes). */
  filterable?: string[];
}

/** The engine the server and the CLI talk to: a loaded index and the search over it. */
export interface Engine {
  readonly info: IndexInfo;
  search(query: string, options?: SearchOptions): SearchResult;
  suggest(prefix: string, limit?: number): string[];
  /** `undefined` when there is no such document. */
  getDocument(id: string, query?: string, options?: DocumentOptions): DocumentView | undefined;
  /**
   * Words of the collection worth offering as example queries (the search page's), as written:
   * held by several documents but not by most. Optional: an engine may have none to offer.
   */
  exampleWords?(limit: number): string[];
  /**
   * The token stream of `text` as this index reads it (its own stopWords included), stopwords
   * kept and flagged. Optional: without it, the French chain's defaults answer.
   */
  analyze?(text: string): AnalyzedToken[];
}
