import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  type FilterNode,
  MAX_FILTER_DEPTH,
  parseFilter,
} from "../../../src/search/filter/parse.js";
import type { FilterProblem } from "../../../src/search/filter/problem.js";
import { describeNotice } from "../../../src/search/notices.js";
import { hostileString } from "../../reliability/hostile.js";
import { filterLanguage } from "../../reliability/requests.js";

const FILTERABLE = ["year", "section", "tags", "meta.author", "date", "titre long"];

function tree(input: string): FilterNode {
  const parsed = parseFilter(input, FILTERABLE);
  if (!parsed.ok) throw new Error(`expected ${input} to parse: ${JSON.stringify(parsed.problem)}`);
  return parsed.filter;
}

function problem(input: string): FilterProblem {
  const parsed = parseFilter(input, FILTERABLE);
  if (parsed.ok) throw new Error(`expected ${input} to be refused`);
  return parsed.problem;
}

describe("parseFilter: operators", () => {
  test.each(["=", "!=", ">", ">=", "<", "<="] as const)("attribute %s value", (op) => {
    expect(tree(`year ${op} 2020`)).toEqual({
      type: "compare",
      attribute: "year",
      op,
      value: "2020",
    });
  });

  test("without spaces around the operator", () => {
    expect(tree("year>=2020")).toEqual({
      type: "compare",
      attribute: "year",
      op: ">=",
      value: "2020",
    });
  });

  test("TO, IN, NOT IN, EXISTS, NOT EXISTS, IS [NOT] NULL, IS [NOT] EMPTY", () => {
    expect(tree("year 2000 TO 2010")).toEqual({
      type: "range",
      attribute: "year",
      from: "2000",
      to: "2010",
    });
    expect(tree("tags IN [otan, 'mission en Irak', \"a,b\"]")).toEqual({
      type: "in",
      attribute: "tags",
      values: ["otan", "mission en Irak", "a,b"],
    });
    expect(tree("tags IN []")).toEqual({ type: "in", attribute: "tags", values: [] });
    expect(tree("tags NOT IN [a]")).toEqual({
      type: "not",
      operand: { type: "in", attribute: "tags", values: ["a"] },
    });
    expect(tree("tags EXISTS")).toEqual({ type: "exists", attribute: "tags" });
    expect(tree("tags NOT EXISTS")).toEqual({
      type: "not",
      operand: { type: "exists", attribute: "tags" },
    });
    expect(tree("meta.author IS NULL")).toEqual({ type: "null", attribute: "meta.author" });
    expect(tree("meta.author IS NOT NULL")).toEqual({
      type: "not",
      operand: { type: "null", attribute: "meta.author" },
    });
    expect(tree("tags IS EMPTY")).toEqual({ type: "empty", attribute: "tags" });
    expect(tree("tags IS NOT EMPTY")).toEqual({
      type: "not",
      operand: { type: "empty", attribute: "tags" },
    });
  });

  test("keywords in any case", () => {
    expect(tree("year 1 to 2 and tags exists or not tags is empty")).toEqual(
      tree("year 1 TO 2 AND tags EXISTS OR NOT tags IS EMPTY"),
    );
  });
});

describe("parseFilter: precedence and grouping", () => {
  const a = { type: "compare", attribute: "year", op: "=", value: "1" } as const;
  const b = { type: "compare", attribute: "year", op: "=", value: "2" } as const;
  const c = { type: "compare", attribute: "year", op: "=", value: "3" } as const;

  test("AND binds tighter than OR, NOT tighter than AND", () => {
    expect(tree("year = 1 OR year = 2 AND year = 3")).toEqual({
      type: "or",
      left: a,
      right: { type: "and", left: b, right: c },
    });
    expect(tree("NOT year = 1 AND year = 2")).toEqual({
      type: "and",
      left: { type: "not", operand: a },
      right: b,
    });
  });

  test("parentheses override, and nest", () => {
    expect(tree("(year = 1 OR year = 2) AND year = 3")).toEqual({
      type: "and",
      left: { type: "or", left: a, right: b },
      right: c,
    });
    expect(tree("NOT (year = 1 OR (year = 2))")).toEqual({
      type: "not",
      operand: { type: "or", left: a, right: b },
    });
  });

  test("AND and OR chain to the left", () => {
    expect(tree("year = 1 AND year = 2 AND year = 3")).toEqual({
      type: "and",
      left: { type: "and", left: a, right: b },
      right: c,
    });
  });
});

describe("parseFilter: quoting", () => {
  test("single and double quotes, spaces, keywords and escaped quotes inside", () => {
    expect(tree("section = 'Relations internationales'")).toMatchObject({
      value: "Relations internationales",
    });
    expect(tree('section = "AND"')).toMatchObject({ value: "AND" });
    expect(tree("section = 'l\\'OTAN'")).toMatchObject({ value: "l'OTAN" });
    expect(tree('section = ""')).toMatchObject({ value: "" });
  });

  test("a quoted attribute name", () => {
    expect(tree("'titre long' EXISTS")).toEqual({ type: "exists", attribute: "titre long" });
  });

  test("accents and dot paths in bare words", () => {
    expect(tree("meta.author = Défense")).toEqual({
      type: "compare",
      attribute: "meta.author",
      op: "=",
      value: "Défense",
    });
  });
});

