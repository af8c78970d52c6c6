import { describe, expect, test } from "vitest";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import {
  densestWindow,
  matchPositions,
  positionOf,
  wordOf,
} from "../../src/search/match-positions.js";
import { textDocument } from "./helpers.js";

const packed = (pairs: Array<[number, number]>) =>
  Float64Array.from(pairs.map(([position, word]) => position * 256 + word)).sort();

describe("where a query stands in a body", () => {
  test("every position of each query word, from the postings, sorted", () => {
    // chat 0, dort 1, le 2, chien 3, aboie 4, le 5, chat 6, fuit 7
    const index = indexDocuments([
      textDocument("a", "Titre", "chat dort, le chien aboie, le chat fuit"),
    ]);
    const chat = index.postings.list("chat", 1);
    const chien = index.postings.list("chien", 1);
    const found = matchPositions(index.postings, [[chat], [chien]], 0);
    expect([...found].map((m) => [positionOf(m), wordOf(m)])).toEqual([
      [0, 0],
      [3, 1],
      [6, 0],
    ]);
  });

  test("the window holds the most distinct words, then the most matches", () => {
    expect(densestWindow(new Float64Array(0), 30)).toEqual([0, 0]);
    // Word 0 alone three times early; words 0 and 1 together later: the later wins.
    expect(
      densestWindow(
        packed([
          [0, 0],
          [2, 0],
          [4, 0],
          [100, 0],
          [105, 1],
        ]),
        30,
      ),
    ).toEqual([100, 105]);
    // Same distinct words: the window with more matches.
    expect(
      densestWindow(
        packed([
          [0, 0],
          [50, 0],
          [52, 0],
          [53, 0],
        ]),
        10,
      ),
    ).toEqual([50, 53]);
  });

  test("a hit's snippet is cut where the query words stand together, far into a long body", () => {
    const filler = "autre chose encore ".repeat(400);
    const body = `chat seul au début. ${filler} Le chat et le chien ensemble ici. ${filler}`;
    const engine = new LoupeEngine(indexDocuments([textDocument("a", "Titre", body)]));
    const hit = engine.search("chat chien").hits[0]!;
    expect(hit.snippet.text).toContain("Le chat et le chien ensemble ici.");
    expect(hit.snippet.text.startsWith("…")).toBe(true);
    expect(hit.snippet.text.endsWith("…")).toBe(true);
    const marked = hit.snippet.marks.map(([s, e]) => hit.snippet.text.slice(s, e));
    expect(marked).toEqual(["chat", "chien"]);
  });
});
