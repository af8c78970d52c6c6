/**
 * Index settings, read from `loupe.json` at the input folder's root (or a file the caller
 * names), with Meilisearch's names so that a Meilisearch user's settings work as written.
 *
 * What each key means here:
 *   primaryKey            the record attribute that is the document id (JSON records only; files
 *                         are identified by their path). Default `id`.
 *   searchableAttributes  the attributes searched, earlier ones weighing more; `["*"]` is every
 *                         attribute with text. Default `["title", "body"]`.
 *   displayedAttributes   the attributes a hit carries. Default `["*"]`.
 *   filterableAttributes  usable in `filter` and `facets`. Default `["date"]`.
 *   sortableAttributes    usable in `sort`. Default `[]`.
 *   synonyms              `{ "otan": ["nato"], "nato": ["otan"] }`: each key also finds its
 *                         listed words. Multi-way synonyms list each other; one-way synonyms
 *                         are listed under one key only (Meilisearch's model).
 *   stopWords             added to the French list.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { isEveryAttribute, isWithin } from "./attributes.js";

export interface LoupeSettings {
  primaryKey: string;
  searchableAttributes: string[];
  displayedAttributes: string[];
  filterableAttributes: string[];
  sortableAttributes: string[];
  synonyms: Record<string, string[]>;
  stopWords: string[];
}

/** The settings as loaded, and where from (`undefined`: no file, the defaults). */
export interface LoadedSettings {
  settings: LoupeSettings;
  file?: string;
}

export const SETTINGS_FILE = "loupe.json";

export const DEFAULT_SETTINGS: Readonly<LoupeSettings> = Object.freeze({
  primaryKey: "id",
  searchableAttributes: ["title", "body"],
  displayedAttributes: ["*"],
  filterableAttributes: ["date"],
  sortableAttributes: [],
  synonyms: {},
  stopWords: [],
});

/** Meilisearch settings loupe does not apply: named so the error says so rather than "unknown". */
const MEILISEARCH_ONLY = new Set([
  "rankingRules",
  "distinctAttribute",
  "typoTolerance",
  "faceting",
  "pagination",
  "proximityPrecision",
  "separatorTokens",
  "nonSeparatorTokens",
  "dictionary",
  "embedders",
  "searchCutoffMs",
  "localizedAttributes",
  "facetSearch",
  "prefixSearch",
]);

const KEYS = [
  "primaryKey",
  "searchableAttributes",
  "displayedAttributes",
  "filterableAttributes",
  "sortableAttributes",
  "synonyms",
  "stopWords",
] as const;

/** A settings file that cannot be used: the message names the file, the key and the fix. */
export class SettingsError extends Error {
  override name = "SettingsError";
  readonly file: string;
  readonly key: string | undefined;

  constructor(file: string, key: string | undefined, message: string) {
    super(`${file}${key ? `: "${key}"` : ""}: ${message}`);
    this.file = file;
    this.key = key;
  }
}

/**
 * `file` given (a `--settings FILE` flag): that file, which must exist. Otherwise `loupe.json`
 * at the input folder's root when there is one, else the defaults.
 */
export async function loadSettings(inputDir: string, file?: string): Promise<LoadedSettings> {
  const target = file ?? path.join(inputDir, SETTINGS_FILE);
  let text: string;
  try {
    text = await readFile(target, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (file === undefined && code === "ENOENT") return { settings: defaultSettings() };
    throw new SettingsError(
      target,
      undefined,
      code === "ENOENT"
        ? "no such file: check the path given to --settings"
        : `cannot be read (${code ?? String(err)}): check its permissions`,
    );
  }
  return { settings: parseSettings(text, target), file: target };
}

export function defaultSettings(): LoupeSettings {
  return structuredClone(DEFAULT_SETTINGS) as LoupeSettings;
}

/** Validates the text of a settings file; `file` names it in errors. Keys left out keep their defaults. */
export function parseSettings(text: string, file: string = SETTINGS_FILE): LoupeSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new SettingsError(
      file,
      undefined,
      `not valid JSON (${(err as Error).message}): fix the syntax, e.g. a missing comma or quote`,
    );
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new SettingsError(
      file,
      undefined,
      'must be a JSON object such as { "searchableAttributes": ["title", "body"] }',
    );
  }
  const settings = defaultSettings();
  const given = new Set(Object.keys(raw));
  for (const [key, value] of Object.entries(raw)) {
    const err = (message: string) => new SettingsError(file, key, message);
    switch (key) {
      case "primaryKey":
        if (value === null) break; // Meilisearch's "infer it": here, the default.
        if (typeof value !== "string" || !isAttributeName(value)) {
          throw err('must be an attribute name such as "id"');
        }
        settings.primaryKey = value;
        break;
      case "searchableAttributes":
        settings[key] = attributeList(value, true, err);
        if (settings[key].length === 0) {
          throw err(
            'lists no attribute, so nothing could be found: list some, e.g. ["title", "body"]',
          );
        }
        break;
      case "displayedAttributes":
        settings[key] = attributeList(value, true, err);
        break;
      case "filterableAttributes":
      case "sortableAttributes":
        settings[key] = attributeList(value, false, err);
        break;
      case "synonyms":
        settings.synonyms = synonymMap(value, err);
        break;
      case "stopWords":
        settings.stopWords = wordList(value, err);
        break;
      default:
        if (MEILISEARCH_ONLY.has(key)) {
          throw err(
            `is a Meilisearch setting loupe does not apply: remove it (loupe reads ${KEYS.join(", ")})`,
          );
        }
        throw err(`is not a setting: remove it or use one of ${KEYS.join(", ")}`);
    }
  }
  // A searched attribute is shown (snippets, the document): one meant to stay hidden cannot be.
  // `title` and `body` are the document's own text, shown whatever the list says.
  const displayed = settings.displayedAttributes;
  if (given.has("searchableAttributes") && !isEveryAttribute(displayed)) {
    const hidden = settings.searchableAttributes.filter(
      // A field of a displayed object is displayed (`pos.ville` when `pos` is).
      (name) => name !== "*" && name !== "title" && name !== "body" && !isWithin(name, displayed),
    );
    if (hidden.length > 0) {
      throw new SettingsError(
        file,
        "searchableAttributes",
        `lists ${hidden.map((name) => `"${name}"`).join(", ")}, which displayedAttributes leaves out: loupe shows the text it searches (snippets, the document), so add ${hidden.length === 1 ? "it" : "them"} to displayedAttributes or remove ${hidden.length === 1 ? "it" : "them"} from searchableAttributes`,
      );
    }
  }
  return settings;
}

