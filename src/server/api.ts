/**
 * The /api routes. Each handler uses the engine the request started with (`c.get("engine")`),
 * never the source, so a hot swap cannot change the index half-way through a request.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { analyze } from "../analysis/index.js";
import { listItems, listsWithoutQuery } from "../search/refine.js";
import type { SearchOptions } from "../search/types.js";
import { LOUPE_VERSION } from "../version.js";
import { conditionalGet } from "./caching.js";
import type { AppEnv } from "./context.js";
import { describeZodError, errorPayload, errorResponse } from "./errors.js";
import { healthProblems } from "./health.js";
import { answerJson, sendJson } from "./json-answer.js";
import { presentDocument, type SearchResultJson } from "./present.js";
import {
  AnalyzeQuery,
  AnalyzeResultSchema,
  DocumentParams,
  DocumentQuery,
  DocumentSchema,
  ErrorBody,
  HealthSchema,
  SearchBody,
  type SearchParams,
  SearchQuery,
  SearchResultSchema,
  SuggestQuery,
  SuggestResultSchema,
} from "./schemas.js";
import { MAX_SEARCH_BODY_BYTES, searchBodyLimit, searchParamsOfBody } from "./search-body.js";
import { documentCall, searchCall, suggestCall } from "./search-call.js";

const json = <T>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});
const badRequest = json(ErrorBody, "A parameter is missing or invalid; `error.parameter` names it");
const notModified = { description: "The index has not changed since the ETag was issued" };
// What any search-thread route may also answer: a client over its rate limit, a full queue or
// a search that killed its thread, each with Retry-After (app.ts). A URL over 16 KB gets a 431
// from the socket, before any route.
const refused = {
  429: json(ErrorBody, "Over this client's rate limit (when one is set); see Retry-After"),
  503: json(
    ErrorBody,
    "Too many searches waiting, or the search stopped its thread; see Retry-After",
  ),
};

const searchRoute = createRoute({
  method: "get",
  path: "/api/search",
  summary: "Full-text search",
  middleware: [conditionalGet()] as const,
  request: { query: SearchQuery },
  responses: {
    200: json(SearchResultSchema, "Hits, best first"),
    304: notModified,
    400: badRequest,
    ...refused,
  },
});

/** Documented apart: its handler reads the body itself (search-body.ts), for its messages. */
const searchPostRoute = {
  method: "post",
  path: "/api/search",
  summary: "Full-text search, its parameters in a JSON body",
  description:
    "The parameters of GET /api/search as a JSON object: numbers for limit and offset, booleans for explain, highlights and profile, an array of strings (or one comma-separated string) for facets and sort, a filter as a string or as Meilisearch's array (items AND-ed, an inner array's OR-ed). Not kept by the server's answer cache.",
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: SearchBody } },
    },
  },
  responses: {
    200: json(SearchResultSchema, "Hits, best first"),
    400: badRequest,
    413: json(ErrorBody, `A body over ${MAX_SEARCH_BODY_BYTES / 1024} KB`),
    415: json(ErrorBody, "A body not sent as application/json"),
    ...refused,
  },
} as const;

const suggestRoute = createRoute({
  method: "get",
  path: "/api/suggest",
  summary: "Words of the collection that complete a prefix",
  middleware: [conditionalGet()] as const,
  request: { query: SuggestQuery },
  responses: {
    200: json(SuggestResultSchema, "Suggestions, best first"),
    304: notModified,
    400: badRequest,
    ...refused,
  },
});

const documentRoute = createRoute({
  method: "get",
  path: "/api/documents/{id}",
  summary: "One whole document, optionally with the matches of a query marked",
  middleware: [conditionalGet()] as const,
  request: { params: DocumentParams, query: DocumentQuery },
  responses: {
    200: json(DocumentSchema, "The document"),
    304: notModified,
    400: badRequest,
    404: json(ErrorBody, "No document has this id"),
    ...refused,
  },
});

const analyzeRoute = createRoute({
  method: "get",
  path: "/api/analyze",
  summary: "How the index's French analysis chain reads a text",
  // The answer depends on the index (its stopWords): tagged with its generation, as searches.
  middleware: [conditionalGet()] as const,
  request: { query: AnalyzeQuery },
  responses: {
    200: json(AnalyzeResultSchema, "The token stream, stopwords flagged"),
    304: notModified,
    400: badRequest,
    ...refused,
  },
});

const healthRoute = createRoute({
  method: "get",
  path: "/api/health",
  summary: "Liveness, and which index is being served",
  responses: { 200: json(HealthSchema, "The server is up") },
});

