/**
 * The analysis chain: the one place where text becomes terms. Indexing, querying and
 * highlighting all call `analyze` (or `scan`, `analyzeWord`), so what is highlighted is exactly
 * what matched.
 *
 * A chain is the tokenizer followed by a list of named word stages (Lucene's Analyzer =
 * Tokenizer + TokenFilters; Lunr's pipeline). The French chain:
 *
 *   tokenizer → normalize (NFKC, lowercase, apostrophes) → elision → fold (accents, ligatures)
 *   → stopwords (flagged) → stem (Snowball French)
 *
 * Folding comes before stemming, measured against stemming the word as written (then folding
 * the stem, or not, or indexing both stems) on the benchmark's 3,054 train queries
 * (bench/relevance-analysis.ts): Snowball on accented words over-stems the participles and
 * nouns in -ée, -ière, -ité (`données` → `don`, `cheminée` → `chemin`, `identité` → `ident`),
 * and every such variant ranked the known item lower (MRR@10 0.7252 and 0.7247 against 0.7277;
 * both stems indexed, 0.7261). The stemmer stage itself is Snowball-exact on words as written
 * (test/analysis/stemmer.test.ts); a chain that stems them is one list away.
 *
 * Another chain is another list (`createAnalyzer`); `useAnalyzer` makes it the one every layer
 * uses, as the benchmark does to compare variants. Its fingerprint follows from its stages.
 */
import { createHash } from "node:crypto";
import { elisionStage } from "./elision.js";
import { fold, foldStage } from "./fold.js";
import { APOSTROPHES, normalizeStage } from "./normalize.js";
import { MAX_TERM_LENGTH, type WordStage, type WordState } from "./stage.js";
import { stemStage } from "./stemmer.js";
import { FRENCH_STOPWORDS, stopwordStage } from "./stopwords.js";
import { TOKENIZER_VERSION, tokenize } from "./tokenizer.js";
import type { AnalyzedToken, AnalyzeOptions, Token } from "./types.js";

export interface WordAnalysis {
  term: string;
  stopword: boolean;
  /**
   * The vocabulary key: the word after the surface stages (normalised, elided), folded, before
   * the stages that only make the term. How a user may type it.
   */
  folded: string;
  /** Length of the elided article in the word as written (`l’` in `l’OTAN`), 0 if none. */
  elided: number;
}

/** What one stage made of a word, for `trace`. */
export interface StageStep {
  stage: string;
  word: string;
  stopword: boolean;
}

/** Receives each token of a text, stopwords included: the allocation-free form of `analyze`. */
export type TokenVisitor = (
  term: string,
  start: number,
  end: number,
  position: number,
  stopword: boolean,
) => void;

export interface Analyzer {
  readonly stages: readonly WordStage[];
  /** The stages by name and version, for people: `normalize@1 elision@1 …`. */
  readonly version: string;
  /** A hash of the stages' names, versions and data: an index records it to know its chain. */
  readonly fingerprint: string;
  /**
   * Whether a word's term follows from its key (`folded`) alone: the stages after the surface
   * ones start by folding, so every spelling of a key gets one term (the French chain). A chain
   * that stems as written does not: `sécurité` and `securite` share a key, not a term.
   */
  readonly keyMakesTerm: boolean;
  /** Runs one word as written through every stage after the tokenizer. */
  analyzeWord(written: string): WordAnalysis;
  /** Runs the chain over `text`, calling `visit` for every word, stopwords flagged. */
  scan(text: string, visit: TokenVisitor): void;
  analyze(text: string, options: AnalyzeOptions & { keepStopwords: true }): AnalyzedToken[];
  analyze(text: string, options?: AnalyzeOptions): Token[];
  /** The word after each stage, in order (the stages skipped on a stopword are left out). */
  trace(written: string): StageStep[];
}

/** The French chain's stages, in order. */
export const FRENCH_STAGES: readonly WordStage[] = [
  normalizeStage,
  elisionStage(),
  foldStage,
  stopwordStage(),
  stemStage,
];

// Keyed by the word as written: a French text repeats its words, so most tokens skip every
// stage. Bounded, because hostile input can bring endless distinct words.
const CACHE_LIMIT = 200_000;

