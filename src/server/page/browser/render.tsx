/**
 * The HTML the browser puts in `#results`: the server's own `Results` and `ErrorMessage`
 * components (views.tsx), rendered to a string by hono/jsx in the browser. One renderer: what
 * the script shows after a keystroke is what the server sends for the same URL
 * (test/page/browser-render.test.ts compares the two).
 *
 * No DOM here, so the tests run it in Node as it is.
 */
import type { SearchResultJson } from "../../present.js";
import type { PageState } from "../format.js";
import { ErrorMessage, Results } from "../views.js";

/** A synchronous hono/jsx tree as a string (none of the page's components is async). */
function html(node: { toString(): unknown }): string {
  const text = node.toString();
  if (typeof text !== "string") throw new Error("an async component cannot render here");
  return text;
}

export function resultsHtml(state: PageState, result: SearchResultJson): string {
  return html(<Results state={state} result={result} />);
}

export function errorHtml(message: string, heading?: string, state?: PageState): string {
  return html(
    <ErrorMessage
      message={message}
      {...(heading !== undefined && { heading })}
      {...(state !== undefined && { state })}
    />,
  );
}
