/**
 * An index's own stopWords (settings) join the French list, at index time and query time: the
 * words are no longer scored or highlighted, yet phrases and stopword-only queries still find
 * them, as they find the French stopwords.
 */
import { describe, expect, test } from "vitest";
import { defaultSettings } from "../../src/corpus/index.js";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { textDocument as doc } from "./helpers.js";

const DOCS = [
  doc("a", "Le budget", "Voir aussi le budget de la défense."),
  doc("b", "Voir Venise", "Voir Venise et mourir, voir la lagune."),
  doc("c", "Un budget", "Rien à voir."),
];

const plain = new LoupeEngine(indexDocuments(DOCS));
const own = new LoupeEngine(
  indexDocuments(DOCS, { ...defaultSettings(), stopWords: ["Voir", "aussi"] }),
);

describe("stopWords from the settings", () => {
  test("are not scored: a query's other words alone rank the documents", () => {
    const words = (engine: LoupeEngine) =>
      engine.search("voir budget", { explain: true }).hits[0]!.explain!.words.map((w) => w.word);
    expect(words(plain)).toEqual(["voir", "budget"]);
    expect(words(own)).toEqual(["budget"]);
    expect(
      own
        .search("voir budget")
        .hits.map((hit) => hit.id)
        .sort(),
    ).toEqual(["a", "c"]);
  });

  test("are not highlighted among other words", () => {
    const hit = own.search("voir budget", { highlights: true }).hits.find((h) => h.id === "a")!;
    const marked = (hit.highlights ?? []).map(([start, end]) => DOCS[0]!.body.slice(start, end));
    expect(marked).toEqual(["budget"]);
  });

  test("a query made only of them still finds them, as for French stopwords", () => {
    expect(own.search("voir").hits.map((hit) => hit.id)).toContain("b");
  });

  test("phrases still hold their places", () => {
    expect(own.search('"voir venise"').hits.map((hit) => hit.id)).toEqual(["b"]);
  });

  test("the default chain is untouched by another index's list", () => {
    expect(plain.search("aussi").hits.map((hit) => hit.id)).toEqual(["a"]);
    expect(plain.search("aussi", { explain: true }).hits[0]!.explain!.words[0]!.word).toBe("aussi");
  });
});
