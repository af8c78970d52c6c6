/**
 * The last answers sent, as sent, by ETag. A tag names the index, the loupe version and the
 * normalised URL (caching.ts), so a remembered answer is byte for byte what the handler would
 * produce again: validating, searching and serialising it anew took two thirds of the time of
 * a repeated request (profiled under autocannon, bench/http.ts). A repeated answer therefore
 * also repeats its `tookMs`, the time the search took when it ran.
 */
import type { Engine } from "../search/types.js";

/** Default bounds: entries, and characters in all (a very long answer is not kept). */
export const ANSWER_CACHE_ENTRIES = 512;
const MAX_CHARS = 8 * 1024 * 1024;

export class Answers {
  private readonly texts = new Map<string, string>();
  private chars = 0;
  constructor(
    private readonly maxEntries: number,
    private readonly maxChars = MAX_CHARS,
  ) {}

  get(tag: string): string | undefined {
    const text = this.texts.get(tag);
    if (text !== undefined) {
      // Most recently used last: the first entry is the next to go.
      this.texts.delete(tag);
      this.texts.set(tag, text);
    }
    return text;
  }

  set(tag: string, text: string): void {
    if (text.length > this.maxChars / 16 || this.texts.has(tag)) return;
    this.texts.set(tag, text);
    this.chars += text.length;
    for (const [oldest, dropped] of this.texts) {
      if (this.texts.size <= this.maxEntries && this.chars <= this.maxChars) break;
      this.texts.delete(oldest);
      this.chars -= dropped.length;
    }
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
