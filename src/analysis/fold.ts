/**
 * Stage 4: accent and ligature folding, so `Etat` ≡ `État` and `oeuvre` ≡ `œuvre`.
 * Ligatures are expanded before NFD because NFD leaves œ and æ alone and a plain
 * "strip non-ASCII" would turn `cœur` into `cur`.
 */
const LIGATURES: Record<string, string> = { œ: "oe", æ: "ae", ß: "ss", ﬁ: "fi", ﬂ: "fl", ﬀ: "ff" };
const LIGATURE = /[œæßﬁﬂﬀ]/g;
const MARKS = /\p{M}+/gu;
const NON_ASCII = /[\u0080-\uffff]/;

/** Folds a lowercase word; pure ASCII words come back untouched at the cost of one test. */
export function fold(word: string): string {
  if (!NON_ASCII.test(word)) return word;
  return word
    .replace(LIGATURE, (ligature) => LIGATURES[ligature] ?? ligature)
    .normalize("NFD")
    .replace(MARKS, "");
}
