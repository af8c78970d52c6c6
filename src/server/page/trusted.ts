/**
 * The one door for HTML that hono/jsx must not escape: text with its matches in `<mark>`, made
 * by marked-html.ts, which escapes everything that is not a `<mark>` tag. Nothing else on the
 * page is inserted unescaped (test/page checks that `raw(` appears only here).
 */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Span } from "../../search/types.js";
import { markHtml } from "../marked-html.js";

/** `text` with each span in `<mark>`; `firstId` on the first one (a `#premier` link's target). */
export function marked(text: string, marks: readonly Span[], firstId?: string): HtmlEscapedString {
  return raw(markHtml(text, marks, firstId));
}
