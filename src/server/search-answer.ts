/**
 * A search's answer as the API sends it, made in the thread that ran the search: presented
 * (present.ts), serialised, and in a search thread encoded to UTF-8 bytes whose buffer is
 * transferred, not copied. The HTTP thread then only writes bytes. With one search thread,
 * receiving the cloned results and presenting and serialising them took about 540 of the
 * HTTP thread's 2,100 µs per distinct query (--cpu-prof under autocannon); the search thread
 * pays about 90 µs more per answer for it (present 57, stringify 44, encode 18, against 32 to
 * clone the results, measured on the benchmark index; presenting a page has since come down
 * to about 20 µs, present.ts).
 */
import type { SearchResult } from "../search/types.js";
import type { AnswerBody } from "./json-answer.js";
import { presentResult } from "./present.js";

export interface SearchAnswer {
  /** The JSON of a SearchResultJson, `timedOut` always present. */
  body: AnswerBody;
  tookMs: number;
  timedOut: boolean;
}

const encoder = new TextEncoder();

/** `result` as the API's JSON: text, or UTF-8 bytes with `encode` (for a search thread). */
export function searchAnswer(
  result: SearchResult & { timedOut?: boolean },
  encode: boolean,
): SearchAnswer {
  const timedOut = result.timedOut === true;
  // Always said, false included: a client tells a whole answer from a cut one without guessing.
  const whole = timedOut === result.timedOut ? result : { ...result, timedOut };
  const text = JSON.stringify(presentResult(whole));
  return { body: encode ? encoder.encode(text) : text, tookMs: result.tookMs, timedOut };
}
