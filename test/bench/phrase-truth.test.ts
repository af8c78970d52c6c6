import { describe, expect, it } from "vitest";
import { compilePhrase, phraseMatches } from "../../bench/scale/phrase-truth.js";

const doc = (id: string, title: string, body: string) => ({ id, title, body });

function matching(phrase: string, docs: ReturnType<typeof doc>[]): string[] {
  const [ids] = phraseMatches([compilePhrase(phrase)], docs);
  return ids ?? [];
}

describe("the brute-force phrase count of the scale benchmark", () => {
  it("needs the words side by side and in order, within one field", () => {
    const docs = [
      doc("a", "Pierre", "une pierre taillée"),
      doc("b", "Taille", "la taille de la pierre"),
      doc("c", "pierre", "taille"),
      doc("d", "", "Pierre taille, en mots voisins"),
    ];
    expect(matching('"pierre taille"', docs)).toEqual(["d"]);
  });

  it("lets a stopword of the phrase match any word at its place", () => {
    const docs = [
      doc("de", "", "pierre de taille"),
      doc("a", "", "pierre à taille"),
      doc("dure", "", "pierre dure taille"),
      doc("none", "", "pierre taille"),
      doc("two", "", "pierre de la taille"),
    ];
    expect(matching('"pierre de taille"', docs)).toEqual(["de", "a", "dure"]);
  });

  it("matches a phrase of stopwords only on those very words", () => {
    const docs = [
      doc("yes", "", "le bord de la mer"),
      doc("reversed", "", "la de"),
      doc("apart", "", "de toute la"),
    ];
    expect(matching('"de la"', docs)).toEqual(["yes"]);
  });

  it("reads the words through loupe's chain: case, accents, line breaks", () => {
    const docs = [
      doc("heading", "", "ÉTYMOLOGIE\n\nLat. dissimulare"),
      doc("folded", "", "etymologie lat"),
      doc("far", "", "ÉTYMOLOGIE\n\nDu lat."),
    ];
    expect(matching('"ÉTYMOLOGIE Lat"', docs)).toEqual(["heading", "folded"]);
  });

  it("counts each document once, whatever the number of occurrences", () => {
    const docs = [doc("x", "de la", "de la et encore de la")];
    expect(matching('"de la"', docs)).toEqual(["x"]);
  });
});
