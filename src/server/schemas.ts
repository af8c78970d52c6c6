/**
 * The zod schemas of the HTTP API: they validate requests and generate /openapi.json, so the
 * published contract cannot drift from what the server accepts.
 */
import { z } from "@hono/zod-openapi";
import {
  LANGUAGES,
  MAX_FILTER_LENGTH,
  MAX_LIMIT,
  MAX_OFFSET,
  MAX_QUERY_LENGTH,
} from "../search/index.js";
import { readWholeNumber } from "./whole-number.js";

export const MAX_ID_LENGTH = 300;
export const MAX_ANALYZE_LENGTH = 5_000;
export const MAX_PREFIX_LENGTH = 100;

const single = (name: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `${name} is required` : `${name} must be given once, as text`;

function text(name: string, max: number, min = 0) {
  return z
    .string({ error: single(name) })
    .min(min, { error: `${name} must not be empty` })
    .max(max, { error: `${name} must be at most ${max} characters` });
}

function wholeNumber(name: string, min: number, max: number, fallback: number) {
  const message = `${name} must be a whole number from ${min} to ${max}`;
  return z
    .string({ error: single(name) })
    .refine((text) => readWholeNumber(text, min, max) !== undefined, { error: message })
    .transform(Number)
    .default(fallback)
    .openapi({
      param: { name, in: "query" },
      type: "integer",
      minimum: min,
      maximum: max,
      default: fallback,
    });
}

/**
 * Read by the engine, with its own grammar and messages (`date:` in a query reads the same
 * way): a bad one is the query's refusal, `bad_query`, in the language asked for.
 */
export const dateParam = text("date", 100)
  .optional()
  .openapi({
    param: { name: "date", in: "query" },
    description: "Months: YYYY-MM, or a range YYYY-MM..YYYY-MM where either end may be left out",
    example: "2020-01..2020-03",
  });

const languageParam = z
  .enum(LANGUAGES, { error: `lang must be ${LANGUAGES.join(" or ")}` })
  .optional()
  .openapi({
    param: { name: "lang", in: "query" },
    description:
      "Language of warnings and of the query's refusals: en (default) or fr. Parameter errors stay in English.",
  });

/** A yes-or-no query parameter: true, false, 1 or 0; anything else is refused by its name. */
function booleanParam(name: string, description?: string) {
  return z
    .enum(["true", "false", "1", "0"], { error: `${name} must be true or false` })
    .transform((v) => v === "true" || v === "1")
    .optional()
    .openapi({
      param: { name, in: "query" },
      type: "boolean",
      ...(description !== undefined && { description }),
    });
}

const explainParam = booleanParam("explain");

const profileParam = booleanParam(
  "profile",
  "Also return where the search's time went, in milliseconds per step (profile); such an answer is never kept for the next request",
);

const highlightsParam = booleanParam(
  "highlights",
  "Also return every match in each hit's body (highlights), which reads whole bodies; the snippet is always returned",
);

/**
 * The query's length is checked by the engine (its refusal, `bad_query`, in the language asked
 * for, as the search page shows it); the schema only publishes the limit.
 */
function queryText(min: number) {
  return z
    .string({ error: single("q") })
    .min(min, { error: "q must not be empty" })
    .openapi({ maxLength: MAX_QUERY_LENGTH });
}

/**
 * Read by the engine against the index's settings (filterable and sortable attributes), so a
 * refusal names the attribute or the position: `bad_query` with this parameter.
 */
const filterParam = z
  .string({ error: single("filter") })
  .optional()
  .openapi({
    param: { name: "filter", in: "query" },
    maxLength: MAX_FILTER_LENGTH,
    description:
      "Meilisearch's filter syntax on filterable attributes: =, !=, >, >=, <, <=, a TO b, IN [..], NOT IN, EXISTS, IS NULL, IS EMPTY, AND, OR, NOT, parentheses, quoted values",
    example: "section = Défense AND year >= 2020",
  });

/** A comma-separated list, read by the engine. */
function listParam(name: string, description: string, example: string) {
  return text(name, 1_000)
    .optional()
    .openapi({ param: { name, in: "query" }, description, example });
}

export const SearchQuery = z
  .object({
    q: queryText(0)
      .optional()
      .openapi({
        param: { name: "q", in: "query" },
        description:
          "The query; may be left out or empty when `filter`, `facets`, `sort` or `date` is given: every document they keep is listed",
        example: "mission OTAN",
      }),
    filter: filterParam,
    facets: listParam(
      "facets",
      "Filterable attributes to count values of, comma-separated: facetDistribution",
      "section,year",
    ),
    sort: listParam(
      "sort",
      "attribute:asc or attribute:desc on sortable attributes, comma-separated; relevance breaks ties",
      "year:desc",
    ),
    limit: wholeNumber("limit", 0, MAX_LIMIT, 10),
    offset: wholeNumber("offset", 0, MAX_OFFSET, 0),
    date: dateParam,
    lang: languageParam,
    explain: explainParam,
    highlights: highlightsParam,
    profile: profileParam,
  })
  .strict();

/** The search's parameters once checked, from the URL or a JSON body. */
export type SearchParams = z.output<typeof SearchQuery>;

/**
 * The JSON body of POST /api/search, for the published contract only: the handler reads the
 * body into SearchQuery's parameters (search-body.ts), so both forms share one check.
 */
export const SearchBody = z
  .object({
    q: z.string().max(MAX_QUERY_LENGTH).optional().openapi({ example: "mission OTAN" }),
    filter: z
      .union([
        z.string().max(MAX_FILTER_LENGTH),
        z.array(z.union([z.string(), z.array(z.string())])),
      ])
      .optional(),
    facets: z
      .union([z.array(z.string()), z.string()])
      .optional()
      .openapi({ example: ["section"] }),
    sort: z
      .union([z.array(z.string()), z.string()])
      .optional()
      .openapi({ example: ["year:desc"] }),
    limit: z.number().int().min(0).max(MAX_LIMIT).optional().openapi({ default: 10 }),
    offset: z.number().int().min(0).max(MAX_OFFSET).optional().openapi({ default: 0 }),
    date: z.string().max(100).optional().openapi({ example: "2020-01..2020-03" }),
    lang: z.enum(LANGUAGES).optional(),
    explain: z.boolean().optional(),
    highlights: z.boolean().optional(),
    profile: z.boolean().optional(),
  })
  .strict()
  .openapi("SearchBody");

export const SuggestQuery = z
  .object({
    q: text("q", MAX_PREFIX_LENGTH).openapi({ param: { name: "q", in: "query" }, example: "sold" }),
    limit: wholeNumber("limit", 1, 20, 8),
  })
  .strict();

export const AnalyzeQuery = z
  .object({
    text: text("text", MAX_ANALYZE_LENGTH).openapi({
      param: { name: "text", in: "query" },
      example: "L’OTAN a suspendu ses opérations",
    }),
  })
  .strict();

/**
 * A document id is a path relative to the corpus ("2020/foo"). It never reaches the file
 * system, but anything that looks like a traversal or a control character is refused anyway,
 * so no caller can be misled into thinking it could.
 */
export const DocumentParams = z.object({
  id: z
    .string({ error: single("id") })
    .min(1, { error: "id must not be empty" })
    .max(MAX_ID_LENGTH, { error: `id must be at most ${MAX_ID_LENGTH} characters` })
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), {
      error: "id must not contain control characters",
    })
    .refine((v) => v.split("/").every((part) => part !== "" && part !== "." && part !== ".."), {
      error: "id must be a relative path without empty, '.' or '..' parts",
    })
    .openapi({ param: { name: "id", in: "path" }, example: "2020/otan-irak" }),
});

