/**
 * The learned re-ranker (`learned.ts`): its feature vector on hand-made documents, the start
 * model giving the hand-made order, and the shipped weights loading and re-ranking the same
 * way every time. Nothing here trains.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { analyzeWord, withAnalyzer } from "../../src/analysis/index.js";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import {
  DEFAULT_RANKING,
  execute,
  type Features,
  planWords,
  type RankedDocument,
  type RankingParams,
} from "../../src/search/execute.js";
import {
  featuresOf,
  type LearnedModel,
  MAX_SECTION_POSITIONS,
  modelFrom,
  SECTION_WORDS,
  SHIPPED_MODEL,
  SIGNALS,
} from "../../src/search/learned.js";
import { parseQuery } from "../../src/search/parse.js";
import { PositionReader, proximityOf } from "../../src/search/proximity.js";
import { prepareWord } from "../../src/search/score.js";
import { ROOT, textDocument } from "./helpers.js";

const doc = textDocument;

const DOCS = [
  doc("together", "Carte grise", "Pour obtenir une carte grise, faites la demande en ligne."),
  doc(
    "apart",
    "Véhicules",
    "Une carte routière aide le conducteur. Le ciel est gris, la voiture est grise aussi.",
  ),
  doc("other", "Permis de conduire", "Le permis de conduire se demande en préfecture."),
];

const index = indexDocuments(DOCS);

function featuresFor(
  query: string,
  model: LearnedModel,
  on: ReturnType<typeof indexDocuments> = index,
): { top: readonly RankedDocument[]; features: Features } {
  let seen: { top: readonly RankedDocument[]; features: Features } | undefined;
  withAnalyzer(on.analyzer, () =>
    execute(
      on,
      parseQuery(query),
      undefined,
      { ...DEFAULT_RANKING, learned: model },
      {
        onFeatures: (top, features) => {
          seen = { top, features };
        },
      },
    ),
  );
  if (seen === undefined) throw new Error("no features collected");
  return seen;
}

/** Each re-ranked document's feature vector, by id, and the vectors in the engine's order. */
function vectorsFor(
  query: string,
  model: LearnedModel,
  on: ReturnType<typeof indexDocuments> = index,
): { byId: Map<string, Float64Array>; vectors: Float64Array[] } {
  const { top, features } = featuresFor(query, model, on);
  return {
    byId: new Map(top.map((d, i) => [d.id, features.vectors[i]!])),
    vectors: features.vectors,
  };
}

const START: LearnedModel = {
  shortUpTo: 4,
  weights: { bm25: 1, proximity: DEFAULT_RANKING.proximity.weight },
};

const value = (vector: Float64Array, signal: (typeof SIGNALS)[number]) =>
  vector[SIGNALS.indexOf(signal)]!;

