import { type BenchDoc, fnv1a } from "./corpus.js";
import { frenchStopwords } from "./engines/french-analysis.js";

/**
 * Short "typed in a search box" queries, derived deterministically from titles: titles taken in
 * a fixed hash order, query i keeps the first 1, 2 or 3 (cycling) content words of its title
 * (letters only, 3+ letters, not a French stopword, case kept as written).
 */
export function shortQueries(docs: readonly BenchDoc[], count = 100): string[] {
  const stop = frenchStopwords();
  const ordered = [...docs].sort((a, b) => fnv1a(`short:${a.id}`) - fnv1a(`short:${b.id}`));
  const out: string[] = [];
  for (const doc of ordered) {
    if (out.length >= count) break;
    const words: string[] = [];
    for (const w of doc.title.match(/\p{L}+/gu) ?? []) {
      const lower = w.toLowerCase();
      if (w.length < 3 || stop.has(lower) || words.some((x) => x.toLowerCase() === lower)) continue;
      words.push(w);
    }
    const want = 1 + (out.length % 3);
    if (words.length === 0) continue;
    out.push(words.slice(0, want).join(" "));
  }
  return out;
}