describe("parseFilter: refusals name the position and what was expected", () => {
  test.each([
    ["", { kind: "syntax", position: 1, expected: "condition", found: "" }],
    ["year", { kind: "syntax", position: 5, expected: "operator", found: "" }],
    ["year =", { kind: "syntax", position: 7, expected: "value", found: "" }],
    ["year = 1 AND", { kind: "syntax", position: 13, expected: "condition", found: "" }],
    ["year = 1 year = 2", { kind: "syntax", position: 10, expected: "connective", found: "year" }],
    ["(year = 1", { kind: "syntax", position: 10, expected: "close", found: "" }],
    ["year = 1)", { kind: "syntax", position: 9, expected: "connective", found: ")" }],
    ["year 1 2", { kind: "syntax", position: 8, expected: "to", found: "2" }],
    ["year TO 2", { kind: "syntax", position: 6, expected: "rangeStart", found: "TO" }],
    ["tags IN [a b]", { kind: "syntax", position: 12, expected: "closeBracket", found: "b" }],
    ["tags IN a", { kind: "syntax", position: 9, expected: "value", found: "a" }],
    ["tags IS FULL", { kind: "syntax", position: 9, expected: "nullOrEmpty", found: "FULL" }],
    ["tags NOT = 1", { kind: "syntax", position: 10, expected: "operator", found: "=" }],
    ["year ! 1", { kind: "syntax", position: 6, expected: "operator", found: "!" }],
    ["= 1", { kind: "syntax", position: 1, expected: "condition", found: "=" }],
    ["section = 'open", { kind: "unclosed_quote", position: 11 }],
  ] as const)("%j", (input, expected) => {
    expect(problem(input)).toEqual(expected);
  });

  test("an attribute that is not filterable is named, with those that are", () => {
    expect(problem("year = 1 AND body = x")).toEqual({
      kind: "not_filterable",
      position: 14,
      attribute: "body",
      allowed: FILTERABLE,
    });
  });

  test("a bare value written as a date must be one; quoted, it is text", () => {
    expect(problem("date >= 2021-02-29")).toEqual({
      kind: "bad_date",
      position: 9,
      value: "2021-02-29",
    });
    expect(problem("date = 2020-13")).toMatchObject({ kind: "bad_date", value: "2020-13" });
    expect(problem("date IN [2020-01, 2020-00]")).toMatchObject({ value: "2020-00" });
    expect(problem("date > 2021-03-04T25:99:00Z")).toMatchObject({ kind: "bad_date" });
    expect(tree("date >= 2020-02-29").type).toBe("compare");
    expect(tree("section = '2020-13'")).toMatchObject({ value: "2020-13" });
    const notice = { code: "bad_filter", problem: problem("date >= 2021-02-29") } as const;
    expect(describeNotice(notice)).toBe(
      "filter: '2021-02-29' (character 9) is no date: write a month (YYYY-MM), a day (YYYY-MM-DD) or a date-time that exists, or quote it to compare it as text",
    );
    expect(describeNotice(notice, "fr")).toMatch(/n’est pas une date/);
  });

  test("nesting and length are bounded", () => {
    const deep = `${"(".repeat(MAX_FILTER_DEPTH + 2)}year = 1${")".repeat(MAX_FILTER_DEPTH + 2)}`;
    expect(problem(deep)).toMatchObject({ kind: "too_deep" });
    expect(problem(`${"NOT ".repeat(5000)}year = 1`)).toMatchObject({ kind: "too_long" });
    expect(problem("year = 1 OR ".repeat(200))).toMatchObject({ kind: "too_long" });
  });

  test("worded in English and in French, with the position and the fix", () => {
    const notice = { code: "bad_filter", problem: problem("year = 1 AND body = x") } as const;
    expect(describeNotice(notice)).toBe(
      "filter: 'body' (character 14) is not a filterable attribute: use 'year', 'section', 'tags', 'meta.author', 'date' or 'titre long', or add it to filterableAttributes in loupe.json and index again",
    );
    expect(describeNotice(notice, "fr")).toMatch(
      /^filtre\u202f: «\u00a0body\u00a0» \(caractère 14\) n’est pas un attribut filtrable/,
    );
    const syntax = { code: "bad_filter", problem: problem("(year = 1") } as const;
    expect(describeNotice(syntax)).toBe(
      "filter: at character 10, expected a closing parenthesis ')', found the end",
    );
    expect(describeNotice(syntax, "fr")).toMatch(
      /^filtre\u202f: au caractère 10, il faut une parenthèse fermante/,
    );
  });
});

describe("parseFilter on anything", () => {
  test("never throws; a refusal's position is inside the expression or just past it", () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, filterLanguage), (input) => {
        const parsed = parseFilter(input, FILTERABLE);
        if (parsed.ok) return;
        const problem = parsed.problem;
        if ("position" in problem) {
          expect(problem.position).toBeGreaterThanOrEqual(1);
          expect(problem.position).toBeLessThanOrEqual(input.length + 1);
        }
        expect(describeNotice({ code: "bad_filter", problem }, "fr").length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});
