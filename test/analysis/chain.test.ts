import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ANALYSIS_VERSION,
  type Analyzer,
  analysisFingerprint,
  analyze,
  analyzeWord,
  createAnalyzer,
  elisionStage,
  FRENCH_ANALYZER,
  FRENCH_STAGES,
  fold,
  foldStage,
  normalizeStage,
  stem,
  stemStage,
  stopwordStage,
  terms,
  useAnalyzer,
  type WordStage,
} from "../../src/analysis/index.js";

const seedsDir = join(import.meta.dirname, "../../seeds");
const seeds = readdirSync(seedsDir).map((file) => readFileSync(join(seedsDir, file), "utf8"));

function written(text: string): string[] {
  return analyze(text).map((token) => text.slice(token.start, token.end));
}

describe("tokens and offsets", () => {
  it("slices back to the words as written, in every seed document", () => {
    for (const text of seeds) {
      const tokens = analyze(text, { keepStopwords: true });
      expect(tokens.length).toBeGreaterThan(100);
      for (const token of tokens) {
        const slice = text.slice(token.start, token.end);
        expect(slice).toMatch(/^[\p{L}\p{N}\p{M}'’ʼ]+$|^\p{N}+(?:-\p{N}+)+$/u);
        expect(analyzeWord(slice).term).toBe(token.term);
      }
      // positions count every word, stopwords included, strictly increasing
      const positions = tokens.map((token) => token.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(positions).size).toBe(positions.length);
    }
  });

  it("gives the example sentence sensible tokens", () => {
    const text = "L’OTAN a suspendu ses opérations d’entraînement";
    const tokens = analyze(text);
    expect(tokens.map((t) => [text.slice(t.start, t.end), t.term])).toEqual([
      ["L’OTAN", "otan"],
      ["suspendu", stem("suspendu")],
      ["opérations", stem("operations")],
      ["d’entraînement", stem("entrainement")],
    ]);
    expect(tokens.map((t) => t.position)).toEqual([0, 2, 4, 5]);
  });

  it("counts stopwords in positions and can keep them", () => {
    const tokens = analyze("être ou ne pas être", { keepStopwords: true });
    expect(tokens.map((t) => t.position)).toEqual([0, 1, 2, 3, 4]);
    expect(tokens.map((t) => t.stopword)).toEqual([true, true, true, false, true]);
    expect(analyze("être ou ne être")).toEqual([]);
  });
});

describe("elision", () => {
  it.each([
    ["l’OTAN", "otan"],
    ["l'OTAN", "otan"],
    ["lʼOTAN", "otan"],
    ["d'entraînement", stem("entrainement")],
    ["d’entraînement", stem("entrainement")],
    ["qu’elles", null],
    ["qu'il", null],
    ["jusqu’à", null],
    ["jusqu'au", null],
    ["lorsqu’il", null],
    ["puisqu'on", null],
    ["quoiqu’il", null],
    ["presqu’île", stem("ile")],
    ["s’est", "est"],
    ["c’est", "est"],
    ["n’importe", stem("importe")],
    ["m’a", null],
    ["t'aime", stem("aime")],
    ["j’accuse", stem("accuse")],
  ])("%s → %s", (word, term) => {
    expect(terms(word)).toEqual(term === null ? [] : [term]);
  });

  it("keeps aujourd’hui whole, with either apostrophe", () => {
    expect(terms("aujourd’hui")).toEqual(["aujourd'hui"]);
    expect(terms("aujourd'hui")).toEqual(["aujourd'hui"]);
    expect(terms("d’aujourd’hui")).toEqual(["aujourd'hui"]);
    expect(written("aujourd’hui")).toEqual(["aujourd’hui"]);
  });
});

describe("hyphens and numbers", () => {
  it.each([
    ["porte-parole", ["porte", "parole"]],
    ["nord-atlantique", ["nord", "atlantique"]],
    ["al-Mouhandes", ["al", "Mouhandes"]],
    ["Michel-Henri", ["Michel", "Henri"]],
    ["États-Unis", ["États", "Unis"]],
  ])("%s is split into its parts with their own offsets", (word, parts) => {
    expect(written(word)).toEqual(parts);
  });

  it("gives hyphen parts consecutive positions, so the compound is a phrase", () => {
    expect(analyze("le porte-parole").map((t) => t.position)).toEqual([1, 2]);
    expect(terms("porte-parole")).toEqual(terms("porte parole"));
  });

  it("keeps numbers searchable", () => {
    expect(terms("5200 soldats")).toContain("5200");
    expect(terms("date 2020-01")).toContain("2020-01");
    expect(terms("12 morts")).toContain("12");
    expect(terms("près de 550 soldats, dont 220 Canadiens")).toEqual(
      expect.arrayContaining(["550", "220"]),
    );
  });
});

describe("folding", () => {
  it.each([
    ["Etat", "État"],
    ["securite", "sécurité"],
    ["evenement", "événement"],
    ["oeuvre", "œuvre"],
    ["coeur", "cœur"],
    ["helicopteres", "Hélicoptères"],
    ["ECOLE", "école"],
    ["Noel", "Noël"],
    ["ambiguite", "ambiguïté"],
  ])("%s and %s have one vocabulary key", (plain, accented) => {
    expect(analyzeWord(plain).folded).toBe(fold(accented.toLowerCase()));
    expect(analyzeWord(accented).folded).toBe(analyzeWord(plain).folded);
  });

  it.each([
    ["Etat", "État"],
    ["securite", "sécurité"],
    ["evenement", "événement"],
    ["oeuvre", "œuvre"],
    ["coeur", "cœur"],
    ["helicoptere", "Hélicoptères"],
    ["ECOLE", "école"],
    ["Noel", "Noël"],
    ["ambiguite", "ambiguïté"],
  ])("%s meets %s: one term, accents folded before stemming", (plain, accented) => {
    expect(terms(plain)).toEqual(terms(accented));
    expect(terms(plain)[0]?.length).toBeGreaterThan(1);
  });

  it("folds before Snowball, which would over-stem accented words", () => {
    // Measured (bench/relevance-analysis.ts): stemming as written conflates these, and ranks
    // known items lower on the train queries.
    expect(terms("données")).not.toEqual(terms("don"));
    expect(terms("cheminée")).not.toEqual(terms("chemin"));
    expect(terms("considérées")).toEqual(["considere"]);
  });

  it("gives accent-free terms", () => {
    for (const text of seeds) {
      for (const term of terms(text)) expect(term).toBe(fold(term));
    }
  });

  it("does not turn cœur into cur", () => {
    expect(terms("cœur")[0]).toMatch(/^coeur?$/);
  });
});

describe("the chain as stages", () => {
  const names = (analyzer: Analyzer) => analyzer.stages.map((stage) => stage.name);

  it("is a list of named stages with a fingerprint derived from them", () => {
    expect(names(FRENCH_ANALYZER)).toEqual(["normalize", "elision", "fold", "stopwords", "stem"]);
    expect(ANALYSIS_VERSION).toBe(FRENCH_ANALYZER.version);
    expect(ANALYSIS_VERSION).toContain("stem@");
    expect(analysisFingerprint()).toBe(FRENCH_ANALYZER.fingerprint);
    expect(FRENCH_ANALYZER.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    // The same stages give the same fingerprint.
    expect(createAnalyzer([...FRENCH_STAGES]).fingerprint).toBe(FRENCH_ANALYZER.fingerprint);
  });

  it("changes the fingerprint with the stages' order, versions and data", () => {
    const [normalize, elision, folding, stopwords, stemmer] = FRENCH_STAGES as WordStage[];
    const fingerprints = [
      FRENCH_ANALYZER,
      createAnalyzer([normalize!, elision!, stopwords!, stemmer!, folding!]),
      createAnalyzer([normalize!, elision!, stopwords!, stemmer!]),
      createAnalyzer([normalize!, elisionStage(["l", "d"]), stopwords!, stemmer!, folding!]),
      createAnalyzer([normalize!, elision!, stopwordStage(["le"]), stemmer!, folding!]),
      createAnalyzer([normalize!, elision!, stopwords!, { ...stemmer!, version: "x" }, folding!]),
    ].map((analyzer) => analyzer.fingerprint);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it("refuses two stages of one name", () => {
    expect(() => createAnalyzer([normalizeStage, normalizeStage])).toThrow(/distinct/);
  });

  it("composes a variant without editing code, and useAnalyzer makes it the one in use", () => {
    const asWritten = createAnalyzer([
      normalizeStage,
      elisionStage(),
      stopwordStage(),
      stemStage,
      foldStage,
    ]);
    expect(asWritten.analyzeWord("considérées").term).toBe("consider");
    expect(asWritten.analyzeWord("securite").term).not.toBe(asWritten.analyzeWord("sécurité").term);
    expect(asWritten.analyzeWord("securite").folded).toBe(asWritten.analyzeWord("sécurité").folded);
    const previous = useAnalyzer(asWritten);
    try {
      expect(terms("sécurité")).toEqual(["secur"]);
      expect(analysisFingerprint()).toBe(asWritten.fingerprint);
    } finally {
      useAnalyzer(previous);
    }
    expect(terms("sécurité")).toEqual(["securit"]);
  });

  it("traces a word through its stages, and stops at a stopword", () => {
    expect(FRENCH_ANALYZER.trace("L’Hélicoptère").map((step) => [step.stage, step.word])).toEqual([
      ["normalize", "l'hélicoptère"],
      ["elision", "hélicoptère"],
      ["fold", "helicoptere"],
      ["stopwords", "helicoptere"],
      ["stem", "helicopter"],
    ]);
    expect(FRENCH_ANALYZER.trace("Qu’Elles").at(-1)).toEqual({
      stage: "stopwords",
      word: "elles",
      stopword: true,
    });
  });

  it("elides in one stage only, with every apostrophe the normaliser knows", () => {
    const elisions = FRENCH_STAGES.filter((stage) => stage.name === "elision");
    expect(elisions).toHaveLength(1);
    for (const apostrophe of ["'", "’", "ʼ", "‘", "′"]) {
      expect(terms(`l${apostrophe}église`)).toEqual(terms("église"));
      expect(analyzeWord(`qu${apostrophe}il`).stopword).toBe(true);
      expect(analyzeWord(`l${apostrophe}église`).elided).toBe(2);
    }
    // The stemmer alone does not elide.
    expect(stem("l'église")).toBe("l'églis");
  });

  it("uses a stopword list given to it, compared on folded words", () => {
    const chain = createAnalyzer([normalizeStage, elisionStage(), stopwordStage(["état"])]);
    expect(chain.analyzeWord("Etat").stopword).toBe(true);
    expect(chain.analyzeWord("le").stopword).toBe(false);
  });
});

describe("Unicode", () => {
  it("gives NFC and NFD input the same terms", () => {
    for (const text of seeds) {
      expect(terms(text.normalize("NFD"))).toEqual(terms(text.normalize("NFC")));
    }
  });

  it("keeps NFD offsets on the NFD text", () => {
    const nfd = "Hélicoptères abattus".normalize("NFD");
    expect(written(nfd)).toEqual(["Hélicoptères".normalize("NFD"), "abattus"]);
  });

  it.each([
    ["empty", ""],
    ["spaces", "   \n\t "],
    ["emoji", "🚁 hélicoptère 👩‍👩‍👧 🇫🇷"],
    ["NBSP and narrow NBSP", "5\u00a0200\u202fsoldats « OTAN »"],
    ["zero-width joiners", "hé\u200dlico\u200cptère \u200b"],
    ["control characters", "\u0000\u0001OTAN\u0007\u001b[31m"],
    ["lone surrogates", "\ud800abc\udfff"],
    ["100 KB of one word", "a".repeat(100_000)],
    ["apostrophes alone", "' ’ ʼ l' d’ -- - –"],
  ])("never throws on %s", (_name, text) => {
    const tokens = analyze(text, { keepStopwords: true });
    for (const token of tokens) {
      expect(token.end).toBeGreaterThan(token.start);
      expect(token.term.length).toBeLessThanOrEqual(64);
    }
  });

  it("finds the words around NBSP and emoji", () => {
    expect(terms("🚁hélicoptère")).toEqual(terms("hélicoptère"));
    expect(terms("5\u00a0200")).toEqual(["5", "200"]);
  });
});
