/**
 * The calls API handlers make through the searcher, and what they do when the searcher gives
 * up: a search not answered within budget × grace becomes an empty answer flagged `timedOut`
 * (the best found so far, as the server knows it), never a wait without bound.
 */
import type { Context } from "hono";
import type { Language } from "../search/index.js";
import type { DocumentOptions, DocumentView, SearchOptions } from "../search/types.js";
import type { AppEnv } from "./context.js";
import { laneOf } from "./lanes.js";
import { type BudgetedResult, SearchAbandoned, type Served } from "./searcher.js";

export type ApiSearchResult = BudgetedResult & { timedOut: boolean };

const STOPPED: Record<Language, string> = {
  en: "the search took too long and was stopped: try fewer or more precise words",
  fr: "la recherche a pris trop de temps et a été arrêtée : essayez des mots moins nombreux ou plus précis",
};

function servedBy<T>(c: Context<AppEnv>, served: Served<T>): T {
  if (served.generation !== c.get("engine").info.version) c.set("uncacheable", true);
  return served.value;
}

export async function searchCall(
  c: Context<AppEnv>,
  query: string,
  options: SearchOptions,
): Promise<ApiSearchResult> {
  const searcher = c.get("searcher");
  const metrics = c.get("metrics");
  try {
    const result = servedBy(c, await searcher.search(c.get("engine"), query, options));
    const timedOut = result.timedOut === true;
    metrics.search(laneOf(query), result.tookMs, timedOut);
    if (timedOut) c.set("uncacheable", true);
    return timedOut === result.timedOut ? (result as ApiSearchResult) : { ...result, timedOut };
  } catch (error) {
    if (!(error instanceof SearchAbandoned && error.reason === "timeout")) throw error;
    metrics.abandoned();
    c.set("uncacheable", true);
    return {
      query,
      total: 0,
      offset: options.offset ?? 0,
      limit: options.limit ?? 10,
      tookMs: searcher.budgetMs,
      hits: [],
      facets: { date: {} },
      warnings: [STOPPED[options.language ?? "en"]],
      timedOut: true,
    };
  }
}

export async function suggestCall(
  c: Context<AppEnv>,
  prefix: string,
  limit: number,
): Promise<string[]> {
  return servedBy(c, await c.get("searcher").suggest(c.get("engine"), prefix, limit));
}

export async function documentCall(
  c: Context<AppEnv>,
  id: string,
  query: string | undefined,
  options: DocumentOptions,
): Promise<DocumentView | undefined> {
  return servedBy(c, await c.get("searcher").getDocument(c.get("engine"), id, query, options));
}
