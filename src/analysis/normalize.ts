/**
 * Stage 1: Unicode normalisation and lowercase, applied to one word at a time so that offsets
 * always refer to the original text (normalising the whole text first would shift them). NFKC:
 * composed, and compatibility forms read as plain letters (fullwidth `Ｏｔａｎ`, the `²` of `m²`).
 * Every apostrophe becomes `'`, so the stages after it know only one; the invisible characters
 * the tokenizer keeps inside words (the soft hyphen) are dropped.
 */
import type { WordStage } from "./stage.js";
import { INVISIBLE } from "./tokenizer.js";

// Non-ASCII is rare in most French words' bytes; skipping normalize() for pure ASCII saves
// most of its cost.
const NON_ASCII = /[\u0080-\uffff]/;

/** Apostrophe variants users and typographers write: ' ’ ʼ ‘ ′. */
export const APOSTROPHES = /['\u2019\u02bc\u2018\u2032]/;
const ALL_APOSTROPHES = new RegExp(APOSTROPHES.source, "g");
const ALL_INVISIBLE = new RegExp(`[${INVISIBLE}]`, "g");

export function normalizeWord(word: string): string {
  const composed = NON_ASCII.test(word) ? word.replace(ALL_INVISIBLE, "").normalize("NFKC") : word;
  return composed.toLowerCase().replace(ALL_APOSTROPHES, "'");
}

export const normalizeStage: WordStage = {
  name: "normalize",
  version: "2",
  // The normal form, the apostrophes it unifies (a new one changes which words elide), and the
  // invisible characters it drops.
  data: ["NFKC", "'", "\u2019", "\u02bc", "\u2018", "\u2032", INVISIBLE],
  surface: true,
  apply(state) {
    state.word = normalizeWord(state.word);
  },
};
