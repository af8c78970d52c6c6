/**
 * Autocomplete and "did you mean", both from the surface vocabulary, so they offer words as
 * written in the collection (`hélicoptères`), never stems (`helicopter`).
 */
import { analyzeWord, HYPHENS } from "../analysis/index.js";
import { displayForm, type Vocabulary, type VocabularyEntry } from "../index/index.js";
import { maxTypos } from "./expand.js";
import type { ParsedQuery } from "./parse.js";

/** The most frequent completions weighed against the words typed before. */
const CONTEXT_CANDIDATES = 100;

/**
 * Reorders the vocabulary's candidates for the last word by the words typed before it (`head`,
 * as typed): completion-context.ts.
 */
export type ContextOrder = (
  head: string,
  candidates: VocabularyEntry[],
  wanted: number,
) => VocabularyEntry[];

/**
 * Completions of the last word typed, with the words before it kept: those that follow them in
 * the collection first (`context`), then the most frequent.
 */
export function completions(
  vocabulary: Vocabulary,
  input: string,
  limit: number,
  context?: ContextOrder,
): string[] {
  const match = /^(.*?)(\S+)$/su.exec(input.replace(/^\s+/u, ""));
  if (match === null) return [];
  let [, head = "", last = ""] = match;
  // A compound's last part is the word being typed (`saint-é`, `porte-m`): the vocabulary
  // holds its parts, and the whole run completed nothing.
  const dash = Math.max(...Array.from(HYPHENS, (hyphen) => last.lastIndexOf(hyphen)));
  if (dash >= 0) {
    head += last.slice(0, dash + 1);
    last = last.slice(dash + 1);
  }
  const word = analyzeWord(last);
  if (word.folded.length === 0) return [];
  // Keep an elided article as typed: `l'hél` completes to `l'hélicoptère`.
  const article = last.slice(0, word.elided);
  const found: string[] = [];
  const seen = new Set<string>();
  const weighed = context !== undefined && /[\p{L}\p{N}]/u.test(head);
  let candidates = vocabulary.withPrefix(word.folded, weighed ? CONTEXT_CANDIDATES : limit * 4);
  if (weighed) candidates = context(head, candidates, limit);
  for (const entry of candidates) {
    const form = displayForm(entry);
    const key = form.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    found.push(`${head}${article}${form}`);
    if (found.length >= limit) break;
  }
  return found;
}

/**
 * A corrected query when some words are unknown to the collection (written in no document,
 * whatever their accents and case): each replaced by the nearest known word (fewest typos,
 * then most documents), everything else as typed. Offered even when typo tolerance already
 * found results, so the user sees what was searched for instead.
 */
export function didYouMean(
  vocabulary: Vocabulary,
  input: string,
  query: ParsedQuery,
): string | undefined {
  // Rebuilt left to right: each word replaced where it stands, never inside another word
  // (`missions missio` → `missions mission`, not `missionns missio`).
  let corrected = "";
  let at = 0;
  for (const word of query.words) {
    if (word.stopword || vocabulary.get(word.folded) !== undefined) continue;
    // A word the collection never writes whose stem it knows (`licenciment`, stemmed as
    // `licence`) is offered the nearest word only when that is another word, not another form
    // of the same (`loyers` beside `loyer`): the stem hid every such typo (QA).
    const stemKnown = vocabulary.hasTerm(word.term);
    if (word.prefix && vocabulary.withPrefix(word.folded, 1).length > 0) continue;
    const typos = Math.max(1, maxTypos(word.folded));
    // A number or a code one digit away is another one (`2021` is no typo of `2020`, nor
    // `2020-1169` of `2020-1379`).
    if (word.folded.length < 3 || /\p{N}/u.test(word.folded)) continue;
    const nearest = vocabulary.near(word.folded, typos)[0];
    if (nearest === undefined || (stemKnown && nearest.entry.term === word.term)) continue;
    const found = indexOfWord(input, word.text, at);
    if (found < 0) continue;
    // The vocabulary lists words without their elided article: `l'Irek` → `l'Irak`.
    const article = word.text.slice(0, analyzeWord(word.text).elided);
    const typed = word.text.slice(article.length);
    corrected += input.slice(at, found) + article + inTypedCase(typed, displayForm(nearest.entry));
    at = found + word.text.length;
  }
  corrected += input.slice(at);
  return corrected !== input ? corrected : undefined;
}

/**
 * `form` in the case `typed` was written in, where it says one: all capitals (`PEMRIS DE
 * CONDUIRE` → `PERMIS DE CONDUIRE`; it was `permis DE CONDUIRE`, QA) or a capital first.
 * Otherwise the collection's own spelling (`bagdda` → `Bagdad`).
 */
function inTypedCase(typed: string, form: string): string {
  const letters = typed.replace(/[^\p{L}]/gu, "");
  const upper = letters.toLocaleUpperCase("fr");
  if (letters.length >= 2 && letters === upper && upper !== letters.toLocaleLowerCase("fr")) {
    return form.toLocaleUpperCase("fr");
  }
  const first = letters.charAt(0);
  if (first !== "" && first !== first.toLocaleLowerCase("fr") && /^\p{Ll}/u.test(form)) {
    return form.charAt(0).toLocaleUpperCase("fr") + form.slice(1);
  }
  return form;
}

/** Where `word` stands alone in `text` from `from` on (not inside a longer word); else anywhere. */
function indexOfWord(text: string, word: string, from: number): number {
  for (let i = text.indexOf(word, from); i >= 0; i = text.indexOf(word, i + 1)) {
    // Two code units either side: enough for a letter outside the BMP.
    const before = text.slice(Math.max(0, i - 2), i);
    const after = text.slice(i + word.length, i + word.length + 2);
    if (!/[\p{L}\p{N}\p{M}]$/u.test(before) && !/^[\p{L}\p{N}\p{M}]/u.test(after)) return i;
  }
  return text.indexOf(word, from);
}
