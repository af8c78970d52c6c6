/**
 * Stage 3: elision. French glues articles, pronouns and conjunctions to the next word with an
 * apostrophe (l’OTAN, d'entraînement, qu’elles, jusqu’à). The elided part is dropped from the
 * term; the token keeps its full span, so a highlight marks `L’OTAN` as written.
 * Words whose first part is not an elision (aujourd'hui, prud'hommes) stay whole.
 */
const ELIDED = new Set([
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
]);

/** Takes a normalised word (apostrophes already `'`) and returns it without its elision. */
export function elide(word: string): string {
  const apostrophe = word.indexOf("'");
  if (apostrophe <= 0 || apostrophe === word.length - 1) return word;
  return ELIDED.has(word.slice(0, apostrophe)) ? word.slice(apostrophe + 1) : word;
}
