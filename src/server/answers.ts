/**
 * The last answers sent, as sent, by ETag. A tag names the index, the loupe version and the
 * normalised URL (caching.ts), so a remembered answer is byte for byte what the handler would
 * produce again: validating, searching and serialising it anew took two thirds of the time of
 * a repeated request (profiled under autocannon, bench/http.ts). A repeated answer therefore
 * also repeats its `tookMs`, the time the search took when it ran.
 */
import { LRUCache } from "lru-cache";
import type { Engine } from "../search/types.js";
import type { AnswerBody } from "./json-answer.js";

/** Default bounds: entries, and characters in all (a very long answer is not kept). */
export const ANSWER_CACHE_ENTRIES = 512;
const MAX_CHARS = 8 * 1024 * 1024;

/**
 * The one result cache of the house (the engine keeps none): lru-cache, bounded both in entries
 * and in characters of answer text, an answer longer than a sixteenth of the bound not kept.
 */
export class Answers {
  private readonly texts: LRUCache<string, AnswerBody>;

  constructor(maxEntries: number, maxChars = MAX_CHARS) {
    this.texts = new LRUCache<string, AnswerBody>({
      max: maxEntries,
      maxSize: maxChars,
      maxEntrySize: Math.floor(maxChars / 16),
      sizeCalculation: (body) => Math.max(1, body.length),
    });
  }

  get(tag: string): AnswerBody | undefined {
    return this.texts.get(tag);
  }

  set(tag: string, body: AnswerBody): void {
    this.texts.set(tag, body);
  }

  get size(): number {
    return this.texts.size;
  }
}

/**
 * One cache per engine, dropped with it when a new index is swapped in; `undefined` for all
 * when `entries` is 0 (every request then runs its handler).
 */
export function answersPerEngine(entries: number): (engine: Engine) => Answers | undefined {
  if (entries <= 0) return () => undefined;
  const caches = new WeakMap<Engine, Answers>();
  return (engine) => {
    let answers = caches.get(engine);
    if (answers === undefined) {
      answers = new Answers(entries);
      caches.set(engine, answers);
    }
    return answers;
  };
}
