/**
 * Query syntax: `quel*` is a prefix even when its letters are a stopword, `-gouv*` excludes
 * every word starting so, `""` is said to ask for nothing, and a repeated notice is given once.
 */
import { describe, expect, test } from "vitest";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { parseQuery } from "../../src/search/index.js";
import { testDocument as doc } from "./helpers.js";

const engine = new LoupeEngine(
  indexDocuments([
    doc(
      "a",
      "Le gouvernement",
      "Le gouvernement et l’OTAN discutent de la mission. Il y a un accord.",
    ),
    doc("b", "Les gouverneurs", "Quelques gouverneurs parlent de l’OTAN en Irak."),
    doc("c", "La mission", "La mission de l’OTAN en Irak continue."),
  ]),
);
const ids = (q: string) =>
  engine
    .search(q)
    .hits.map((hit) => hit.id)
    .sort();

describe("query syntax", () => {
  test("a starred prefix whose letters are a stopword is a prefix when it stands alone", () => {
    const [word] = parseQuery("quel*").words;
    expect(word).toMatchObject({ stopword: false, prefix: true });
    expect(ids("quel*")).toEqual(["b"]);
    // Not starred, the stopword alone is still one (it finds the documents that use it).
    expect(parseQuery("quel").words[0]).toMatchObject({ stopword: true });
    // Beside other words, a starred stopword stays one, unscored, as the query's others.
    expect(parseQuery("OTAN quel*").words[1]).toMatchObject({ stopword: true, prefix: true });
    expect(ids("OTAN quel*")).toEqual(ids("OTAN"));
  });

  test("an excluded prefix excludes every word starting so", () => {
    expect(ids("OTAN")).toEqual(["a", "b", "c"]);
    expect(ids("OTAN -gouv*")).toEqual(["c"]);
    expect(ids("OTAN -gouv")).toEqual(["a", "b", "c"]);
  });

  test("a starred prefix of one letter is searched as a word, and said so", () => {
    expect(parseQuery("OTAN b*").warnings).toEqual([
      { code: "prefix_too_short", clause: "b*", word: "b", min: 2 },
    ]);
    expect(engine.search("OTAN -g*").warnings).toEqual([
      "'-g*' is too short for a prefix (2 letters at least): 'g' was searched as a word",
    ]);
    // Excluded as the word `g`: the documents with gouvernement and gouverneurs stay.
    expect(ids("OTAN -g*")).toEqual(["a", "b", "c"]);
    // A one-letter stopword starred alone stays the stopword: it finds what uses it.
    expect(parseQuery("a*").words[0]).toMatchObject({ stopword: true });
    expect(engine.search("a").total).toBe(1);
    expect(engine.search("a*").total).toBe(1);
    // Typed, not starred: a letter being typed is no mistake.
    expect(parseQuery("OTAN b").warnings).toEqual([]);
  });

  test("two date: terms with no month in common are said to match nothing", () => {
    expect(parseQuery("OTAN date:2020-01 date:2020-02").warnings).toEqual([
      { code: "dates_disjoint", clause: "date:2020-02" },
    ]);
    expect(parseQuery("OTAN date:2020-01..2020-03 date:2020-02").warnings).toEqual([]);
    expect(engine.search("OTAN date:2020-01 date:2020-02").warnings?.[0]).toMatch(
      /^'date:2020-02' leaves no month in common/,
    );
  });

  test("an empty phrase is said to hold no word; a notice repeated is given once", () => {
    expect(parseQuery('""').warnings).toEqual([{ code: "phrase_no_word", phrase: "" }]);
    expect(engine.search('OTAN ""').warnings).toEqual([
      'the phrase "" has no word in it and was ignored',
    ]);
    expect(parseQuery("-la -le -la -le OTAN").warnings).toEqual([
      { code: "only_stopwords_excluded", clause: "-la" },
      { code: "only_stopwords_excluded", clause: "-le" },
    ]);
  });

  test("AND and OR in capitals between words are operators, dropped and said so; NOT excludes", () => {
    expect(parseQuery("gouvernement AND OTAN").words.map((w) => w.text)).toEqual([
      "gouvernement",
      "OTAN",
    ]);
    expect(parseQuery("gouvernement AND OTAN").warnings).toEqual([
      { code: "operator_ignored", operator: "AND" },
    ]);
    expect(ids("mission OR gouverneurs")).toEqual(["a", "b", "c"]);
    expect(engine.search("mission OR gouverneurs").warnings?.[0]).toMatch(
      /^OR was read as an operator, not a word/,
    );
    // No "did you mean" for a word nobody meant: `AND` searched as a word offered `ans`.
    expect(engine.search("Irak AND mission").suggestion).toBeUndefined();
    expect(ids("OTAN NOT gouvernement")).toEqual(ids("OTAN -gouvernement"));
    expect(ids("OTAN NOT gouvernement")).toEqual(["b", "c"]);
    expect(ids('OTAN NOT "Irak continue"')).toEqual(["a", "b"]);
    // Lower case, first, last or starred, they are words (`or` is gold in French).
    for (const q of ["mission or accord", "AND mission", "mission AND", "mission OR*"])
      expect(parseQuery(q).warnings, q).toEqual([]);
    expect(parseQuery("mission or accord").words.map((w) => w.folded)).toEqual([
      "mission",
      "or",
      "accord",
    ]);
  });

  test("a dotted acronym typed is the acronym written whole", () => {
    // `S.N.C.F.` searched the letters s, n, c and f, and found 237 pages (QA).
    expect(parseQuery("la S.N.C.F. en grève").words.map((word) => word.term)).toEqual([
      "la",
      "sncf",
      "en",
      "grev",
    ]);
    expect(parseQuery("l’O.N.U").words.map((word) => word.term)).toEqual(["onu"]);
    // Initials and abbreviations stay as they are.
    expect(parseQuery("M. Dupont").words.map((word) => word.term)).toEqual(["m", "dupont"]);
    const acronyms = new LoupeEngine(
      indexDocuments([
        doc("s", "Grève à la SNCF", "La SNCF annonce des trains supprimés."),
        doc("f", "Fonctions", "Les fonctions f et g, au sens de C."),
      ]),
    );
    expect(acronyms.search("S.N.C.F.").hits.map((hit) => hit.id)).toEqual(["s"]);
  });

  test("a query's length counts characters as written, not UTF-16 units", () => {
    const emoji = "\u{1F600}".repeat(300);
    expect(() => parseQuery(emoji)).not.toThrow();
    // `é` typed as e and a combining accent is one character.
    expect(() => parseQuery("e\u0301".repeat(400))).not.toThrow();
    expect(() => parseQuery("\u{1F600}".repeat(501))).toThrow(
      expect.objectContaining({ notice: { code: "query_too_long", length: 501, max: 500 } }),
    );
  });

  test("a stopword being typed alone is itself and the prefix of other words", () => {
    const typing = new LoupeEngine(
      indexDocuments([
        doc("h", "Hélicoptères", "Des hélicoptères survolent Bagdad."),
        doc("p", "Paris", "Le parlement siège à Paris, rive gauche."),
        doc("l", "Un livre", "Un livre sur la ville, écrit par elle."),
        doc("q", "Recette", "Qu’il est bon de manger."),
        doc("b", "Note", "Un fichier illisible."),
      ]),
    );
    const marks = (q: string) =>
      typing
        .search(q)
        .hits.map(({ id, snippet }) => [
          id,
          ...snippet.marks.map(([start, end]) => snippet.text.slice(start, end)),
        ]);
    // `Par` found only what uses `par`; typed, it is the start of Paris and parlement too.
    expect(marks("Par")).toEqual([
      ["p", "parlement", "Paris"],
      ["l", "par"],
    ]);
    expect(marks("sur")).toEqual([
      ["l", "sur"],
      ["h", "survolent"],
    ]);
    // Typed whole, `il` and `qu’il` found only `illisible`, never the page saying « Qu’il » (QA).
    expect(marks("qu'il")).toEqual([
      ["q", "Qu’il"],
      ["b", "illisible"],
    ]);
    expect(marks("il")).toEqual(marks("qu'il"));
    // Finished (a space after it), or beside other words: a stopword, unscored.
    expect(typing.search("par ").hits.map((hit) => hit.id)).toEqual(["l"]);
    expect(marks("hélicoptères sur")).toEqual([["h", "hélicoptères"]]);
    expect(typing.search("livre ville écrit par").hits.map((hit) => hit.id)).toEqual(["l"]);
    // Several stopwords are a query of stopwords, which finds what uses them all.
    expect(typing.search("sur la").hits.map((hit) => hit.id)).toEqual(["l"]);
  });

  test("words typed that hold none to search match nothing, with the notice", () => {
    for (const q of ["🎉", "€ !!!", '""', "***"]) {
      const result = engine.search(q);
      expect(result.total, q).toBe(0);
      expect(result.warnings?.length, q).toBe(q.split(" ").length);
    }
    // Exclusions alone still list what they leave.
    expect(ids("-Irak")).toEqual(["a"]);
    expect(engine.search("").total).toBe(3);
  });
});
