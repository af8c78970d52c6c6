/**
 * Stage 1: Unicode normalisation and lowercase, applied to one word at a time so that
 * offsets always refer to the original text (normalising the whole text first would shift them).
 */

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
