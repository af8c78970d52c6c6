/**
 * The surface vocabulary: every word of the collection as users type it (folded, lowercase)
 * → the forms it is written in, its term, and how many documents hold it.
 *
 * Prefix search, autocomplete and "did you mean" run here rather than on the index's terms,
 * because terms are stems: `gouverneme` is a prefix of `gouvernement` but not of its stem
 * `gouvern`… only by luck, and `econ` would suggest `econom`.
 *
 * Prefix and typo look-ups walk the keys in sorted order, as an implicit trie: a prefix is a
 * range found by binary search, and the typo search descends ranges that share a prefix. The
 * keys are persisted sorted, so nothing is built at load. A radix tree (MiniSearch's
 * SearchableMap) did the same, but building it was a quarter of loading the Littré (0.67 s
 * for 267,000 words), and parsing the vocabulary as JSON arrays with an object of spellings per
 * word another 1.5 s: the file is now lines of text, read as offsets over it, each word's
 * entry made when a query asks for it (`stored-words.ts`).
 */

import { INVISIBLE } from "../analysis/index.js";
import type { SurfaceWord } from "./fields.js";
import { KeyTrie } from "./key-trie.js";
import { FORM, MAGIC, NEXT_FORM, StoredWords, TERMS } from "./stored-words.js";

export interface VocabularyEntry {
  readonly key: string;
  readonly term: string;
  /** Documents that hold the word. */
  readonly documents: number;
  /** Each spelling as written (`Hélicoptères`, `hélicoptères`) → documents holding it. */
  readonly forms: Readonly<Record<string, number>>;
}

/**
 * An entry being counted: which document counted it last, and its spellings in first-seen
 * order with their counts. A record per word keyed by the spellings themselves (as read back)
 * gave V8 a new hidden class per spelling: counting was 3.0 s of the 12 s of analysis on a
 * quarter of the Littré (`--cpu-prof`); the record is made when asked for.
 */
export class CountedEntry implements VocabularyEntry {
  documents = 0;
  lastDocument = 0;
  readonly spellings: string[] = [];
  readonly counts: number[] = [];
  private record: Record<string, number> | undefined;
  constructor(
    readonly key: string,
    readonly term: string,
  ) {}

  /** Where `form` is counted; a new slot the first time. */
  slotOf(form: string): number {
    let slot = this.spellings.indexOf(form);
    if (slot < 0) {
      slot = this.spellings.push(form) - 1;
      this.counts.push(0);
    }
    return slot;
  }

  /** Counts spelling `slot` once more for document `document`; the entry once per document. */
  count(slot: number, document: number): void {
    this.record = undefined;
    this.counts[slot]!++;
    if (this.lastDocument !== document) {
      this.lastDocument = document;
      this.documents++;
    }
  }

  get forms(): Record<string, number> {
    if (this.record === undefined) {
      // Filled in first-seen order, as the record counted in place was: its key order is the same.
      const forms: Record<string, number> = {};
      for (let i = 0; i < this.spellings.length; i++) forms[this.spellings[i]!] = this.counts[i]!;
      this.record = forms;
    }
    return this.record;
  }
}

/** A spelling of a word being counted, found once per build: see `Vocabulary.spelling`. */
export interface Spelling {
  readonly entry: CountedEntry;
  readonly slot: number;
}

/** A string an object lists first, in numeric order: a canonical integer below 2^32 - 1. */
function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/** `[key, term, documents, forms]`: the shape tests and tools build vocabularies from. */
export type VocabularyJSON = Array<[string, string, number, Record<string, number>]>;

export class Vocabulary {
  /** The words counted or given; empty for a vocabulary read from its file (`stored`). */
  private readonly entries: Map<string, VocabularyEntry | CountedEntry>;
  private readonly stored: StoredWords | undefined;
  /** Documents per term, over all spellings: is a query word's term in the collection at all. */
  private termTotals: Map<string, number> | undefined;
  private documentsSeen = 0;
  // Derived from `entries` on first use, dropped when a count changes.
  private sortedKeys: string[] | undefined;
  private byTerm: Map<string, VocabularyEntry[]> | undefined;
  private trie: KeyTrie | undefined;
  private readonly nearMemo = new Map<
    string,
    { maxDistance: number; found: Array<{ entry: VocabularyEntry; distance: number }> }
  >();

