import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  Vocabulary,
  type VocabularyEntry,
  type VocabularyJSON,
} from "../../src/index/vocabulary.js";
import { osaDistance } from "./helpers.js";

const vocabulary = (words: Array<[string, number]>): Vocabulary =>
  Vocabulary.fromJSON(
    words.map(([key, documents]): VocabularyJSON[number] => [
      key,
      key,
      documents,
      { [key]: documents },
    ]),
  );

const near = (v: Vocabulary, key: string, max: number) =>
  v.near(key, max).map(({ entry, distance }) => [entry.key, distance]);

describe("Vocabulary.near", () => {
  const v = vocabulary([
    ["parlement", 5],
    ["parlements", 2],
    ["parement", 3],
    ["marlement", 1],
    ["arlement", 1],
    ["soldat", 4],
    ["soldats", 6],
  ]);

  it("finds words one or two edits away that keep the first letter, nearest then most used", () => {
    expect(near(v, "parlemant", 1)).toEqual([["parlement", 1]]);
    expect(near(v, "parlemant", 2)).toEqual([
      ["parlement", 1],
      ["parement", 2],
      ["parlements", 2],
    ]);
    expect(near(v, "soldat", 1)).toEqual([["soldats", 1]]);
  });

  it("counts an edit of the first letter as two, as Meilisearch does", () => {
    // `marlement` and `arlement` differ from `parlement` by its first letter only.
    expect(near(v, "parlement", 1)).toEqual([
      ["parement", 1],
      ["parlements", 1],
    ]);
    expect(near(v, "parlement", 2).filter(([, d]) => d === 2)).toEqual([
      ["arlement", 2],
      ["marlement", 2],
    ]);
    // Inserted before the first letter: `xparlement` is two edits from `parlement`.
    expect(near(v, "xparlement", 2)).toContainEqual(["parlement", 2]);
    // A first-letter edit plus another is three: never found.
    expect(near(v, "marlemant", 2).map(([key]) => key)).not.toContain("parlement");
  });

  it("answers the same for the same word asked twice, and anew with another budget", () => {
    const first = near(v, "soldts", 1);
    expect(near(v, "soldts", 1)).toEqual(first);
    expect(near(v, "soldts", 2)).toEqual([
      ["soldats", 1],
      ["soldat", 2],
    ]);
  });
});

/** The rule `near` follows: same first letter, else a first-letter edit alone costing two. */
function expectedDistance(query: string, word: string): number {
  if (query[0] === word[0]) return osaDistance(query.slice(1), word.slice(1));
  // A one-letter query gets no typos anyway (expand.ts): none are looked for.
  if (query.length < 2) return Number.POSITIVE_INFINITY;
  const firstOnly =
    word === query.slice(1) || // first letter dropped
    word.slice(1) === query.slice(1) || // replaced
    word.slice(1) === query; // another put before it
  return firstOnly ? 2 : Number.POSITIVE_INFINITY;
}

