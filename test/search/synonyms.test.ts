/**
 * Synonyms through the analysis chain, on a small collection: single and multi-word keys,
 * multi-word synonyms, one-way lists, and what they add to the score.
 */
import { describe, expect, test } from "vitest";
import { defaultSettings } from "../../src/corpus/index.js";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { DEFAULT_RANKING } from "../../src/search/execute.js";
import { synonymTable } from "../../src/search/synonyms.js";
import { textDocument as doc } from "./helpers.js";

const DOCS = [
  doc("daech", "Daech recule", "Le groupe perd du terrain."),
  doc("ei", "L'État islamique recule", "Le groupe perd du terrain."),
  doc("etat", "Un État voisin", "Rien sur le groupe."),
  doc("ue", "L'Union européenne se réunit", "Les ministres parlent."),
  doc("union", "Une union sacrée", "Les partis parlent."),
];

const engine = new LoupeEngine(
  indexDocuments(DOCS, {
    ...defaultSettings(),
    synonyms: {
      Daech: ["État islamique"],
      "État islamique": ["Daech"],
      UE: ["Union européenne"],
    },
  }),
);
const handMade = new LoupeEngine(engine.index, { ...DEFAULT_RANKING, learned: undefined });
const ids = (q: string) => engine.search(q, { explain: true }).hits.map((hit) => hit.id);

describe("synonyms", () => {
  test("keys and listed words go through the analysis chain (case, accents, elision)", () => {
    const table = synonymTable({ "L'OTAN": ["NATO"], Hélicoptères: ["Choppers"] });
    expect([...table.single.keys()].sort()).toEqual(["helicopter", "otan"]);
    expect(table.single.get("otan")).toEqual([
      { term: "nato", weight: 1, kind: "synonym", via: "NATO" },
    ]);
  });

  test("a multi-word key is found as consecutive query words; each then matches the synonym", () => {
    // A synonym weighs as the words themselves in BM25: the shorter title ranks first.
    expect(handMade.search("État islamique").hits.map((hit) => hit.id)).toEqual([
      "daech",
      "ei",
      "etat",
    ]);
    // The learned re-ranker also counts the two words standing side by side, which a one-word
    // synonym cannot: the title written as the query comes first, both before « Un État voisin ».
    expect(ids("État islamique")).toEqual(["ei", "daech", "etat"]);
    const daech = engine
      .search("etat islamique", { explain: true })
      .hits.find((h) => h.id === "daech")!;
    expect(daech.explain!.allWords).toBe(true);
    expect(daech.explain!.words.map((word) => word.kind)).toEqual(["synonym", "synonym"]);
    expect(daech.titleMarks).toEqual([[0, 5]]);
    // Not consecutive: no synonym.
    expect(ids("islamique État")).toEqual(["ei", "etat"]);
    expect(ids("État")).not.toContain("daech");
  });

  test("a multi-word synonym matches through each word, weighing less than the key itself", () => {
    // By BM25 the title holding the whole synonym comes first. The learned trees also weigh
    // how much of a title the query covers (« UE » is one word of a three-word title, one of
    // two in « Une union sacrée ») and may order these two the other way: the words' own
    // scores, below, are what this test is about.
    expect(handMade.search("UE").hits.map((hit) => hit.id)).toEqual(["ue", "union"]);
    const result = engine.search("UE", { explain: true });
    const hit = (id: string) => result.hits.find((h) => h.id === id)!;
    expect(result.hits.map((h) => h.id).sort()).toEqual(["ue", "union"]);
    const [ue, union] = [hit("ue").explain!.words[0]!, hit("union").explain!.words[0]!];
    expect(ue.score).toBeGreaterThan(union.score);
    expect(union).toMatchObject({ match: "Union européenne", kind: "synonym" });
  });

  test("one-way: the listed words do not find the key", () => {
    expect(ids("européenne")).toEqual(["ue"]);
  });
});
