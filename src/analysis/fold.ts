/**
 * Accent and ligature folding, so `Etat` ≡ `État` and `oeuvre` ≡ `œuvre`.
 * Ligatures are expanded before NFD because NFD leaves œ and æ alone and a plain
 * "strip non-ASCII" would turn `cœur` into `cur`.
 *
 * The vocabulary key (how users may type a word) is always folded; as a stage of the chain,
 * folding makes the term accent-free too.
 */
import type { WordStage } from "./stage.js";

const LIGATURES: Record<string, string> = { œ: "oe", æ: "ae", ß: "ss", ﬁ: "fi", ﬂ: "fl", ﬀ: "ff" };
const LIGATURE = /[œæßﬁﬂﬀ]/g;
const MARKS = /\p{M}+/gu;
const NON_ASCII = /[\u0080-\uffff]/;

// The chain folds a word for its vocabulary key and again as a stage: the last answer is kept.
let lastWord = "";
let lastFolded = "";

/** Folds a lowercase word; pure ASCII words come back untouched at the cost of one test. */
export function fold(word: string): string {
  if (!NON_ASCII.test(word)) return word;
  if (word === lastWord) return lastFolded;
  lastWord = word;
  lastFolded = word
    .replace(LIGATURE, (ligature) => LIGATURES[ligature] ?? ligature)
    .normalize("NFD")
    .replace(MARKS, "");
  return lastFolded;
}

export const foldStage: WordStage = {
  name: "fold",
  version: "1",
  data: Object.entries(LIGATURES).map(([ligature, letters]) => `${ligature}=${letters}`),
  surface: false,
  apply(state) {
    state.word = fold(state.word);
  },
};
