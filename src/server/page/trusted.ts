/**
 * The one door for HTML that hono/jsx must not escape: `<mark>`-highlighted text made by the
 * search layer (highlight.ts), which escapes everything that is not a `<mark>` tag. Nothing
 * else on the page is inserted unescaped (test/page checks that `raw(` appears only here).
 */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

/** Highlighted HTML from the engine (`snippet`, `titleHighlighted`, `bodyHighlighted`). */
export function highlighted(html: string): HtmlEscapedString {
  return raw(html);
}

/** The same, with `id` on the first `<mark>`: the target of a `#premier` link. */
export function highlightedWithAnchor(html: string, id: string): HtmlEscapedString {
  return raw(html.replace("<mark>", `<mark id="${id}">`));
}