function attributeList(
  value: unknown,
  starAllowed: boolean,
  err: (message: string) => SettingsError,
): string[] {
  const example = starAllowed ? '["title", "body"] or ["*"]' : '["date", "category"]';
  if (!Array.isArray(value)) throw err(`must be a list of attribute names, e.g. ${example}`);
  const seen = new Set<string>();
  const list: string[] = [];
  for (const [i, name] of value.entries()) {
    if (typeof name !== "string" || !(isAttributeName(name) || (starAllowed && name === "*"))) {
      throw err(
        `item ${i + 1} (${JSON.stringify(name)}) is not an attribute name: use names such as "title" or dot paths such as "meta.author"${starAllowed ? ', or ["*"] alone' : ""}`,
      );
    }
    if (seen.has(name)) throw err(`lists "${name}" twice: keep one`);
    seen.add(name);
    list.push(name);
  }
  if (seen.has("*") && list.length > 1) {
    throw err('mixes "*" with names: use ["*"] alone, or list the attributes');
  }
  return list;
}

function synonymMap(
  value: unknown,
  err: (message: string) => SettingsError,
): Record<string, string[]> {
  const example = '{ "otan": ["nato"], "nato": ["otan"] }';
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw err(`must be an object of word → list of words, e.g. ${example}`);
  }
  const map: Record<string, string[]> = {};
  for (const [rawKey, words] of Object.entries(value)) {
    const key = cleanWord(rawKey);
    if (key === "") throw err(`has an empty word as a key: remove it`);
    if (!Array.isArray(words) || words.some((w) => typeof w !== "string" || cleanWord(w) === "")) {
      throw err(`"${rawKey}" must map to a list of non-empty words, e.g. ${example}`);
    }
    const cleaned = (words as string[]).map(cleanWord).filter((w) => w !== key);
    map[key] = sortedUnique([...(map[key] ?? []), ...cleaned]);
  }
  return map;
}

function wordList(value: unknown, err: (message: string) => SettingsError): string[] {
  if (!Array.isArray(value) || value.some((w) => typeof w !== "string" || cleanWord(w) === "")) {
    throw err('must be a list of non-empty words, e.g. ["voir", "aussi"]');
  }
  return sortedUnique((value as string[]).map(cleanWord));
}

/** Dot paths of plain names: `title`, `meta.author`; no empty segment, no spaces. */
function isAttributeName(name: string): boolean {
  return /^[^\s.*]+(?:\.[^\s.*]+)*$/u.test(name);
}

/** NFC and single spaces: `"État  islamique"` and its decomposed spelling are one key. */
function cleanWord(word: string): string {
  return word.normalize("NFC").replace(/\s+/g, " ").trim();
}

function sortedUnique(words: string[]): string[] {
  return [...new Set(words)].sort();
}

/**
 * One string for one meaning: every key, defaults filled in, lists that are sets (filterable,
 * sortable, synonyms, stop words) sorted, ordered lists (searchable, displayed) as given. Two
 * files that say the same thing give the same string, so the manifest can record it and a
 * build can tell whether the settings changed.
 */
export function canonicalSettings(settings: LoupeSettings): string {
  const synonyms: Record<string, string[]> = {};
  for (const key of Object.keys(settings.synonyms).sort()) {
    synonyms[key] = sortedUnique(settings.synonyms[key] ?? []);
  }
  return JSON.stringify({
    primaryKey: settings.primaryKey,
    searchableAttributes: [...settings.searchableAttributes],
    displayedAttributes: [...settings.displayedAttributes],
    filterableAttributes: sortedUnique(settings.filterableAttributes),
    sortableAttributes: sortedUnique(settings.sortableAttributes),
    synonyms,
    stopWords: sortedUnique(settings.stopWords),
  });
}

/** True when a `source` (relative to the input folder) is the settings file, not a document. */
export function isSettingsSource(source: string): boolean {
  return source === SETTINGS_FILE;
}