export function createAnalyzer(stages: readonly WordStage[]): Analyzer {
  const names = new Set(stages.map((stage) => stage.name));
  if (names.size !== stages.length) throw new Error("analysis stages need distinct names");
  const list = [...stages];
  // The key is taken before the first stage that only makes the term.
  const keyAt = ((i) => (i < 0 ? list.length : i))(list.findIndex((stage) => !stage.surface));
  const version = list.map((stage) => `${stage.name}@${stage.version}`).join(" ");
  const hash = createHash("sha256").update(
    `loupe-chain\nmax-term ${MAX_TERM_LENGTH}\ntokenizer@${TOKENIZER_VERSION}\n`,
  );
  for (const stage of list) {
    hash.update(`${stage.name}@${stage.version}${stage.surface ? " surface" : ""}\n`);
    hash.update(`${(stage.data ?? []).join("\u0000")}\n`);
  }
  const fingerprint = hash.digest("hex").slice(0, 16);
  // The key is `fold` of the word at `keyAt`; the fold stage there makes that very word, and
  // every later stage reads only it.
  const keyMakesTerm = list[keyAt] === foldStage;

  const cache = new Map<string, WordAnalysis>();

  function run(written: string, steps?: StageStep[]): WordAnalysis {
    const state: WordState = { word: written, stopword: false, elided: false };
    let key: string | undefined;
    for (let i = 0; i < list.length && !state.stopword; i++) {
      if (i === keyAt) key = fold(state.word);
      list[i]!.apply(state);
      steps?.push({ stage: list[i]!.name, word: state.word, stopword: state.stopword });
    }
    key ??= fold(state.word);
    const term =
      state.word.length > MAX_TERM_LENGTH ? state.word.slice(0, MAX_TERM_LENGTH) : state.word;
    // The elided article ends at the first apostrophe of the word as written.
    const elided = state.elided ? written.search(APOSTROPHES) + 1 : 0;
    return { term, stopword: state.stopword, folded: key, elided };
  }

  function analyzeWord(written: string): WordAnalysis {
    const cached = cache.get(written);
    if (cached !== undefined) return cached;
    const result = run(written);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(written, result);
    return result;
  }

  function scan(text: string, visit: TokenVisitor): void {
    let position = 0;
    tokenize(text, (written, start, end) => {
      const { term, stopword } = analyzeWord(written);
      if (term.length > 0) visit(term, start, end, position, stopword);
      position++;
    });
  }

  function analyze(
    text: string,
    options: AnalyzeOptions & { keepStopwords: true },
  ): AnalyzedToken[];
  function analyze(text: string, options?: AnalyzeOptions): Token[];
  function analyze(text: string, options: AnalyzeOptions = {}): Token[] | AnalyzedToken[] {
    const keepStopwords = options.keepStopwords === true;
    const tokens: Array<Token | AnalyzedToken> = [];
    scan(text, (term, start, end, position, stopword) => {
      if (keepStopwords) tokens.push({ term, start, end, position, stopword });
      else if (!stopword) tokens.push({ term, start, end, position });
    });
    return tokens;
  }

  function trace(written: string): StageStep[] {
    const steps: StageStep[] = [];
    run(written, steps);
    return steps;
  }

  return { stages: list, version, fingerprint, keyMakesTerm, analyzeWord, scan, analyze, trace };
}

export const FRENCH_ANALYZER: Analyzer = createAnalyzer(FRENCH_STAGES);

let active: Analyzer = FRENCH_ANALYZER;

/**
 * Makes `analyzer` the chain every layer uses (indexing, queries, highlights), and returns the
 * one it replaces. For tools that compare chains (the benchmark); an index records the
 * fingerprint of the chain that built it, so one built by another chain is refused on load.
 */
export function useAnalyzer(analyzer: Analyzer): Analyzer {
  const previous = active;
  active = analyzer;
  return previous;
}

/** The chain in use. */
export function currentAnalyzer(): Analyzer {
  return active;
}

/**
 * Runs `work` with `analyzer` as the chain in use, then puts the previous one back: an index
 * built with stopwords of its own is searched with its own chain. Synchronous work only, so no
 * other work can run while it is switched.
 */
export function withAnalyzer<T>(analyzer: Analyzer, work: () => T): T {
  if (analyzer === active) return work();
  const previous = useAnalyzer(analyzer);
  try {
    return work();
  } finally {
    useAnalyzer(previous);
  }
}

const withStopwords = new Map<string, Analyzer>();

/**
 * The French chain with `extra` words added to its stopword list (an index's `stopWords`
 * setting); the French chain itself when there are none. Its fingerprint differs, so an index
 * records which list made its terms.
 */
export function frenchAnalyzerWith(extra: readonly string[]): Analyzer {
  if (extra.length === 0) return FRENCH_ANALYZER;
  const key = [...new Set(extra)].sort().join("\u0000");
  let analyzer = withStopwords.get(key);
  if (analyzer === undefined) {
    // Each word as the chain's surface stages leave it (lowercase, folded): how it is compared.
    const list = [
      ...FRENCH_STOPWORDS,
      ...extra.map((word) => FRENCH_ANALYZER.analyzeWord(word).folded),
    ];
    analyzer = createAnalyzer(
      FRENCH_STAGES.map((stage) => (stage.name === "stopwords" ? stopwordStage(list) : stage)),
    );
    withStopwords.set(key, analyzer);
  }
  return analyzer;
}

/** The French chain's stages by name and version; `analysisVersion()` for the chain in use. */
export const ANALYSIS_VERSION = FRENCH_ANALYZER.version;

export function analysisVersion(): string {
  return active.version;
}

/** What an index must record to know it was built by this very chain. */
export function analysisFingerprint(): string {
  return active.fingerprint;
}

export function analyzeWord(written: string): WordAnalysis {
  return active.analyzeWord(written);
}

export function scan(text: string, visit: TokenVisitor): void {
  active.scan(text, visit);
}

export function analyze(
  text: string,
  options: AnalyzeOptions & { keepStopwords: true },
): AnalyzedToken[];
export function analyze(text: string, options?: AnalyzeOptions): Token[];
export function analyze(text: string, options: AnalyzeOptions = {}): Token[] | AnalyzedToken[] {
  return active.analyze(text, options);
}

/** The terms of `text` alone, for MiniSearch's tokenizer. */
export function terms(text: string, options: AnalyzeOptions = {}): string[] {
  return analyze(text, options).map((token) => token.term);
}
