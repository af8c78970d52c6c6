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

/** Letters-only words of a title (3+ letters, not a French stopword), in order, deduplicated. */
function titleContentWords(title: string, stop: ReadonlySet<string>): string[] {
  const words: string[] = [];
  for (const w of title.match(/\p{L}+/gu) ?? []) {
    const lower = w.toLowerCase();
    if (w.length < 3 || stop.has(lower) || words.some((x) => x.toLowerCase() === lower)) continue;
    words.push(w);
  }
  return words;
}

function hashOrder(docs: readonly BenchDoc[], salt: string): BenchDoc[] {
  return [...docs].sort(
    (a, b) =>
      fnv1a(`${salt}:${a.id}`) - fnv1a(`${salt}:${b.id}`) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/**
 * Phrase queries: 2 or 3 (alternating) consecutive content words of a title, in double quotes.
 * "Consecutive" means adjacent whitespace-separated words of the title, each made of letters only
 * (3+ letters, not a stopword), so a phrase never spans punctuation (`impayée : procédure`) nor a
 * stopword. Titles without two such words in a row are skipped.
 */
export function phraseQueries(docs: readonly BenchDoc[], count = 100): string[] {
  const stop = frenchStopwords();
  const out = new Set<string>();
  for (const doc of hashOrder(docs, "phrase")) {
    if (out.size >= count) break;
    const want = 2 + (out.size % 2);
    let run: string[] = [];
    let best: string[] = [];
    for (const raw of doc.title.split(/\s+/u)) {
      const content = /^\p{L}{3,}$/u.test(raw) && !stop.has(raw.toLowerCase());
      run = content ? [...run, raw] : [];
      if (run.length > best.length) best = run;
      if (best.length >= want) break;
    }
    if (best.length < 2) continue;
    out.add(`"${best.slice(0, want).join(" ")}"`);
  }
  return [...out];
}

/**
 * Prefix queries, as typed while still typing: the first 4, 5 or 6 letters (cycling) of the first
 * title content word that is longer than the prefix by 2+ letters. A bare prefix, no `*`: loupe
 * takes the last word of a short query as a prefix; the peers get the same string.
 */
export function prefixQueries(docs: readonly BenchDoc[], count = 100): string[] {
  const stop = frenchStopwords();
  const out = new Set<string>();
  for (const doc of hashOrder(docs, "prefix")) {
    if (out.size >= count) break;
    const length = 4 + (out.size % 3);
    const word = titleContentWords(doc.title, stop).find((w) => w.length >= length + 2);
    if (word === undefined) continue;
    out.add(word.slice(0, length));
  }
  return out.size > 0 ? [...out] : [];
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/**
 * Typo queries: the first title content word of 6+ letters with one letter substituted (never the
 * first letter; the position and the new letter come from a hash of the document id; the new
 * letter differs from the old one even after accent folding, so `é` → `e` is never the "typo").
 */
export function typoQueries(docs: readonly BenchDoc[], count = 100): string[] {
  const stop = frenchStopwords();
  const out = new Set<string>();
  for (const doc of hashOrder(docs, "typo")) {
    if (out.size >= count) break;
    const word = titleContentWords(doc.title, stop).find((w) => w.length >= 6);
    if (word === undefined) continue;
    const chars = [...word];
    const h = fnv1a(`typo-at:${doc.id}`);
    const at = 1 + (h % (chars.length - 1));
    const old = (chars[at] ?? "")
      .normalize("NFD")
      .replace(/\p{M}+/gu, "")
      .toLowerCase();
    let letter = LETTERS[fnv1a(`typo-letter:${doc.id}`) % LETTERS.length] ?? "x";
    if (letter === old) letter = LETTERS[(LETTERS.indexOf(letter) + 1) % LETTERS.length] ?? "x";
    chars[at] = letter;
    out.add(chars.join(""));
  }
  return [...out];
}

/**
 * Long queries to warm an engine up on before the known-item queries are timed: the opening
 * words (16–30) of documents' bodies, in a hash order of their own, as known-item queries
 * paraphrase a page's opening.
 */
export function longWarmUpQueries(docs: readonly BenchDoc[], count = 100): string[] {
  const out = new Set<string>();
  for (const doc of hashOrder(docs, "warm-up")) {
    if (out.size >= count) break;
    const words = doc.body.split(/\s+/u).filter((w) => w !== "");
    const want = 16 + (out.size % 15);
    if (words.length < want) continue;
    out.add(words.slice(0, want).join(" "));
  }
  return [...out];
}
