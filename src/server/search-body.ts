/**
 * A search's parameters sent as a JSON body (`POST /api/search`), as Meilisearch's and
 * Typesense's clients send theirs. The body is read into the URL's parameters, so one schema
 * (SearchQuery) checks both forms with the same messages; what a URL cannot say wrongly is
 * checked here first: each value's JSON type (`"limit": "10"` is refused, as Meilisearch
 * refuses it, rather than read as a number).
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./context.js";
import { errorResponse } from "./errors.js";

/** A search fits in a few kilobytes; a query and a filter are bounded well below this. */
export const MAX_SEARCH_BODY_BYTES = 64 * 1024;

const TEXT = new Set(["q", "filter", "date", "lang"]);
const NUMBERS = new Set(["limit", "offset"]);
const FLAGS = new Set(["explain", "highlights", "profile"]);
const LISTS = new Set(["facets", "sort"]);
const FILTER_FORMS =
  "filter must be a string, or an array of strings and arrays of strings (AND of ORs, as Meilisearch's)";

type Read = { ok: true; params: Record<string, string> } | { ok: false; response: Response };

/** Refuses a body past MAX_SEARCH_BODY_BYTES with a 413 before it is read whole. */
export function searchBodyLimit(): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: MAX_SEARCH_BODY_BYTES,
    onError: (c) =>
      errorResponse(
        c,
        413,
        "request_too_large",
        `the body must be at most ${MAX_SEARCH_BODY_BYTES / 1024} KB`,
        "body",
      ),
  });
}

/** What one value of the body is as a URL parameter, or why it cannot be one. */
function asParameter(name: string, value: unknown): string | { error: string } {
  if (name === "filter" && typeof value !== "string") {
    return Array.isArray(value) ? filterOfArray(value) : { error: FILTER_FORMS };
  }
  if (TEXT.has(name)) {
    return typeof value === "string" ? value : { error: `${name} must be a string` };
  }
  if (NUMBERS.has(name)) {
    // Its range and wholeness are the schema's, as for the URL's `limit=1.5`.
    return typeof value === "number" && Number.isFinite(value)
      ? String(value)
      : { error: `${name} must be a number` };
  }
  if (FLAGS.has(name)) {
    return typeof value === "boolean" ? String(value) : { error: `${name} must be true or false` };
  }
  if (LISTS.has(name)) {
    if (typeof value === "string") return value;
    const items = Array.isArray(value) ? value : undefined;
    if (items === undefined || !items.every((item) => typeof item === "string")) {
      return { error: `${name} must be an array of strings (or one comma-separated string)` };
    }
    // The URL's form separates items with commas: an item holding one would become two.
    if (items.some((item) => item.includes(","))) {
      return { error: `${name}: an item must not contain a comma` };
    }
    return items.join(",");
  }
  // Unknown: left to the schema, which names it and the parameter it may have meant. Its
  // value is never read: 10,000 nested objects overflowed JSON.stringify's stack (QA).
  return typeof value === "string" ? value : "";
}

/**
 * Meilisearch's array form of a filter: its items AND-ed, an inner array's items OR-ed
 * (`["genre = horreur", ["année = 2020", "année = 2021"]]`). It was refused as no string (QA).
 */
function filterOfArray(items: readonly unknown[]): string | { error: string } {
  const clauses: string[] = [];
  for (const item of items) {
    if (typeof item === "string") {
      if (item.trim() !== "") clauses.push(`(${item})`);
    } else if (Array.isArray(item) && item.every((inner) => typeof inner === "string")) {
      const alternatives = (item as string[]).filter((inner) => inner.trim() !== "");
      if (alternatives.length > 0)
        clauses.push(`(${alternatives.map((a) => `(${a})`).join(" OR ")})`);
    } else {
      return { error: FILTER_FORMS };
    }
  }
  return clauses.join(" AND ");
}

/**
 * The body's parameters in the URL's form, or the answer refusing it: 415 unless it is sent as
 * JSON, 400 naming `body` unless it is one JSON object, 400 naming the parameter whose value
 * has the wrong type. `null` is a value left out, as Meilisearch reads it.
 */
export async function searchParamsOfBody(c: Context<AppEnv>): Promise<Read> {
  const type = c.req.header("Content-Type") ?? "";
  const charset = /;\s*charset\s*=\s*"?([\w-]+)/i.exec(type)?.[1];
  const encoded = c.req.header("Content-Encoding");
  if (
    !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type) ||
    (charset !== undefined && !/^utf-?8$/i.test(charset)) ||
    (encoded !== undefined && !/^\s*identity\s*$/i.test(encoded))
  ) {
    return {
      ok: false,
      response: errorResponse(
        c,
        415,
        "unsupported_media_type",
        "send the search as JSON in UTF-8, with Content-Type: application/json and no Content-Encoding",
        "body",
      ),
    };
  }
  let body: unknown;
  try {
    // Fatal: a byte that is no UTF-8 became U+FFFD and was searched, where GET refuses it (QA).
    const text = new TextDecoder("utf-8", { fatal: true }).decode(await c.req.arrayBuffer());
    body = JSON.parse(text);
  } catch (error) {
    if (error instanceof TypeError) {
      return {
        ok: false,
        response: errorResponse(c, 400, "bad_encoding", "the body is not UTF-8", "body"),
      };
    }
    const why = error instanceof SyntaxError ? error.message : "it could not be read";
    return {
      ok: false,
      response: errorResponse(c, 400, "bad_request", `the body is not JSON: ${why}`, "body"),
    };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return {
      ok: false,
      response: errorResponse(
        c,
        400,
        "bad_request",
        'the body must be one JSON object, such as {"q": "mission OTAN"}',
        "body",
      ),
    };
  }
  const params: [string, string][] = [];
  for (const [name, value] of Object.entries(body)) {
    if (value === null) continue;
    const parameter = asParameter(name, value);
    if (typeof parameter !== "string") {
      return {
        ok: false,
        response: errorResponse(c, 400, "invalid_parameter", parameter.error, name),
      };
    }
    params.push([name, parameter]);
  }
  // fromEntries defines each key as its own: a `__proto__` key stays a (refused) parameter.
  return { ok: true, params: Object.fromEntries(params) };
}
