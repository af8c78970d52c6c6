/**
 * Stopwords, from the `stopword` package's French list, reviewed for search.
 *
 * Kept searchable (removed from the list) because they are also nouns people search for:
 * - `été`, `étés`: the season ("l'été 2020"), not only the participle of être;
 * - `est`: the compass point ("l'Est de l'Irak", "Europe de l'Est");
 * - `pas`: the noun ("le pas de tir", "faux pas");
 * - `avoir`: the noun ("un avoir fiscal" in administrative French);
 * - `fût` / `fut`: the cask or a gun's stock;
 * - `faire`: rare enough as a verb form to be worth matching, and in names ("savoir-faire").
 * Added, because the list misses frequent function words: `elles`, `ça`, `cet`... (see EXTRA).
 *
 * Comparison is on folded words, so `etre` is a stopword like `être`, and a stopword's term is
 * its folded form whatever the stages after would have made of it.
 */
import { fra } from "stopword";
import { fold } from "./fold.js";
import type { WordStage } from "./stage.js";

const KEPT_SEARCHABLE = new Set(["été", "étés", "est", "pas", "avoir", "fût", "fut", "faire"]);
const EXTRA = ["elles", "ça", "ceux", "celle", "celles", "celui", "dont", "lorsque", "puisque"];

export const FRENCH_STOPWORDS: ReadonlySet<string> = new Set(
  [...fra, ...EXTRA].filter((word) => !KEPT_SEARCHABLE.has(word)).map(fold),
);

export function isStopword(foldedWord: string): boolean {
  return FRENCH_STOPWORDS.has(foldedWord);
}

/**
 * Flags stopwords (they stay tokens, with their positions: phrases and stopword-only queries
 * need them). The stages after it do not run on a stopword.
 */
export function stopwordStage(list: Iterable<string> = FRENCH_STOPWORDS): WordStage {
  const words: ReadonlySet<string> =
    list === FRENCH_STOPWORDS ? FRENCH_STOPWORDS : new Set([...list].map(fold));
  return {
    name: "stopwords",
    version: "1",
    data: [...words].sort(),
    surface: false,
    apply(state) {
      const folded = fold(state.word);
      if (words.has(folded)) {
        state.word = folded;
        state.stopword = true;
      }
    },
  };
}
