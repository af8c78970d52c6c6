/**
 * What the script reads from a URL and what it asks the API: no DOM here, so the tests run it in
 * Node as it is (test/page/browser-render.test.ts).
 */
import { type PageState, pageState } from "../format.js";

/** The page's state from a query string (`location.search`, a link's `search`). */
export function stateOf(search: string): PageState {
  const params = new URLSearchParams(search);
  return pageState((name) => params.get(name));
}

/**
 * The /api/search request for a state, warnings and refusals in French as on the page, with
 * the facets the page shows (the server names them on the form: `data-facets`).
 */
export function searchUrl(state: PageState, facets: readonly string[] = []): string {
  const params = new URLSearchParams({
    q: state.q,
    limit: String(state.limit),
    offset: String((state.page - 1) * state.limit),
    lang: "fr",
  });
  if (state.date) params.set("date", state.date);
  if (state.filter) params.set("filter", state.filter);
  if (facets.length > 0) params.set("facets", facets.join(","));
  return `/api/search?${params.toString()}`;
}

/** The /api/suggest request completing `word`. */
export function suggestUrl(word: string): string {
  return `/api/suggest?${new URLSearchParams({ q: word, limit: "6" }).toString()}`;
}

/** The message of an API refusal (`{ error: { message } }`), or a fallback. */
export function refusalMessage(body: unknown): string {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === "string" ? message : "La recherche a échoué.";
}
