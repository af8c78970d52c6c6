import { frenchProcessTerm } from "./french-analysis.js";
import { miniSearchEngine } from "./minisearch-defaults.js";
import type { BenchEngine } from "./types.js";

export function createMiniSearchFrench(): BenchEngine {
  return miniSearchEngine(
    "minisearch-french",
    "MiniSearch 7, default tokenizer (splits on space/punctuation, so elisions l'/d' split " +
      "off), processTerm = lowercase, stopword `fra` list (168 words), snowball-stemmer.jsx " +
      "French, accent folding (NFD strip marks, œ→oe, æ→ae); fields title+body, boost title 2, " +
      "OR, no prefix/fuzzy, no stem cache",
    () => ({ processTerm: frenchProcessTerm() }),
  );
}
