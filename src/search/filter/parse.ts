/**
 * Filter expressions, in Meilisearch's syntax, read into a typed tree:
 *
 *   expression := or
 *   or         := and ("OR" and)*
 *   and        := not ("AND" not)*
 *   not        := "NOT" not | "(" expression ")" | condition
 *   condition  := attribute ( op value | value "TO" value | ["NOT"] "IN" "[" values "]"
 *                 | ["NOT"] "EXISTS" | "IS" ["NOT"] ("NULL" | "EMPTY") )
 *
 * NOT binds tighter than AND, AND tighter than OR, as in Meilisearch. Keywords are read in any
 * case (`and`, `And`); a value that is a keyword or holds spaces is quoted ('…' or "…").
 * Attributes must be filterable: the tree only ever names attributes the index has a column of.
 */
import { isWithin } from "../../corpus/attributes.js";
import { lex, type Token } from "./lexer.js";
import type { Expected, FilterProblem } from "./problem.js";
import { dateSpan, looksLikeDate } from "./values.js";

export type Comparison = "=" | "!=" | ">" | ">=" | "<" | "<=";

export type FilterNode =
  | { type: "and"; left: FilterNode; right: FilterNode }
  | { type: "or"; left: FilterNode; right: FilterNode }
  | { type: "not"; operand: FilterNode }
  | { type: "compare"; attribute: string; op: Comparison; value: string }
  | { type: "range"; attribute: string; from: string; to: string }
  | { type: "in"; attribute: string; values: string[] }
  | { type: "exists"; attribute: string }
  | { type: "null"; attribute: string }
  | { type: "empty"; attribute: string };

export type FilterParse = { ok: true; filter: FilterNode } | { ok: false; problem: FilterProblem };

export const MAX_FILTER_LENGTH = 2_000;
/** Parentheses and NOTs nest at most this deep: the parser recurses, the stack is finite. */
export const MAX_FILTER_DEPTH = 32;

class Refusal {
  constructor(readonly problem: FilterProblem) {}
}

export function parseFilter(input: string, filterable: readonly string[]): FilterParse {
  if (input.length > MAX_FILTER_LENGTH) {
    return {
      ok: false,
      problem: { kind: "too_long", length: input.length, max: MAX_FILTER_LENGTH },
    };
  }
  const lexed = lex(input);
  if (!lexed.ok) return lexed;
  const tokens = lexed.tokens;
  let at = 0;
  const peek = (): Token => tokens[at]!;
  const next = (): Token => tokens[Math.min(at++, tokens.length - 1)]!;
  const keyword = (token: Token, word: string) =>
    token.kind === "word" && token.text.toUpperCase() === word;
  const fail = (expected: Expected, token: Token = peek()): never => {
    throw new Refusal({
      kind: "syntax",
      position: token.position,
      expected,
      found: token.kind === "end" ? "" : token.text,
    });
  };

  const or = (depth: number): FilterNode => {
    let left = and(depth);
    while (keyword(peek(), "OR")) {
      next();
      left = { type: "or", left, right: and(depth) };
    }
    return left;
  };
  const and = (depth: number): FilterNode => {
    let left = not(depth);
    while (keyword(peek(), "AND")) {
      next();
      left = { type: "and", left, right: not(depth) };
    }
    return left;
  };
  const not = (depth: number): FilterNode => {
    const token = peek();
    if (depth > MAX_FILTER_DEPTH) {
      throw new Refusal({ kind: "too_deep", position: token.position, max: MAX_FILTER_DEPTH });
    }
    if (keyword(token, "NOT")) {
      next();
      return { type: "not", operand: not(depth + 1) };
    }
    if (token.kind === "open") {
      next();
      const inner = or(depth + 1);
      if (peek().kind !== "close") fail("close");
      next();
      return inner;
    }
    return condition();
  };
  const value = (): string => {
    const token = peek();
    if (token.kind !== "word" && token.kind !== "string") fail("value");
    // `date >= 2021-02-29` matched nothing, silently: a bare value written as a date must be
    // one (quoted, it is text: a code such as '2020-13' can still be asked for).
    const text = token.text.trim();
    if (token.kind === "word" && looksLikeDate(text) && dateSpan(text) === undefined) {
      throw new Refusal({ kind: "bad_date", position: token.position, value: text });
    }
    next();
    return token.text;
  };
  const list = (): string[] => {
    if (peek().kind !== "openBracket") fail("value");
    next();
    const values: string[] = [];
    while (peek().kind !== "closeBracket") {
      values.push(value());
      if (peek().kind === "comma") next();
      else if (peek().kind !== "closeBracket") fail("closeBracket");
    }
    next();
    return values;
  };
  const condition = (): FilterNode => {
    const token = peek();
    if (token.kind !== "word" && token.kind !== "string") fail("condition");
    next();
    const attribute = token.text;
    if (!isWithin(attribute, filterable)) {
      throw new Refusal({
        kind: "not_filterable",
        position: token.position,
        attribute,
        allowed: [...filterable],
      });
    }
    const op = peek();
    if (op.kind === "operator") {
      next();
      return { type: "compare", attribute, op: op.text as Comparison, value: value() };
    }
    if (keyword(op, "IN")) {
      next();
      return { type: "in", attribute, values: list() };
    }
    if (keyword(op, "EXISTS")) {
      next();
      return { type: "exists", attribute };
    }
    if (keyword(op, "NOT")) {
      next();
      const what = peek();
      if (keyword(what, "IN")) {
        next();
        return { type: "not", operand: { type: "in", attribute, values: list() } };
      }
      if (keyword(what, "EXISTS")) {
        next();
        return { type: "not", operand: { type: "exists", attribute } };
      }
      return fail("operator", what);
    }
    if (keyword(op, "IS")) {
      next();
      const negated = keyword(peek(), "NOT");
      if (negated) next();
      const what = peek();
      const node: FilterNode | undefined = keyword(what, "NULL")
        ? { type: "null", attribute }
        : keyword(what, "EMPTY")
          ? { type: "empty", attribute }
          : undefined;
      if (node === undefined) return fail("nullOrEmpty", what);
      next();
      return negated ? { type: "not", operand: node } : node;
    }
    // `year TO 2010`: the range's first value is missing (TO is a keyword: a value spelt TO is
    // quoted). Said as such, not as a TO expected where the 2010 stands.
    if (keyword(op, "TO")) return fail("rangeStart", op);
    if (op.kind === "word" || op.kind === "string") {
      // `attribute from TO to`: the first value, then TO.
      const from = value();
      if (!keyword(peek(), "TO")) fail("to");
      next();
      return { type: "range", attribute, from, to: value() };
    }
    return fail("operator", op);
  };

  try {
    if (peek().kind === "end") fail("condition");
    const filter = or(0);
    if (peek().kind !== "end") fail("connective");
    return { ok: true, filter };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, problem: error.problem };
    throw error;
  }
}
