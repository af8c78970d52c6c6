import { beforeAll, describe, expect, test } from "vitest";
import { DEFAULT_RANKING } from "../../src/search/execute.js";
import { LoupeEngine } from "../../src/search/index.js";
import { rankingScore } from "../../src/search/ranking-score.js";
import { type SeedsEngine, seedsEngine } from "./helpers.js";

describe("rankingScore", () => {
  test("rises with the score, in (0, 1)", () => {
    const values = [-200, -20, -1, 0, 1, 20, 200].map((score) =>
      rankingScore({ score, allWords: true }, false),
    );
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBeGreaterThan(5);
    for (const value of values) expect(value).toBeGreaterThanOrEqual(0);
    for (const value of values) expect(value).toBeLessThanOrEqual(1);
  });

  test("with every word first, a document holding them all is never below one that does not", () => {
    for (const low of [-500, -20, 0, 30])
      for (const high of [-30, 0, 20, 500]) {
        expect(rankingScore({ score: low, allWords: true }, true)).toBeGreaterThanOrEqual(
          rankingScore({ score: high, allWords: false }, true),
        );
      }
  });
});

test("past the re-ranking's window, never above a document within it, in the same band", () => {
  for (const allWordsFirst of [false, true])
    for (const low of [-500, -20, 0, 30])
      for (const high of [-30, 0, 20, 500]) {
        expect(rankingScore({ score: low, allWords: true }, allWordsFirst)).toBeGreaterThanOrEqual(
          rankingScore({ score: high, allWords: true, pastWindow: true }, allWordsFirst),
        );
      }
});

test("a window ordered by the learned score alone is above everything past it, in any band", () => {
  for (const low of [-500, -20, 0, 30])
    for (const high of [-30, 0, 20, 500])
      for (const inWindow of [false, true])
        for (const past of [false, true]) {
          expect(
            rankingScore({ score: low, allWords: inWindow }, true, true),
          ).toBeGreaterThanOrEqual(
            rankingScore({ score: high, allWords: past, pastWindow: true }, true, true),
          );
        }
  // Past the window, documents holding every word still come first.
  for (const low of [-500, 0, 30])
    for (const high of [-30, 0, 500])
      expect(
        rankingScore({ score: low, allWords: true, pastWindow: true }, true, true),
      ).toBeGreaterThanOrEqual(
        rankingScore({ score: high, allWords: false, pastWindow: true }, true, true),
      );
});

describe("rankingScore over the seeds", () => {
  let seeds: SeedsEngine;
  beforeAll(async () => {
    seeds = await seedsEngine();
  });

  test("never rises down a page, where the raw score does", () => {
    // The learned ranking orders its window by its score alone; the hand-made one puts
    // documents holding every word first in short queries, whatever their score.
    const handMade = new LoupeEngine(seeds.engine.index, {
      ...DEFAULT_RANKING,
      learned: undefined,
    });
    let rawRises = 0;
    for (const engine of [seeds.engine, handMade])
      for (const query of [
        "ministre armées",
        "Parly Irak",
        "OTAN hélicoptères",
        "Etat islamique",
        "soldats français Irak",
        "Trump Iran",
        "Irak",
        "nous",
      ]) {
        const hits = engine.search(query, { limit: 10 }).hits;
        expect(hits.length).toBeGreaterThan(1);
        hits.slice(1).forEach((hit, i) => {
          expect(hit.rankingScore, query).toBeLessThanOrEqual(hits[i]!.rankingScore);
          if (hit.score > hits[i]!.score) rawRises++;
        });
      }
    // The case this is for.
    expect(rawRises).toBeGreaterThan(0);
  });
});
