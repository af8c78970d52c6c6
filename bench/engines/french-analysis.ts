import { createRequire } from "node:module";
import { FrenchStemmer } from "snowball-stemmer.jsx/dest/french-stemmer.common.js";

/**
 * The `stopword` package has no types. Reading its list through `require` and checking the
 * shape at run time avoids an ambient `declare module "stopword"` in bench/, which would clash
 * with one that src/ (where `stopword` is a runtime dependency) may declare.
 */
export function frenchStopwords(): Set<string> {
  const mod: unknown = createRequire(import.meta.url)("stopword");
  const fra: unknown =
    typeof mod === "object" && mod !== null ? Reflect.get(mod, "fra") : undefined;
  if (!Array.isArray(fra) || !fra.every((w): w is string => typeof w === "string")) {
    throw new Error("stopword: expected a string[] export named fra");
  }
  return new Set(fra);
}

/** NFD then drop combining marks; œ/æ are letters, not accents, so they are expanded by hand. */
export function foldAccents(term: string): string {
  return term
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae");
}

/**
 * lowercase → stopword (the list is accented, so test before folding) → Snowball French (it
 * expects accents, so stem before folding) → fold accents.
 */
export function frenchProcessTerm(): (term: string) => string | null {
  const stop = frenchStopwords();
  const stemmer = new FrenchStemmer();
  return (term) => {
    const lower = term.toLowerCase();
    if (lower === "" || stop.has(lower)) return null;
    return foldAccents(stemmer.stemWord(lower));
  };
}
