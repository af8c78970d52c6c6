/**
 * `vocabulary.txt` as read: offsets over its text, each word's entry made when a query asks
 * for it. Making an object per word at load (267,000 on the Littré), then a map of them by
 * key and another by term, was half of loading the index (0.72 of 1.5 s) and gave the garbage
 * collector a quarter of a million long-lived objects to trace for as long as it served.
 *
 * The file: a line `LOUPEVOC2`; one line a word, sorted by key,
 * `key TAB term TAB documents TAB spellings` (the term empty when it is the key, the spellings
 * empty when the key is the only one, else `form U+0001 count` joined by U+0002); a line
 * holding U+0003 alone; then one line a term, sorted by term, `term TAB documents TAB words`,
 * its documents summed over its words and its words the line numbers of their keys (from 0),
 * joined by commas. Keys, terms and forms are words: no tab, no line break, no U+0003.
 */
import type { VocabularyEntry } from "./vocabulary.js";

export const MAGIC = "LOUPEVOC2";
export const FORM = "\u0001";
export const NEXT_FORM = "\u0002";
export const TERMS = "\u0003";

/** An entry read from the text: its spellings stay text until someone asks. */
class StoredEntry implements VocabularyEntry {
  private parsed: Record<string, number> | undefined;
  constructor(
    readonly key: string,
    readonly term: string,
    readonly documents: number,
    private readonly rawForms: string,
  ) {}

  get forms(): Record<string, number> {
    if (this.parsed === undefined) {
      const forms: Record<string, number> = {};
      if (this.rawForms === "") forms[this.key] = this.documents;
      else {
        for (const pair of this.rawForms.split(NEXT_FORM)) {
          const cut = pair.lastIndexOf(FORM);
          forms[pair.slice(0, cut)] = Number(pair.slice(cut + 1));
        }
      }
      this.parsed = forms;
    }
    return this.parsed;
  }
}

/** A term's line: the documents of its words together, and its words' line numbers. */
export interface StoredTerm {
  documents: number;
  words: number[];
}

export class StoredWords {
  /** Every key, sorted by UTF-16 code unit. */
  readonly keys: string[] = [];
  /** Per key: the documents holding it, and where its line starts in the text. */
  readonly documents: Uint32Array;
  private readonly lineStart: Uint32Array;
  /** Where each term line starts, in term order. */
  private readonly termStart: Uint32Array;
  /** Entries made so far: a query asks for the same few words again and again. */
  private readonly made = new Map<number, VocabularyEntry>();
  /** Terms looked up so far (`null`: none), for the same reason. */
  private readonly termsRead = new Map<string, StoredTerm | null>();

  /** Reads the text's offsets; throws on a text of another shape. */
  constructor(private readonly text: string) {
    if (!text.startsWith(`${MAGIC}\n`)) throw new Error("it is not a loupe vocabulary");
    const starts: number[] = [];
    const documents: number[] = [];
    let at = MAGIC.length + 1;
    let previous = "";
    while (at < text.length && !text.startsWith(`${TERMS}\n`, at)) {
      const end = text.indexOf("\n", at);
      const a = text.indexOf("\t", at);
      const b = a < 0 ? -1 : text.indexOf("\t", a + 1);
      const c = b < 0 ? -1 : text.indexOf("\t", b + 1);
      if (end < 0 || c < 0 || c > end) throw new Error(`a line at character ${at} is cut short`);
      const key = text.slice(at, a);
      const count = Number(text.slice(b + 1, c));
      if (!(key > previous) || !Number.isSafeInteger(count) || count < 0) {
        throw new Error(`the word "${key}" is out of order or has no document count`);
      }
      previous = key;
      this.keys.push(key);
      starts.push(at);
      documents.push(count);
      at = end + 1;
    }
    if (at >= text.length) throw new Error("it has no term section");
    at += TERMS.length + 1;
    const termStarts: number[] = [];
    previous = "";
    for (let first = true; at < text.length; first = false) {
      const end = text.indexOf("\n", at);
      const tab = text.indexOf("\t", at);
      if (end < 0 || tab < 0 || tab > end)
        throw new Error(`a line at character ${at} is cut short`);
      const term = text.slice(at, tab);
      if (!first && !(term > previous)) throw new Error(`the term "${term}" is out of order`);
      previous = term;
      termStarts.push(at);
      at = end + 1;
    }
    this.lineStart = Uint32Array.from(starts);
    this.documents = Uint32Array.from(documents);
    this.termStart = Uint32Array.from(termStarts);
  }

  get size(): number {
    return this.keys.length;
  }

  /** The entry of the `i`-th key. */
  entry(i: number): VocabularyEntry {
    let entry = this.made.get(i);
    if (entry === undefined) {
      const { text } = this;
      const at = this.lineStart[i]!;
      const end = text.indexOf("\n", at);
      const a = text.indexOf("\t", at);
      const b = text.indexOf("\t", a + 1);
      const c = text.indexOf("\t", b + 1);
      const key = this.keys[i]!;
      const term = b === a + 1 ? key : text.slice(a + 1, b);
      entry = new StoredEntry(key, term, this.documents[i]!, text.slice(c + 1, end));
      // Bounded: a long-running server meets every word in time.
      if (this.made.size >= 65536) this.made.clear();
      this.made.set(i, entry);
    }
    return entry;
  }

  /** The line number of `key`, or -1. */
  find(key: string): number {
    const { keys } = this;
    let low = 0;
    let high = keys.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = keys[mid]!;
      if (at === key) return mid;
      if (at < key) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  /** The line of `term`, if a word of the collection has it. */
  term(term: string): StoredTerm | undefined {
    let found = this.termsRead.get(term);
    if (found === undefined) {
      found = this.readTerm(term) ?? null;
      if (this.termsRead.size >= 65536) this.termsRead.clear();
      this.termsRead.set(term, found);
    }
    return found ?? undefined;
  }

  private readTerm(term: string): StoredTerm | undefined {
    const { text, termStart } = this;
    let low = 0;
    let high = termStart.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = termStart[mid]!;
      const order = compareAt(text, at, term);
      if (order < 0) low = mid + 1;
      else if (order > 0) high = mid - 1;
      else {
        const tab = at + term.length;
        const end = text.indexOf("\n", tab);
        const second = text.indexOf("\t", tab + 1);
        return {
          documents: Number(text.slice(tab + 1, second)),
          words: text
            .slice(second + 1, end)
            .split(",")
            .map(Number),
        };
      }
    }
    return undefined;
  }

  /** The text it was read from: what `toText` would write again. */
  toText(): string {
    return this.text;
  }
}

/**
 * How the term written at `at` in `text` (up to its tab) compares with `term`, as `<` and `>`
 * compare strings (by UTF-16 unit; a prefix first): negative, zero or positive. Read in place:
 * slicing each line the binary search met made a string per step, and a query's first look-up
 * of a term cost 8 µs a word (didYouMean on first-seen Littré queries).
 */
function compareAt(text: string, at: number, term: string): number {
  for (let i = 0; ; i++) {
    const unit = text.charCodeAt(at + i);
    const ended = unit === TAB || Number.isNaN(unit);
    if (i === term.length) return ended ? 0 : 1;
    if (ended) return -1;
    const other = term.charCodeAt(i);
    if (unit !== other) return unit - other;
  }
}

const TAB = 9;
