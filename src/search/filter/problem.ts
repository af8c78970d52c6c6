/**
 * What is wrong with a filter expression, as data: the engine refuses it with this, and the
 * edge words it in English or French (`notices.ts`), naming the position or the attribute and
 * the fix.
 */

/** What the parser was looking for where it stopped. */
export type Expected =
  | "condition"
  | "operator"
  | "value"
  | "close"
  | "closeBracket"
  | "to"
  | "rangeStart"
  | "nullOrEmpty"
  | "connective";

export type FilterProblem =
  | { kind: "syntax"; position: number; expected: Expected; found: string }
  | { kind: "unclosed_quote"; position: number }
  | { kind: "not_filterable"; position: number; attribute: string; allowed: string[] }
  | { kind: "too_deep"; position: number; max: number }
  | { kind: "bad_date"; position: number; value: string }
  | { kind: "too_long"; length: number; max: number };
