import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  countWords,
  firstSentence,
  idFromSource,
  isDeck,
  normalizeText,
  parseDateValue,
  parseDocument,
  shortenTitle,
  splitFrontMatter,
} from "../../src/corpus/parse.js";

const SEEDS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../seeds");

function parseSeed(file: string) {
  const raw = readFileSync(path.join(SEEDS, file), "utf8");
  return { raw, doc: parseDocument(raw, file) };
}

describe("parseDocument on the five seeds", () => {
  const expected = [
    {
      file: "000_40aae3a910703884.txt",
      id: "000_40aae3a910703884",
      date: "2020-01",
      readingMinutes: 2, // from the header
      title:
        "L’OTAN a suspendu ses opérations d’entraînement en Irak, a indiqué ce samedi le porte-parole de…",
      bodyStart: "L’OTAN a suspendu ses opérations",
    },
    {
      file: "001_ba59de7d1c28a194.txt",
      id: "001_ba59de7d1c28a194",
      date: "2020-02",
      readingMinutes: 3, // from the header, although 756 words would give 4
      title:
        "Le Canada et les ministres de la Défense des pays de l’OTAN ont conclu un accord de principe pour…",
      bodyStart: "Le Canada et les ministres",
    },
    {
      file: "002_14b393e916f4b8aa.txt",
      id: "002_14b393e916f4b8aa",
      date: "2020-02",
      readingMinutes: 3, // no reading time in the header: 466 words / 200
      title:
        "Les pays membres de l’OTAN discuteront mercredi à Bruxelles de la demande d’un renforcement du rôle…",
      bodyStart: "Les pays membres de l’OTAN discuteront mercredi",
    },
    {
      file: "003_b6b568fd3f14d03f.txt",
      id: "003_b6b568fd3f14d03f",
      date: undefined,
      readingMinutes: 3,
      // The one-line deck, without its final period.
      title: "A la suite de l'assassinat de Qassem Soleimani dans un raid américain",
      bodyStart: "L'Organisation du Traité de l'Atlantique Nord (OTAN) a annoncé",
    },
    {
      file: "004_35c4cf714ecaba77.txt",
      id: "004_35c4cf714ecaba77",
      date: undefined,
      readingMinutes: 2,
      title:
        "Un responsable de l’Otan a annoncé ce mardi 7 janvier que l’Alliance atlantique prévoyait de retirer…",
      bodyStart: "Un responsable de l’Otan a annoncé ce mardi 7 janvier",
    },
  ];

  it("covers every seed file", () => {
    expect(readdirSync(SEEDS).sort()).toEqual(expected.map((e) => e.file));
  });

  for (const e of expected) {
    it(`derives id, date, title, body and reading time of ${e.file}`, () => {
      const { raw, doc } = parseSeed(e.file);
      expect(doc.id).toBe(e.id);
      expect(doc.source).toBe(e.file);
      expect(doc.date).toBe(e.date);
      expect(doc.title).toBe(e.title);
      expect(doc.readingMinutes).toBe(e.readingMinutes);
      expect(doc.body.startsWith(e.bodyStart)).toBe(true);

      expect(doc.title).not.toMatch(/Temps de lecture/i);
      expect(doc.title).not.toMatch(/date/i);
      expect(doc.title).not.toMatch(/^\s|\s$/);
      expect(doc.title.length).toBeLessThanOrEqual(101);
      expect(doc.body).not.toContain("Temps de lecture estimé");
      expect(doc.body.startsWith(" date")).toBe(false);
      expect(doc.body).not.toMatch(/^\s*date\s+\d{4}-\d{2}/);
      expect(doc.body).toBe(doc.body.trim());
      // The body ends where the file ends: nothing lost at the tail.
      expect(raw.trimEnd().endsWith(doc.body.slice(-200))).toBe(true);
    });
  }

  it("keeps the paragraphs of the body", () => {
    const { doc } = parseSeed("000_40aae3a910703884.txt");
    expect(doc.body.split("\n\n")).toHaveLength(11);
    expect(parseSeed("004_35c4cf714ecaba77.txt").doc.body).toContain(
      "d’Irak, relate l’AFP. Cette déclaration a été faité",
    );
  });

  it("keeps the first sentence in the body when the title is derived from it", () => {
    for (const file of ["000_40aae3a910703884.txt", "004_35c4cf714ecaba77.txt"]) {
      const { doc } = parseSeed(file);
      expect(doc.body.startsWith(doc.title.replace(/…$/, ""))).toBe(true);
    }
  });

  it("keeps the deck of 003 out of its body", () => {
    const { doc } = parseSeed("003_b6b568fd3f14d03f.txt");
    expect(doc.body).not.toContain("A la suite de l'assassinat de Qassem Soleimani dans un raid");
    expect(doc.body).toContain(
      "Des hélicoptères américains survolent la capitale irakienne, Bagdad\n",
    );
    expect(doc.body.endsWith("Photographie : Archive, Agence Anadolu")).toBe(true);
  });

  it("puts the 002 dateline in `dateline`, not in the body or the title", () => {
    const { doc } = parseSeed("002_14b393e916f4b8aa.txt");
    expect(doc.dateline).toBe("(Bruxelles)");
    expect(doc.body).not.toContain("(Bruxelles)");
    expect(doc.title).not.toContain("(Bruxelles)");
    expect(doc.body).toContain("\n\nAgence France-Presse\n\n");
  });

  it("sets no dateline on the seeds that have none", () => {
    for (const file of readdirSync(SEEDS).filter((f) => !f.startsWith("002"))) {
      expect(parseSeed(file).doc.dateline).toBeUndefined();
    }
  });
});

