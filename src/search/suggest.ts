/**
 * Autocomplete and "did you mean", both from the surface vocabulary, so they offer words as
 * written in the collection (`hélicoptères`), never stems (`helicopter`).
 */
import { analyzeWord } from "../analysis/index.js";
import { displayForm, type Vocabulary } from "../index/index.js";
import { maxTypos } from "./expand.js";
import type { ParsedQuery } from "./parse.js";

/** Completions of the last word typed, most frequent first, with the words before it kept. */
export function completions(vocabulary: Vocabulary, input: string, limit: number): string[] {
  const match = /^(.*?)(\S+)$/su.exec(input.replace(/^\s+/u, ""));
  if (match === null) return [];
  const [, head = "", last = ""] = match;
  const word = analyzeWord(last);
  if (word.folded.length === 0) return [];
  // Keep an elided article as typed: `l'hél` completes to `l'hélicoptère`.
  const article = last.slice(0, word.elided);
  const found: string[] = [];
  const seen = new Set<string>();
  for (const entry of vocabulary.withPrefix(word.folded, limit * 4)) {
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
 * A corrected query when some words are unknown to the collection (their term is in no
 * document, whatever its spelling): each replaced by the nearest known word (fewest typos,
 * then most documents), everything else as typed. Offered even when typo tolerance already
 * found results, so the user sees what was searched for instead.
 */
export function didYouMean(vocabulary: Vocabulary, input: string, query: ParsedQuery): string | undefined {
  let corrected = input;
  let changed = false;
  for (const word of query.words) {
    if (word.stopword || vocabulary.hasTerm(word.term)) continue;
    if (word.prefix && vocabulary.withPrefix(word.folded, 1).length > 0) continue;
    const typos = Math.max(1, maxTypos(word.folded));
    if (word.folded.length < 3) continue;
    const nearest = vocabulary.near(word.folded, typos)[0];
    if (nearest === undefined) continue;
    const replacement = displayForm(nearest.entry);
    corrected = corrected.replace(word.text, replacement);
    changed = true;
  }
  return changed && corrected !== input ? corrected : undefined;
}
