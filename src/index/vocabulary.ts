/**
 * The surface vocabulary: every word of the collection as users type it (folded, lowercase)
 * → the forms it is written in, its term, and how many documents hold it.
 *
 * Prefix search, autocomplete and "did you mean" run here rather than on MiniSearch's terms,
 * because terms are stems: `gouverneme` is a prefix of `gouvernement` but not of its stem
 * `gouvern`… only by luck, and `econ` would suggest `econom`. A radix tree
 * (MiniSearch's SearchableMap) gives prefix and fuzzy look-ups over the keys; it is built on
 * the first such look-up, since counting words into a plain Map while indexing is several
 * times cheaper than into the tree.
 */
import SearchableMap from "minisearch/SearchableMap";
import type { SurfaceWord } from "./fields.js";

export interface VocabularyEntry {
  key: string;
  term: string;
  /** Documents that hold the word. */
  documents: number;
  /** Each spelling as written (`Hélicoptères`, `hélicoptères`) → documents holding it. */
  forms: Record<string, number>;
}

/** An entry being counted: which document counted it last. */
interface CountedEntry extends VocabularyEntry {
  lastDocument: number;
}

/** As persisted: `[key, term, documents, forms]`, compact for 40k words. */
export type VocabularyJSON = Array<[string, string, number, Record<string, number>]>;

export class Vocabulary {
  private readonly entries: Map<string, VocabularyEntry>;
  /** Documents per term, over all spellings: is a query word's term in the collection at all. */
  private termTotals: Map<string, number> | undefined;
  private documentsSeen = 0;
  // Derived from `entries` on first use, dropped when a count changes.
  private tree: SearchableMap<VocabularyEntry> | undefined;
  private byTerm: Map<string, VocabularyEntry[]> | undefined;
  private initials: string[] | undefined;
  private readonly nearMemo = new Map<
    string,
    { maxDistance: number; found: Array<{ entry: VocabularyEntry; distance: number }> }
  >();

  private constructor(entries: Map<string, VocabularyEntry>) {
    this.entries = entries;
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
    this.radixTree();
    this.byTerm ??= this.indexByTerm();
    void this.terms;
  }

  private radixTree(): SearchableMap<VocabularyEntry> {
    if (this.tree === undefined) {
      this.tree = new SearchableMap<VocabularyEntry>();
      for (const [key, entry] of this.entries) this.tree.set(key, entry);
    }
    return this.tree;
  }

  hasTerm(term: string): boolean {
    return this.terms.has(term);
  }

  /** Documents holding a word whose term is `term` (summed over its words: an upper bound). */
  termDocuments(term: string): number {
    return this.terms.get(term) ?? 0;
  }

  /** Every spelling, as written in the collection, of the words whose term is `term`. */
  formsOf(term: string): string[] {
    this.byTerm ??= this.indexByTerm();
    return this.byTerm.get(term)?.flatMap((entry) => Object.keys(entry.forms)) ?? [];
  }

  private indexByTerm(): Map<string, VocabularyEntry[]> {
    const byTerm = new Map<string, VocabularyEntry[]>();
    for (const entry of this.entries.values()) {
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
    const rows: VocabularyJSON = [];
    for (const [key, entry] of this.entries)
      rows.push([key, entry.term, entry.documents, entry.forms]);
    return rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Counts one more document's distinct words in. Indexing always builds anew (build.ts), so
   * words are only ever counted in; the per-term totals are derived when first asked for.
   */
  add(words: readonly SurfaceWord[]): void {
    this.byTerm = undefined;
    this.tree = undefined;
    this.termTotals = undefined;
    this.initials = undefined;
    this.nearMemo.clear();
    const documentMark = ++this.documentsSeen;
    for (const word of words) {
      let entry = this.entries.get(word.key) as CountedEntry | undefined;
      if (entry === undefined) {
        entry = { key: word.key, term: word.term, documents: 0, forms: {}, lastDocument: 0 };
        this.entries.set(word.key, entry);
      }
      entry.forms[word.form] = (entry.forms[word.form] ?? 0) + 1;
      // A word written several ways in one document counts once for it.
      if (entry.lastDocument !== documentMark) {
        entry.lastDocument = documentMark;
        entry.documents++;
      }
    }
  }

  get(key: string): VocabularyEntry | undefined {
    return this.entries.get(key);
  }

  /** Words starting with `prefix` (a folded key), most documents first. */
  withPrefix(prefix: string, limit = Number.POSITIVE_INFINITY): VocabularyEntry[] {
    const found: VocabularyEntry[] = [];
    for (const [, entry] of this.radixTree().atPrefix(prefix)) found.push(entry);
    found.sort(byDocumentsThenKey);
    return found.length > limit ? found.slice(0, limit) : found;
  }

  /**
   * Words within `maxDistance` edits of `key` (itself excluded), nearest then most frequent.
   *
   * An edit of the first letter costs two, as in Meilisearch: people rarely mistype a word's
   * first letter, and keeping it lets the search walk one branch of the radix tree instead of
   * all of them. On the Littré's 300 short queries (bench/scale), the whole-tree walk was a
   * quarter of the query time, and up to 45 ms for one 13-letter word with two typos.
   */
  near(key: string, maxDistance: number): Array<{ entry: VocabularyEntry; distance: number }> {
    const memo = this.nearMemo.get(key);
    if (memo !== undefined && memo.maxDistance === maxDistance) return memo.found;
    const found: Array<{ entry: VocabularyEntry; distance: number }> = [];
    const first = key.slice(0, 1);
    const tree = this.radixTree();
    if (first !== "") {
      const rest = key.slice(1);
      for (const [other, [entry, distance]] of tree.atPrefix(first).fuzzyGet(rest, maxDistance)) {
        if (other !== rest) found.push({ entry, distance });
      }
    }
    if (maxDistance >= 2 && key.length > 1) {
      // The first letter dropped, replaced or preceded by another, and nothing else changed.
      const seen = new Set(found.map(({ entry }) => entry.key));
      const add = (candidate: string) => {
        const entry = candidate === key || seen.has(candidate) ? undefined : tree.get(candidate);
        if (entry === undefined) return;
        seen.add(candidate);
        found.push({ entry, distance: 2 });
      };
      add(key.slice(1));
      for (const letter of this.firstLetters()) {
        add(letter + key.slice(1));
        add(letter + key);
      }
    }
    found.sort((a, b) => a.distance - b.distance || byDocumentsThenKey(a.entry, b.entry));
    // A query asks for a word's neighbours twice (typo tolerance, then "did you mean").
    if (this.nearMemo.size >= 64) this.nearMemo.clear();
    this.nearMemo.set(key, { maxDistance, found });
    return found;
  }

  /** The letters words of the collection start with. */
  private firstLetters(): string[] {
    if (this.initials === undefined) {
      const initials = new Set<string>();
      for (const key of this.entries.keys()) initials.add(key.slice(0, 1));
      this.initials = [...initials];
    }
    return this.initials;
  }
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
  return best ?? entry.key;
}
