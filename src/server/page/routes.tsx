/**
 * The bundled search page: `/` (search), `/documents/<id>` (one article with its matches marked)
 * and the two hashed static files. Rendered on the server, so it all works with JavaScript off;
 * the script only makes it quicker (live results, suggestions, keyboard).
 *
 * Each handler takes the engine once, at its start, like the API does: a hot swap of the index
 * never changes it half-way through a request.
 */

import { type Context, Hono } from "hono";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  type DocumentView,
  type Engine,
  QueryError,
  type SearchOptions,
  type SearchResult,
} from "../../search/types.js";
import type { EngineSource } from "../engine-source.js";
import type { SearchResultJson } from "../present.js";
import {
  type BudgetedOptions,
  DEFAULT_BUDGET_MS,
  inProcess,
  SearchAbandoned,
  type Searcher,
} from "../searcher.js";
import { IMMUTABLE, pageAssets } from "./assets.js";
import { asksForResults, documentHref, type PageState, pageState, searchHref } from "./format.js";
import {
  type AssetUrls,
  DocumentPage,
  EXAMPLE_QUERIES,
  MessagePage,
  type SearchOutcome,
  SearchPage,
} from "./views.js";

/** Pages change with the index: the browser may keep them but must ask again each time. */
const PAGE_CACHE = "no-cache";

function send(
  c: Context,
  body: HtmlEscapedString | Promise<HtmlEscapedString>,
  status: ContentfulStatusCode = 200,
): Response | Promise<Response> {
  c.header("Cache-Control", status === 200 ? PAGE_CACHE : "no-store");
  return c.html(html`<!doctype html>${body}`, status);
}

/** The page's state from the request's query string, read as the browser script reads it. */
export function searchState(c: Context): PageState {
  return pageState((name) => c.req.query(name));
}

const examples = new WeakMap<Engine, readonly string[]>();

/**
 * The intro's example queries: the ones written for the seeds when the collection answers every
 * one of them, else words of the collection itself (a user's own documents would find nothing
 * with « Stoltenberg »). Worked out once per engine, that is per index generation.
 */
function examplesOf(engine: Engine, budgetMs: number): readonly string[] {
  let found = examples.get(engine);
  if (found === undefined) {
    // In the HTTP thread, as the page's own searches: each within the server's budget.
    const answers = (q: string) => {
      const options: BudgetedOptions = { limit: 1, budgetMs };
      const result: SearchResult & { timedOut?: boolean } = engine.search(q, options);
      return result.total > 0 && result.timedOut !== true;
    };
    const seeds = EXAMPLE_QUERIES.every(answers);
    found = seeds ? EXAMPLE_QUERIES : (engine.exampleWords?.(4) ?? []);
    examples.set(engine, found);
  }
  return found;
}

/**
 * The page's routes. Its searches and documents go through `searcher`, as the API's do: on the
 * search threads, behind their queue, within their budget. Run in the HTTP thread, 32 clients
 * of the page held `/api/health` for 0.5–0.8 s and 64 for 1.9 s, with no 503 (QA).
 */
