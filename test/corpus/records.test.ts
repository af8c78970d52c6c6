import { describe, expect, it } from "vitest";
import {
  attributeText,
  flattenRecord,
  getAttribute,
  searchableNames,
} from "../../src/corpus/attributes.js";
import { hashBytes } from "../../src/corpus/hash.js";
import { parseRecords, topLevelSpans } from "../../src/corpus/records.js";
import { defaultSettings, parseSettings } from "../../src/corpus/settings.js";

const settings = (over: Partial<ReturnType<typeof defaultSettings>> = {}) => ({
  ...defaultSettings(),
  ...over,
});

describe("flattenRecord", () => {
  it("addresses nested fields with dot paths and keeps JSON types", () => {
    expect(
      flattenRecord({
        id: 7,
        meta: { author: "Jeanne", stats: { views: 12, public: true } },
        tags: ["otan", "irak"],
        authors: [{ name: "A" }, { name: "B", roles: ["x", "y"] }],
        nothing: null,
        empty: [],
        matrix: [
          [1, 2],
          [3, null],
        ],
        gone: {},
      }),
    ).toEqual({
      id: 7,
      "meta.author": "Jeanne",
      "meta.stats.views": 12,
      "meta.stats.public": true,
      tags: ["otan", "irak"],
      "authors.name": ["A", "B"],
      "authors.roles": ["x", "y"],
      nothing: null,
      empty: [],
      matrix: [1, 2, 3, null],
      // As Meilisearch reads it: present (EXISTS) and empty (IS EMPTY).
      gone: [],
    });
  });

  it("composes decomposed accents (NFC)", () => {
    expect(flattenRecord({ t: "e\u0301te\u0301" })).toEqual({ t: "été" });
  });
});

describe("getAttribute and searchableNames", () => {
  it("answers a document's own fields by name and a record's attributes first", () => {
    const [doc] = parseRecords(
      '[{"id": "a", "titre": "Le titre", "lang": "en"}]',
      "r.json",
    ).documents;
    expect(doc).toBeDefined();
    if (!doc) return;
    expect(getAttribute(doc, "title")).toBe("Le titre");
    expect(getAttribute(doc, "lang")).toBe("en");
    expect(getAttribute(doc, "missing")).toBeUndefined();
    expect(searchableNames(doc.attributes ?? {}, ["*"])).toEqual([
      "title",
      "body",
      "id",
      "titre",
      "lang",
    ]);
    expect(searchableNames(doc.attributes ?? {}, ["titre"])).toEqual(["titre"]);
    expect(attributeText(["un", 2, null, true])).toBe("un\n2");
  });
});

