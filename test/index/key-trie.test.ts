import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeyTrie } from "../../src/index/key-trie.js";
import { osaDistance } from "./helpers.js";

const sorted = (words: string[]) =>
  [...new Set(words)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function nearOf(trie: KeyTrie, word: string, max: number): Array<[string, number]> {
  const found: Array<[string, number]> = [];
  trie.near(word.charCodeAt(0), word.slice(1), max, (key, distance) => found.push([key, distance]));
  return found;
}

/** `near` finds what the edit distance (with transpositions) by the book finds among keys sharing the first unit. */
function agreesWithDistance(word: fc.Arbitrary<string>, keys: number, numRuns: number) {
  fc.assert(
    fc.property(
      fc.array(word, { maxLength: keys }),
      word,
      fc.integer({ min: 0, max: 2 }),
      (words, target, max) => {
        const sortedKeys = sorted(words);
        const expected = sortedKeys
          .filter((key) => key.charCodeAt(0) === target.charCodeAt(0))
          .map((key): [string, number] => [key, osaDistance(key.slice(1), target.slice(1))])
          .filter(([, distance]) => distance <= max);
        expect(nearOf(new KeyTrie(sortedKeys), target, max)).toEqual(expected);
      },
    ),
    { numRuns },
  );
}

describe("KeyTrie", () => {
  it("finds the keys sharing the first unit whose rest is within max edits, in key order", () => {
    const trie = new KeyTrie(sorted(["a", "ab", "abc", "abd", "b", "bac", "parle", "parler"]));
    expect(nearOf(trie, "abx", 1)).toEqual([
      ["ab", 1],
      ["abc", 1],
      ["abd", 1],
    ]);
    expect(nearOf(trie, "a", 0)).toEqual([["a", 0]]);
    expect(nearOf(trie, "parl", 2)).toEqual([
      ["parle", 1],
      ["parler", 2],
    ]);
    expect(nearOf(trie, "zut", 2)).toEqual([]);
    expect(nearOf(new KeyTrie([]), "zut", 2)).toEqual([]);
  });

  it("counts two adjacent units swapped as one edit, past 31 units too", () => {
    const trie = new KeyTrie(sorted(["bagdad", "bgadad", "securite"]));
    expect(nearOf(trie, "bagdda", 1)).toEqual([["bagdad", 1]]);
    // Bagdad with its second and third letters swapped: the first letter stays.
    expect(nearOf(trie, "bgadad", 1)).toEqual([
      ["bagdad", 1],
      ["bgadad", 0],
    ]);
    expect(nearOf(trie, "secuirte", 1)).toEqual([["securite", 1]]);
    // Two swaps are two edits; a swap and a substitution too.
    expect(nearOf(trie, "sceuirte", 1)).toEqual([]);
    expect(nearOf(trie, "sceuirte", 2)).toEqual([["securite", 2]]);
    const long = `a${"é".repeat(35)}bc`;
    expect(nearOf(new KeyTrie([long]), `a${"é".repeat(35)}cb`, 1)).toEqual([[long, 1]]);
  });

  it("still finds keys beside one longer than its length tables hold (65,535 units)", () => {
    // Queries are at most 500 characters: the search walks no deeper than that.
    const long = `a${"b".repeat(70_000)}`;
    const longish = `a${"b".repeat(300)}`;
    const trie = new KeyTrie(sorted(["abc", "abd", long, longish, "axc"]));
    expect(nearOf(trie, "abx", 1)).toEqual([
      ["abc", 1],
      ["abd", 1],
    ]);
    expect(nearOf(trie, `a${"b".repeat(299)}c`, 1)).toEqual([[longish, 1]]);
  });

  it("follows a row at the edge of `max` through the band's last cell", () => {
    // After « éc » the row stands at 1 everywhere: only « é » matching the band's last cell
    // (the target's « é », a deletion away) keeps the key within 1 edit.
    expect(nearOf(new KeyTrie(["écé"]), "éé", 1)).toEqual([["écé", 1]]);
    expect(nearOf(new KeyTrie(["abxcd"]), "abcd", 1)).toEqual([["abxcd", 1]]);
  });

  it("finds with no edit exactly its keys, prefixes and extensions of them not", () => {
    const word = fc.stringMatching(/^[abcé\u{1D4B3}]{0,6}$/u);
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 30 }),
        fc.array(word, { maxLength: 30 }),
        (words, probes) => {
          const keys = sorted(words);
          const trie = new KeyTrie(keys);
          for (const probe of [
            ...probes,
            ...keys,
            ...keys.map((k) => k.slice(0, -1)),
            ...keys.map((k) => `${k}a`),
          ]) {
            // A search starts at a first unit: an empty word is looked up by nobody.
            if (probe.length === 0) continue;
            const found = keys.includes(probe) ? [[probe, 0]] : [];
            expect(nearOf(trie, probe, 0), probe).toEqual(found);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("agrees with the edit distance by the book on random vocabularies, surrogates included", () => {
    agreesWithDistance(fc.stringMatching(/^[abcé\u{1D4B3}]{1,8}$/u), 40, 500);
  });

  it("agrees with the edit distance past 31 units, where a cell's unit is compared, not a bit read", () => {
    // The keys share a long stem: targets of 29 to 37 units, on both sides of the bound.
    const stem = "é".repeat(28);
    agreesWithDistance(
      fc.stringMatching(/^[abc]{1,9}$/).map((tail) => `${stem}${tail}`),
      30,
      300,
    );
  });

  it("finds the keys that differ by their first unit alone, each way once", () => {
    const word = fc.stringMatching(/^[abcé\u{1D4B3}]{1,6}$/u);
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), word, (words, key) => {
        const keys = sorted(words);
        const found: string[] = [];
        new KeyTrie(keys).firstUnitEdits(key, (k) => found.push(k));
        const rest = key.slice(1);
        const expected = [
          ...keys.filter((k) => k === rest),
          ...keys.filter((k) => k.slice(1) === rest && k.charCodeAt(0) !== key.charCodeAt(0)),
          ...keys.filter((k) => k.slice(1) === key),
        ];
        expect(found.sort()).toEqual(expected.sort());
      }),
      { numRuns: 500 },
    );
  });
});
