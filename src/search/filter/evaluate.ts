/**
 * A filter tree made into a test of a document by its ordinal, over the prepared attribute
 * columns. Comparisons follow Meilisearch: an array matches when one of its items does; `!=`,
 * `NOT IN`, `IS NOT NULL`, `IS NOT EMPTY` are the negations of their positive forms, so a
 * document without the attribute passes them; numbers compare as numbers, dates as spans of
 * time (`date > 2020-03` is after all of March, `date >= 2020-03` from its first day), other
 * strings lowercased, by code point.
 */
import type { DocumentTable } from "../../index/index.js";
import type { Comparison, FilterNode } from "./parse.js";
import { literalOf, type Prepared, preparedColumn, type Scalar } from "./values.js";

export type DocumentTest = (ordinal: number) => boolean;

export function compileFilter(filter: FilterNode, documents: DocumentTable): DocumentTest {
  const column = (attribute: string) => preparedColumn(documents, attribute);
  const some = (attribute: string, test: (scalar: Scalar) => boolean): DocumentTest => {
    const values = column(attribute);
    return (ordinal) => values[ordinal]?.scalars.some(test) === true;
  };
  const has = (attribute: string, test: (value: Prepared) => boolean): DocumentTest => {
    const values = column(attribute);
    return (ordinal) => {
      const value = values[ordinal];
      return value !== undefined && test(value);
    };
  };
  switch (filter.type) {
    case "and": {
      const [left, right] = [
        compileFilter(filter.left, documents),
        compileFilter(filter.right, documents),
      ];
      return (ordinal) => left(ordinal) && right(ordinal);
    }
    case "or": {
      const [left, right] = [
        compileFilter(filter.left, documents),
        compileFilter(filter.right, documents),
      ];
      return (ordinal) => left(ordinal) || right(ordinal);
    }
    case "not": {
      const operand = compileFilter(filter.operand, documents);
      return (ordinal) => !operand(ordinal);
    }
    case "compare": {
      const literal = literalOf(filter.value);
      if (filter.op === "!=") {
        const equal = some(filter.attribute, (scalar) => compare(scalar, "=", literal));
        return (ordinal) => !equal(ordinal);
      }
      const op = filter.op;
      return some(filter.attribute, (scalar) => compare(scalar, op, literal));
    }
    case "range": {
      const [from, to] = [literalOf(filter.from), literalOf(filter.to)];
      return some(
        filter.attribute,
        (scalar) => compare(scalar, ">=", from) && compare(scalar, "<=", to),
      );
    }
    case "in": {
      const literals = filter.values.map(literalOf);
      return some(filter.attribute, (scalar) =>
        literals.some((literal) => compare(scalar, "=", literal)),
      );
    }
    case "exists": {
      // An object exists when it has fields (Meilisearch and Elasticsearch alike): those are
      // stored as their dot paths, the object itself only when it is `{}`.
      const tests = [filter.attribute, ...documents.nestedIn(filter.attribute)].map((name) =>
        has(name, () => true),
      );
      return tests.length === 1 ? tests[0]! : (ordinal) => tests.some((test) => test(ordinal));
    }
    case "null":
      return has(filter.attribute, (value) => value.isNull);
    case "empty":
      return has(filter.attribute, (value) => value.isEmpty);
  }
}

/** `value op literal`, where `op` is not `!=` (the negation of `=` over the whole array). */
export function compare(value: Scalar, op: Exclude<Comparison, "!=">, literal: Scalar): boolean {
  if (value.number !== undefined && literal.number !== undefined) {
    return ordered(value.number - literal.number, op);
  }
  if (value.date !== undefined && literal.date !== undefined) {
    const [vs, ve] = value.date;
    const [ls, le] = literal.date;
    switch (op) {
      case "=":
        // Within the literal's span: `= 2020-03` holds the days of March, but `= 2020-03-15`
        // not a value known only as March (which facets count apart, as 2020-03).
        return ls <= vs && ve <= le;
      case ">":
        return vs >= le;
      case ">=":
        return ve > ls;
      case "<":
        return ve <= ls;
      case "<=":
        return vs < le;
    }
  }
  if (op === "=") return value.text === literal.text;
  // A number against a word, or a date against a word: no order between them.
  if ((value.number === undefined) !== (literal.number === undefined)) return false;
  if ((value.date === undefined) !== (literal.date === undefined)) return false;
  return ordered(value.text < literal.text ? -1 : value.text > literal.text ? 1 : 0, op);
}

function ordered(difference: number, op: Exclude<Comparison, "!=">): boolean {
  switch (op) {
    case "=":
      return difference === 0;
    case ">":
      return difference > 0;
    case ">=":
      return difference >= 0;
    case "<":
      return difference < 0;
    case "<=":
      return difference <= 0;
  }
}