describe("parseRecords: .json", () => {
  const json = `[
  {"id": "otan-1", "title": "L’OTAN suspend sa mission", "body": "Texte un.", "date": "2020-01-04",
   "meta": {"author": "Dylan White"}, "category": "défense"},
  {"id": 2, "title": "Deuxième", "body": "Texte deux."}
]`;

  it("makes one document per record, with its attributes, line and own hash", () => {
    const { documents, skipped } = parseRecords(json, "data/actus.json");
    expect(skipped).toEqual([]);
    expect(documents.map((d) => d.id)).toEqual(["otan-1", "2"]);
    const [first, second] = documents;
    expect(first).toMatchObject({
      title: "L’OTAN suspend sa mission",
      body: "Texte un.",
      source: "data/actus.json",
      format: "json",
      date: "2020-01",
      day: "2020-01-04",
      line: 2,
    });
    expect(first?.attributes?.["meta.author"]).toBe("Dylan White");
    expect(second?.line).toBe(4);
    const text = json.slice(json.indexOf('{"id": 2'), json.lastIndexOf("}") + 1);
    expect(second?.hash).toBe(hashBytes(Buffer.from(text)));
    expect(second?.bytes).toBe(Buffer.byteLength(text));
  });

  it("changes only the hash of the record that changed", () => {
    const a = parseRecords(json, "a.json").documents;
    const b = parseRecords(json.replace("Texte deux.", "Texte modifié."), "a.json").documents;
    expect(b[0]?.hash).toBe(a[0]?.hash);
    expect(b[1]?.hash).not.toBe(a[1]?.hash);
  });

  it("takes the primary key from the settings, dot paths included", () => {
    const { documents, skipped } = parseRecords(
      '[{"ref": {"code": "A1"}, "title": "x"}, {"title": "sans clé"}]',
      "a.json",
      settings({ primaryKey: "ref.code" }),
    );
    expect(documents.map((d) => d.id)).toEqual(["A1"]);
    expect(skipped).toEqual([
      {
        source: "a.json",
        line: 1,
        reason: 'line 1: no id: add a "ref.code" attribute, or set primaryKey in loupe.json',
      },
    ]);
  });

  it("skips records without an id, with a bad id, duplicate ids and non-objects, naming the line", () => {
    const text = [
      "[",
      '  {"id": "a", "title": "un"},',
      '  {"title": "sans id"},',
      '  {"id": "a", "title": "doublon"},',
      '  {"id": 1.5, "title": "décimal"},',
      '  {"id": "  ", "title": "vide"},',
      '  "une chaîne",',
      '  {"id": "b", "title": "deux"}',
      "]",
    ].join("\n");
    const { documents, skipped } = parseRecords(text, "r.json");
    expect(documents.map((d) => d.id)).toEqual(["a", "b"]);
    expect(skipped.map((s) => s.reason)).toEqual([
      'line 3: no id: add a "id" attribute, or set primaryKey in loupe.json',
      `line 4: duplicate id 'a' (first at line 2): give each record its own "id"`,
      'line 5: the id "id" is 1.5: use a non-empty string or an integer',
      'line 6: the id "id" is "  ": use a non-empty string or an integer',
      "line 7: not a JSON object: each record must be { … }",
    ]);
    expect(skipped.map((s) => s.line)).toEqual([3, 4, 5, 6, 7]);
  });

  it("skips a record whose integer id is past 2^53, which JSON.parse rounds", () => {
    // Both read as 9007199254740992: the second was dropped as the first's duplicate.
    const text = [
      "[",
      '  {"id": 9007199254740993, "title": "Premier"},',
      '  {"id": 9007199254740992, "title": "Second"},',
      '  {"id": 9007199254740991, "title": "Le plus grand exact"}',
      "]",
    ].join("\n");
    const { documents, skipped } = parseRecords(text, "big.json");
    expect(documents.map((d) => d.id)).toEqual(["9007199254740991"]);
    expect(skipped.map((s) => s.line)).toEqual([2, 3]);
    for (const { reason } of skipped) {
      expect(reason).toMatch(/past 2\^53 .*write it as a string/);
      expect(reason).not.toContain("duplicate");
    }
  });

  it("skips a record whose id no document address can hold", () => {
    // Indexed, it was found by searches, and its page answered 400.
    const text = [
      "[",
      '  {"id": "../../etc", "title": "un"},',
      '  {"id": "a//b", "title": "deux"},',
      '  {"id": "a/./b", "title": "trois"},',
      '  {"id": "2020/ok", "title": "quatre"}',
      "]",
    ].join("\n");
    const { documents, skipped } = parseRecords(text, "r.json");
    expect(documents.map((d) => d.id)).toEqual(["2020/ok"]);
    expect(skipped.map((s) => s.reason)).toEqual([
      `line 2: the id "id" is "../../etc", with an empty, '.' or '..' part between its slashes, which no document address can hold: give it another`,
      `line 3: the id "id" is "a//b", with an empty, '.' or '..' part between its slashes, which no document address can hold: give it another`,
      `line 4: the id "id" is "a/./b", with an empty, '.' or '..' part between its slashes, which no document address can hold: give it another`,
    ]);
  });

  it("names the line of a syntax error and keeps nothing of that file", () => {
    const { documents, skipped } = parseRecords('[\n  {"id": "a"},\n  {"id": "b",}\n]', "r.json");
    expect(documents).toEqual([]);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.line).toBe(3);
    expect(skipped[0]?.reason).toMatch(/^line 3: invalid JSON \(.+\): fix the syntax/);
  });

  it("reads one object as one record, and refuses a scalar", () => {
    expect(parseRecords('{"id": "seul", "body": "x"}', "a.json").documents).toHaveLength(1);
    expect(parseRecords("42", "a.json").skipped[0]?.reason).toMatch(/not an array of objects/);
  });

  it("finds record boundaries through strings holding brackets, commas and quotes", () => {
    const text = '[{"a": "x],{\\"y"}, [1, {"b": 2}] ,\n{"c": "}"}]';
    const spans = topLevelSpans(text);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual([
      '{"a": "x],{\\"y"}',
      '[1, {"b": 2}]',
      '{"c": "}"}',
    ]);
    expect(spans.map((s) => s.line)).toEqual([1, 1, 2]);
  });
});