describe("header", () => {
  it("reads a date header with no boilerplate, text on the next lines", () => {
    const doc = parseDocument(" date 2021-11\nPremière phrase du texte. Suite.", "a.txt");
    expect(doc.date).toBe("2021-11");
    expect(doc.body).toBe("Première phrase du texte. Suite.");
    expect(doc.title).toBe("Première phrase du texte");
  });

  it("reads the reading time with no-break spaces and a singular 'minute'", () => {
    const doc = parseDocument(
      " date 2020-03 Temps de lecture estimé\u00a0: 1 minute\n\nTexte.",
      "a.txt",
    );
    expect(doc.readingMinutes).toBe(1);
    expect(doc.body).toBe("Texte.");
  });

  it("reads boilerplate written with a decomposed é (NFD)", () => {
    const raw = " date 2020-03 Temps de lecture estime\u0301 : 4 minutes\n\nTexte.";
    const doc = parseDocument(raw, "a.txt");
    expect(doc.readingMinutes).toBe(4);
    expect(doc.body).toBe("Texte.");
  });

  it("drops a date header whose month is impossible without inventing a date", () => {
    const doc = parseDocument(" date 2020-13 Un texte qui commence ici.", "a.txt");
    expect(doc.date).toBeUndefined();
    expect(doc.body).toBe("Un texte qui commence ici.");
  });

  it("finds a dateline without a date header", () => {
    const doc = parseDocument("(Québec, Canada) Le texte commence ici, et continue.", "a.txt");
    expect(doc.dateline).toBe("(Québec, Canada)");
    expect(doc.body).toBe("Le texte commence ici, et continue.");
  });

  it("does not take a parenthesised aside in the text for a dateline", () => {
    const doc = parseDocument("Le texte (Bruxelles) commence ici.", "a.txt");
    expect(doc.dateline).toBeUndefined();
    expect(doc.body).toBe("Le texte (Bruxelles) commence ici.");
  });

  it("does not read 'date' as a header when it is just a word", () => {
    const doc = parseDocument("Date limite dépassée pour les candidats.\n\nTexte.", "a.txt");
    expect(doc.date).toBeUndefined();
    expect(doc.title).toBe("Date limite dépassée pour les candidats");
  });
});

describe("reading time", () => {
  it("is words / 200 rounded up when the header gives none", () => {
    const words = Array.from({ length: 401 }, (_, i) => `mot${i}`).join(" ");
    expect(parseDocument(words, "a.txt").readingMinutes).toBe(3);
  });

  it("is at least one minute", () => {
    expect(parseDocument("Court.", "a.txt").readingMinutes).toBe(1);
  });

  it("does not count lone punctuation as words", () => {
    expect(countWords("« Oui » — dit-il, 2020 !")).toBe(3);
  });

  it("counts as splitting on white space and testing each piece did", () => {
    const bySplit = (text: string) =>
      text.split(/\s+/).filter((piece) => /[\p{L}\p{N}]/u.test(piece)).length;
    const pieces = ["a", "É", "12", "—", "«", "𝐀𝐁", "x-y", "'", " ", "\u00a0", "\u2028", "\u3000"];
    const pieces2 = [...pieces, "\ufeff", "\t", "\n\n", "!", "𝟙", "dit-il,", ""];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces2), { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        expect(countWords(text)).toBe(bySplit(text));
      }),
    );
  });
});

