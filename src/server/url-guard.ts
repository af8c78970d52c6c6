import type { MiddlewareHandler } from "hono";
import { errorResponse } from "./errors.js";
import { badAddressPage } from "./page/routes.js";

function decodes(part: string): boolean {
  try {
    decodeURIComponent(part.replaceAll("+", " "));
    return true;
  } catch {
    return false;
  }
}

/**
 * The part of a URL whose percent-encoding is not valid UTF-8: "path" (or "id" for a document),
 * a parameter's name,
 * or "query string" when a parameter's own name is broken. `undefined` when all is well.
 */
export function badlyEncodedPart(url: string): string | undefined {
  const { pathname, search } = new URL(url);
  if (!decodes(pathname)) return pathname.startsWith("/api/documents/") ? "id" : "path";
  for (const pair of search.slice(1).split("&")) {
    const eq = pair.indexOf("=");
    const key = eq === -1 ? pair : pair.slice(0, eq);
    if (!decodes(key)) return "query string";
    if (eq !== -1 && !decodes(pair.slice(eq + 1)))
      return decodeURIComponent(key.replaceAll("+", " "));
  }
  return undefined;
}

/**
 * Hono decodes what it can and silently keeps the rest ("%E0%A4%A" stays as typed), so a
 * broken URL would reach the engine as garbage. Refuse it up front, naming the culprit.
 */
export function percentEncodingGuard(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.url.includes("%")) {
      const part = badlyEncodedPart(c.req.url);
      if (part !== undefined) {
        if (!c.req.path.startsWith("/api") && c.req.path !== "/openapi.json") {
          // A person's browser, not a program: a page, in French, with a way back, in the
          // page's layout (a bare page was 981 px wide on a phone, without the search box).
          return badAddressPage(c);
        }
        return errorResponse(
          c,
          400,
          "bad_encoding",
          `${part} is not valid percent-encoded UTF-8`,
          part,
        );
      }
    }
    await next();
  };
}
