import { describe, expect, test } from "vitest";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine, MAX_HIGHLIGHTS } from "../../src/search/engine.js";
import { textDocument } from "./helpers.js";

describe("a document with a word more often than can be marked", () => {
  // 150,000 times « avant tout » (1.8 MB): past what a page can show or an answer can wait for.
  const body = "Avant tout. ".repeat(150_000);
  const engine = new LoupeEngine(
    indexDocuments([
      textDocument("huge", "Énorme", body),
      textDocument("small", "Petit", "Avant tout, un texte court."),
    ]),
  );

  test("the document route marks the first MAX_HIGHLIGHTS matches and says it stopped", () => {
    const view = engine.getDocument("huge", "avant")!;
    expect(view.highlights).toHaveLength(MAX_HIGHLIGHTS);
    expect(view.highlightsTruncated).toBe(true);
    expect(view.highlights!.slice(0, 2)).toEqual([
      [0, 5],
      [12, 17],
    ]);
    const small = engine.getDocument("small", "avant")!;
    expect(small.highlights).toEqual([[0, 5]]);
    expect(small.highlightsTruncated).toBeUndefined();
  });

  test("a phrase marks the same way, without overflowing the stack", () => {
    const view = engine.getDocument("huge", '"avant tout"')!;
    expect(view.highlights).toHaveLength(MAX_HIGHLIGHTS);
    expect(view.highlightsTruncated).toBe(true);
    expect(view.highlights![0]).toEqual([0, 10]);
  });

  test("exactly MAX_HIGHLIGHTS matches: all marked, and nothing said to be left out", () => {
    const exact = new LoupeEngine(
      indexDocuments([textDocument("exact", "Juste", "Avant tout. ".repeat(MAX_HIGHLIGHTS))]),
    );
    const view = exact.getDocument("exact", "avant")!;
    expect(view.highlights).toHaveLength(MAX_HIGHLIGHTS);
    expect(view.highlightsTruncated).toBeUndefined();
  });

  test("hits with highlights are bounded the same way", () => {
    const result = engine.search("avant", { highlights: true });
    const huge = result.hits.find((hit) => hit.id === "huge")!;
    expect(huge.highlights).toHaveLength(MAX_HIGHLIGHTS);
    expect(huge.highlightsTruncated).toBe(true);
    const plain = engine.search("avant").hits.find((hit) => hit.id === "huge")!;
    expect(plain.highlightsTruncated).toBeUndefined();
    expect(result.hits.find((hit) => hit.id === "small")!.highlightsTruncated).toBeUndefined();
  });
});
