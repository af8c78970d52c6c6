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

  it("keeps a slop glued to a word as part of no phrase", () => {
    // `"a b"~3x` is not a slop: the phrase ends at its quote and `~3x` is a bare clause.
    const clauses = lex('"a b"~3x');
    expect(clauses.map((c) => c.kind)).toEqual(["phrase", "words"]);
    expect(clauses[0]).toMatchObject({ slop: 0, closed: true });
  });

  it("yields nothing for an empty or blank query", () => {
    expect(lex("")).toEqual([]);
    expect(lex("   ")).toEqual([]);
  });
});
