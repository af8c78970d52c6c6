/**
 * Conditional GET for answers that depend only on the URL and the index being served.
 * Hono's cache middleware does nothing on Node, and its etag middleware hashes the body, which
 * means running the search first; here the tag is known before the handler runs, so a
 * matching If-None-Match costs a hash of the URL and no search at all. The same tag finds an
 * answer already sent (answers.ts), which goes out again without validation or search.
 */
import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { LOUPE_VERSION } from "../version.js";
import type { AppEnv } from "./context.js";
import { sendJson, sentBody } from "./json-answer.js";

/** Revalidate every time: a 304 is cheap, and a rebuilt index must show at once. */
export const REVALIDATE = "public, max-age=0, must-revalidate";

/** Path plus sorted parameters, so `?q=a&limit=5` and `?limit=5&q=a` share a tag. */
export function normalizedUrl(url: string): string {
  const { pathname, searchParams } = new URL(url);
  const pairs = [...searchParams].sort(([ka, va], [kb, vb]) =>
    ka === kb ? (va < vb ? -1 : va > vb ? 1 : 0) : ka < kb ? -1 : 1,
  );
  return `${pathname}?${new URLSearchParams(pairs).toString()}`;
}

/** The package version takes part too: an upgrade may change the answer for the same index. */
export function etagFor(indexVersion: string, url: string): string {
  const digest = createHash("sha1")
    .update(`${LOUPE_VERSION}\0${indexVersion}\0${normalizedUrl(url)}`)
    .digest("base64url")
    .slice(0, 22);
  return `W/"${digest}"`;
}

/** Weak comparison (RFC 9110 §13.1.2): `W/` prefixes are ignored on both sides. */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = etag.replace(/^W\//, "");
  return header
    .split(",")
    .map((tag) => tag.trim())
    .some((tag) => tag === "*" || tag.replace(/^W\//, "") === opaque);
}

export function conditionalGet(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const etag = etagFor(c.get("engine").info.version, c.req.url);
    if (ifNoneMatchHits(c.req.header("If-None-Match"), etag)) {
      return c.body(null, 304, {
        ETag: etag,
        "Cache-Control": REVALIDATE,
        Vary: "Accept-Encoding",
      });
    }
    const answers = c.get("answers");
    const known = answers?.get(etag);
    if (known !== undefined) {
      return sendJson(c, known, { ETag: etag, "Cache-Control": REVALIDATE });
    }
    await next();
    if (c.get("uncacheable") === true) {
      // Cut short, or answered from another generation than the tag names: ask again next time.
      if (c.res.status === 200) c.res.headers.set("Cache-Control", "no-store");
      return;
    }
    // Errors keep their no-store: only an answer worth revalidating gets a tag.
    if (c.res.status === 200) {
      c.res.headers.set("ETag", etag);
      c.res.headers.set("Cache-Control", REVALIDATE);
      const body = answers === undefined ? undefined : sentBody(c);
      if (body !== undefined) answers?.set(etag, body);
    }
  };
}
