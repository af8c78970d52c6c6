/**
 * How a document becomes MiniSearch fields, in one pass of the analysis chain.
 *
 * The chain runs once per document (in `analyzeDocument`) and its terms are handed to
 * MiniSearch as space-joined strings, which MiniSearch's tokenizer only splits again. One pass
 * gives the title and body terms, the stopwords (their own field, searched only by queries made
 * of stopwords alone), and the surface words for the vocabulary, where running the chain as
 * MiniSearch's `tokenize` would run it once per field and again for the vocabulary.
 */
import MiniSearch, { type Options } from "minisearch";
import { analyze, analyzeWord } from "../analysis/index.js";
import type { LoupeDocument } from "../corpus/types.js";

/** What MiniSearch indexes: analysed terms, space separated. */
export interface IndexedFields {
  id: string;
  title: string;
  body: string;
  stop: string;
}

export const INDEXED_FIELDS = ["title", "body", "stop"] as const;

/** Every term contains neither spaces nor other separators, by construction of the chain. */
const splitTerms = (text: string): string[] => (text.length === 0 ? [] : text.split(" "));

/**
 * MiniSearch stores none of its options in its JSON: this one function gives the options to
 * build with and to load with, and the manifest records `describeOptions()` to check them.
 */
export function miniSearchOptions(): Options<IndexedFields> {
  return {
    idField: "id",
    fields: [...INDEXED_FIELDS],
    storeFields: [],
    tokenize: splitTerms,
    processTerm: (term) => term,
  };
}

export function describeOptions(): Record<string, unknown> {
  return {
    idField: "id",
    fields: [...INDEXED_FIELDS],
    storeFields: [],
    tokenize: "split on spaces: fields hold terms analysed by loupe's chain",
    processTerm: "identity",
    scoring:
      "loupe's own BM25+ over these postings (src/search/bm25f.ts), not MiniSearch's search()",
  };
}

export function createMiniSearch(): MiniSearch<IndexedFields> {
  return new MiniSearch<IndexedFields>(miniSearchOptions());
}

/** A word as written (elided, lowercased only if the text had it so) and its term. */
export interface SurfaceWord {
  /** The folded lowercase word: how users type it, the vocabulary's key. */
  key: string;
  /** The word as written, without its elided article: `Hélicoptères`, `OTAN`. */
  form: string;
  term: string;
}

export interface AnalyzedDocument {
  fields: IndexedFields;
  /** Distinct surface words of the document (title and body), stopwords left out. */
  words: SurfaceWord[];
}

export function analyzeDocument(
  doc: Pick<LoupeDocument, "id" | "title" | "body">,
): AnalyzedDocument {
  const words = new Map<string, SurfaceWord>();
  // Every occurrence of a stopword: a query made only of them (`nous`) ranks by how often a
  // document uses them. MiniSearch keeps one posting per term and document, with its count, so
  // this adds no posting over keeping each stopword once.
  const stop: string[] = [];
  const fieldTerms = (text: string): string => {
    const terms: string[] = [];
    for (const token of analyze(text, { keepStopwords: true })) {
      if (token.stopword) {
        stop.push(token.term);
        continue;
      }
      terms.push(token.term);
      const form = stripElision(text.slice(token.start, token.end));
      if (!words.has(form)) words.set(form, { key: surfaceKey(form), form, term: token.term });
    }
    return terms.join(" ");
  };
  const title = fieldTerms(doc.title);
  const body = fieldTerms(doc.body);
  return {
    fields: { id: doc.id, title, body, stop: stop.join(" ") },
    words: [...words.values()],
  };
}

/** `l’OTAN` is listed as `OTAN`: users type the word, not the article. */
function stripElision(written: string): string {
  return written.slice(analyzeWord(written).elided);
}

/** The vocabulary key of a word as typed or written: the chain's own folding, lowercase. */
export function surfaceKey(word: string): string {
  return analyzeWord(word).folded;
}