describe("parseRecords: .ndjson and .jsonl", () => {
  it("reads one record per line and skips only the bad lines", () => {
    const text = [
      '{"id": "1", "title": "Un", "body": "Premier."}',
      "",
      '{"id": "2", "title": "Deux", body: "pas du JSON"}',
      '{"id": "3", "title": "Trois", "body": "Troisième."}',
      "[1, 2]",
      '{"id": "1", "title": "Encore un"}',
    ].join("\n");
    const { documents, skipped } = parseRecords(text, "flux.ndjson");
    expect(documents.map((d) => [d.id, d.line, d.format])).toEqual([
      ["1", 1, "ndjson"],
      ["3", 4, "ndjson"],
    ]);
    expect(skipped.map((s) => s.line)).toEqual([3, 5, 6]);
    expect(skipped[0]?.reason).toMatch(/^line 3: invalid JSON \(.+\): fix this line/);
    expect(skipped[0]?.reason).not.toContain("pas du JSON");
    expect(parseRecords('{"id": 1}\n', "a.jsonl").documents.map((d) => d.id)).toEqual(["1"]);
  });
});

describe("title and body of a record", () => {
  it("uses title and body when the record has them", () => {
    const [doc] = parseRecords(
      '{"id": 1, "body": "Corps.", "title": "Titre", "x": "y"}\n',
      "a.ndjson",
    ).documents;
    expect(doc).toMatchObject({ title: "Titre", body: "Corps." });
  });

  it("otherwise reads the text attributes in the record's order", () => {
    const [doc] = parseRecords(
      '{"id": 1, "titre": "Le titre", "résumé": "En bref.", "n": 3, "texte": "Le texte.", "ok": true}\n',
      "a.ndjson",
    ).documents;
    expect(doc).toMatchObject({ title: "Le titre", body: "En bref.\n\nLe texte." });
  });

  it("or in the order of listed searchableAttributes", () => {
    const [doc] = parseRecords(
      '{"id": 1, "titre": "Le titre", "meta": {"résumé": "En bref."}, "texte": "Le texte."}\n',
      "a.ndjson",
      settings({ searchableAttributes: ["texte", "meta.résumé"] }),
    ).documents;
    expect(doc).toMatchObject({ title: "Le texte.", body: "En bref." });
  });

  const article = JSON.stringify({
    id: 1,
    title: "Le budget",
    body: "Voté à Bruxelles.",
    section: "Politique",
    tags: ["euro", "dette"],
    n: 3,
  });

  it("a listed searchableAttributes is what the body holds: no more, no less", () => {
    const [doc] = parseRecords(
      article,
      "a.ndjson",
      settings({ searchableAttributes: ["title", "section", "tags"] }),
    ).documents;
    expect(doc).toMatchObject({ title: "Le budget", body: "Politique\n\neuro\ndette" });
    const [withBody] = parseRecords(
      article,
      "a.ndjson",
      settings({ searchableAttributes: ["section", "body"] }),
    ).documents;
    // The title is shown, so searched, listed or not.
    expect(withBody).toMatchObject({ title: "Le budget", body: "Politique\n\nVoté à Bruxelles." });
  });

  it('["*"] puts every text attribute in the body, after the body itself', () => {
    const [doc] = parseRecords(
      article,
      "a.ndjson",
      settings({ searchableAttributes: ["*"] }),
    ).documents;
    expect(doc).toMatchObject({
      title: "Le budget",
      body: "Voté à Bruxelles.\n\nPolitique\n\neuro\ndette",
    });
    // The defaults keep the body alone when there is one.
    expect(parseRecords(article, "a.ndjson", settings()).documents[0]).toMatchObject({
      body: "Voté à Bruxelles.",
    });
  });

  it("a body that is a list of paragraphs is searched and shown, whatever the settings", () => {
    const record = JSON.stringify({ id: 2, title: "T", body: ["Un.", "Deux."], section: "S" });
    expect(parseRecords(record, "a.ndjson", settings()).documents[0]?.body).toBe("Un.\nDeux.\n\nS");
    expect(
      parseRecords(record, "a.ndjson", settings({ searchableAttributes: ["*"] })).documents[0]
        ?.body,
    ).toBe("Un.\nDeux.\n\nS");
    expect(
      parseRecords(record, "a.ndjson", settings({ searchableAttributes: ["body"] })).documents[0]
        ?.body,
    ).toBe("Un.\nDeux.");
  });

  it("falls back to the id when the record has no text", () => {
    const [doc] = parseRecords('{"id": 9, "prix": 12}\n', "a.ndjson").documents;
    expect(doc).toMatchObject({ title: "9", body: "" });
  });
});