  private constructor(entries: Map<string, VocabularyEntry | CountedEntry>, stored?: StoredWords) {
    this.entries = entries;
    this.stored = stored;
    this.sortedKeys = stored?.keys;
  }

  private get terms(): Map<string, number> {
    if (this.termTotals === undefined) {
      this.termTotals = new Map();
      for (const entry of this.entries.values()) {
        this.termTotals.set(entry.term, (this.termTotals.get(entry.term) ?? 0) + entry.documents);
      }
    }
    return this.termTotals;
  }

  /** Builds what look-ups need now rather than on the first query (a server does at start-up). */
  prepare(): void {
    this.trie ??= new KeyTrie(this.keys());
    if (this.stored !== undefined) return;
    this.byTerm ??= this.indexByTerm();
    void this.terms;
  }

  /** Every key, sorted by UTF-16 code unit (the order `<` gives). */
  private keys(): string[] {
    this.sortedKeys ??= [...this.entries.keys()].sort(byCodeUnit);
    return this.sortedKeys;
  }

  hasTerm(term: string): boolean {
    if (this.stored !== undefined) return this.stored.term(term) !== undefined;
    return this.terms.has(term);
  }

  /** Documents holding a word whose term is `term` (summed over its words: an upper bound). */
  termDocuments(term: string): number {
    if (this.stored !== undefined) return this.stored.term(term)?.documents ?? 0;
    return this.terms.get(term) ?? 0;
  }

  /** Every spelling, as written in the collection, of the words whose term is `term`. */
  formsOf(term: string): string[] {
    const { stored } = this;
    if (stored !== undefined) {
      const words = stored.term(term)?.words ?? [];
      return words.flatMap((i) => Object.keys(stored.entry(i).forms));
    }
    this.byTerm ??= this.indexByTerm();
    return this.byTerm.get(term)?.flatMap((entry) => Object.keys(entry.forms)) ?? [];
  }

  private indexByTerm(): Map<string, VocabularyEntry[]> {
    const byTerm = new Map<string, VocabularyEntry[]>();
    // In key order, as the file lists a term's words.
    for (const key of this.keys()) {
      const entry = this.entries.get(key)!;
      const list = byTerm.get(entry.term);
      if (list === undefined) byTerm.set(entry.term, [entry]);
      else list.push(entry);
    }
    return byTerm;
  }

  static empty(): Vocabulary {
    return new Vocabulary(new Map());
  }

  static fromJSON(json: VocabularyJSON): Vocabulary {
    const map = new Map<string, VocabularyEntry>();
    for (const [key, term, documents, forms] of json) map.set(key, { key, term, documents, forms });
    return new Vocabulary(map);
  }

  toJSON(): VocabularyJSON {
    return this.keys().map((key) => {
      const entry = this.get(key)!;
      return [key, entry.term, entry.documents, { ...entry.forms }];
    });
  }

  /** `vocabulary.txt`, as `stored-words.ts` describes it. */
  toText(): string {
    if (this.stored !== undefined) return this.stored.toText();
    const lines = [MAGIC];
    const byTerm = new Map<string, { documents: number; words: number[] }>();
    for (const [line, key] of this.keys().entries()) {
      const entry = this.entries.get(key)!;
      const seen = byTerm.get(entry.term);
      if (seen === undefined) byTerm.set(entry.term, { documents: entry.documents, words: [line] });
      else {
        seen.documents += entry.documents;
        seen.words.push(line);
      }
      const { term, documents } = entry;
      // Spellings straight from the slots, no record made (0.3 s of `toText` on a quarter of the
      // Littré, 0.6 s on all of it): a record lists array-index keys (`1870`) first, so the
      // slots' order is the record's only without them.
      if (entry instanceof CountedEntry && !entry.spellings.some(isArrayIndex)) {
        const { spellings, counts } = entry;
        const plain = spellings.length === 1 && spellings[0] === key && counts[0] === documents;
        let raw = "";
        if (!plain) {
          for (let i = 0; i < spellings.length; i++) {
            raw += `${i === 0 ? "" : NEXT_FORM}${spellings[i]}${FORM}${counts[i]}`;
          }
        }
        lines.push(`${key}\t${term === key ? "" : term}\t${documents}\t${raw}`);
        continue;
      }
      const forms = entry.forms;
      const spellings = Object.keys(forms);
      const plain = spellings.length === 1 && spellings[0] === key && forms[key] === documents;
      const raw = plain
        ? ""
        : spellings.map((form) => `${form}${FORM}${forms[form]}`).join(NEXT_FORM);
      lines.push(`${key}\t${term === key ? "" : term}\t${documents}\t${raw}`);
    }
    lines.push(TERMS);
    for (const term of [...byTerm.keys()].sort(byCodeUnit)) {
      const { documents, words } = byTerm.get(term)!;
      lines.push(`${term}\t${documents}\t${words.join(",")}`);
    }
    return `${lines.join("\n")}\n`;
  }

