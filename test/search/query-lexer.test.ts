import { describe, expect, it } from "vitest";
import { lexQuery } from "../../src/search/query-lexer.js";

const lex = (input: string) => [...lexQuery(input)];

describe("lexQuery", () => {
  it("reads bare words, prefixes and exclusions as word clauses", () => {
    expect(lex("OTAN gouv* -Canada")).toEqual([
      { kind: "words", raw: "OTAN", negative: false, text: "OTAN", prefix: false },
      { kind: "words", raw: "gouv*", negative: false, text: "gouv", prefix: true },
      { kind: "words", raw: "-Canada", negative: true, text: "Canada", prefix: false },
    ]);
  });

  it("reads phrases, closed or not, with a slop", () => {
    expect(lex('"État islamique"~3 -"de la" "ouvert')).toEqual([
      {
        kind: "phrase",
        raw: '"État islamique"~3',
        negative: false,
        text: "État islamique",
        closed: true,
        slop: 3,
      },
      { kind: "phrase", raw: '-"de la"', negative: true, text: "de la", closed: true, slop: 0 },
      { kind: "phrase", raw: '"ouvert', negative: false, text: "ouvert", closed: false, slop: 0 },
    ]);
  });

  it("reads the date filter whatever its case, negated or not, before any prefix star", () => {
    expect(lex("Date:2020-01..2020-03 -date:2020-02")).toEqual([
      { kind: "date", raw: "Date:2020-01..2020-03", negative: false, value: "2020-01..2020-03" },
      { kind: "date", raw: "-date:2020-02", negative: true, value: "2020-02" },
    ]);
  });

  it("reads whatever is glued to ~ as the slop: a bad one flagged, a number past 99 taken as 99", () => {
    const slops = (input: string) =>
      lex(input).map((c) => (c.kind === "phrase" ? [c.slop, c.badSlop] : c.kind));
    expect(slops('"a b"~3x')).toEqual([[0, "3x"]]);
    expect(slops('"a b"~abc "c d"~-1')).toEqual([
      [0, "abc"],
      [0, "-1"],
    ]);
    expect(slops('"a b"~100 "c d"~99999999')).toEqual([
      [99, "100"],
      [99, "99999999"],
    ]);
    expect(slops('"a b"~ c')).toEqual([[0, ""], "words"]);
    expect(slops('"a b"~07 c~3')).toEqual([[7, undefined], "words"]);
  });

  it("yields nothing for an empty or blank query", () => {
    expect(lex("")).toEqual([]);
    expect(lex("   ")).toEqual([]);
  });
});
