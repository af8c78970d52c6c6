/**
 * A search's answer as the API sends it, made in the thread that ran the search: presented
 * (present.ts), serialised, and in a search thread encoded to UTF-8 bytes whose buffer is
 * transferred, not copied. The HTTP thread then only writes bytes: structured-cloning the
 * results to it and presenting and serialising them there took about a third of its time per
 * distinct query with one search thread (profiled under autocannon, bench/http.ts).
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
