/**
 * The API's hit is the engine's hit, every field of it, with its marked texts given twice (HTML
 * and spans): a field added to Hit that presentHit forgot would silently vanish from the API.
 */
import { describe, expect, test } from "vitest";
import type { Hit } from "../../src/search/types.js";
import { presentHit } from "../../src/server/present.js";

/** A hit with every optional field a Hit can have. */
const FULL: Required<Hit> = {
  id: "a/b",
  score: 1.5,
  rankingScore: 0.9,
  title: "L’OTAN en Irak",
  date: "2020-01-07",
  snippet: { text: "…soldats en Irak <b>…", marks: [[12, 16]] },
  attributes: { author: "A. B.", tags: ["x"] },
  titleMarks: [[10, 14]],
  highlights: [[0, 4]],
  highlightsTruncated: true,
  explain: {
    score: 1.5,
    allWords: true,
    wordsMatched: 1,
    words: [{ word: "irak", score: 1.5 }],
    phrases: 0,
    proximity: { score: 0, adjacentPairs: 0, window: 0 },
    strategy: "exhaustive",
    coordination: 1,
    bm25: { k1: 1, delta: 0, fields: [] },
  },
};

describe("presentHit", () => {
  test("keeps every field of the hit but the snippet, in the hit's order, and adds the HTML", () => {
    const json = presentHit(FULL);
    const { snippet: _, ...rest } = FULL;
    for (const [key, value] of Object.entries(rest)) {
      expect(json, key).toHaveProperty([key], value);
    }
    expect(Object.keys(json)).toEqual([
      "id",
      "score",
      "rankingScore",
      "title",
      "date",
      "attributes",
      "highlightsTruncated",
      "snippet",
      "snippetText",
      "snippetMarks",
      "titleHighlighted",
      "titleMarks",
      "highlights",
      "explain",
    ]);
    expect(json.snippet).toBe("…soldats en <mark>Irak</mark> &lt;b&gt;…");
    expect(json.snippetText).toBe(FULL.snippet.text);
    expect(json.snippetMarks).toEqual(FULL.snippet.marks);
    expect(json.titleHighlighted).toBe("L’OTAN en <mark>Irak</mark>");
  });

  test("a hit without its optional fields gets none of them", () => {
    const {
      date: _d,
      attributes: _a,
      highlights: _h,
      highlightsTruncated: _t,
      explain: _e,
      ...bare
    } = FULL;
    expect(Object.keys(presentHit(bare))).toEqual([
      "id",
      "score",
      "rankingScore",
      "title",
      "snippet",
      "snippetText",
      "snippetMarks",
      "titleHighlighted",
      "titleMarks",
    ]);
  });
});