describe("feature vector", () => {
  test("a hand-made case: words side by side in the title and body against words far apart", () => {
    const { byId, vectors } = vectorsFor("carte grise", START);
    const together = byId.get("together")!;
    const apart = byId.get("apart")!;
    expect(byId.has("other")).toBe(false);
    expect(together).toHaveLength(SIGNALS.length);
    // Both words matched, both in the title (a two-word title: wholly covered).
    expect(value(together, "coverage")).toBe(1);
    expect(value(together, "idfCoverage")).toBe(1);
    expect(value(together, "titleCoverage")).toBe(1);
    expect(value(together, "titleShare")).toBe(1);
    expect(value(together, "adjacent")).toBe(1);
    expect(value(together, "compactness")).toBe(1);
    expect(value(together, "expanded")).toBe(0);
    // « carte » is the body's fourth word: early, though not first.
    expect(value(together, "early")).toBeGreaterThan(0);
    expect(value(together, "early")).toBeLessThan(1);
    // The best score among the re-ranked is the scale: the best document's bm25 is 1.
    expect(Math.max(...vectors.map((v) => value(v, "bm25")))).toBe(1);
    expect(value(together, "title") + value(together, "body")).toBeCloseTo(
      value(together, "bm25"),
      12,
    );
    // A two-word query is short: the short copies equal their signals.
    expect(value(together, "shortProximity")).toBe(value(together, "proximity"));
    expect(value(together, "shortTitleCoverage")).toBe(1);
    // Far apart, not in the title.
    expect(value(apart, "titleCoverage")).toBe(0);
    expect(value(apart, "adjacent")).toBe(0);
    expect(value(apart, "compactness")).toBeLessThan(1);
    expect(value(apart, "proximity")).toBeLessThan(value(together, "proximity"));
  });

  test("described: the query's words among the 40 words after the body's DESCRIPTION heading", () => {
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `mot${i}`).join(" ");
    const pages = indexDocuments([
      doc("said", "asin(3)", `SYNOPSIS ${filler(30)} DESCRIPTION La fonction calcule l'arc sinus.`),
      // The same words, but more than 40 words past the heading.
      doc(
        "late",
        "asinh(3)",
        `SYNOPSIS DESCRIPTION ${filler(45)} La fonction calcule l'arc sinus.`,
      ),
      doc("none", "sinus", "La fonction calcule l'arc sinus, sans section."),
      doc("half", "acos(3)", `DESCRIPTION La fonction ${filler(60)} calcule l'arc sinus.`),
    ]);
    const { byId } = vectorsFor("fonction arc sinus", START, pages);
    expect(value(byId.get("said")!, "described")).toBe(1);
    expect(value(byId.get("late")!, "described")).toBe(0);
    expect(value(byId.get("none")!, "described")).toBe(0);
    expect(value(byId.get("half")!, "described")).toBeCloseTo(1 / 3, 12);
  });

  test("the query's length, the title's, its idf, the body's lead, likelihood, saturation", () => {
    const { byId, vectors } = vectorsFor("carte grise", START);
    const together = byId.get("together")!;
    const apart = byId.get("apart")!;
    expect(value(together, "queryLength")).toBe(2 / 40);
    // « Carte grise »: two words; « Véhicules »: one.
    expect(value(together, "titleLength")).toBeCloseTo(Math.log1p(2) / 3, 12);
    expect(value(apart, "titleLength")).toBeCloseTo(Math.log1p(1) / 3, 12);
    // Both words in the first title, none in the other.
    expect(value(together, "titleIdfCoverage")).toBe(1);
    expect(value(apart, "titleIdfCoverage")).toBe(0);
    expect(value(together, "titleLead")).toBe(1);
    expect(value(apart, "titleLead")).toBe(0);
    // Both bodies hold both words within their first 50 words.
    expect(value(together, "leadIdf")).toBe(1);
    expect(value(apart, "leadIdf")).toBe(1);
    // The best likelihood among the re-ranked is 0, the others below it.
    const likelihoods = vectors.map((v) => value(v, "likelihood"));
    expect(Math.max(...likelihoods)).toBe(0);
    for (const l of likelihoods) expect(l).toBeLessThanOrEqual(0);
    // « gris » and « grise » make the same term: the second body holds it twice, and is the
    // likelier despite its length; the first, below it.
    expect(value(apart, "likelihood")).toBe(0);
    expect(value(together, "likelihood")).toBeLessThan(-0.01);
    // The body's words at k1 2.5 over the same scale as bm25: positive where they occur.
    expect(value(together, "bodySaturated")).toBeGreaterThan(0);
    expect(value(apart, "bodySaturated")).toBeGreaterThan(0);
  });

  test("titleLead: a title holding the query's first word weighs more than one holding its last", () => {
    const pages = indexDocuments([
      doc("first", "Mutation", "La mutation d'un fonctionnaire change son emploi."),
      doc("last", "Emploi", "La mutation d'un fonctionnaire change son emploi."),
    ]);
    const { byId } = vectorsFor("mutation fonctionnaire emploi", START, pages);
    // 1 / (1 + place), over 1 + 1/2 + 1/3.
    expect(value(byId.get("first")!, "titleLead")).toBeCloseTo(1 / (11 / 6), 12);
    expect(value(byId.get("last")!, "titleLead")).toBeCloseTo(1 / 3 / (11 / 6), 12);
  });

  test("a long query has no short-query signals", () => {
    const { features } = featuresFor("carte grise demande en ligne conducteur voiture", START);
    for (const vector of features.vectors) {
      for (const [i, signal] of SIGNALS.entries()) {
        if (signal.startsWith("short")) expect(vector[i]).toBe(0);
      }
    }
  });
});

describe("the start model is the hand-made order", () => {
  test("BM25 plus proximity at the ranking's weight gives the same page and scores", () => {
    // The model orders what it re-ranks by its score alone, every word or not (the hand-made
    // ranking puts documents holding every word first there too).
    const plain = new LoupeEngine(index, {
      ...DEFAULT_RANKING,
      learned: undefined,
      allWordsFirstUpTo: 0,
    });
    const learned = new LoupeEngine(index, { ...DEFAULT_RANKING, learned: START });
    for (const query of ["carte grise", "permis de conduire", "grise voiture carte"]) {
      const a = plain.search(query, { explain: true }).hits;
      const b = learned.search(query, { explain: true }).hits;
      expect(b.map((h) => h.id)).toEqual(a.map((h) => h.id));
      b.forEach((hit, i) => {
        expect(hit.score).toBeCloseTo(a[i]!.score, 6);
        expect(hit.explain?.proximity.score).toBeCloseTo(a[i]!.explain!.proximity.score, 9);
      });
    }
  });
});

