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
import { type SearchAnswer, searchAnswer } from "./search-answer.js";
import { SearchAbandoned, type Served } from "./searcher.js";

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
): Promise<SearchAnswer> {
  const searcher = c.get("searcher");
  const metrics = c.get("metrics");
  try {
    const answer = servedBy(c, await searcher.search(c.get("engine"), query, options));
    metrics.search(laneOf(query), answer.tookMs, answer.timedOut);
    if (answer.timedOut) c.set("uncacheable", true);
    return answer;
  } catch (error) {
    if (!(error instanceof SearchAbandoned && error.reason === "timeout")) throw error;
    metrics.abandoned();
    c.set("uncacheable", true);
    return searchAnswer({
      query,
      total: 0,
      offset: options.offset ?? 0,
      limit: options.limit ?? 10,
      tookMs: searcher.budgetMs,
      hits: [],
      facets: { date: {} },
      warnings: [STOPPED[options.language ?? "en"]],
      timedOut: true,
    });
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
