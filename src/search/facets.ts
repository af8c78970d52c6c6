/**
 * `facets=category,year` → `facetDistribution: { category: { sport: 12, … }, … }`: how many of
 * all matching documents (filtered, before pagination) hold each value of each attribute asked
 * for. Values that differ only in case are one value (as filters compare them), shown as the
 * first document of the collection spells it (whatever the filter), without spaces around it; a
 * document counts once per value. Values in alphabetical order, at most 100 per attribute
 * (Meilisearch's `maxValuesPerFacet` default), the most frequent kept, ties by their text.
 *
 * A date counts toward the coarser dates other documents hold (`2020-03-15` toward `2020-03`,
 * a date-time toward its day and month), since the filter a facet link applies, `= 2020-03`,
 * holds them: the count is what the link finds.
 */
import { isWithin } from "../corpus/attributes.js";
import type { DocumentTable } from "../index/index.js";
import { ColumnCache, preparedColumn, type Span } from "./filter/values.js";
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
    const { one, more, shown } = facetColumn(documents, name);
    const counts = new Int32Array(shown.length);
    for (const ordinal of ordinals) {
      const several = more[ordinal];
      if (several !== undefined) for (const id of several) counts[id]!++;
      else if (one[ordinal]! >= 0) counts[one[ordinal]!]!++;
    }
    const kept = mostFrequent(counts, shown, MAX_FACET_VALUES).sort((a, b) =>
      shown[a]! < shown[b]! ? -1 : shown[a]! > shown[b]! ? 1 : 0,
    );
    distribution[name] = Object.fromEntries(kept.map((id) => [shown[id]!, counts[id]!]));
  }
  return distribution;
}

/**
 * An attribute's values as facets count them, made once per loaded index: each distinct value
 * (folded, as filters compare them) a number, shown as the first document spells it; per
 * document, its value's number (`one`, −1 for none), or the numbers it counts toward when they
 * are not one (`more`: several values, or a date and the coarser dates other documents hold).
 * Counting a search's matches is then a pass over numbers: folding, keying and allocating per
 * match took 128 ms a search over 58,000 matches of a price and a date, past the budget, and
 * the answer came back empty (QA).
 */
interface FacetColumn {
  one: Int32Array;
  more: Array<Int32Array | undefined>;
  shown: string[];
}

const facetColumns = new ColumnCache(makeFacetColumn);

function facetColumn(documents: DocumentTable, name: string): FacetColumn {
  return facetColumns.of(documents, name);
}

function makeFacetColumn(documents: DocumentTable, name: string): FacetColumn {
  const column = documents.column(name);
  const prepared = preparedColumn(documents, name);
  const ids = new Map<string, number>();
  const shown: string[] = [];
  const idOf = (key: string, value: string | number | boolean): number => {
    let id = ids.get(key);
    if (id === undefined) {
      id = shown.length;
      ids.set(key, id);
      shown.push(String(value).trim());
    }
    return id;
  };
  const one = new Int32Array(column.length).fill(-1);
  const more = new Array<Int32Array | undefined>(column.length);
  // Per document, the coarser dates its values fall within, its own keys apart: kept as keys
  // until every value has its number, then counted only where some document holds them.
  const dates: Array<[ordinal: number, keys: string[]]> = [];
  const coarserOf = new Map<string, string[]>();
  for (let ordinal = 0; ordinal < column.length; ordinal++) {
    const value = column[ordinal];
    if (value === undefined || value === null) continue;
    const scalars = prepared[ordinal]?.scalars ?? [];
    const own: number[] = [];
    const seen = new Set<string>();
    const coarser: string[] = [];
    let index = 0;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === null) continue;
      // Scalars are the items but nulls, in order.
      const scalar = scalars[index++];
      if (scalar === undefined) continue;
      if (scalar.date !== undefined) coarser.push(...datesWithin(coarserOf, scalar.date));
      if (seen.has(scalar.text)) continue;
      seen.add(scalar.text);
      own.push(idOf(scalar.text, item));
    }
    const extra = coarser.filter((key) => !seen.has(key));
    if (extra.length > 0) dates.push([ordinal, [...new Set(extra)]]);
    if (own.length === 1) one[ordinal] = own[0]!;
    else if (own.length > 1) more[ordinal] = Int32Array.from(own);
  }
  for (const [ordinal, keys] of dates) {
    const held = keys.map((key) => ids.get(key)).filter((id) => id !== undefined);
    if (held.length === 0) continue;
    const own = more[ordinal] ?? (one[ordinal]! >= 0 ? [one[ordinal]!] : []);
    more[ordinal] = Int32Array.from([...own, ...held]);
  }
  return { one, more, shown };
}

/** `coarserDates` of a span, made once per distinct span. */
function datesWithin(made: Map<string, string[]>, span: Span): string[] {
  const key = `${span[0]}:${span[1] - span[0]}`;
  let dates = made.get(key);
  if (dates === undefined) {
    dates = coarserDates(span);
    made.set(key, dates);
  }
  return dates;
}

/**
 * The `k` values with the highest counts (above 0), ties at the last count broken by their
 * text: the same answer whatever the order documents came in. Only the counts are sorted, as
 * numbers.
 */
function mostFrequent(counts: Int32Array, shown: readonly string[], k: number): number[] {
  const present: number[] = [];
  for (let id = 0; id < counts.length; id++) if (counts[id]! > 0) present.push(id);
  if (present.length <= k) return present;
  const sorted = Int32Array.from(present, (id) => counts[id]!).sort();
  const last = sorted[sorted.length - k]!;
  const above = present.filter((id) => counts[id]! > last);
  const tied = present
    .filter((id) => counts[id] === last)
    .sort((a, b) => (shown[a]! < shown[b]! ? -1 : shown[a]! > shown[b]! ? 1 : 0));
  return above.concat(tied.slice(0, k - above.length));
}
