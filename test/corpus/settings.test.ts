import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  canonicalSettings,
  DEFAULT_SETTINGS,
  loadSettings,
  parseSettings,
  SettingsError,
} from "../../src/corpus/settings.js";

const errorOf = (text: string): SettingsError => {
  try {
    parseSettings(text, "site/loupe.json");
  } catch (err) {
    if (err instanceof SettingsError) return err;
    throw err;
  }
  throw new Error("no error");
};

describe("parseSettings", () => {
  it("fills the defaults: title and body searchable, date filterable", () => {
    expect(parseSettings("{}")).toEqual({
      primaryKey: "id",
      searchableAttributes: ["title", "body"],
      displayedAttributes: ["*"],
      filterableAttributes: ["date"],
      sortableAttributes: [],
      synonyms: {},
      stopWords: [],
    });
    expect(parseSettings('{"primaryKey": null}').primaryKey).toBe("id");
  });

  it("reads every Meilisearch key it supports", () => {
    const s = parseSettings(
      JSON.stringify({
        primaryKey: "ref",
        searchableAttributes: ["title", "meta.author", "body"],
        displayedAttributes: ["title", "section", "meta.author"],
        filterableAttributes: ["category", "date"],
        sortableAttributes: ["date", "price"],
        synonyms: { OTAN: ["NATO"], NATO: ["OTAN"], EI: ["Daech", "État islamique"] },
        stopWords: ["voir", "aussi", "voir"],
      }),
    );
    expect(s).toMatchObject({
      primaryKey: "ref",
      searchableAttributes: ["title", "meta.author", "body"],
      sortableAttributes: ["date", "price"],
      synonyms: { OTAN: ["NATO"], NATO: ["OTAN"], EI: ["Daech", "État islamique"] },
      stopWords: ["aussi", "voir"],
    });
  });

  it("cleans synonyms: NFC, single spaces, no word as its own synonym", () => {
    const s = parseSettings(
      '{"synonyms": {"E\\u0301tat  islamique": ["EI", "État islamique", "EI"]}}',
    );
    expect(s.synonyms).toEqual({ "État islamique": ["EI"] });
  });

  it("names the file, the key and the fix", () => {
    expect(errorOf('{"searchableAttributes": "title"}').message).toBe(
      'site/loupe.json: "searchableAttributes": must be a list of attribute names, e.g. ["title", "body"] or ["*"]',
    );
    const e = errorOf('{"filterableAttributes": ["date", "*"]}');
    expect(e.key).toBe("filterableAttributes");
    expect(e.message).toContain('item 2 ("*") is not an attribute name');
    expect(errorOf('{"sortableAttributes": ["date", "date"]}').message).toContain(
      'lists "date" twice',
    );
    expect(errorOf('{"displayedAttributes": ["*", "title"]}').message).toContain('["*"] alone');
    expect(errorOf('{"searchableAttributes": ["a..b"]}').message).toContain("dot paths");
    expect(errorOf('{"synonyms": {"otan": "nato"}}').message).toBe(
      'site/loupe.json: "synonyms": "otan" must map to a list of non-empty words, e.g. { "otan": ["nato"], "nato": ["otan"] }',
    );
    expect(errorOf('{"stopWords": ["", "x"]}').key).toBe("stopWords");
    expect(errorOf('{"searchableAttributes": []}').message).toContain("nothing could be found");
    expect(errorOf('{"primaryKey": 3}').message).toContain(
      '"primaryKey": must be an attribute name',
    );
  });

  it("refuses unknown keys, and says when a Meilisearch key is not applied", () => {
    expect(errorOf('{"searchable": []}').message).toMatch(
      /"searchable": is not a setting: remove it or use one of primaryKey, searchableAttributes/,
    );
    expect(errorOf('{"rankingRules": []}').message).toContain(
      "is a Meilisearch setting loupe does not apply",
    );
  });

  it("refuses what is not a JSON object", () => {
    expect(errorOf("[1]").message).toMatch(/^site\/loupe.json: must be a JSON object/);
    expect(errorOf('{"a": }').message).toMatch(/^site\/loupe.json: not valid JSON \(.+\): fix/);
  });
});

describe("canonicalSettings", () => {
  it("is the same for files that say the same thing, different otherwise", () => {
    const a = parseSettings(
      '{"filterableAttributes": ["b", "a"], "synonyms": {"y": ["2", "1"], "x": ["1"]}, "stopWords": ["z", "a"]}',
    );
    const b = parseSettings(
      '{"stopWords": ["a", "z"], "synonyms": {"x": ["1"], "y": ["1", "2"]}, "filterableAttributes": ["a", "b"]}',
    );
    expect(canonicalSettings(a)).toBe(canonicalSettings(b));
    // Order of searchable attributes is their weight: it is meaning, not noise.
    const c = parseSettings('{"searchableAttributes": ["body", "title"]}');
    expect(canonicalSettings(c)).not.toBe(canonicalSettings(parseSettings("{}")));
    expect(JSON.parse(canonicalSettings(parseSettings("{}")))).toEqual(DEFAULT_SETTINGS);
  });
});

describe("loadSettings", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "loupe-settings-"));

  it("gives the defaults when the folder has no loupe.json", async () => {
    expect(await loadSettings(dir)).toEqual({ settings: { ...DEFAULT_SETTINGS } });
  });

  it("reads loupe.json at the folder's root, or the file given", async () => {
    writeFileSync(path.join(dir, "loupe.json"), '{"sortableAttributes": ["date"]}');
    const other = path.join(dir, "autre.json");
    writeFileSync(other, '{"sortableAttributes": ["price"]}');
    expect(await loadSettings(dir)).toMatchObject({
      file: path.join(dir, "loupe.json"),
      settings: { sortableAttributes: ["date"] },
    });
    expect((await loadSettings(dir, other)).settings.sortableAttributes).toEqual(["price"]);
  });

  it("fails naming a --settings file that does not exist", async () => {
    await expect(loadSettings(dir, path.join(dir, "absent.json"))).rejects.toThrow(
      /absent\.json: no such file: check the path given to --settings/,
    );
  });
});
