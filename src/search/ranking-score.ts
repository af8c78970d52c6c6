/**
 * A hit's ranking score in [0, 1], as Meilisearch's `_rankingScore`: what a client can show or
 * cut at without knowing how the ranking works. The raw score cannot serve: a learned
 * ranking's is any real number, BM25's past the re-ranked few is on another scale, and short
 * queries put documents holding every word first whatever their score (past the re-ranked
 * few, or everywhere without a learned model), so it rises again past the last of them.
 */
import type { RankedDocument } from "./execute.js";

/**
 * Scores this far apart differ by a factor e in the logistic's odds. The learned ranking's
 * scores on the benchmark's pages span about −120 to 75 and BM25's 0 to 70: 25 keeps most of
 * them apart after rounding to four decimals.
 */
const SPREAD = 25;

/**
 * Rising with the score, in bands that follow the ranking's order, so that the value never
 * rises down a list ordered by relevance: with `allWordsFirst`, documents holding every word
 * in [0.5, 1] and the others in [0, 0.5]; within a band, the re-ranked window in its upper
 * half and the documents past it (first order, another scale of score) in its lower half.
 * When the window is ordered by the learned score alone (`windowByScore`), every word or
 * not, the window takes [0.5, 1] and the bands of holding every word split what is past it.
 */
export function rankingScore(
  ranked: Pick<RankedDocument, "score" | "allWords" | "pastWindow">,
  allWordsFirst: boolean,
  windowByScore = false,
): number {
  const squashed = 1 / (1 + Math.exp(-ranked.score / SPREAD));
  const past = ranked.pastWindow === true;
  let value: number;
  if (allWordsFirst && windowByScore)
    value = past ? (ranked.allWords ? 0.25 : 0) + 0.25 * squashed : 0.5 + 0.5 * squashed;
  else {
    const [base, width] = allWordsFirst ? [ranked.allWords ? 0.5 : 0, 0.5] : [0, 1];
    value = base + (width / 2) * (squashed + (past ? 0 : 1));
  }
  return Math.round(value * 10_000) / 10_000;
}
