/**
 * Phrase matching on the stored text: the phrase's words in order, each at the same distance
 * from the first as in the phrase. A stopword of the phrase matches any word at its place
 * (`formation des formateurs` finds `formation de formateurs`): stopwords carry little meaning
 * and users misremember them.
 */
import { type AnalyzedToken, analyze } from "../analysis/index.js";

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

/**
 * Every occurrence of the phrase in `text`. With `anchor` (a pattern matching how one of the
 * phrase's words is spelled in the collection), only windows around the anchor's occurrences
 * go through the analysis chain, not the whole text: on long documents this is what makes a
 * phrase query affordable. The chain still decides every match.
 */
export function phraseIn(
  text: string,
  phrase: readonly AnalyzedToken[],
  anchor?: RegExp,
  max = Number.POSITIVE_INFINITY,
): Span[] {
  if (anchor === undefined)
    return findPhrase(phrase, analyze(text, { keepStopwords: true })).slice(0, max);
  // Room for the whole phrase on either side of the anchor, at a generous 40 characters a word.
  const reach = 40 * (phrase.length + 1);
  const found = new Map<number, Span>();
  let analysedTo = -1;
  anchor.lastIndex = 0;
  for (let match = anchor.exec(text); match !== null; match = anchor.exec(text)) {
    if (found.size >= max) break;
    if (match.index + match[0].length + reach <= analysedTo) continue;
    const from = wordStart(text, Math.max(0, match.index - reach));
    const to = wordEnd(text, Math.min(text.length, match.index + match[0].length + reach));
    // No space near the window's edge (a text of one endless "word"): windows could only be
    // cut inside words, so the whole text is analysed, once.
    if (from < 0 || to < 0)
      return findPhrase(phrase, analyze(text, { keepStopwords: true })).slice(0, max);
    analysedTo = to;
    for (const [start, end] of findPhrase(
      phrase,
      analyze(text.slice(from, to), { keepStopwords: true }),
    )) {
      found.set(from + start, [from + start, from + end]);
    }
  }
  return [...found.values()].sort((a, b) => a[0] - b[0]).slice(0, max);
}

const SPACE = /\s/u;
/** Further than this from a space, a window edge gives up (see `phraseIn`). */
const MAX_SNAP = 256;

/** `at`, or the start of the next word when `at` falls inside one; -1 when none is near. */
function wordStart(text: string, at: number): number {
  if (at === 0) return 0;
  for (let i = at; i < text.length && i - at <= MAX_SNAP; i++)
    if (SPACE.test(text[i - 1]!)) return i;
  return at + MAX_SNAP >= text.length ? text.length : -1;
}

/** `at`, or the end of the previous word when `at` falls inside one; -1 when none is near. */
function wordEnd(text: string, at: number): number {
  if (at >= text.length) return text.length;
  for (let i = at; i > 0 && at - i <= MAX_SNAP; i--) if (SPACE.test(text[i]!)) return i;
  return at - MAX_SNAP <= 0 ? 0 : -1;
}
