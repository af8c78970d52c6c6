/**
 * `facets=category,year` → `facetDistribution: { category: { sport: 12, … }, … }`: how many of
 * all matching documents (filtered, before pagination) hold each value of each attribute asked
 * for. Values that differ only in case are one value (as filters compare them), shown as the
 * first document spells it; a document counts once per value. Values in alphabetical order, at
 * most 100 per attribute (Meilisearch's `maxValuesPerFacet` default), the most frequent kept.
 *
 * A date counts toward the coarser dates other documents hold (`2020-03-15` toward `2020-03`,
 * a date-time toward its day and month), since the filter a facet link applies, `= 2020-03`,
 * holds them: the count is what the link finds.
 */
import { isWithin } from "../corpus/attributes.js";
import type { DocumentTable } from "../index/index.js";
import { foldValue, preparedColumn, type Span } from "./filter/values.js";
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

const DAY_MS = 86_400_000;

/**
 * A day's span → its month; a date-time's (an instant) → its day and month in UTC, as the
 * filter's `=` reads it (`2020-03-31T23:30:00-02:00` is April 1st); a month's → none.
 */
function coarserDates(span: Span): string[] {
  const length = span[1] - span[0];
  if (length > DAY_MS) return [];
  const day = new Date(span[0]).toISOString().slice(0, 10);
  return length === DAY_MS ? [day.slice(0, 7)] : [day, day.slice(0, 7)];
}

export function facetDistribution(
  documents: DocumentTable,
  names: readonly string[],
  ordinals: readonly number[],
): FacetDistribution {
  const distribution: FacetDistribution = {};
  for (const name of names) {
    const column = documents.column(name);
    // The same values read as filters read them, dates included, once per loaded index.
    const prepared = preparedColumn(documents, name);
    const counts = new Map<string, { shown: string; count: number }>();
    // Per document, the coarser dates its values fall within: counted once all values are known.
    const within: string[][] = [];
    for (const ordinal of ordinals) {
      const value = column[ordinal];
      if (value === undefined || value === null) continue;
      const seen = new Set<string>();
      const coarser: string[] = [];
      const scalars = prepared[ordinal]?.scalars ?? [];
      let index = 0;
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item === null) continue;
        // Scalars are the items but nulls, in order.
        const span = scalars[index++]?.date;
        const shown = String(item);
        const key = foldValue(shown);
        if (span !== undefined) coarser.push(...coarserDates(span));
        if (seen.has(key)) continue;
        seen.add(key);
        const entry = counts.get(key);
        if (entry === undefined) counts.set(key, { shown, count: 1 });
        else entry.count++;
      }
      const extra = coarser.filter((key) => !seen.has(key));
      if (extra.length > 0) within.push([...new Set(extra)]);
    }
    for (const keys of within) {
      for (const key of keys) {
        const entry = counts.get(key);
        if (entry !== undefined) entry.count++;
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
