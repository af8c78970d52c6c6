/**
 * The build's hot loop: documents → posting lists and vocabulary, as `analyzeDocument` +
 * `PostingsBuilder.add` + `Vocabulary.add` make them, with each distinct word as written
 * looked up once per token instead of three times, and each key numbered once per build.
 *
 * `analyzeDocument` runs the chain (one cache look-up), then strips the elided article and
 * folds the form (two more), then the builder groups the document's keys in a Map and finds
 * each key's list in another: on a quarter of the Littré that was 8.5 s of a 17 s build
 * (`--cpu-prof`). Here a Map from the word as written to what it makes (its list number,
 * stopword flag, surface word) holds for the whole build, and a document's tokens are grouped
 * by list number in typed arrays. The output is the same (test/index/indexer.test.ts).
 */
import { analyzeWord } from "../analysis/index.js";
import { tokenize } from "../analysis/tokenizer.js";
import type { LoupeDocument } from "../corpus/types.js";
import { type BodyCheckpoints, CheckpointRecorder } from "./document-store.js";
import { FIELD_COUNT, stopwordKey, stopwordPairKey, surfaceKey } from "./fields.js";
import type { PostingsData } from "./postings.js";
import type { PostingsBuilder } from "./postings-builder.js";
import type { Spelling, Vocabulary } from "./vocabulary.js";

/** A form (the word as written, its article elided), where it is counted, the last document that listed it. */
interface Form {
  spelling: Spelling;
  lastDocument: number;
}

/** What a word as written makes; `undefined` in the memo for a word with no term. */
interface Written {
  list: number;
  stopword: boolean;
  /** The term, for stopwords: their pairs' keys are made of them. */
  term: string;
  /** The form, for content words only: stopwords are not in the vocabulary. */
  form: Form | undefined;
}

export class Indexer {
  private readonly written = new Map<string, Written | null>();
  private readonly forms = new Map<string, Form>();
  private documentsSeen = 0;
  // One field's tokens: list numbers and positions, reused from field to field.
  private lists = new Uint32Array(1 << 16);
  private positions = new Uint32Array(1 << 16);
  private tokens = 0;
  private spellings: Spelling[] = [];
  /** Stopword pairs' lists, by `first list × 2²² + second list`: one key made per pair kind. */
  private readonly pairs = new Map<number, number>();
  /** Per document, its body's checkpoints (`document-store.ts`), as `analyzeDocument` finds them. */
  readonly checkpoints: BodyCheckpoints[] = [];

  constructor(
    private readonly builder: PostingsBuilder,
    private readonly vocabulary: Vocabulary,
  ) {}

  /** Indexes the next document (documents come in ordinal order). */
  add(doc: Pick<LoupeDocument, "title" | "body">): void {
    const document = ++this.documentsSeen;
    this.spellings = [];
    const ordinal = this.builder.documents;
    const checkpoints: number[] = [];
    this.checkpoints.push(checkpoints);
    for (let f = 0; f < FIELD_COUNT; f++) {
      const text = f === 0 ? doc.title : doc.body;
      const words = this.scanField(
        text,
        document,
        f === 1 ? new CheckpointRecorder(checkpoints) : undefined,
      );
      this.builder.addField(ordinal, f, this.lists, this.positions, this.tokens, words);
    }
    this.builder.endDocument();
    this.vocabulary.addSpellings(this.spellings);
  }

  finish(): PostingsData {
    return this.builder.finish();
  }

  /**
   * Fills `lists` and `positions` with the field's tokens, stopword pairs included (as
   * `analyzeDocument` lists them), and `checkpoints` when given; returns its word count.
   */
  private scanField(text: string, document: number, checkpoints?: CheckpointRecorder): number {
    this.tokens = 0;
    let position = 0;
    let last = -1;
    let previous: Written | null = null;
    tokenize(text, (written, start) => {
      let word = this.written.get(written);
      if (word === undefined) {
        word = this.learn(written);
        this.written.set(written, word);
      }
      if (word !== null) {
        last = position;
        checkpoints?.token(text, position, start);
        if (this.tokens + 1 >= this.lists.length) this.grow();
        this.lists[this.tokens] = word.list;
        this.positions[this.tokens++] = position;
        if (word.stopword && previous?.stopword) {
          this.lists[this.tokens] = this.pairOf(previous, word);
          this.positions[this.tokens++] = position - 1;
        }
        previous = word;
        const form = word.form;
        if (form !== undefined && form.lastDocument !== document) {
          form.lastDocument = document;
          this.spellings.push(form.spelling);
        }
      } else {
        previous = null;
      }
      position++;
    });
    return last + 1;
  }

  /** The list of the pair of stopwords `first` `second` (`stopwordPairKey`). */
  private pairOf(first: Written, second: Written): number {
    const id = first.list * 4_194_304 + second.list;
    let list = this.pairs.get(id);
    if (list === undefined) {
      list = this.builder.listOf(stopwordPairKey(first.term, second.term));
      this.pairs.set(id, list);
    }
    return list;
  }

  /** What `analyzeDocument` makes of a word as written, the first time it is met. */
  private learn(written: string): Written | null {
    const { term, stopword, elided } = analyzeWord(written);
    if (term.length === 0) return null;
    if (stopword) {
      return { list: this.builder.listOf(stopwordKey(term)), stopword, term, form: undefined };
    }
    // `l’OTAN` is listed as `OTAN`, as `analyzeDocument` lists it.
    const surface = written.slice(elided);
    let form = this.forms.get(surface);
    if (form === undefined) {
      const word = { key: surfaceKey(surface), form: surface, term };
      form = { spelling: this.vocabulary.spelling(word), lastDocument: 0 };
      this.forms.set(surface, form);
    }
    return { list: this.builder.listOf(term), stopword, term, form };
  }

  private grow(): void {
    const lists = new Uint32Array(this.lists.length * 2);
    lists.set(this.lists);
    this.lists = lists;
    const positions = new Uint32Array(this.positions.length * 2);
    positions.set(this.positions);
    this.positions = positions;
  }
}