describe("the shipped weights", () => {
  const file = path.join(ROOT, "src", "search", "learned-rank.json");
  const shipped = JSON.parse(readFileSync(file, "utf8")) as LearnedModel & { trainedBy: string };

  test("load: known signals, finite weights, and the command that trained them", () => {
    expect(shipped.trainedBy).toMatch(/bench\/learn-rank\.ts/);
    expect(SHIPPED_MODEL).toEqual(modelFrom(shipped));
    expect(shipped.shortUpTo).toBeGreaterThan(0);
    for (const [signal, weight] of Object.entries(shipped.weights)) {
      expect(SIGNALS).toContain(signal);
      expect(Number.isFinite(weight)).toBe(true);
    }
  });

  test("a file out of step with the code is refused", () => {
    expect(() => modelFrom({ shortUpTo: 4, weights: { bm25: 1, pagerank: 2 } })).toThrow(
      /unknown signal pagerank/,
    );
    expect(() => modelFrom({ shortUpTo: 4, weights: { bm25: "1" } })).toThrow(/finite/);
    expect(() => modelFrom({ weights: {} })).toThrow(/shortUpTo/);
  });

  test("are the default ranking's, and explain shows them", () => {
    expect(DEFAULT_RANKING.learned).toBe(SHIPPED_MODEL);
    const hit = new LoupeEngine(index).search("carte grise", { explain: true }).hits[0]!;
    expect(hit.explain?.learned?.map((s) => s.signal)).toContain("bm25");
  });

  test("explaining changes no hit, score or order (its signals are worked out apart)", () => {
    const engine = new LoupeEngine(index);
    for (const query of ["carte grise", "carte", "grise carte permis"]) {
      const plain = engine.search(query).hits;
      const explained = engine.search(query, { explain: true }).hits;
      expect(explained.map(({ explain, ...hit }) => hit)).toEqual(plain);
      expect(plain.every((hit) => hit.explain === undefined)).toBe(true);
      expect(explained.every((hit) => hit.explain?.learned !== undefined)).toBe(true);
    }
  });

  test("re-rank deterministically, and explain each signal's part of the score", () => {
    const ranking: RankingParams = { ...DEFAULT_RANKING, learned: SHIPPED_MODEL };
    const run = () => new LoupeEngine(index, ranking).search("carte grise", { explain: true }).hits;
    const first = run();
    expect(run()).toEqual(first);
    expect(first[0]?.id).toBe("together");
    for (const hit of first) {
      const signals = hit.explain?.learned ?? [];
      expect(signals.length).toBeGreaterThan(0);
      const sum = signals.reduce((a, s) => a + s.contribution, 0);
      expect(sum).toBeCloseTo(hit.explain!.score, 9);
    }
  });

  test("without trees, each part is weight × value × one scale per query", () => {
    const linear: LearnedModel = { shortUpTo: 4, weights: SHIPPED_MODEL.weights };
    const hits = new LoupeEngine(index, { ...DEFAULT_RANKING, learned: linear }).search(
      "carte grise",
      { explain: true },
    ).hits;
    for (const hit of hits) {
      const signals = hit.explain?.learned ?? [];
      expect(signals.map((s) => s.signal)).not.toContain("base");
      // One scale per query (the best BM25 score): every part is weight × value × it.
      const scales = signals.map((s) => s.contribution / (s.weight * s.value));
      for (const scale of scales) expect(scale).toBeCloseTo(scales[0]!, 9);
    }
  });
});

describe("a model with trees", () => {
  // One tree: documents whose words are never side by side gain 10 (× the best BM25 score).
  const adjacent = SIGNALS.indexOf("adjacent");
  const apartFirst: LearnedModel = {
    ...START,
    trees: [
      {
        feature: [adjacent, -1, -1],
        threshold: [0.5, 0, 0],
        left: [1, -1, -1],
        right: [2, -1, -1],
        value: [5, 10, 0],
      },
    ],
  };

  test("re-ranks as its trees say, and explain splits the score among the signals", () => {
    const hits = new LoupeEngine(index, { ...DEFAULT_RANKING, learned: apartFirst }).search(
      "carte grise",
      { explain: true },
    ).hits;
    expect(hits.map((h) => h.id)).toEqual(["apart", "together"]);
    for (const hit of hits) {
      const signals = hit.explain?.learned ?? [];
      const sum = signals.reduce((a, s) => a + s.contribution, 0);
      expect(sum).toBeCloseTo(hit.explain!.score, 9);
      // The root's value is every document's; the step from it is the adjacency signal's.
      const base = signals.find((s) => s.signal === "base")!;
      expect(base.weight).toBe(5);
      const step = signals.find((s) => s.signal === "adjacent")?.contribution ?? 0;
      expect(Math.sign(step)).toBe(hit.id === "apart" ? 1 : -1);
    }
  });

  test("a tree file out of step is refused, naming the tree", () => {
    expect(() =>
      modelFrom({ ...START, trees: [{ ...apartFirst.trees![0], feature: [99, -1, -1] }] }),
    ).toThrow(/tree 0: node 0 splits on feature 99/);
    expect(() => modelFrom({ ...START, trees: {} })).toThrow(/trees must be an array/);
  });
});

