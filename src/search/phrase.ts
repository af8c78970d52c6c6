/**
 * Phrase matching on the stored text: the phrase's words in order, each at the same distance
 * from the first as in the phrase. A stopword of the phrase matches any word at its place
 * (`formation des formateurs` finds `formation de formateurs`): stopwords carry little meaning
 * and users misremember them.
 */
import type { AnalyzedToken } from "../analysis/index.js";

export type Span = [start: number, end: number];

/** Every occurrence of `phrase` in the analysed text, as spans of the original text. */
export function findPhrase(
  phrase: readonly AnalyzedToken[],
  tokens: readonly AnalyzedToken[],
): Span[] {
  if (phrase.length === 0 || tokens.length === 0) return [];
  const base = phrase[0]!.position;
  const content = phrase.filter((token) => !token.stopword);
  // A phrase of stopwords only ("to be or not to be") must match them all.
  const required = content.length > 0 ? content : phrase;
  const anchor = required[0]!;
  const span = phrase.at(-1)!.position - base;

  const byPosition = new Map<number, AnalyzedToken>();
  for (const token of tokens) byPosition.set(token.position, token);

  const found: Span[] = [];
  for (const token of tokens) {
    if (token.term !== anchor.term) continue;
    const start = token.position - (anchor.position - base);
    const matches = required.every(
      (wanted) => byPosition.get(start + wanted.position - base)?.term === wanted.term,
    );
    if (!matches) continue;
    const first = byPosition.get(start);
    const last = byPosition.get(start + span);
    if (first === undefined || last === undefined) continue;
    found.push([first.start, last.end]);
  }
  return found;
}
