/**
 * The engine's results as the API sends them, and as the page renders them (on the server and,
 * from the API's JSON, in the browser): each marked text given twice, as HTML with `<mark>`
 * for clients that show it, and as text with spans for those that draw it themselves.
 * No Node module may be imported here: the browser bundle uses these types and functions.
 */
import type { DocumentView, Explain, Hit, SearchResult, Span } from "../search/types.js";
import { markHtml } from "./marked-html.js";

export interface HitJson {
  id: string;
  score: number;
  rankingScore: number;
  title: string;
  date?: string;
  /** HTML: the snippet's text, matches in `<mark>`, everything else escaped. */
  snippet: string;
  /** The best passage of the body, `…` where it is cut. */
  snippetText: string;
  /** The matches in `snippetText`. */
  snippetMarks: Span[];
  /** HTML: the title, matches in `<mark>`. */
  titleHighlighted: string;
  /** The matches in `title`. */
  titleMarks: Span[];
  /** With `highlights=true`: the body's matches, the first 2,000 at most. */
  highlights?: Span[];
  /** `highlights` holds only the body's first matches. */
  highlightsTruncated?: true;
  /** A record's displayed attributes, as the record holds them. */
  attributes?: Hit["attributes"];
  explain?: Explain;
}

export interface SearchResultJson extends Omit<SearchResult, "hits"> {
  hits: HitJson[];
}

export interface DocumentJson extends Omit<DocumentView, "titleMarks" | "highlights"> {
  /** With a query: HTML of the body, matches in `<mark>`. */
  bodyHighlighted?: string;
  /** With a query: HTML of the title, matches in `<mark>`. */
  titleHighlighted?: string;
  titleMarks?: Span[];
  /** With a query: every match in the body. */
  highlights?: Span[];
}

export function presentHit(hit: Hit): HitJson {
  const { snippet, titleMarks, highlights, explain } = hit;
  // Field by field, in the order a hit has them: spreading the hit less four fields made the
  // new object the slow way, most of presenting a page (19-22 µs a page against 32-33). A
  // field added to Hit must be added here (test/server/present.test.ts checks every one).
  return {
    id: hit.id,
    score: hit.score,
    rankingScore: hit.rankingScore,
    title: hit.title,
    ...(hit.date !== undefined && { date: hit.date }),
    ...(hit.attributes !== undefined && { attributes: hit.attributes }),
    ...(hit.highlightsTruncated !== undefined && { highlightsTruncated: hit.highlightsTruncated }),
    snippet: markHtml(snippet.text, snippet.marks),
    snippetText: snippet.text,
    snippetMarks: snippet.marks,
    titleHighlighted: markHtml(hit.title, titleMarks),
    titleMarks,
    ...(highlights !== undefined && { highlights }),
    ...(explain !== undefined && { explain }),
  };
}

export function presentResult(result: SearchResult): SearchResultJson {
  return { ...result, hits: result.hits.map(presentHit) };
}

export function presentDocument(view: DocumentView): DocumentJson {
  const { titleMarks, highlights, ...rest } = view;
  if (titleMarks === undefined || highlights === undefined) return rest;
  return {
    ...rest,
    bodyHighlighted: markHtml(view.body, highlights),
    titleHighlighted: markHtml(view.title, titleMarks),
    titleMarks,
    highlights,
  };
}
