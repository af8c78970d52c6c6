/**
 * Stage 1: Unicode normalisation and lowercase, applied to one word at a time so that
 * offsets always refer to the original text (normalising the whole text first would shift them).
 * Every apostrophe becomes `'`, so the stages after it know only one.
 */
import type { WordStage } from "./stage.js";

// Non-ASCII is rare in most French words' bytes; skipping normalize() for pure ASCII saves
// most of its cost.
const NON_ASCII = /[\u0080-\uffff]/;

/** Apostrophe variants users and typographers write: ' ’ ʼ ‘ ′. */
export const APOSTROPHES = /['\u2019\u02bc\u2018\u2032]/;
const ALL_APOSTROPHES = new RegExp(APOSTROPHES.source, "g");

export function normalizeWord(word: string): string {
  const composed = NON_ASCII.test(word) ? word.normalize("NFC") : word;
  return composed.toLowerCase().replace(ALL_APOSTROPHES, "'");
}

export const normalizeStage: WordStage = {
  name: "normalize",
  version: "1",
  // The apostrophes it unifies: a new one changes which words elide.
  data: ["'", "\u2019", "\u02bc", "\u2018", "\u2032"],
  surface: true,
  apply(state) {
    state.word = normalizeWord(state.word);
  },
};
