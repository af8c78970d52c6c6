import type { LoupeDocument } from "../corpus/types.js";
import { describeNotice, type Language, type Notice } from "./notices.js";

/** The shapes the search layer answers with: what the server and the CLI print. */

export interface SearchOptions {
  /** Page size, 1–100 (default 10). */
  limit?: number;
  /** Hits to skip, 0–10,000 (default 0). */
  offset?: number;
  /** `YYYY-MM` or `YYYY-MM..YYYY-MM` (either end may be empty); combined with any `date:` in the query. */
  date?: string;
  /** Return each hit's score parts. */
  explain?: boolean;
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

export interface Hit {
  id: string;
  score: number;
  title: string;
  date?: string;
  /** HTML: the best passage of the body, every matched word in `<mark>`, everything else escaped. */
  snippet: string;
  /** HTML: the title with matched words in `<mark>`. */
  titleHighlighted: string;
  /** `[start, end]` offsets of every match in the body. */
  highlights: Array<[number, number]>;
  /** With `explain`: how the score was made. */
  explain?: Record<string, unknown>;
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
  facets: { date: Record<string, number> };
  /** A "did you mean" query made of real words of the collection, when the query finds little. */
  suggestion?: string;
  /** What the parser repaired or ignored in the query, in words a user understands. */
  warnings?: string[];
}

/** A whole document, optionally with every match of a query marked. */
export interface DocumentView extends Omit<LoupeDocument, "hash"> {
  /** With a query: the body as HTML with matches in `<mark>`, all else escaped. */
  bodyHighlighted?: string;
  titleHighlighted?: string;
  highlights?: Array<[number, number]>;
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
}

/** The engine the server and the CLI talk to: a loaded index and the search over it. */
export interface Engine {
  readonly info: IndexInfo;
  search(query: string, options?: SearchOptions): SearchResult;
  suggest(prefix: string, limit?: number): string[];
  /** `undefined` when there is no such document. */
  getDocument(id: string, query?: string, options?: DocumentOptions): DocumentView | undefined;
}
