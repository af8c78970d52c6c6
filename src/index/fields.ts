/**
 * How a document becomes indexed fields, in one pass of the analysis chain.
 *
 * The chain runs once per document and gives, per field, every token's term and word position
 * (stopwords included, flagged: phrases count them and stopword-only queries search them), the
 * field's length for BM25, and the surface words for the vocabulary.
 */
import { analyzeWord, scan } from "../analysis/index.js";
import type { LoupeDocument } from "../corpus/types.js";
import { type BodyCheckpoints, CheckpointRecorder } from "./document-store.js";

/** The fields loupe indexes, in their field-id order. */
export const INDEXED_FIELDS = ["title", "body"] as const;
export type FieldName = (typeof INDEXED_FIELDS)[number];
export const FIELD_COUNT = INDEXED_FIELDS.length;

/**
 * Stopwords are indexed under their own keys: a stopword's term can equal a content word's
 * stem (`son` the pronoun, `sons` the sounds), and a query for the content word must not match
 * every "son" of the collection. The prefix is no word character, so no content term has it.
 */
export const STOPWORD_PREFIX = "_";
export const stopwordKey = (term: string): string => STOPWORD_PREFIX + term;

/**
 * Two stopwords side by side are also indexed as one key, at the first one's position (as
 * Lucene's CommonGrams): a phrase of stopwords (`"de la"`) then reads the places where the pair
 * stands instead of every place of each word. No other key holds a space.
 */
export const stopwordPairKey = (first: string, second: string): string =>
  `${STOPWORD_PREFIX}${first} ${second}`;

/** A word as written (elided, lowercased only if the text had it so) and its term. */
export interface SurfaceWord {
  /** The folded lowercase word: how users type it, the vocabulary's key. */
  key: string;
  /** The word as written, without its elided article: `Hélicoptères`, `OTAN`. */
  form: string;
  term: string;
}

export interface AnalyzedField {
  /** Index keys (terms, stopwords prefixed), one per token, in text order. */
  keys: string[];
  /** `positions[i]` is the word position of `keys[i]` in the field. */
  positions: number[];
  /** Distinct content terms: BM25's field length (as MiniSearch counts it). */
  length: number;
  /** One more than the last word position: where the field ends, for phrases at its edges. */
  words: number;
}

export interface AnalyzedDocument {
  fields: AnalyzedField[];
  /** Where the body's words stand, about every `CHECKPOINT_EVERY` positions (`document-store.ts`). */
  checkpoints: BodyCheckpoints;
  /** Distinct surface words of the document (title and body), stopwords left out. */
  words: SurfaceWord[];
}

export function analyzeDocument(
  doc: Pick<LoupeDocument, "id" | "title" | "body">,
): AnalyzedDocument {
  const words = new Map<string, SurfaceWord>();
  const checkpoints: number[] = [];
  const analyzeField = (text: string, marks?: CheckpointRecorder): AnalyzedField => {
    const keys: string[] = [];
    const positions: number[] = [];
    const distinct = new Set<string>();
    let last = -1;
    // The stopword just before, for pairs of them (`stopwordPairKey`).
    let previous: string | undefined;
    let previousPosition = -1;
    scan(text, (term, start, end, position, stopword) => {
      last = position;
      marks?.token(text, position, start);
      if (stopword) {
        keys.push(stopwordKey(term));
        positions.push(position);
        if (previous !== undefined && previousPosition === position - 1) {
          keys.push(stopwordPairKey(previous, term));
          positions.push(position - 1);
        }
        previous = term;
        previousPosition = position;
        return;
      }
      previous = undefined;
      keys.push(term);
      positions.push(position);
      distinct.add(term);
      const form = stripElision(text.slice(start, end));
      if (!words.has(form)) words.set(form, { key: surfaceKey(form), form, term });
    });
    return { keys, positions, length: distinct.size, words: last + 1 };
  };
  return {
    fields: [analyzeField(doc.title), analyzeField(doc.body, new CheckpointRecorder(checkpoints))],
    checkpoints,
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