describe("Vocabulary on sorted keys", () => {
  const word = fc.stringMatching(/^[abcé]{1,9}$/);

  it("finds by prefix and by typos exactly what a brute force over every word finds", () => {
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 60 }), word, (words, query) => {
        const v = vocabulary(words.map((w, i) => [w, 1 + (i % 5)]));
        // As built, and as an index reads it back (the typo trie's lines are the file's).
        const read = Vocabulary.fromText(v.toText());
        for (const max of [1, 2]) {
          const expected = words
            .filter((w) => w !== query && expectedDistance(query, w) <= max)
            .map((w) => [w, expectedDistance(query, w)])
            .sort(
              (a, b) =>
                (a[1] as number) - (b[1] as number) ||
                v.get(b[0] as string)!.documents - v.get(a[0] as string)!.documents ||
                ((a[0] as string) < (b[0] as string) ? -1 : 1),
            );
          expect(near(v, query, max)).toEqual(expected);
          expect(near(read, query, max)).toEqual(expected);
          for (const { entry } of read.near(query, max)) expect(entry).toEqual(read.get(entry.key));
        }
        for (const prefix of [query.slice(0, 1), query.slice(0, 2), query.slice(0, 3), query]) {
          const expected = words.filter((w) => w.startsWith(prefix)).sort();
          for (const vocabulary of [v, read])
            expect(
              vocabulary
                .withPrefix(prefix)
                .map((entry) => entry.key)
                .sort(),
            ).toEqual(expected);
        }
      }),
      { numRuns: 200, seed: 20261206 },
    );
  });

  it("persists as text and reads back the same words, terms, counts and spellings", () => {
    const json: VocabularyJSON = [
      ["etat", "etat", 3, { État: 2, état: 1 }],
      ["otan", "otan", 4, { OTAN: 4 }],
      ["helicopteres", "helicopter", 2, { hélicoptères: 2 }],
      ["a", "a", 1, { a: 1 }],
    ];
    const v = Vocabulary.fromJSON(json);
    const read = Vocabulary.fromText(v.toText());
    expect(read.toJSON()).toEqual(v.toJSON());
    expect(read.toJSON().map(([key]) => key)).toEqual(["a", "etat", "helicopteres", "otan"]);
    expect(read.formsOf("etat").sort()).toEqual(["État", "état"]);
    expect(read.withPrefix("he").map((e) => e.key)).toEqual(["helicopteres"]);
  });

  it("refuses a file of another shape or out of order", () => {
    expect(() => Vocabulary.fromText('[["a","a",1,{}]]')).toThrow(/not a loupe vocabulary/);
    // Format 4's file, without the term section, is another shape.
    expect(() => Vocabulary.fromText("LOUPEVOC1\na\t\t1\t\n")).toThrow(/not a loupe vocabulary/);
    expect(() => Vocabulary.fromText("LOUPEVOC2\nb\t\t1\t\na\t\t1\t\n")).toThrow(/out of order/);
    expect(() => Vocabulary.fromText("LOUPEVOC2\nb\t\t1")).toThrow(/cut short/);
    expect(() => Vocabulary.fromText("LOUPEVOC2\na\t\t1\t\n")).toThrow(/no term section/);
    expect(() =>
      Vocabulary.fromText("LOUPEVOC2\na\t\t1\t\nb\t\t1\t\n\u0003\nb\t1\t1\na\t1\t0\n"),
    ).toThrow(/the term "a" is out of order/);
  });

  it("read from its file, answers every look-up as the vocabulary it was written from", () => {
    const key = fc.stringMatching(/^[abé]{1,6}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            key,
            term: fc.stringMatching(/^[ab]{1,3}$/),
            documents: fc.integer({ min: 1, max: 9 }),
            forms: fc.dictionary(
              fc.stringMatching(/^[aAbBé]{1,6}$/),
              fc.integer({ min: 1, max: 9 }),
              {
                minKeys: 1,
                maxKeys: 3,
              },
            ),
          }),
          { minLength: 1, maxLength: 40, selector: (entry) => entry.key },
        ),
        key,
        fc.integer({ min: 1, max: 5 }),
        (entries, query, limit) => {
          const given = Vocabulary.fromJSON(
            entries.map(({ key, term, documents, forms }) => [key, term, documents, forms]),
          );
          const read = Vocabulary.fromText(given.toText());
          const keys = (found: Array<{ key: string }>) => found.map((entry) => entry.key);
          const view = (entry: VocabularyEntry | undefined) =>
            entry && {
              key: entry.key,
              term: entry.term,
              documents: entry.documents,
              forms: { ...entry.forms },
            };
          expect(read.size).toBe(given.size);
          expect(view(read.get(query))).toEqual(view(given.get(query)));
          for (const { key, term } of entries) {
            expect(view(read.get(key))).toEqual(view(given.get(key)));
            expect(read.hasTerm(term)).toBe(true);
            expect(read.termDocuments(term)).toBe(given.termDocuments(term));
            expect(read.formsOf(term)).toEqual(given.formsOf(term));
          }
          expect(read.hasTerm("zz")).toBe(false);
          // Terms absent but sorting between, before, after or as prefixes of the present ones.
          for (const probe of ["", "a", "aa", "aaaa", "ab", "aba", "b", "ba", "bbbb", "c", "Z"]) {
            expect(read.hasTerm(probe)).toBe(given.hasTerm(probe));
            expect(read.termDocuments(probe)).toBe(given.termDocuments(probe));
          }
          expect(read.formsOf("zz")).toEqual([]);
          for (const prefix of [query.slice(0, 1), query.slice(0, 2)]) {
            expect(keys(read.withPrefix(prefix))).toEqual(keys(given.withPrefix(prefix)));
            expect(keys(read.withPrefix(prefix, limit))).toEqual(
              keys(given.withPrefix(prefix, limit)),
            );
          }
          for (const max of [1, 2]) {
            expect(
              read.near(query, max).map(({ entry, distance }) => [entry.key, distance]),
            ).toEqual(given.near(query, max).map(({ entry, distance }) => [entry.key, distance]));
          }
          expect(read.toText()).toBe(given.toText());
        },
      ),
      { numRuns: 300, seed: 61206 },
    );
  });
});

describe("a vocabulary being counted", () => {
  it("writes its spellings as a record of them would list them, numbers first", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(
            fc.record({
              key: fc.constantFrom("a", "x", "12"),
              form: fc.constantFrom("A", "a", "b", "7", "12", "0", "01", "4294967295", "x"),
            }),
            { maxLength: 6 },
          ),
          { maxLength: 8 },
        ),
        (documents) => {
          const counted = Vocabulary.empty();
          for (const words of documents) {
            // One document lists each spelling once, as analyzeDocument does.
            const seen = new Set<string>();
            counted.add(
              words
                .filter(({ form }) => !seen.has(form) && seen.add(form))
                .map(({ key, form }) => ({ key, form, term: key })),
            );
          }
          // fromJSON's entries are plain records: the generic path.
          expect(counted.toText()).toBe(Vocabulary.fromJSON(counted.toJSON()).toText());
          expect(Vocabulary.fromText(counted.toText()).toJSON()).toEqual(counted.toJSON());
        },
      ),
    );
  });
});
