/**
 * What a query's words become before scoring: each alternative with the lists that hold its
 * term (the others left out), and the lists the snippets read, word by word then phrase by
 * phrase. These arrays are now made by pushes, not `map` and `filter` (execute.ts,
 * `preparedWords`): the same content, whatever way they are made.
 */
import { describe, expect, test } from "vitest";
import { FIELD_COUNT, indexDocuments } from "../../src/index/index.js";
import { DEFAULT_RANKING, execute } from "../../src/search/execute.js";
import { parseQuery } from "../../src/search/parse.js";
import { prepareWord } from "../../src/search/score.js";
import { weighWords } from "../../src/search/weigh.js";
import { testDocument as doc } from "./helpers.js";

const DOCS = [
  doc("a", "armée de terre", "la paix revient après la guerre"),
  doc("b", "paix durable", "une armée et un drone au-dessus de la frontière"),
  doc("c", "radar", "le radar voit le drone"),
];
const CONTENT = { bm25: DEFAULT_RANKING.bm25, stopwords: false };

describe("words prepared for scoring", () => {
  const index = indexDocuments(DOCS);
  const { postings } = index;
  const term = (word: string) => parseQuery(word).words[0]!.term;

  test("an alternative no list holds is left out; the others keep their order and lists", () => {
    const alternatives = [
      { term: term("armée"), weight: 1, kind: "exact" as const },
      { term: "absentdelindex", weight: 0.5, kind: "prefix" as const },
      { term: term("drone"), weight: 0.4, kind: "fuzzy" as const },
    ];
    const word = prepareWord(postings, alternatives, CONTENT);
    expect(word.alternatives.map((a) => a.alternative.term)).toEqual([
      term("armée"),
      term("drone"),
    ]);
    for (const { alternative, lists } of word.alternatives) {
      expect(lists.length, alternative.term).toBeGreaterThan(0);
      for (const list of lists) expect(postings.size(list.list)).toBeGreaterThan(0);
    }
    // armée: in a's title and b's body; drone: in b's and c's bodies.
    expect(word.postings).toBe(4);
    expect(word.upper).toBe(Math.max(...word.alternatives.map((a) => a.upper)));
    expect(prepareWord(postings, [alternatives[1]!], CONTENT).alternatives).toEqual([]);
  });

  test("the snippets' lists: each word's lists in the field, none for a phrase", () => {
    const query = parseQuery('armée "paix durable" radar');
    const execution = execute(index, query, undefined, DEFAULT_RANKING, { wanted: 10 });
    for (let field = 0; field < FIELD_COUNT; field++) {
      const expected = ["armée", "radar"].map((w) =>
        [postings.list(term(w), field)].filter((l) => postings.size(l) > 0),
      );
      expect(execution.listsIn(field), `field ${field}`).toEqual(expected);
    }
  });

  test("long queries' words weighed by idf and repetition, in order, shorter ones as they are", () => {
    const words = ["armée", "drone", "radar"].map((w) =>
      prepareWord(postings, [{ term: term(w), weight: 1, kind: "exact" as const }], CONTENT),
    );
    const idf = words.map((w) =>
      Math.max(...w.alternatives.flatMap((a) => a.lists.map((l) => l.idf))),
    );
    const top = Math.max(...idf);
    const counts = [1, 2, 1];
    const params = { longerThan: 2, idfPower: 1, k3: 2 };
    const weighted = weighWords(words, counts, params);
    expect(weighted).toHaveLength(3);
    weighted.forEach((word, i) => {
      const factor = (idf[i]! / top) * ((3 * counts[i]!) / (2 + counts[i]!));
      expect(word.upper, `word ${i}`).toBeCloseTo(words[i]!.upper * factor, 12);
      expect(word.alternatives[0]!.alternative.weight).toBeCloseTo(factor, 12);
    });
    expect(weighWords(words, counts, { ...params, longerThan: 3 })).toBe(words);
  });
});
