import { describe, expect, it } from "vitest";
import type { BenchDoc, BenchQuery } from "../../bench/corpus.js";
import { headings, shortManQueries, shortSheetQueries } from "../../bench/relevance/sets.js";
import { phraseQueries, shortQueries } from "../../bench/scale/queries.js";

const doc = (id: string, title: string, body: string): BenchDoc => ({
  id,
  title,
  body,
  source: id.startsWith("man-") ? "man" : "sp",
  bytes: body.length,
});

describe("keyword-style short queries of the relevance harness", () => {
  it("keeps the keywords of a man page's NAME description, without its command names", () => {
    const docs = new Map([["man-asin.3", doc("man-asin.3", "asin, asinf, asinl(3)", "SYNOPSIS")]]);
    const train: BenchQuery[] = [
      {
        query: "asin : fonction arc sinus de la mesure principale",
        id: "man-asin.3",
        source: "man",
      },
    ];
    expect(shortManQueries(train, docs).map((q) => q.query)).toEqual(["fonction arc sinus mesure"]);
  });

  it("passes over a description left with fewer than 2 keywords", () => {
    const docs = new Map([["man-ls.1", doc("man-ls.1", "ls(1)", "")]]);
    const train: BenchQuery[] = [{ query: "ls le", id: "man-ls.1", source: "man" }];
    expect(shortManQueries(train, docs)).toEqual([]);
  });

  it("finds a sheet's headings: short standalone lines, no sentence, no list item", () => {
    const body =
      "Visite d'information\n\nUn texte qui finit.\n\n- un item\n\nÀ noter :\n\nAssurance";
    expect(headings(body)).toEqual(["Visite d'information", "Assurance"]);
  });

  it("uses a sheet's most specific heading, never one many sheets share, never the title's words", () => {
    const shared = "Où s'adresser\n\nDémarche en ligne";
    const docs = [
      doc("sp-1", "Stage d'observation", `${shared}\n\nSéquence d'observation au collège`),
      doc("sp-2", "Autre", `${shared}\n\nPanneau affichage municipal`),
      doc("sp-3", "Encore", shared),
    ];
    const out = shortSheetQueries(docs);
    expect(out).toEqual([
      { query: "Séquence collège", id: "sp-1", source: "sp" },
      { query: "Panneau affichage municipal", id: "sp-2", source: "sp" },
    ]);
  });
});

describe("the Littré queries of the scale benchmark", () => {
  const docs = Array.from({ length: 40 }, (_, i) => ({
    id: `littre-${i}`,
    title: `MOT${String.fromCharCode(97 + (i % 26))}lettre`,
    body: `Définition du mot numéro ${i}, terme de marine et de jardinage ; pierre de taille, voy. ROC.`,
  }));

  it("are the same for the same seed, other for another", () => {
    expect(shortQueries(docs, 10, 11)).toEqual(shortQueries(docs, 10, 11));
    expect(shortQueries(docs, 10, 11)).not.toEqual(shortQueries(docs, 10, 12));
  });

  it("start with the issue's two phrases, every phrase quoted, 1–3 words for short ones", () => {
    const phrases = phraseQueries(docs, 8, 11);
    expect(phrases.slice(0, 2)).toEqual(['"de la"', '"ÉTYMOLOGIE Lat"']);
    for (const p of phrases) expect(p).toMatch(/^"[^"]+"$/);
    for (const q of shortQueries(docs, 10, 11)) {
      expect(q.split(" ").length).toBeGreaterThanOrEqual(1);
      expect(q.split(" ").length).toBeLessThanOrEqual(3);
      expect(q).not.toMatch(/roc|voy/);
    }
  });
});