export const DocumentQuery = z
  .object({
    q: queryText(0)
      .optional()
      .openapi({
        param: { name: "q", in: "query" },
        description: "Mark the matches of this query",
      }),
    lang: languageParam,
  })
  .strict();

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "invalid_parameter" }),
      message: z.string(),
      parameter: z.string().optional(),
    }),
  })
  .openapi("Error");

const Span = z.tuple([z.number().int(), z.number().int()]);

const spans = (of: string) =>
  z.array(Span).openapi({ description: `[start, end) UTF-16 offsets of the matches in ${of}` });

export const ExplainSchema = z
  .object({
    score: z.number().openapi({ description: "The score before rounding" }),
    allWords: z.boolean(),
    wordsMatched: z.number().int(),
    words: z.array(
      z.object({
        word: z.string(),
        score: z.number(),
        match: z.string().optional().openapi({ description: "The prefix, typo or synonym match" }),
        kind: z.enum(["prefix", "fuzzy", "synonym"]).optional(),
      }),
    ),
    phrases: z.number().openapi({ description: "The part the phrases brought" }),
    proximity: z
      .object({
        score: z.number(),
        adjacentPairs: z.number().int(),
        window: z.number().int(),
        field: z.enum(["title", "body"]).optional(),
      })
      .openapi({ description: "The part proximity brought, and its signals" }),
    strategy: z
      .enum(["exhaustive", "conjunctive", "maxscore", "champions", "browse"])
      .openapi({ description: "How the page was found" }),
    coordination: z.number().openapi({ description: "The factor the sum was multiplied by" }),
    bm25: z.object({
      k1: z.number(),
      delta: z.number(),
      fields: z.array(z.object({ field: z.string(), weight: z.number(), b: z.number() })),
    }),
  })
  .openapi("Explain");