/**
 * The features read proximity's and the DESCRIPTION section's positions through the cursors
 * that score each document: they must be the values that position readers of their own give
 * (`PositionReader`, as `proximityOf` and the section read them before), whatever the lists a
 * word has (prefix and typo matches), past the 512 and 1,000 positions read per word (fixed
 * documents: the random ones are short).
 */
describe("the positions the features read", () => {
  const POOL = ["chat", "chats", "chaton", "château", "chien", "le", "DESCRIPTION", "mot"];
  const body = fc
    .array(fc.constantFrom(...POOL), { minLength: 1, maxLength: 1500 })
    .map((words) => words.join(" "));
  const title = fc.array(fc.constantFrom(...POOL), { maxLength: 6 }).map((w) => w.join(" "));
  const query = fc.array(fc.constantFrom("chat", "chien", "château", "mot", "chato"), {
    minLength: 1,
    maxLength: 3,
  });

  test("are the ones position readers of their own give", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(title, body), { minLength: 1, maxLength: 4 }),
        query,
        fc.nat(4),
        (generated, asked, at) => {
          // Another word just past a word's 513th place, where proximity stops reading (512
          // places a word: it sees them 2 words apart, not side by side); the word's 601st
          // place just past the heading, within what the section reads (1,000).
          const docs = [...generated];
          docs.splice(at % (docs.length + 1), 0, [
            "chat",
            `${"chat ".repeat(513)}chien ${"chat ".repeat(87)}DESCRIPTION chat`,
          ]);
          // A word's 1,101st place just past the heading: past what the section reads.
          docs.splice(at % (docs.length + 1), 0, [
            "mot",
            `${"chat ".repeat(1100)}DESCRIPTION chat`,
          ]);
          const built = indexDocuments(docs.map(([t, b], i) => doc(`d${i}`, t, b)));
          const { postings } = built;
          withAnalyzer(built.analyzer, () => {
            const plan = planWords(built, parseQuery(asked.join(" ")));
            const bm25 = DEFAULT_RANKING.bm25;
            const words = plan.scoredWords.map(({ alternatives }) =>
              prepareWord(postings, alternatives, { bm25, stopwords: false }),
            );
            if (words.length === 0) return;
            const ranked = docs.map((_, ordinal) => ({ ordinal, score: 1 + ordinal }));
            const { scale, vectors } = featuresOf({ postings, words, bm25, shortUpTo: 4 }, ranked);
            const near = { weight: 1, window: 8, rerank: ranked.length };
            const heading = postings.list(analyzeWord("DESCRIPTION").term, 1);
            const sections = new PositionReader(postings);
            const nearness = new PositionReader(postings);
            for (const { ordinal } of ranked) {
              const v = vectors[ordinal]!;
              const count = words.length;
              const proximity =
                count > 1 ? proximityOf(nearness, words, ordinal, near, true) : undefined;
              expect(value(v, "proximity")).toBe(proximity ? proximity.score / scale : 0);
              expect(value(v, "adjacent")).toBe(
                proximity ? proximity.adjacentPairs / (count - 1) : 0,
              );
              expect(value(v, "compactness")).toBe(
                proximity && proximity.window > 0 ? Math.min(1, count / proximity.window) : 0,
              );
              let described = 0;
              const cursor = heading >= 0 ? postings.cursor(heading) : undefined;
              if (cursor !== undefined && cursor.seek(ordinal) === ordinal) {
                const start = cursor.firstPosition();
                for (const word of words) {
                  const at: number[] = [];
                  sections.readWord(word, 1, ordinal, at, MAX_SECTION_POSITIONS);
                  if (at.some((p) => p > start && p <= start + SECTION_WORDS)) described++;
                }
                described /= count;
              }
              expect(value(v, "described")).toBe(described);
            }
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});
