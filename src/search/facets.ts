/**
 * `facets=category,year` → `facetDistribution: { category: { sport: 12, … }, … }`: how many of
 * all matching documents (filtered, before pagination) hold each value of each attribute asked
 * for. Values that differ only in case are one value (as filters compare them), shown as the
 * first document spells it; a document counts once per value. Values in alphabetical order, at
 * most 100 per attribute (Meilisearch's `maxValuesPerFacet` default), the most frequent kept.
 */
import { isWithin } from "../corpus/attributes.js";
import type { DocumentTable } from "../index/index.js";
import { foldValue } from "./filter/values.js";
import { QueryError } from "./types.js";

export const MAX_FACET_VALUES = 100;

export type FacetDistribution = Record<string, Record<string, number>>;

/** Checks the attributes asked for; a refusal names the attribute and those that may be asked. */
export function checkFacets(names: readonly string[], filterable: readonly string[]): string[] {
  const wanted = [...new Set(names.map((name) => name.trim()).filter((name) => name !== ""))];
  for (const name of wanted) {
    if (!isWithin(name, filterable)) {
      throw QueryError.of(
        { code: "not_facetable", attribute: name.slice(0, 100), allowed: [...filterable] },
        "facets",
      );
    }
  }
  return wanted;
}

export function facetDistribution(
  documents: DocumentTable,
  names: readonly string[],
  ordinals: readonly number[],
): FacetDistribution {
  const distribution: FacetDistribution = {};
  for (const name of names) {
    const column = documents.column(name);
    const counts = new Map<string, { shown: string; count: number }>();
    for (const ordinal of ordinals) {
      const value = column[ordinal];
      if (value === undefined || value === null) continue;
      const seen = new Set<string>();
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item === null) continue;
        const shown = String(item);
        const key = foldValue(shown);
        if (seen.has(key)) continue;
        seen.add(key);
        const entry = counts.get(key);
        if (entry === undefined) counts.set(key, { shown, count: 1 });
        else entry.count++;
      }
    }
    const kept = [...counts.values()]
      .sort((a, b) => b.count - a.count)
      .slice(0, MAX_FACET_VALUES)
      .sort((a, b) => (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0));
    distribution[name] = Object.fromEntries(kept.map(({ shown, count }) => [shown, count]));
  }
  return distribution;
}