export function pageRoutes(
  source: EngineSource,
  searcher: Searcher = inProcess(DEFAULT_BUDGET_MS),
): Hono {
  const budgetMs = searcher.budgetMs;
  const page = new Hono();
  const { css, js } = pageAssets();
  const urls = assetUrls();

  for (const asset of [css, js]) {
    page.get(asset.path, (c) => {
      c.header("Content-Type", asset.contentType);
      c.header("Cache-Control", IMMUTABLE);
      c.header("X-Content-Type-Options", "nosniff");
      return c.body(asset.body);
    });
  }

  page.get("/", async (c) => {
    const engine = source.current();
    const state = searchState(c);
    let outcome: SearchOutcome = { kind: "empty" };
    // The facets shown as filter links: the filterable attributes; months have their own chips.
    const facets = (engine.info.filterable ?? []).filter((name) => name !== "date");
    if (asksForResults(state)) {
      try {
        // The page is in French, and so are the engine's warnings and refusals on it.
        const options: SearchOptions = {
          limit: state.limit,
          offset: (state.page - 1) * state.limit,
          language: "fr",
        };
        if (state.date !== undefined) options.date = state.date;
        if (state.filter !== undefined) options.filter = state.filter;
        if (facets.length > 0) options.facets = facets;
        const served = await searcher.search(engine, state.q, options);
        outcome = { kind: "results", result: JSON.parse(served.value.body) as SearchResultJson };
      } catch (error) {
        // A full queue and a crashed thread go to app.ts's onError, which counts them.
        if (error instanceof SearchAbandoned && error.reason === "timeout") return busyPage(c, 1);
        if (!(error instanceof QueryError)) throw error;
        outcome = { kind: "error", message: error.message, parameter: error.parameter };
      }
    }
    return send(
      c,
      <SearchPage
        assets={urls}
        state={state}
        outcome={outcome}
        facets={facets}
        examples={examplesOf(engine, budgetMs)}
      />,
      outcome.kind === "error" ? 400 : 200,
    );
  });

  // Ids hold "/", so the id is the rest of the path; Hono hands it over percent-decoded.
  page.get("/documents/:id{.+}", async (c) => {
    const engine = source.current();
    const id = c.req.param("id");
    const q = c.req.query("q") ?? "";
    let view: DocumentView | undefined;
    try {
      const query = q.trim() === "" ? undefined : q;
      view = (await searcher.getDocument(engine, id, query, { language: "fr" })).value;
    } catch (error) {
      if (error instanceof SearchAbandoned && error.reason === "timeout") return busyPage(c, 1);
      if (!(error instanceof QueryError)) throw error;
      return send(
        c,
        <MessagePage
          assets={urls}
          title="Requête invalide"
          heading="Cette recherche n’est pas valide"
        >
          <p>{error.message}</p>
          <p>
            <a href={documentHref(id, { q: "" })}>Lire le document sans surlignage</a>
          </p>
        </MessagePage>,
        400,
      );
    }
    if (view === undefined) {
      return send(
        c,
        <MessagePage assets={urls} title="Document introuvable" heading="Document introuvable">
          <p>{`Aucun document ne porte cet identifiant\u00a0: «\u00a0${id}\u00a0». Il a peut-être été retiré de l’index.`}</p>
          <p>
            <a href={searchHref(searchState(c))}>Retour à la recherche</a>
          </p>
        </MessagePage>,
        404,
      );
    }
    return send(c, <DocumentPage assets={urls} view={view} state={searchState(c)} />);
  });

  return page;
}

/**
 * The French "too busy, try again" page: a full queue, a search past its time or a thread lost
 * on it (app.ts's onError for the first and the last, on the page's addresses).
 */
export function busyPage(c: Context, retryAfterSeconds: number): Response | Promise<Response> {
  c.header("Retry-After", String(retryAfterSeconds));
  return send(
    c,
    <MessagePage assets={assetUrls()} title="Serveur occupé" heading="Le serveur est occupé">
      <p>Trop de recherches sont en cours&#8239;; réessayez dans un instant.</p>
      <p>
        <a href={searchHref(searchState(c))}>Réessayer</a>
      </p>
    </MessagePage>,
    503,
  );
}

function assetUrls(): AssetUrls {
  const { css, js } = pageAssets();
  return { css: css.path, js: js.path };
}

/**
 * A French message in the page's layout, with a way back to the search: what the handlers
 * below answer for addresses outside /api.
 */
function messagePage(
  c: Context,
  status: ContentfulStatusCode,
  heading: string,
  message: string,
  title = heading,
): Response | Promise<Response> {
  return send(
    c,
    <MessagePage assets={assetUrls()} title={title} heading={heading}>
      <p>{message}</p>
      <p>
        <a href="/">Retour à la recherche</a>
      </p>
    </MessagePage>,
    status,
  );
}

/**
 * The French "page not found", in the page's layout: for app.ts's notFound handler to use on
 * paths outside /api.
 */
export function notFoundPage(c: Context): Response | Promise<Response> {
  return messagePage(c, 404, "Page introuvable", "Cette adresse ne correspond à aucune page.");
}

/** The French page for an address whose percent-encoding is not UTF-8 (`/?q=%E9t%E9`). */
export function badAddressPage(c: Context): Response | Promise<Response> {
  return messagePage(
    c,
    400,
    "Adresse invalide",
    "Cette adresse contient un encodage invalide (un lien ancien, en Latin-1 peut-être)\u202f; retapez la recherche.",
  );
}

/** The French page for a method other than GET or HEAD on one of the page's addresses. */
export function methodNotAllowedPage(c: Context): Response | Promise<Response> {
  return messagePage(
    c,
    405,
    "Méthode non permise",
    "Cette adresse se consulte seulement (GET)\u202f; elle ne reçoit pas d’envoi.",
  );
}

/**
 * The French "something broke" page, never with the error's details: for app.ts's onError to
 * use on paths outside /api once it has logged the error.
 */
export function serverErrorPage(c: Context): Response | Promise<Response> {
  return messagePage(
    c,
    500,
    "Une erreur est survenue",
    "Le serveur n’a pas pu répondre ; l’erreur a été consignée. Réessayez dans un instant.",
    "Erreur",
  );
}
