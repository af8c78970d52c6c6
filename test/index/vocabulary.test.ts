import { describe, expect, it } from "vitest";
import { Vocabulary, type VocabularyJSON } from "../../src/index/vocabulary.js";

const vocabulary = (words: Array<[string, number]>): Vocabulary =>
  Vocabulary.fromJSON(
    words.map(([key, documents]): VocabularyJSON[number] => [
      key,
      key,
      documents,
      { [key]: documents },
    ]),
  );

const near = (v: Vocabulary, key: string, max: number) =>
  v.near(key, max).map(({ entry, distance }) => [entry.key, distance]);

describe("Vocabulary.near", () => {
  const v = vocabulary([
    ["parlement", 5],
    ["parlements", 2],
    ["parement", 3],
    ["marlement", 1],
    ["arlement", 1],
    ["soldat", 4],
    ["soldats", 6],
  ]);

  it("finds words one or two edits away that keep the first letter, nearest then most used", () => {
    expect(near(v, "parlemant", 1)).toEqual([["parlement", 1]]);
    expect(near(v, "parlemant", 2)).toEqual([
      ["parlement", 1],
      ["parement", 2],
      ["parlements", 2],
    ]);
    expect(near(v, "soldat", 1)).toEqual([["soldats", 1]]);
  });

  it("counts an edit of the first letter as two, as Meilisearch does", () => {
    // `marlement` and `arlement` differ from `parlement` by its first letter only.
    expect(near(v, "parlement", 1)).toEqual([
      ["parement", 1],
      ["parlements", 1],
    ]);
    expect(near(v, "parlement", 2).filter(([, d]) => d === 2)).toEqual([
      ["arlement", 2],
      ["marlement", 2],
    ]);
    // Inserted before the first letter: `xparlement` is two edits from `parlement`.
    expect(near(v, "xparlement", 2)).toContainEqual(["parlement", 2]);
    // A first-letter edit plus another is three: never found.
    expect(near(v, "marlemant", 2).map(([key]) => key)).not.toContain("parlement");
  });

  it("answers the same for the same word asked twice, and anew with another budget", () => {
    const first = near(v, "soldts", 1);
    expect(near(v, "soldts", 1)).toEqual(first);
    expect(near(v, "soldts", 2)).toEqual([
      ["soldats", 1],
      ["soldat", 2],
    ]);
  });
});