/** A search with validated parameters, from the URL (GET) or a JSON body (POST). */
async function searchWith(c: Context<AppEnv>, params: SearchParams) {
  const { q, limit, offset, date, explain, highlights, profile, lang, filter, facets, sort } =
    params;
  const filtered = filter !== undefined && filter.trim() !== "";
  const browsing = listsWithoutQuery({ filter, facets, sort, date });
  if (!browsing && (q === undefined || q.trim() === "")) {
    const why =
      q === undefined ? "q is required" : q === "" ? "q must not be empty" : "q must not be blank";
    c.header("Cache-Control", "no-store");
    return c.json(
      errorPayload(
        "invalid_parameter",
        `${why} (unless a filter, facets, a sort or a date is given)`,
        "q",
      ),
      400,
    );
  }
  const options: SearchOptions = { limit, offset };
  if (filtered) options.filter = filter;
  const facetNames = listItems("facets", facets);
  if (facetNames !== undefined) options.facets = facetNames;
  const sorts = listItems("sort", sort);
  if (sorts !== undefined) options.sort = sorts;
  if (lang !== undefined) options.language = lang;
  // Left empty, as `filter=` is and as the page reads it: a form's blank field.
  if (date !== undefined && date.trim() !== "") options.date = date;
  if (explain === true) options.explain = true;
  if (highlights === true) options.highlights = true;
  if (profile === true) {
    options.profile = true;
    // Its timings are this search's: the same URL asked again searches again.
    c.set("uncacheable", true);
  }
  // A QueryError (a query the user must fix) becomes a 400 in app.onError, for every route.
  const answer = await searchCall(c, q ?? "", options);
  return sendJson<SearchResultJson>(c, answer.body);
}

export function registerApi(app: OpenAPIHono<AppEnv>): void {
  app.openapi(searchRoute, async (c) => searchWith(c, c.req.valid("query")));

  // The same search with its parameters in a JSON body, as Meilisearch's and Typesense's
  // clients send it: a long filter or query needs no URL encoding and stays out of access logs
  // and proxies' URL limits. Not kept by the answer cache, which is keyed by the URL.
  app.openAPIRegistry.registerPath(searchPostRoute);
  app.post("/api/search", searchBodyLimit(), async (c) => {
    const read = await searchParamsOfBody(c);
    if (!read.ok) return read.response;
    const parsed = SearchQuery.safeParse(read.params);
    if (!parsed.success) {
      const { message, parameter } = describeZodError(parsed.error);
      return errorResponse(c, 400, "invalid_parameter", message, parameter);
    }
    return searchWith(c, parsed.data);
  });

  app.openapi(suggestRoute, async (c) => {
    const { q, limit } = c.req.valid("query");
    return answerJson(c, { query: q, suggestions: await suggestCall(c, q, limit) });
  });

  // Ids hold "/" ("2020/foo"), so the route takes the rest of the path (newlines included, so
  // that validation, not the router, refuses them); OpenAPI paths cannot say that, hence a
  // hidden route for matching and the plain one registered for the document.
  const { middleware: _, ...documentDoc } = documentRoute;
  app.openAPIRegistry.registerPath(documentDoc);
  app.openapi(
    { ...documentRoute, path: "/api/documents/:id{[\\s\\S]+}", hide: true },
    async (c) => {
      const { id } = c.req.valid("param");
      const { q, lang } = c.req.valid("query");
      const view = await documentCall(c, id, q, lang === undefined ? {} : { language: lang });
      if (view === undefined) {
        c.header("Cache-Control", "no-store");
        return c.json(errorPayload("not_found", `no document with id '${id}'`, "id"), 404);
      }
      return answerJson(c, presentDocument(view));
    },
  );

  app.openapi(analyzeRoute, (c) => {
    const { text } = c.req.valid("query");
    // The index's own chain (its stopWords), as its searches read text.
    const engine = c.get("engine");
    const analyzed = engine.analyze?.(text) ?? analyze(text, { keepStopwords: true });
    const tokens = analyzed.map((t) => ({
      word: text.slice(t.start, t.end),
      term: t.term,
      start: t.start,
      end: t.end,
      position: t.position,
      stopword: t.stopword,
    }));
    return c.json({ text, tokens }, 200);
  });

  app.openapi(healthRoute, (c) => {
    const engine = c.get("engine");
    const { info } = engine;
    const status = c.get("searcher").status();
    const { workers, queue } = status;
    const problems = healthProblems(engine, c.get("indexProblem"), status);
    c.header("Cache-Control", "no-store");
    // Still 200: the server answers, from the index it has; a probe reads `status`.
    return c.json(
      {
        status: problems.length > 0 ? ("degraded" as const) : ("ok" as const),
        ...(problems.length > 0 && { problems }),
        documents: info.documents,
        indexBuiltAt: info.builtAt,
        version: info.version,
        loupeVersion: LOUPE_VERSION,
        // Which generation each search thread serves: during a hot swap they may differ.
        ...(workers.length > 0 && { workers, queue }),
      },
      200,
    );
  });
}