export const HitSchema = z
  .object({
    id: z.string(),
    score: z.number().openapi({
      description:
        "The score that ordered the hit; a learned ranking's can be negative, and past the re-ranked best 100 (50 in longer queries) it is BM25's, on another scale",
    }),
    rankingScore: z.number().min(0).max(1).openapi({
      description:
        "In [0, 1], never higher than the hit before it when ordered by relevance; the re-ranked best 100 (50 in longer queries) are above 0.5, and past them, in queries of 2–4 words, hits holding every word are above 0.25 (explain.allWords says which hold every word)",
    }),
    title: z.string(),
    date: z.string().optional(),
    snippet: z.string().openapi({ description: "HTML: matches in <mark>, all else escaped" }),
    snippetText: z.string().openapi({ description: "The snippet as text, … where it is cut" }),
    snippetMarks: spans("snippetText"),
    titleHighlighted: z.string().openapi({ description: "HTML: the title, matches in <mark>" }),
    titleMarks: spans("title"),
    highlights: spans("the body").optional().openapi({
      description: "With highlights=true: the body's matches, the first 2,000 at most",
    }),
    highlightsTruncated: z
      .literal(true)
      .optional()
      .openapi({ description: "The body has more matches than highlights holds" }),
    attributes: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: "A record's displayed attributes, as the record holds them" }),
    explain: ExplainSchema.optional(),
  })
  .openapi("Hit");

export const SearchResultSchema = z
  .object({
    query: z.string(),
    total: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
    tookMs: z.number().openapi({
      description:
        "Milliseconds the search took; an answer sent again for the same URL and index repeats it",
    }),
    hits: z.array(HitSchema),
    facets: z.object({ date: z.record(z.string(), z.number().int()) }),
    facetDistribution: z
      .record(z.string(), z.record(z.string(), z.number().int()))
      .optional()
      .openapi({ description: "With `facets`: matching documents by value, per attribute" }),
    suggestion: z.string().optional(),
    warnings: z.array(z.string()).optional(),
    profile: z
      .object({
        parse: z.number(),
        expand: z.number(),
        retrieve: z.number(),
        rank: z.number(),
        hits: z.number(),
        suggest: z.number(),
      })
      .optional()
      .openapi({
        description:
          "With profile=true: milliseconds per step (reading the query; prefix and typo look-ups; top-k retrieval and counting; ranking the best; snippets and marks; did you mean)",
      }),
    timedOut: z.boolean().openapi({
      description:
        "True when the search was cut at its time budget: the hits are the best found by then and total a lower bound",
    }),
  })
  .openapi("SearchResult");

export const SuggestResultSchema = z
  .object({ query: z.string(), suggestions: z.array(z.string()) })
  .openapi("SuggestResult");

export const DocumentSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    date: z.string().optional(),
    body: z.string(),
    source: z.string(),
    bytes: z.number().int(),
    readingMinutes: z.number(),
    dateline: z.string().optional(),
    attributes: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: "A record's displayed attributes, as the record holds them" }),
    bodyHighlighted: z.string().optional(),
    titleHighlighted: z.string().optional(),
    titleMarks: spans("title").optional(),
    highlights: spans("the body")
      .optional()
      .openapi({ description: "With a query: the body's matches, the first 2,000 at most" }),
    highlightsTruncated: z
      .literal(true)
      .optional()
      .openapi({ description: "The body has more matches than highlights holds" }),
  })
  .openapi("Document");

export const AnalyzeResultSchema = z
  .object({
    text: z.string(),
    tokens: z.array(
      z.object({
        word: z.string(),
        term: z.string(),
        start: z.number().int(),
        end: z.number().int(),
        position: z.number().int(),
        stopword: z.boolean(),
      }),
    ),
  })
  .openapi("AnalyzeResult");

export const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]).openapi({
      description:
        "degraded: the index served is not the one on disk (a rebuild that could not be loaded), or a search thread serves another generation; `problems` says what",
    }),
    problems: z.array(z.string()).optional(),
    documents: z.number().int(),
    indexBuiltAt: z.string(),
    version: z.string().openapi({ description: "The index generation being served" }),
    loupeVersion: z.string().openapi({ description: "The version of the loupe package" }),
    workers: z
      .array(
        z.object({
          id: z.number().int(),
          threadId: z.number().int(),
          generation: z.string().optional(),
          documents: z.number().int().optional(),
          state: z.enum(["starting", "idle", "busy", "abandoned"]),
          restarts: z.number().int(),
          reloadError: z.string().optional(),
        }),
      )
      .optional()
      .openapi({ description: "With search threads: the index generation each one serves" }),
    queue: z
      .object({ cheap: z.number().int(), costly: z.number().int(), limit: z.number().int() })
      .optional()
      .openapi({ description: "With search threads: searches waiting, by lane" }),
  })
  .openapi("Health");