describe("attributes left out of displayedAttributes", () => {
  const record = JSON.stringify({
    id: "u1",
    nom: "Fiche de Marie Dupont",
    bio: "Bibliothécaire à Lyon",
    email: "marie.dupont@example.fr",
    notes_internes: "client difficile, impayé",
    age: 41,
  });

  it("never make the title or the body a snippet shows, but stay attributes for filters", () => {
    const [doc] = parseRecords(
      record,
      "u.ndjson",
      settings({ displayedAttributes: ["nom", "bio"] }),
    ).documents;
    expect(doc!.title).toBe("Fiche de Marie Dupont");
    expect(doc!.body).toBe("Bibliothécaire à Lyon");
    expect(doc!.attributes?.email).toBe("marie.dupont@example.fr");
    // Everything displayed: as before, every text attribute reads as a paragraph.
    const [all] = parseRecords(record, "u.ndjson", settings()).documents;
    expect(all!.body).toContain("impayé");
  });

  it("are refused as searchable: searched text is shown text", () => {
    const refused = () =>
      parseSettings(
        JSON.stringify({
          searchableAttributes: ["nom", "bio", "email"],
          displayedAttributes: ["nom", "bio"],
        }),
      );
    expect(refused).toThrow(
      /searchableAttributes.*lists "email", which displayedAttributes leaves out: .*add it to displayedAttributes or remove it from searchableAttributes/,
    );
    // A field of a displayed object is displayed; a displayed field does not show its object.
    expect(
      parseSettings(
        JSON.stringify({ searchableAttributes: ["pos.ville"], displayedAttributes: ["pos"] }),
      ).searchableAttributes,
    ).toEqual(["pos.ville"]);
    expect(() =>
      parseSettings(
        JSON.stringify({ searchableAttributes: ["pos"], displayedAttributes: ["pos.ville"] }),
      ),
    ).toThrow(/lists "pos", which displayedAttributes leaves out/);
    // title and body are the document's text, shown whatever the list says.
    expect(
      parseSettings(
        JSON.stringify({ searchableAttributes: ["title", "body"], displayedAttributes: ["year"] }),
      ).displayedAttributes,
    ).toEqual(["year"]);
  });
});

describe("a record holding a long array", () => {
  it("is flattened whole, its fields' lists in their items' order", () => {
    // Copied at each item, 50,000 items took 10 s, and every hit of it paid that again when
    // the store read it (QA; measured in the commit, not here).
    const items = Array.from({ length: 20_000 }, (_, i) => i);
    const flat = flattenRecord({ arr: items, pos: [{ v: "a" }, { v: "b" }], one: [7] });
    expect(flat.arr).toEqual(items);
    expect(flat["pos.v"]).toEqual(["a", "b"]);
    expect(flat.one).toEqual([7]);
  });
});