describe("title", () => {
  it("takes a short first line as a deck and keeps it out of the body", () => {
    const doc = parseDocument("L'OTAN suspend sa mission en Irak\nLe texte commence ici.", "a.txt");
    expect(doc.title).toBe("L'OTAN suspend sa mission en Irak");
    expect(doc.body).toBe("Le texte commence ici.");
  });

  it("does not take a short line ending with ':' for a deck", () => {
    const doc = parseDocument("Voici ce qu'il a dit :\n« Rien. »", "a.txt");
    expect(doc.body.startsWith("Voici ce qu'il a dit :")).toBe(true);
  });

  it("does not take a two-sentence first line for a deck", () => {
    expect(isDeck("Il pleut. Il vente.")).toBe(false);
    expect(isDeck("Il pleut sur Bruxelles.")).toBe(true);
  });

  it("does not take the only line of a document for a deck", () => {
    const doc = parseDocument("Une seule ligne de texte.", "a.txt");
    expect(doc.title).toBe("Une seule ligne de texte");
    expect(doc.body).toBe("Une seule ligne de texte.");
  });

  it("does not end the first sentence after an abbreviation or an initial", () => {
    expect(firstSentence("M. White a parlé à J. Dupont hier. Puis il est parti.")).toBe(
      "M. White a parlé à J. Dupont hier",
    );
    expect(firstSentence("« La mission continue », a déclaré M. White. Fin.")).toBe(
      "« La mission continue », a déclaré M. White",
    );
    expect(firstSentence("Vraiment ? Oui.")).toBe("Vraiment ?");
  });

  it("cuts long titles at a word boundary with an ellipsis", () => {
    const long = `${"mot ".repeat(40)}fin`;
    const t = shortenTitle(long, 100);
    expect(t.endsWith("mot…")).toBe(true);
    expect(t.length).toBeLessThanOrEqual(101);
    expect(shortenTitle("Un, deux, trois, quatre", 10)).toBe("Un, deux…");
    expect(shortenTitle("court", 100)).toBe("court");
    expect(shortenTitle("x".repeat(150), 100)).toBe(`${"x".repeat(100)}…`);
  });

  it("falls back to the file name when there is no text", () => {
    expect(
      parseDocument(" date 2020-01 Temps de lecture estimé : 2 minutes", "d/vide.txt").title,
    ).toBe("vide");
  });
});

