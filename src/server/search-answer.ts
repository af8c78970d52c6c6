/**
 * A search's answer as the API sends it, made in the thread that ran the search: presented
 * (present.ts) and serialised. With one search thread, receiving the cloned results and
 * presenting and serialising them took about 540 of the HTTP thread's 2,100 µs per distinct
 * query (--cpu-prof under autocannon); the search thread pays about 70 µs more per answer for
 * it (present 57, stringify 44, against 32 to clone the results, measured on the benchmark
 * index; presenting a page has since come down to about 20 µs, present.ts).
 *
 * The text crosses to the HTTP thread by structured clone, and the socket encodes it: the HTTP
 * thread is mostly idle, the search thread the busy one. Encoding it to UTF-8 bytes in the
 * search thread and transferring their buffer, as before, served no more requests per second:
 * text read 1.025–1.04× with one search thread and 1.006–1.017× with two, within what two
 * servers alike read (1.033× and 1.015×; `npm run bench:compare-servers`,
 * bench/results/compare-servers-text.md and compare-servers-alike.md).
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

/** `result` as the API's JSON. */
export function searchAnswer(result: SearchResult & { timedOut?: boolean }): SearchAnswer {
  const timedOut = result.timedOut === true;
  // Always said, false included: a client tells a whole answer from a cut one without guessing.
  const whole = timedOut === result.timedOut ? result : { ...result, timedOut };
  const text = JSON.stringify(presentResult(whole));
  return { body: text, tookMs: result.tookMs, timedOut };
}
