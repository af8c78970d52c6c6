/**
 * Analysis-chain variants the relevance benchmark compares, each a list of stages composed from
 * src/analysis without editing it. `useVariant` makes one the chain every layer uses.
 */
import {
  type Analyzer,
  createAnalyzer,
  elisionStage,
  FRENCH_ANALYZER,
  foldStage,
  normalizeStage,
  stemStage,
  stopwordStage,
  useAnalyzer,
} from "../src/analysis/index.js";

export interface AnalysisVariant {
  description: string;
  analyzer: () => Analyzer;
}

export const ANALYSIS_VARIANTS: Record<string, AnalysisVariant> = {
  default: { description: "the chain as shipped", analyzer: () => FRENCH_ANALYZER },
  "fold-first": {
    description: "normalize, elision, fold, stopwords, stem: accents folded before Snowball",
    analyzer: () =>
      createAnalyzer([normalizeStage, elisionStage(), foldStage, stopwordStage(), stemStage]),
  },
  "stem-fold": {
    description:
      "normalize, elision, stopwords, stem, fold: Snowball on the word as written, stem folded",
    analyzer: () =>
      createAnalyzer([normalizeStage, elisionStage(), stopwordStage(), stemStage, foldStage]),
  },
  "stem-accented": {
    description:
      "normalize, elision, stopwords, stem: Snowball on the word as written, accents kept",
    analyzer: () => createAnalyzer([normalizeStage, elisionStage(), stopwordStage(), stemStage]),
  },
};

/** Makes the named variant the chain in use and returns its fingerprint. */
export function useVariant(name: string): string {
  const variant = ANALYSIS_VARIANTS[name];
  if (variant === undefined) throw new Error(`unknown analysis variant ${name}`);
  const analyzer = variant.analyzer();
  useAnalyzer(analyzer);
  return analyzer.fingerprint;
}
