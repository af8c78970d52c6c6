/**
 * Completions weigh the words typed before: `carte g` offered `carte glibc` and not `carte
 * grise`, `permis de c` offered `permis de cas` and not `permis de conduire` (QA).
 */
import { describe, expect, test } from "vitest";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { testDocument as doc } from "./helpers.js";

// `glibc`, `général` and `comme` are in more documents than `grise` and `conduire`, which
// alone follow `carte` and `permis de`.
const engine = new LoupeEngine(
  indexDocuments([
    doc("a", "La carte grise", "Demander la carte grise du véhicule."),
    doc("b", "Le permis de conduire", "Passer le permis de conduire, comme chacun."),
    doc("c", "La glibc", "La glibc en général, comme la carte mère."),
    doc("d", "Encore la glibc", "Une glibc générale, comme toujours, et une carte."),
    doc("e", "Toujours la glibc", "La glibc, comme en général."),
    doc("f", "Conduire", "Conduire prudemment, comme il faut."),
  ]),
);

const joined = new LoupeEngine(
  indexDocuments([
    doc("l1", "Aide en ligne", "Une aide en ligne, toujours une aide en ligne."),
    doc("l2", "Services", "L’aide en ligne du service."),
    doc("l3", "Formulaires", "Remplir le formulaire d’aide en ligne."),
    doc("g1", "Logement", "Demander une aide au logement."),
  ]),
);

describe("completions after other words", () => {
  test("a stopword typed just before counts too", () => {
    // `aide au l` offered « aide au ligne », counted from « aide en ligne » (QA).
    expect(joined.suggest("aide au l")[0]).toBe("aide au logement");
    expect(joined.suggest("aide en l")[0]).toBe("aide en ligne");
  });

  test("what follows the words typed comes first", () => {
    expect(engine.suggest("carte g")[0]).toBe("carte grise");
    expect(engine.suggest("permis de c")[0]).toBe("permis de conduire");
    // An operator in capitals is no word to follow: `carte AND g` is `carte g` (QA).
    expect(engine.suggest("carte AND g")[0]).toBe("carte AND grise");
    // Its quote kept, inside a phrase being typed.
    expect(engine.suggest('"carte g')[0]).toBe('"carte grise');
  });

  test("the others follow, the most frequent first; a first word has no context", () => {
    const after = engine.suggest("carte g");
    expect(after.slice(1)).toEqual(["carte glibc", "carte général", "carte générale"]);
    expect(engine.suggest("g")[0]).toBe("glibc");
    // Stopwords alone before it: no word to follow, the vocabulary's order.
    expect(engine.suggest("de la g")[0]).toBe("de la glibc");
  });
});
