/**
 * What a search asks beyond its words: `filter`, `facets` and `sort`, checked against the
 * settings the index was built with and made into what `execute` takes. A refusal is a
 * QueryError naming the parameter, the position or attribute, and the fix.
 */
import type { LoadedIndex } from "../index/index.js";
import { checkFacets } from "./facets.js";
import { compileFilter, type DocumentTest } from "./filter/evaluate.js";
import { parseFilter } from "./filter/parse.js";
import { settingsOf } from "./index-settings.js";
import { parseSort, sortComparator } from "./sort.js";
import { QueryError, type SearchOptions } from "./types.js";

export interface Refinements {
  where?: DocumentTest;
  sort?: (a: number, b: number) => number;
  /** The facet attributes asked for, checked. */
  facets: string[];
}

export function refinements(
  index: LoadedIndex,
  options: Pick<SearchOptions, "filter" | "facets" | "sort">,
): Refinements {
  const settings = settingsOf(index);
  const refine: Refinements = {
    facets: checkFacets(options.facets ?? [], settings.filterableAttributes),
  };
  if (options.filter !== undefined && options.filter.trim() !== "") {
    const parsed = parseFilter(options.filter, settings.filterableAttributes);
    if (!parsed.ok) throw QueryError.of({ code: "bad_filter", problem: parsed.problem }, "filter");
    refine.where = compileFilter(parsed.filter, index.documents);
  }
  const keys = parseSort(options.sort ?? [], settings.sortableAttributes);
  if (keys.length > 0) refine.sort = sortComparator(index.documents, keys);
  return refine;
}

/**
 * Whether a request without a query still says what to list: a filter, facets, a sort or a
 * date (Meilisearch's placeholder search). With none of them, a missing query is taken for a
 * client's mistake. The API and the CLI ask the same question of their parameters.
 */
export function listsWithoutQuery(given: {
  filter?: string | undefined;
  facets?: string | undefined;
  sort?: string | undefined;
  date?: string | undefined;
}): boolean {
  return [given.filter, given.facets, given.sort, given.date].some(
    (value) => value !== undefined && value.trim() !== "",
  );
}

/**
 * A comma-separated list's items (`facets`, `sort`), trimmed (`section, year`); none when it
 * is left empty. An empty item (`facets=,`, `--sort year:desc,`) is refused by the
 * parameter's name: it was ignored, and a list with a stray comma looked accepted.
 */
export function listItems(parameter: string, value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const names = value.split(",").map((name) => name.trim());
  if (names.some((name) => name === "")) {
    const example = parameter === "sort" ? "year:desc,title:asc" : "section,year";
    throw new QueryError(
      `${parameter} '${value}' has an empty item: write names separated by single commas (${example})`,
      parameter,
    );
  }
  return names;
}