  /** Reads `toText()`'s output; throws on a file of another shape. */
  static fromText(text: string): Vocabulary {
    return new Vocabulary(new Map(), new StoredWords(text));
  }

  get size(): number {
    return this.stored?.size ?? this.entries.size;
  }

  /**
   * Counts one more document's distinct words in. Indexing always builds anew (build.ts), so
   * words are only ever counted in; the per-term totals are derived when first asked for.
   */
  add(words: readonly SurfaceWord[]): void {
    this.addSpellings(words.map((word) => this.spelling(word)));
  }

  /**
   * The entry and slot `word` is counted in, made the first time: a builder that meets the
   * same words again and again looks each up once (indexer.ts). Entries are made in the order
   * their words are first counted, as `add` makes them.
   */
  spelling(word: SurfaceWord): Spelling {
    if (this.stored !== undefined)
      throw new Error("a vocabulary read from its file is not counted in");
    let entry = this.entries.get(word.key) as CountedEntry | undefined;
    if (entry === undefined) {
      entry = new CountedEntry(word.key, word.term);
      this.entries.set(word.key, entry);
    }
    return { entry, slot: entry.slotOf(word.form) };
  }

  /** `add` for spellings already found: one document's distinct spellings. */
  addSpellings(spellings: readonly Spelling[]): void {
    this.byTerm = undefined;
    this.sortedKeys = undefined;
    this.termTotals = undefined;
    this.trie = undefined;
    this.nearMemo.clear();
    // A word written several ways in one document counts once for it.
    const documentMark = ++this.documentsSeen;
    for (const { entry, slot } of spellings) entry.count(slot, documentMark);
  }

  get(key: string): VocabularyEntry | undefined {
    if (this.stored === undefined) return this.entries.get(key);
    const line = this.stored.find(key);
    return line < 0 ? undefined : this.stored.entry(line);
  }

  /** The entry of the `line`-th key in code-unit order (`keys()`, the typo trie's order). */
  private entryAt(line: number): VocabularyEntry {
    if (this.stored !== undefined) return this.stored.entry(line);
    return this.entries.get(this.keys()[line]!)!;
  }

  /** Words starting with `prefix` (a folded key), most documents first. */
  withPrefix(prefix: string, limit = Number.POSITIVE_INFINITY): VocabularyEntry[] {
    const keys = this.keys();
    const [from, to] = prefixRange(keys, prefix);
    const { stored } = this;
    if (stored !== undefined) {
      // The `limit` lines with most documents, ties in key order (line order), kept in a small
      // sorted buffer: a one-letter prefix spans 20,000 Littré words, a suggestion wants 20.
      // Only the entries kept are made.
      const { documents } = stored;
      if (limit >= to - from) {
        const lines = Array.from({ length: to - from }, (_, i) => from + i);
        lines.sort((a, b) => documents[b]! - documents[a]! || a - b);
        return lines.map((line) => stored.entry(line));
      }
      const best: number[] = [];
      for (let line = from; line < to; line++) {
        const count = documents[line]!;
        if (best.length >= limit && count <= documents[best[best.length - 1]!]!) continue;
        let i = best.length;
        best.push(line);
        while (i > 0 && documents[best[i - 1]!]! < count) {
          best[i] = best[i - 1]!;
          i--;
        }
        best[i] = line;
        if (best.length > limit) best.pop();
      }
      return best.map((line) => stored.entry(line));
    }
    const found: VocabularyEntry[] = [];
    for (let i = from; i < to; i++) found.push(this.entries.get(keys[i]!)!);
    found.sort(byDocumentsThenKey);
    return found.length > limit ? found.slice(0, limit) : found;
  }

