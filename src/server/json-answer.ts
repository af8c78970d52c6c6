/**
 * An API answer's JSON, made once and kept on the context beside the Response, so the answer
 * cache (caching.ts) and compression (compression.ts) take it from there instead of reading the
 * Response back: reading it turned @hono/node-server's lightweight Response into undici's full
 * one, with a stream, a decode and an encode, on every search (profiled under autocannon,
 * bench/http.ts).
 */
import type { Context, TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
import type { AppEnv } from "./context.js";

export const JSON_TYPE = "application/json";

/** The JSON of an answer, as text. */
export type AnswerBody = string;

/** What `c.json(value, 200)` is typed as, so OpenAPI routes keep their response types. */
export type JsonAnswer<T> = Response & TypedResponse<JSONParsed<T>, 200, "json">;

/**
 * Sends `body`, the JSON of a `T` made by the caller, as a 200 answer.
 * The type parameter states what the JSON holds: the caller made it from a `T`.
 */
export function sendJson<T>(
  c: Context<AppEnv>,
  body: AnswerBody,
  headers: Record<string, string> = {},
): JsonAnswer<T> {
  const res = c.body(body, 200, { "Content-Type": JSON_TYPE, ...headers });
  c.set("answer", { body, res });
  // The cast only restores the type c.json would give: the body is the JSON of a T.
  return res as Response as JsonAnswer<T>;
}

/** `value` as JSON, made once. */
export function answerJson<T>(c: Context<AppEnv>, value: T): JsonAnswer<T> {
  return sendJson<T>(c, JSON.stringify(value));
}

/** The body the handler sent with sendJson, if its Response is still the one going out. */
export function sentBody(c: Context<AppEnv>): AnswerBody | undefined {
  const answer = c.get("answer");
  return answer !== undefined && answer.res === c.res ? answer.body : undefined;
}
