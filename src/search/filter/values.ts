/**
 * Attribute values as filters compare them. Each scalar is read once, at load, as what it can
 * be: a number (a JSON number, or a string that is one), a span of time (a string that is a
 * date: `YYYY-MM`, `YYYY-MM-DD`, an ISO date-time) and, always, its text lowercased, since
 * Meilisearch compares strings without regard to case.
 */
import type { AttributeColumn, DocumentTable } from "../../index/index.js";

/** `[start, end)` in milliseconds: a month, a day, or an instant (one millisecond). */
export type Span = readonly [number, number];

export interface Scalar {
  text: string;
  number?: number;
  date?: Span;
}

/** A document's attribute: absent, or its value and the scalars comparisons see. */
export interface Prepared {
  isNull: boolean;
  isEmpty: boolean;
  scalars: Scalar[];
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/u;
const MONTH = /^(\d{4})-(\d{2})$/u;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/u;
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/iu;

/** Lowercase, composed: how strings are compared and facet values merged. */
export function foldValue(text: string): string {
  // Spaces around a value are no part of it (`"Alice "` is Alice), as Meilisearch trims them.
  return text.normalize("NFC").trim().toLowerCase();
}

/**
 * Whether `text` is written as a date (`YYYY-MM`, `YYYY-MM-DD`, a date-time) whatever its
 * numbers: one that `dateSpan` then refuses (2021-02-30, 2020-13) is a mistake, not a word.
 */
export function looksLikeDate(text: string): boolean {
  return MONTH.test(text) || DAY.test(text) || /^\d{4}-\d{2}-\d{2}[T ]/iu.test(text);
}

export function dateSpan(text: string): Span | undefined {
  const month = MONTH.exec(text);
  if (month !== null) {
    const [y, m] = [Number(month[1]), Number(month[2])];
    if (m < 1 || m > 12) return undefined;
    return [Date.UTC(y, m - 1, 1), Date.UTC(y, m, 1)];
  }
  const day = DAY.exec(text);
  if (day !== null) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const start = Date.UTC(y, m - 1, d);
    // Date.UTC rolls 2020-02-31 over to March: such a day is not a date.
    if (m < 1 || m > 12 || new Date(start).getUTCDate() !== d) return undefined;
    return [start, start + 86_400_000];
  }
  if (DATE_TIME.test(text)) {
    // Without a zone, UTC: Date.parse would read it in the server's time zone, and the same
    // filter or facet would then answer differently from one host to another.
    const zoned = /(?:z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text.replace(" ", "T")}Z`;
    const time = Date.parse(zoned);
    return Number.isNaN(time) ? undefined : [time, time + 1];
  }
  return undefined;
}

/** The number a string is written as (`"54"`, `" -3.5 "`), if it is one. */
export function numberIn(text: string): number | undefined {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed)) return undefined;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : undefined;
}

/** A literal of a filter, or a string attribute value, read as everything it can be. */
export function scalarOf(text: string): Scalar {
  const trimmed = text.trim();
  const number = numberIn(trimmed);
  const date = dateSpan(trimmed);
  return {
    text: foldValue(text),
    ...(number !== undefined && { number }),
    ...(date !== undefined && { date }),
  };
}

/**
 * A filter's literal: as `scalarOf` reads it, and a year written alone (`2022`) also as that
 * year's span of time, so that `date >= 2022` compares with dates (`2022-06`) as `date >=
 * 2022-01` does. Read only as a number, it compared with no date and found nothing (QA). A
 * number attribute still compares it as the number.
 */
export function literalOf(text: string): Scalar {
  const scalar = scalarOf(text);
  const year = /^\s*(\d{4})\s*$/u.exec(text);
  if (year === null || scalar.date !== undefined) return scalar;
  const y = Number(year[1]);
  return { ...scalar, date: [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)] };
}

function prepare(value: AttributeColumn[number]): Prepared | undefined {
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? value : [value];
  const scalars: Scalar[] = [];
  for (const item of items) {
    if (item === null) continue;
    if (typeof item === "number") scalars.push({ text: String(item), number: item });
    else if (typeof item === "boolean") scalars.push({ text: String(item) });
    else scalars.push(scalarOf(item));
  }
  return {
    isNull: value === null,
    isEmpty: value === "" || (Array.isArray(value) && value.length === 0),
    scalars,
  };
}

/**
 * A per-attribute structure of a loaded index, made once by `make` and kept as long as the
 * index is: what filters and facets read for each document, instead of working it out again
 * for each search.
 */
export class ColumnCache<T> {
  private readonly made = new WeakMap<DocumentTable, Map<string, T>>();

  constructor(private readonly make: (documents: DocumentTable, attribute: string) => T) {}

  of(documents: DocumentTable, attribute: string): T {
    let columns = this.made.get(documents);
    if (columns === undefined) {
      columns = new Map();
      this.made.set(documents, columns);
    }
    let column = columns.get(attribute);
    if (column === undefined) {
      column = this.make(documents, attribute);
      columns.set(attribute, column);
    }
    return column;
  }
}

const prepared = new ColumnCache((documents, attribute) =>
  documents.column(attribute).map(prepare),
);

/** The attribute of every document, prepared for comparisons once per loaded index. */
export function preparedColumn(
  documents: DocumentTable,
  attribute: string,
): ReadonlyArray<Prepared | undefined> {
  return prepared.of(documents, attribute);
}
