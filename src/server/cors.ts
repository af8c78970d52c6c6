/**
 * CORS for the API: a front end on another origin may read it, as Meilisearch's and
 * Typesense's. The API only reads and takes no credentials, so any origin may. It answered
 * without Access-Control-Allow-Origin, and a preflight (OPTIONS) with a 405 (QA).
 *
 * Written here rather than hono/cors: that one sets its header before the handler, and Hono
 * then makes the handler's Response anew, which the answer cache took for another answer and
 * searched again (json-answer.ts keeps the Response it sent). Set after it, on the same one.
 */
import type { MiddlewareHandler } from "hono";

const METHODS = "GET, HEAD, POST, OPTIONS";
/** What a script on another origin may read of an answer beside its body. */
const EXPOSED = "X-Request-Id, Retry-After, ETag";

export function apiCors(): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header("Origin");
    if (c.req.method === "OPTIONS" && c.req.header("Access-Control-Request-Method")) {
      // A preflight: no search, no rate limit; the browser may keep the answer 10 minutes.
      return c.body(null, 204, {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": METHODS,
        "Access-Control-Allow-Headers": c.req.header("Access-Control-Request-Headers") ?? "",
        "Access-Control-Max-Age": "600",
      });
    }
    await next();
    if (origin === undefined) return;
    c.res.headers.set("Access-Control-Allow-Origin", "*");
    c.res.headers.set("Access-Control-Expose-Headers", EXPOSED);
  };
}