  /**
   * Words within `maxDistance` edits of `key` (itself excluded), nearest then most frequent.
   *
   * An edit of the first letter costs two, as in Meilisearch: people rarely mistype a word's
   * first letter, and keeping it lets the search walk the words of one letter instead of all
   * of them. On the Littré's 300 short queries (bench/scale), the whole walk was a quarter of
   * the query time, and up to 45 ms for one 13-letter word with two typos; it now walks a trie
   * (`key-trie.ts`).
   */
  near(key: string, maxDistance: number): Array<{ entry: VocabularyEntry; distance: number }> {
    const memo = this.nearMemo.get(key);
    if (memo !== undefined && memo.maxDistance === maxDistance) return memo.found;
    const found: Array<{ entry: VocabularyEntry; distance: number }> = [];
    // Made by `prepare()` (the Littré's 267,000 keys: 590,000 nodes, 10.7 MB, 40–70 ms), or
    // here on the first typo look-up of a vocabulary nobody prepared.
    this.trie ??= new KeyTrie(this.keys());
    const trie = this.trie;
    if (key.length > 0) {
      // The trie gives each key's line: its entry is read there, not sought by its key again
      // (a binary search over the keys). With the trie's changes of 62add59, a look-up of the
      // words of 6,000 Littré queries took 99–105 µs instead of 127–136 with two typos, 20–23
      // instead of 28–31 with one (.scratch, alternated builds); the automaton since
      // (key-trie.ts) takes it to 61–62 and 13.
      trie.near(key.charCodeAt(0), key.slice(1), maxDistance, (other, distance, line) => {
        if (other !== key) found.push({ entry: this.entryAt(line), distance });
      });
    }
    if (maxDistance >= 2 && key.length > 1) {
      // The first letter dropped, replaced or preceded by another, and nothing else changed.
      const seen = new Set(found.map(({ entry }) => entry.key));
      trie.firstUnitEdits(key, (candidate, line) => {
        if (candidate === key || seen.has(candidate)) return;
        seen.add(candidate);
        found.push({ entry: this.entryAt(line), distance: 2 });
      });
    }
    found.sort((a, b) => a.distance - b.distance || byDocumentsThenKey(a.entry, b.entry));
    // A query asks for a word's neighbours twice (typo tolerance, then "did you mean").
    if (this.nearMemo.size >= 64) this.nearMemo.clear();
    this.nearMemo.set(key, { maxDistance, found });
    return found;
  }
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `[from, to)`: the keys that start with `prefix`. Two binary searches over whole keys: the
 * first key not below the prefix, then the first after it that does not start with it. Two
 * searches per letter of the prefix, as before, read about three times as many keys, each far
 * from the last in memory (first-seen Littré query words: 6.4–9.8 µs a look-up instead of
 * 10.4–12.4).
 */
function prefixRange(keys: readonly string[], prefix: string): [number, number] {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid]! < prefix) low = mid + 1;
    else high = mid;
  }
  const from = low;
  high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid]!.startsWith(prefix)) low = mid + 1;
    else high = mid;
  }
  return [from, low];
}

function byDocumentsThenKey(a: VocabularyEntry, b: VocabularyEntry): number {
  return b.documents - a.documents || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * The spelling to show for a word: the most used all-lowercase form when there is one
 * (`hélicoptères` over a sentence-initial `Hélicoptères`), else the most used form (`OTAN`).
 */
export function displayForm(entry: VocabularyEntry): string {
  let best: string | undefined;
  let bestCount = -1;
  let bestIsLower = false;
  for (const [form, count] of Object.entries(entry.forms)) {
    const isLower = form === form.toLowerCase();
    if ((isLower && !bestIsLower) || (isLower === bestIsLower && count > bestCount)) {
      best = form;
      bestCount = count;
      bestIsLower = isLower;
    }
  }
  // A soft hyphen stays in the form (the highlighter finds the word as written), not in what is
  // offered to type: invisible on screen, it would end up in URLs and copies.
  return best === undefined ? entry.key : best.replace(INVISIBLE_CHARS, "");
}

const INVISIBLE_CHARS = new RegExp(`[${INVISIBLE}]`, "g");
