/**
 * Every error the API answers with has one shape, `{ error: { code, message, parameter? } }`,
 * so a client handles them all the same way and never sees a stack trace.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";

export type ErrorCode =
  | "invalid_parameter"
  | "bad_query"
  | "bad_encoding"
  | "request_too_large"
  | "unsupported_media_type"
  | "bad_request"
  | "not_found"
  | "method_not_allowed"
  | "rate_limited"
  | "overloaded"
  | "search_abandoned"
  | "internal";

export interface ErrorPayload {
  error: { code: ErrorCode; message: string; parameter?: string };
}

export function errorPayload(code: ErrorCode, message: string, parameter?: string): ErrorPayload {
  return { error: parameter === undefined ? { code, message } : { code, message, parameter } };
}

/** Errors must not be cached: the same URL may succeed once the index changes. */
export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: ErrorCode,
  message: string,
  parameter?: string,
): Response {
  c.header("Cache-Control", "no-store");
  return c.json(errorPayload(code, message, parameter), status);
}

/** The first zod issue, named after the parameter it is about. */
export function describeZodError(error: ZodError): { message: string; parameter?: string } {
  const issue = error.issues[0];
  if (issue === undefined) return { message: "invalid request" };
  // A misspelt parameter (`limt=5`, `highlight=true`) was ignored, and the answer looked
  // right; refused, as Meilisearch and Elasticsearch refuse it (QA).
  if (issue.code === "unrecognized_keys") {
    const unknown = issue.keys[0] ?? "";
    const near = nearestName(unknown, PARAMETERS);
    // Another route's parameter (`highlights` on a document): "did you mean highlights?" (QA).
    if (near === unknown) {
      return {
        message: `'${unknown}' is not a parameter of this route (see /openapi.json)`,
        parameter: unknown,
      };
    }
    return {
      message: `unknown parameter '${unknown}'${near === undefined ? "" : `: did you mean ${near}?`} (see /openapi.json)`,
      parameter: unknown,
    };
  }
  const parameter = issue.path.length > 0 ? String(issue.path[0]) : undefined;
  // Our schemas write messages that start with the parameter's name; zod's own ones don't.
  const message =
    parameter !== undefined && !issue.message.startsWith(parameter)
      ? `${parameter}: ${issue.message}`
      : issue.message;
  return parameter === undefined ? { message } : { message, parameter };
}

/** OpenAPIHono's `defaultHook`: a failed validation becomes a 400 naming the parameter. */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError },
  c: Context,
): Response | undefined {
  if (result.success) return undefined;
  const { message, parameter } = describeZodError(result.error);
  return errorResponse(c, 400, "invalid_parameter", message, parameter);
}

/** The API's query parameters, for "did you mean" of an unknown one. */
const PARAMETERS = [
  "q",
  "limit",
  "offset",
  "date",
  "lang",
  "explain",
  "highlights",
  "profile",
  "filter",
  "facets",
  "sort",
  "text",
];

/**
 * The name among `names` that `typed` is most likely a slip of: a third of its letters at most,
 * never all of them (`x` is no `q`); leading dashes of an option (`--inptu`) are not letters.
 * For the API's parameters and the CLI's options and commands alike.
 */
export function nearestName(typed: string, names: readonly string[]): string | undefined {
  const letters = typed.replace(/^-+/, "").length;
  const slips = Math.max(1, Math.floor(letters / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(name, typed);
    if (distance <= slips && distance < letters && (best === undefined || distance < best.distance))
      best = { name, distance };
  }
  return best?.name;
}

/**
 * Edit distance for a parameter's or an option's name (a few letters), two letters swapped
 * counting one edit (optimal string alignment), as the search's typos count them.
 */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        row[j]! + 1,
        next[j - 1]! + 1,
        row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        next[j] = Math.min(next[j]!, before[j - 2]! + 1);
      }
    }
    before = row;
    row = next;
  }
  return row[b.length]!;
}
