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