describe("title line: a short first line followed by a blank line", () => {
  const titleOf = (raw: string, source = "a.txt") => parseDocument(raw, source);

  it("keeps a numbered section title whole and out of the body", () => {
    const doc = titleOf("5.9. Plein écran\n\nLa touche F11 passe en plein écran.");
    expect(doc.title).toBe("5.9. Plein écran");
    expect(doc.body).toBe("La touche F11 passe en plein écran.");
  });

  it("keeps a chapter title with a period inside", () => {
    const doc = titleOf("Chapitre 8. Combiner les images\n\nOn superpose des calques.");
    expect(doc.title).toBe("Chapitre 8. Combiner les images");
    expect(doc.body).toBe("On superpose des calques.");
  });

  it("drops the final period of a title ending in one", () => {
    expect(titleOf("Introduction générale.\n\nLe texte.").title).toBe("Introduction générale");
    expect(titleOf("3. Installer le logiciel.\n\nLe texte.").title).toBe(
      "3. Installer le logiciel",
    );
  });

  it("keeps abbreviations and the period that belongs to them", () => {
    expect(titleOf("M. Dupont\n\nIl est né à Lyon.").title).toBe("M. Dupont");
    expect(titleOf("Lettre à M. Dupont\n\nCher monsieur.").title).toBe("Lettre à M. Dupont");
    expect(titleOf("Commentaire de l'art. 12\n\nL'article dit.").title).toBe(
      "Commentaire de l'art. 12",
    );
    expect(titleOf("Voir art. 12 et suiv.\n\nTexte.").title).toBe("Voir art. 12 et suiv");
    expect(titleOf("Outils, couleurs, etc.\n\nTexte.").title).toBe("Outils, couleurs, etc.");
  });

  it("takes a line the deck rule refuses (two sentences, a final ':', very short)", () => {
    expect(titleOf("Il pleut. Il vente.\n\nTexte.").title).toBe("Il pleut. Il vente");
    expect(titleOf("Sommaire :\n\nTexte.").title).toBe("Sommaire :");
    const short = titleOf("Préface\n\nCe livre parle de calques.");
    expect(short.title).toBe("Préface");
    expect(short.body).toBe("Ce livre parle de calques.");
  });

  it("works after a date header and in Markdown", () => {
    const doc = titleOf(" date 2020-03\n5.9. Plein écran\n\nTexte.");
    expect(doc).toMatchObject({ title: "5.9. Plein écran", body: "Texte.", date: "2020-03" });
    expect(titleOf("5.9. Plein écran\n\nTexte.", "a.md").title).toBe("5.9. Plein écran");
  });

  it("does not take a long first line, or one with no blank line after it", () => {
    const long = `${"Une phrase assez longue pour être un paragraphe entier, ".repeat(3)}fin.`;
    const doc = titleOf(`${long}\n\nSuite.`);
    expect(doc.body.startsWith(long)).toBe(true);
    const noBlank = titleOf("5.9. Plein écran\nLa touche F11.");
    expect(noBlank.title).toBe("5.9");
    expect(noBlank.body.startsWith("5.9. Plein écran")).toBe(true);
  });

  it("does not take a line with no letter or digit, nor the only line", () => {
    const rule = titleOf("* * *\n\nLe texte reprend.");
    expect(rule.body).toBe("* * *\n\nLe texte reprend.");
    expect(titleOf("5.9. Plein écran\n\n").body).toBe("5.9. Plein écran");
  });
});

