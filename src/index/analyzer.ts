/**
 * The analysis chain of an index: the chain in use, with the index's own `stopWords` (its
 * settings, as the manifest records them) added to the French list when it has some. Building,
 * loading and searching an index all ask here, so its terms are always read as they were made.
 */
import { type Analyzer, currentAnalyzer, frenchAnalyzerWith } from "../analysis/index.js";

/** `undefined` when the settings cannot be read (a damaged manifest). */
export function indexAnalyzer(canonicalSettings: string): Analyzer | undefined {
  let stopWords: unknown;
  try {
    stopWords = (JSON.parse(canonicalSettings) as { stopWords?: unknown }).stopWords;
  } catch {
    return undefined;
  }
  if (stopWords === undefined) return currentAnalyzer();
  if (!Array.isArray(stopWords) || stopWords.some((word) => typeof word !== "string")) {
    return undefined;
  }
  return stopWords.length === 0 ? currentAnalyzer() : frenchAnalyzerWith(stopWords as string[]);
}
