/**
 * `sort=price:asc,date:desc` on sortable attributes: documents ordered by the first attribute,
 * ties by the next, remaining ties by relevance (execute.ts). Numbers come before strings
 * in either direction, as in Meilisearch, and a string written as a number (`"54"`) is that
 * number, as filters read it: sorted as text, `"100"` came before `"54"` while `prix > 60`
 * found only the first (QA). Other strings compare lowercased, in French order; an array sorts by its
 * smallest item ascending and its largest descending; a document without the attribute comes
 * last either way.
 */
import type { DocumentTable } from "../index/index.js";
import { foldValue, numberIn } from "./filter/values.js";
import { QueryError } from "./types.js";

export interface SortKey {
  attribute: string;
  descending: boolean;
}

type Key = number | string | undefined;

const SPEC = /^\s*(.+?)\s*:\s*(asc|desc)\s*$/iu;
const collator = new Intl.Collator("fr");

/** Reads `attribute:asc|desc` specs; a refusal names the spec or the attribute and the fix. */
export function parseSort(specs: readonly string[], sortable: readonly string[]): SortKey[] {
  return specs
    .filter((spec) => spec.trim() !== "")
    .map((spec) => {
      const found = SPEC.exec(spec);
      if (found === null) {
        throw QueryError.of({ code: "bad_sort", value: spec.slice(0, 100) }, "sort");
      }
      const attribute = found[1]!;
      if (!sortable.includes(attribute)) {
        throw QueryError.of(
          { code: "not_sortable", attribute: attribute.slice(0, 100), allowed: [...sortable] },
          "sort",
        );
      }
      return { attribute, descending: found[2]!.toLowerCase() === "desc" };
    });
}

/** Orders document ordinals by `keys`; 0 leaves the tie to relevance. */
export function sortComparator(
  documents: DocumentTable,
  keys: readonly SortKey[],
): (a: number, b: number) => number {
  const columns = keys.map(({ attribute, descending }) => ({
    descending,
    keys: sortKeys(documents, attribute, descending),
  }));
  return (a, b) => {
    for (const { descending, keys } of columns) {
      const order = compareKeys(keys[a], keys[b], descending);
      if (order !== 0) return order;
    }
    return 0;
  };
}

// Per loaded index: a sorted search then costs no pass over every document.
const cache = new WeakMap<DocumentTable, Map<string, readonly Key[]>>();

function sortKeys(
  documents: DocumentTable,
  attribute: string,
  descending: boolean,
): readonly Key[] {
  let columns = cache.get(documents);
  if (columns === undefined) {
    columns = new Map();
    cache.set(documents, columns);
  }
  const name = `${descending ? "desc" : "asc"}:${attribute}`;
  let keys = columns.get(name);
  if (keys === undefined) {
    keys = documents.column(attribute).map((value) => keyOf(value, descending));
    columns.set(name, keys);
  }
  return keys;
}

function keyOf(value: ReturnType<DocumentTable["column"]>[number], descending: boolean): Key {
  const items = (Array.isArray(value) ? value : [value]).flatMap(
    (item): Array<number | string> =>
      typeof item === "number"
        ? [item]
        : typeof item === "string"
          ? [numberIn(item) ?? foldValue(item)]
          : typeof item === "boolean"
            ? [String(item)]
            : [],
  );
  let best: Key;
  for (const item of items) {
    if (best === undefined || compareKeys(item, best, descending) < 0) best = item;
  }
  return best;
}

function compareKeys(a: Key, b: Key, descending: boolean): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  // Numbers before strings in either direction, as Meilisearch gives numbers precedence.
  if (typeof a !== typeof b) return typeof a === "number" ? -1 : 1;
  const order = typeof a === "number" ? a - (b as number) : collator.compare(a, b as string);
  return descending ? -order : order;
}