describe("markdown front matter", () => {
  it("reads quoted and unquoted title and date", () => {
    const raw = [
      "---",
      'title: "L\'OTAN « suspend » sa mission"',
      "date: 2020-01-15",
      "auteur: 'Jeanne d''Arc'",
      "tags:",
      "  - otan",
      "---",
      "",
      "Le corps du texte. Deuxième phrase.",
    ].join("\n");
    const doc = parseDocument(raw, "notes/article.md");
    expect(doc.id).toBe("notes/article");
    expect(doc.title).toBe("L'OTAN « suspend » sa mission");
    expect(doc.date).toBe("2020-01");
    // The day written is the document's `day`, as for pages and records.
    expect(doc.day).toBe("2020-01-15");
    expect(doc.body).toBe("Le corps du texte. Deuxième phrase.");
    expect(splitFrontMatter(raw).fields.auteur).toBe("Jeanne d'Arc");
  });

  it("reads an unquoted year-month date and strips a YAML comment", () => {
    const doc = parseDocument(
      "---\ntitle: Titre simple # commentaire\ndate: 2020-02\n---\nTexte.",
      "a.md",
    );
    expect(doc.title).toBe("Titre simple");
    expect(doc.date).toBe("2020-02");
    expect(doc.day).toBeUndefined();
    expect(doc.body).toBe("Texte.");
  });

  it("lets the front matter date win over a date header", () => {
    const doc = parseDocument("---\ndate: 2019-05\n---\n date 2020-01 Texte ici.", "a.md");
    expect(doc.date).toBe("2019-05");
    expect(doc.body).toBe("Texte ici.");
  });

  it("takes a day from a date header too, and none from a day that does not exist", () => {
    expect(parseDocument(" date 2020-01-15 Texte ici.", "a.txt")).toMatchObject({
      date: "2020-01",
      day: "2020-01-15",
    });
    const impossible = parseDocument("---\ndate: 2021-02-30\n---\nTexte.", "a.md");
    expect(impossible.date).toBe("2021-02");
    expect(impossible.day).toBeUndefined();
  });

  it("takes a '# heading' as title when the front matter has none", () => {
    const doc = parseDocument("---\ndate: 2020-01\n---\n# Le titre\n\nLe texte.", "a.md");
    expect(doc.title).toBe("Le titre");
    expect(doc.body).toBe("Le texte.");
  });

  it("reads YAML: folded and literal blocks, numbers, lists; a map is left out", () => {
    const folded = parseDocument(
      "---\ntitle: >\n  Un titre plié\n  sur deux lignes\ndate: 2021-05-04\n---\nLe texte.",
      "a.md",
    );
    expect(folded).toMatchObject({ title: "Un titre plié sur deux lignes", day: "2021-05-04" });
    expect(parseDocument("---\ntitle: |\n  Ligne\n---\nTexte.", "a.md").title).toBe("Ligne");
    expect(parseDocument("---\ntitle: 1984\n---\nTexte.", "a.md").title).toBe("1984");
    expect(parseDocument("---\ntitle: [un, deux]\n---\nTexte.", "a.md").title).toBe("un, deux");
    const map = parseDocument("---\ntitle:\n  fr: Titre\n---\nLe texte ici.", "a.md");
    expect(map.title).toBe("Le texte ici");
    expect(map.body).toBe("Le texte ici.");
  });

  it("reads a block YAML refuses line by line, as written", () => {
    const doc = parseDocument("---\ntitle: [oops\ndate: 2020-02\n---\nTexte.", "a.md");
    expect(doc).toMatchObject({ title: "[oops", date: "2020-02", body: "Texte." });
  });

  it("reads TOML front matter between '+++' lines, as Hugo writes it", () => {
    const doc = parseDocument(
      '+++\ntitle = "Un titre"\ndate = 2021-05-04\ntags = ["un", "deux"]\n[params]\nx = 1\n+++\nLe texte.',
      "a.md",
    );
    expect(doc).toMatchObject({ title: "Un titre", day: "2021-05-04", body: "Le texte." });
    // A date with its offset stays the day written, not the day in UTC.
    const late = parseDocument(
      '+++\ntitle = "T"\ndate = 2020-01-01T00:30:00+02:00\n+++\nX.',
      "a.md",
    );
    expect(late.date).toBe("2020-01");
    // TOML refuses it (a bare word): read line by line.
    const loose = parseDocument("+++\ntitle = Un titre\ndate = 2020-02\n+++\nTexte.", "a.md");
    expect(loose).toMatchObject({ title: "Un titre", date: "2020-02", body: "Texte." });
    expect(parseDocument("+++\ntitle = pas fermé\n\nTexte.", "a.md").body).toContain("+++");
  });

  it("treats an unclosed '---' as text", () => {
    const doc = parseDocument("---\ntitle: pas fermé\n\nTexte.", "a.md");
    expect(doc.body).toContain("title: pas fermé");
  });

  it("ignores front matter in .txt files", () => {
    const doc = parseDocument("---\ntitle: X\n---\nTexte.", "a.txt");
    expect(doc.body).toContain("title: X");
  });
});

describe("normalisation", () => {
  it("strips a BOM and turns CRLF and lone CR into LF", () => {
    expect(normalizeText("\ufeffa\r\nb\rc")).toBe("a\nb\nc");
    const doc = parseDocument(
      "\ufeff date 2020-01 Temps de lecture estimé : 2 minutes\r\n\r\nUn titre\r\n\r\nPremier paragraphe.\r\nSuite.\r\rSecond.",
      "a.txt",
    );
    expect(doc.date).toBe("2020-01");
    expect(doc.title).toBe("Un titre");
    expect(doc.body).toBe("Premier paragraphe.\nSuite.\n\nSecond.");
  });

  it("derives ids from nested and Windows-style sources", () => {
    expect(idFromSource("a/b/c.txt")).toBe("a/b/c");
    expect(idFromSource("a\\b\\c.md")).toBe("a/b/c");
    expect(idFromSource("v1.2/notes.v2.txt")).toBe("v1.2/notes.v2");
    expect(idFromSource("e\u0301te\u0301.txt")).toBe("été");
  });

  it("validates dates", () => {
    expect(parseDateValue("2020-01")).toBe("2020-01");
    expect(parseDateValue("2020-01-15T10:00:00Z")).toBe("2020-01");
    expect(parseDateValue("2020-00")).toBeUndefined();
    expect(parseDateValue("janvier 2020")).toBeUndefined();
  });
});
