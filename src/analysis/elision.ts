/**
 * Stage 3: elision. French glues articles, pronouns and conjunctions to the next word with an
 * apostrophe (l’OTAN, d'entraînement, qu’elles, jusqu’à). The elided part is dropped from the
 * term; the token keeps its full span, so a highlight marks `L’OTAN` as written.
 * Words whose first part is not an elision (aujourd'hui, prud'hommes) stay whole.
 *
 * This is the chain's only elision: the stemmer does not repeat Snowball's (which knows only
 * c' d' j' l' m' n' s' t' qu'; the list here adds ç' and the conjunctions jusqu' lorsqu'
 * puisqu' quoiqu' presqu').
 */
import type { WordStage } from "./stage.js";

export const FRENCH_ELISIONS: readonly string[] = [
  "l",
  "d",
  "j",
  "m",
  "n",
  "s",
  "t",
  "c",
  "ç",
  "qu",
  "jusqu",
  "lorsqu",
  "puisqu",
  "quoiqu",
  "presqu",
];

const ELIDED = new Set(FRENCH_ELISIONS);

/** Takes a normalised word (apostrophes already `'`) and returns it without its elision. */
export function elide(word: string, elided: ReadonlySet<string> = ELIDED): string {
  const apostrophe = word.indexOf("'");
  if (apostrophe <= 0 || apostrophe === word.length - 1) return word;
  return elided.has(word.slice(0, apostrophe)) ? word.slice(apostrophe + 1) : word;
}

/** The elision stage, for the given articles (lowercase, without their apostrophe). */
export function elisionStage(articles: readonly string[] = FRENCH_ELISIONS): WordStage {
  const elided = articles === FRENCH_ELISIONS ? ELIDED : new Set(articles);
  return {
    name: "elision",
    version: "1",
    data: [...elided].sort(),
    surface: true,
    apply(state) {
      const word = elide(state.word, elided);
      if (word !== state.word) {
        state.word = word;
        state.elided = true;
      }
    },
  };
}
