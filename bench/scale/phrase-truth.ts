/**
 * The brute-force answer a phrase query's `total` must equal: every document where the
 * phrase's words follow each other within one field (title or body), by loupe's own analysis
 * chain (`analyze` with stopwords kept). The semantics are today's src/search/phrase.ts, written
 * again here on purpose so that a rewrite of the engine is checked against the rule, not against
 * itself: a stopword of the phrase matches any word at its place, a phrase made only of
 * stopwords must match them all, positions count every word.
 */
import { type AnalyzedToken, analyze, FRENCH_ELISIONS } from "../../src/analysis/index.js";

export interface CompiledPhrase {
  query: string;
  /** Terms required at each offset from the phrase's first position (undefined: any word). */
  required: Array<{ offset: number; term: string }>;
  /** Offset of the phrase's last word from its first. */
  span: number;
}

/**
 * A stopword and a content word never meet, even when their text is the same: `dansant` stems
 * to `dans`, yet `"dans la"` does not match `dansant. La`.
 */
function keyOf(token: AnalyzedToken): string {
  return token.stopword ? `_${token.term}` : token.term;
}

/** `"ÉTYMOLOGIE Lat"` → the terms and offsets the chain gives its words. */
export function compilePhrase(query: string): CompiledPhrase {
  const inner = query.replace(/^"|"$/g, "");
  // `l`, `d`, `qu`… written without their apostrophe before the next word are elisions: no
  // place of their own (as « l’œuvre » is one word).
  const tokens: AnalyzedToken[] = [];
  let shift = 0;
  const analysed = analyze(inner, { keepStopwords: true });
  for (const [i, t] of analysed.entries()) {
    const next = analysed[i + 1];
    const bare = FRENCH_ELISIONS.includes(inner.slice(t.start, t.end).toLowerCase());
    if (bare && next !== undefined && next.position === t.position + 1) shift++;
    else tokens.push({ ...t, position: t.position - shift });
  }
  const first = tokens[0];
  if (first === undefined) throw new Error(`phrase ${query} has no word`);
  const content = tokens.filter((t) => !t.stopword);
  const kept = content.length > 0 ? content : tokens;
  return {
    query,
    required: kept.map((t) => ({ offset: t.position - first.position, term: keyOf(t) })),
    span: (tokens.at(-1)?.position ?? first.position) - first.position,
  };
}

/** Whether `phrase` occurs in the tokens of one field. */
function occursIn(phrase: CompiledPhrase, tokens: readonly AnalyzedToken[]): boolean {
  const anchor = phrase.required[0];
  if (anchor === undefined || tokens.length === 0) return false;
  const last = tokens.at(-1)?.position ?? 0;
  // Positions are dense except where a word analysed to nothing: an array indexed by position.
  const byPosition: Array<string | undefined> = new Array(last + 1);
  for (const t of tokens) byPosition[t.position] = keyOf(t);
  for (const t of tokens) {
    if (keyOf(t) !== anchor.term) continue;
    const start = t.position - anchor.offset;
    if (
      start < 0 ||
      byPosition[start] === undefined ||
      byPosition[start + phrase.span] === undefined
    )
      continue;
    if (phrase.required.every((r) => byPosition[start + r.offset] === r.term)) return true;
  }
  return false;
}

/**
 * For each phrase, the ids of the documents holding it. Each field is analysed once for all
 * the phrases; a field is only searched for the phrases whose anchor term it holds.
 */
export function phraseMatches(
  phrases: readonly CompiledPhrase[],
  docs: Iterable<{ id: string; title: string; body: string }>,
): string[][] {
  const matches: string[][] = phrases.map(() => []);
  for (const doc of docs) {
    const found = new Set<number>();
    for (const text of [doc.title, doc.body]) {
      const tokens = analyze(text, { keepStopwords: true });
      const terms = new Set(tokens.map(keyOf));
      phrases.forEach((phrase, i) => {
        if (found.has(i)) return;
        if (!phrase.required.every((r) => terms.has(r.term))) return;
        if (occursIn(phrase, tokens)) found.add(i);
      });
    }
    for (const i of found) matches[i]?.push(doc.id);
  }
  return matches;
}
