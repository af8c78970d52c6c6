/** Month ranges: `2020-01`, `2020-01..2020-02`, `2020-01..`, `..2020-02`. */
import { QueryError } from "./types.js";

export interface DateRange {
  /** Inclusive `YYYY-MM` bounds; an absent bound is open. */
  from?: string;
  to?: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * `text` as a range of months. A refusal says `parameter` (`date '2020-13' is not a month`) and
 * names `reportedAs`, the request's parameter that held it: `q` for a `date:` typed in the
 * query, which was reported against a `date` parameter the request did not have (QA).
 */
export function parseDateRange(
  text: string,
  parameter = "date",
  reportedAs = parameter,
): DateRange {
  const [from, to, ...rest] = text.split("..");
  const isRange = to !== undefined;
  const bad = () =>
    QueryError.of({ code: "bad_date", parameter, value: text.slice(0, 40) }, reportedAs);
  if (rest.length > 0 || from === undefined) throw bad();
  if (!isRange) {
    if (!MONTH.test(from)) throw bad();
    return { from, to: from };
  }
  if (
    (from !== "" && !MONTH.test(from)) ||
    (to !== "" && !MONTH.test(to)) ||
    (from === "" && to === "")
  ) {
    throw bad();
  }
  if (from !== "" && to !== "" && from > to) {
    throw QueryError.of({ code: "date_reversed", parameter, value: text, from, to }, reportedAs);
  }
  return { ...(from !== "" && { from }), ...(to !== "" && { to }) };
}

/** Both ranges at once: their intersection (possibly empty, which matches nothing). */
export function intersect(
  a: DateRange | undefined,
  b: DateRange | undefined,
): DateRange | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const from = [a.from, b.from]
    .filter((x): x is string => x !== undefined)
    .sort()
    .at(-1);
  const to = [a.to, b.to].filter((x): x is string => x !== undefined).sort()[0];
  return { ...(from !== undefined && { from }), ...(to !== undefined && { to }) };
}

export function inRange(date: string | undefined, range: DateRange): boolean {
  if (date === undefined) return false;
  return (
    (range.from === undefined || date >= range.from) && (range.to === undefined || date <= range.to)
  );
}
