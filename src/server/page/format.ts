/**
 * Words, links and URL state of the search page: the server's views and the browser script
 * (browser/) both import them. No Node module may be imported here.
 */

export const PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;
/**
 * The engine's MAX_OFFSET, repeated because the browser bundle must not import the engine;
 * test/page/format.test.ts checks that the two agree.
 */
export const MAX_OFFSET = 10_000;

const MONTHS = [
  "janvier",
  "février",
  "mars",
  "avril",
  "mai",
  "juin",
  "juillet",
  "août",
  "septembre",
  "octobre",
  "novembre",
  "décembre",
];

/** "2020-01" → "janvier 2020"; anything else is returned as it came. */
export function monthLabel(month: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(month);
  const name = m ? MONTHS[Number(m[2]) - 1] : undefined;
  return m && name ? `${name} ${m[1]}` : month;
}

/** A `?date=` value in words: "janvier 2020", "de janvier à mars 2020", "depuis mars 2020"… */
export function dateFilterLabel(date: string): string {
  if (!date.includes("..")) return monthLabel(date);
  const [from = "", to = ""] = date.split("..");
  if (from && to) return `de ${monthLabel(from)} à ${monthLabel(to)}`;
  if (from) return `depuis ${monthLabel(from)}`;
  return `jusqu’à ${monthLabel(to)}`;
}

/**
 * A `?date=` value as a sentence's complement: "en janvier 2020", "de janvier 2020 à mars
 * 2020", "depuis mars 2020", "jusqu’à mars 2020". « pour de janvier… » read as broken French.
 */
export function dateFilterPhrase(date: string): string {
  return date.includes("..") ? dateFilterLabel(date) : `en ${monthLabel(date)}`;
}

/** 1234 → "1 234" (French grouping, with a narrow no-break space). */
export function number(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
}

/** "1 résultat", "34 résultats". */
export function resultCount(total: number): string {
  return `${number(total)} résultat${total > 1 ? "s" : ""}`;
}

/** "(2 ms)", "(< 1 ms)". */
export function duration(ms: number): string {
  return ms < 1 ? "(< 1 ms)" : `(${number(Math.round(ms))} ms)`;
}

export interface SearchState {
  q: string;
  date?: string | undefined;
  filter?: string | undefined;
  page?: number | undefined;
  limit?: number | undefined;
}

/** `/?q=…&date=…&page=…`: defaults are left out, so URLs stay short and comparable. */
export function searchHref(state: SearchState): string {
  const params = new URLSearchParams();
  if (state.q !== "") params.set("q", state.q);
  if (state.date) params.set("date", state.date);
  if (state.filter) params.set("filter", state.filter);
  if (state.page !== undefined && state.page > 1) params.set("page", String(state.page));
  if (state.limit !== undefined && state.limit !== PAGE_SIZE)
    params.set("limit", String(state.limit));
  const search = params.toString();
  return search === "" ? "/" : `/?${search}`;
}

/**
 * Ids hold "/" ("2020/foo"): each segment is encoded, the slashes are kept. The search the
 * document was opened from rides along (query, date, filter, page, size), so its way back
 * returns to that very page of results; its query also marks the document.
 */
export function documentHref(id: string, state: SearchState): string {
  const path = `/documents/${id.split("/").map(encodeURIComponent).join("/")}`;
  const search = searchHref(state).slice(1);
  return search === "" ? path : `${path}${search}${state.q.trim() === "" ? "" : "#premier"}`;
}

/** A whole number from the URL within [min, max], or the fallback. */
export function wholeNumber(
  text: string | null | undefined,
  min: number,
  max: number,
  fallback: number,
): number {
  if (text === undefined || text === null || !/^\d{1,6}$/.test(text)) return fallback;
  const n = Number(text);
  return n >= min && n <= max ? n : fallback;
}

/** The page's state, read from its URL: every field set, junk numbers replaced by defaults. */
export interface PageState {
  q: string;
  date?: string | undefined;
  /** A filter expression (Meilisearch's syntax): facet links add `attribute = "value"` to it. */
  filter?: string | undefined;
  page: number;
  limit: number;
}

/**
 * `?q=`, `?date=`, `?page=`, `?limit=` as the page understands them, on the server (from the
 * request) and in the browser (from `location.search` or a link). Pages beyond the engine's
 * reach are clamped to the last one it allows.
 */
export function pageState(param: (name: string) => string | null | undefined): PageState {
  const limit = wholeNumber(param("limit"), 1, MAX_PAGE_SIZE, PAGE_SIZE);
  const lastPage = Math.floor(MAX_OFFSET / limit) + 1;
  return {
    q: param("q") ?? "",
    date: param("date")?.trim() || undefined,
    filter: param("filter")?.trim() || undefined,
    page: Math.min(wholeNumber(param("page"), 1, 999_999, 1), lastPage),
    limit,
  };
}

/**
 * Whether the page has something to list: words, a filter or a month (`/?date=2020-01` lists
 * that month, as the API does; it showed the intro).
 */
export function asksForResults(state: PageState): boolean {
  return state.q.trim() !== "" || state.filter !== undefined || state.date !== undefined;
}

/** A filter literal: quoted, so any value (spaces, keywords, quotes) reads back as itself. */
function quoted(text: string): string {
  return `"${text.replace(/["\\]/g, "\\$&")}"`;
}

/** `attribute = "value"`, the condition a facet link adds. */
export function facetCondition(attribute: string, value: string): string {
  const name = /^[^\s()[\],'"=!<>]+$/u.test(attribute) ? attribute : quoted(attribute);
  return `${name} = ${quoted(value)}`;
}

/**
 * The filter with `condition` added (AND): a filter already holding it is kept as it is; one
 * with an OR is put in parentheses first, so the condition narrows all of it.
 */
export function withCondition(filter: string | undefined, condition: string): string {
  if (filter === undefined || filter.trim() === "") return condition;
  if (filter.includes(condition)) return filter;
  return /\bOR\b/iu.test(filter) ? `(${filter}) AND ${condition}` : `${filter} AND ${condition}`;
}

/**
 * The filter without `condition` where a facet link put it (joined by AND at the top level);
 * `undefined` when nothing else is left. A filter written otherwise is returned as it is.
 */
export function withoutCondition(filter: string, condition: string): string | undefined {
  if (filter === condition) return undefined;
  for (const joined of [` AND ${condition}`, `${condition} AND `]) {
    const at = filter.indexOf(joined);
    if (at >= 0) return filter.slice(0, at) + filter.slice(at + joined.length);
  }
  return filter;
}
