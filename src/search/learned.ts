/**
 * A learned re-ranker for the best few documents of a query (issue 12): a linear model over
 * signals BM25 alone does not weigh together — per-field scores, proximity, coverage, the
 * title — with short-query copies of the signals, so keyword queries may weigh them apart
 * from long ones. Like proximity it only re-orders the first `rerank` documents by score,
 * so latency stays bounded and top-k pruning never changes the page; it orders them by its
 * score alone, whether they hold every word or not (execute.ts says what that measured).
 *
 * Every score-like signal is divided by the best BM25 score among the re-ranked documents:
 * raw BM25 scales differ from query to query, and the ratios are what one set of weights can
 * compare. The model's score is multiplied back by that best score, so weights of 1 on `bm25`
 * and the ranking's proximity weight on `proximity` give exactly the hand-made order.
 *
 * The model may add boosted regression trees (`trees.ts`) to its linear part: the linear part
 * is then where the boosting starts (BM25 and proximity, the hand-made order), and the trees
 * weigh the signals together where a line cannot: a signal may count past a threshold only, or
 * for short queries and not for long ones. Held out across folds, the trees gained over the
 * linear model on every query set (bench/results/learn-rank.md).
 *
 * The weights and trees are fitted by bench/learn-rank.ts on the training queries only.
 */
import { analyzeWord } from "../analysis/index.js";
import { FIELD_COUNT, type PostingCursor, type Postings } from "../index/index.js";
import shipped from "./learned-rank.json" with { type: "json" };
import {
  idfsOf,
  PROXIMITY_POSITIONS,
  type ProximityParams,
  proximityIn,
  putInOrder,
} from "./proximity.js";
import { type Bm25Params, postingScore, type ScoredWord } from "./score.js";
import { attribute, Forest, type RegressionTree, treeFrom } from "./trees.js";
import type { LearnedSignal, SignalName } from "./types.js";

export type { LearnedSignal, SignalName };

/** The signals, in the order of a feature vector. */
export const SIGNALS = [
  "bm25",
  "title",
  "body",
  "proximity",
  "adjacent",
  "compactness",
  "coverage",
  "idfCoverage",
  "titleCoverage",
  "titleShare",
  "length",
  "expanded",
  "early",
  "shortTitle",
  "shortProximity",
  "shortAdjacent",
  "shortCompactness",
  "shortTitleCoverage",
  "shortTitleShare",
  "shortEarly",
  "short",
  "described",
  "queryLength",
  "titleLength",
  "titleIdfCoverage",
  "likelihood",
  "leadIdf",
  "titleLead",
  "bodySaturated",
] as const satisfies readonly SignalName[];

export interface LearnedModel {
  /** Queries of up to this many scored words are "short": the `short*` signals are theirs. */
  shortUpTo: number;
  /** A weight per signal; a signal left out weighs 0. */
  weights: Partial<Record<SignalName, number>>;
  /** Regression trees over the feature vector, each adding its leaf's value to the linear part. */
  trees?: readonly RegressionTree[];
}

/**
 * The weights bench/learn-rank.ts fitted on the training queries (the command is in the file),
 * checked at load: a signal this code does not know, or a weight that is not a finite number,
 * is a file out of step with the code.
 */
export const SHIPPED_MODEL: LearnedModel = modelFrom(shipped);

export function modelFrom(data: unknown): LearnedModel {
  if (typeof data !== "object" || data === null) throw new Error("learned model: not an object");
  const { shortUpTo, weights, trees } = data as {
    shortUpTo?: unknown;
    weights?: unknown;
    trees?: unknown;
  };
  if (typeof shortUpTo !== "number" || !Number.isInteger(shortUpTo) || shortUpTo < 0)
    throw new Error("learned model: shortUpTo must be a non-negative integer");
  if (typeof weights !== "object" || weights === null)
    throw new Error("learned model: weights must be an object");
  const out: Partial<Record<SignalName, number>> = {};
  for (const [name, weight] of Object.entries(weights)) {
    const signal = SIGNALS.find((s) => s === name);
    if (signal === undefined) throw new Error(`learned model: unknown signal ${name}`);
    if (typeof weight !== "number" || !Number.isFinite(weight))
      throw new Error(`learned model: the weight of ${name} is not a finite number`);
    out[signal] = weight;
  }
  if (trees === undefined) return { shortUpTo, weights: out };
  if (!Array.isArray(trees)) throw new Error("learned model: trees must be an array");
  return {
    shortUpTo,
    weights: out,
    trees: trees.map((tree, i) => treeFrom(tree, SIGNALS.length, `learned model: tree ${i}`)),
  };
}

const TITLE = 0;
const LIKELIHOOD = 25;

/** The heading of the section `described` looks in, and how many words after it it reads. */
const SECTION = "DESCRIPTION";
export const SECTION_WORDS = 40;
/** Positions read per word and document: a word's first places are the ones that count. */
export const MAX_SECTION_POSITIONS = 1000;

/** What the features need from the query: its words and how they score. */
export interface FeatureQuery {
  postings: Postings;
  words: readonly ScoredWord[];
  bm25: Bm25Params;
  shortUpTo: number;
  /**
   * The best score among all the query's matches, when the re-ranked few are not the best by
   * score (a sorted query re-ranks the first by its sort): the scale must not depend on how
   * many were re-ranked, or a page would differ from the same slice of a longer page.
   */
  best?: number;
}

/** One re-ranked document: its ordinal and its score so far (BM25 of words and phrases). */
export interface FeatureDocument {
  ordinal: number;
  score: number;
}

/**
 * The feature vectors of the documents, in `SIGNALS` order, and the scale (the best score
 * among them) the score-like ones were divided by. The vectors are views of one buffer, new for
 * each call: a caller that keeps one keeps them all, and one that transfers a vector's
 * `buffer` (postMessage) takes every vector with it.
 */
export function featuresOf(
  query: FeatureQuery,
  docs: readonly FeatureDocument[],
): { scale: number; vectors: Float64Array[] } {
  const { postings, words, bm25, shortUpTo } = query;
  const count = words.length;
  let scale = query.best ?? 0;
  for (const doc of docs) if (doc.score > scale) scale = doc.score;
  if (!(scale > 0)) scale = 1;
  // Each word's highest idf over its lists, as proximity weighs its pairs.
  const idf = idfsOf(words);
  const idfSum = idf.reduce((a, b) => a + b, 0) || 1;
  const short = count <= shortUpTo ? 1 : 0;
  // Proximity at weight 1: the model's weight on it is the ranking's proximity weight.
  const near: ProximityParams = { weight: 1, window: 8, rerank: docs.length };
  const titleLengths = postings.data.lengths[TITLE]!;
  const bodyLengths = postings.data.lengths[1]!;
  // The body's DESCRIPTION heading, where a man page says what it does (its NAME line, which
  // the page's own summary queries paraphrase, is its title): one cursor, walked forward.
  const headingList = postings.list(analyzeWord(SECTION).term, 1);
  const heading = headingList >= 0 ? postings.cursor(headingList) : undefined;
  // Documents in ascending ordinals, each cursor walking its list forward once: a cursor per
  // list and document, sought from the list's start, made features cost more than the search
  // (bench/). One cursor per list of every alternative, made here rather than looked up for
  // each document (up to 100 × 3 words × 30 prefix matches), for scores, first positions and
  // the positions proximity and the DESCRIPTION section read: readers of their own for those
  // sought every list a second and a third time.
  const cursors = words.map((word) =>
    word.alternatives.map((alternative) =>
      alternative.lists.map((list) => postings.cursor(list.list)),
    ),
  );
  // Per word and field, the document's positions (list after list, as `PositionReader` reads
  // them), how many of them this document holds, and how many of its lists hold it; reused
  // from document to document. The arrays keep their storage (`held` says where each ends):
  // emptied by `length = 0` for each document (which drops an array's storage) and grown
  // again push by push, they were the second line of the features' profile; kept, a distinct
  // benchmark search took 0.965× the time and a Littré one 0.989× (`npm run bench:compare`).
  const positions = [words.map((): number[] => []), words.map((): number[] => [])];
  const held = [new Int32Array(count), new Int32Array(count)];
  const listsFound = [new Int32Array(count), new Int32Array(count)];
  const read: number[] = [];
  // How many of each word's positions proximity reads, per field, and room to sort them.
  const nearLengths = [new Int32Array(count), new Int32Array(count)];
  const sorting = new Float64Array(count > 1 ? PROXIMITY_POSITIONS : 0);
  // One alternative's score per field, and the best alternative's: reused, not made for each
  // of up to 50 documents × words × 30 prefix matches.
  const parts = new Float64Array(FIELD_COUNT);
  const bestParts = new Float64Array(FIELD_COUNT);
  const fields = new Float64Array(FIELD_COUNT);
  // One buffer for every vector, each a view of it: a typed array of its own per document
  // (176 bytes, past what V8 keeps on its heap) allocated a backing store each time, the
  // largest line of the features' profile; one buffer measured 0.95× over whole queries.
  const all = new Float64Array(docs.length * SIGNALS.length);
  const vectors = new Array<Float64Array>(docs.length);
  // Dirichlet smoothing's μ, and each word's share of the collection estimated from a
  // document frequency read back from its idf: the lists keep no collection frequency. That
  // idf is the word's highest over its lists (titles', prefix and typo matches' included), so
  // the share is a rough one, usually the rarest list's; the trees were fitted on it as it is.
  // Reading the body list's own document frequency instead measured the same held out (CV
  // objective 0.742 ± 0.014 against 0.741 ± 0.013, known items 0.800 against 0.801; dev
  // known items 0.804 against 0.808), so the fitted trees stay.
  // A document without body words scores log(μ / μ) = 0 before the best is taken away.
  const N = postings.documentCount;
  const bodyAverage = postings.averageLength[1] ?? 0;
  const mu = Math.max(1, bodyAverage);
  const collectionShare = words.map((_, w) => {
    const df = Math.max(0.5, (N + 1) / Math.exp(idf[w]!) - 0.5);
    return Math.min(1, (1.5 * df) / (N * bodyAverage || 1));
  });
  let leadNorm = 0;
  for (let w = 0; w < count; w++) leadNorm += 1 / (1 + w);
  const work: FeatureWork = {
    words,
    count,
    bm25,
    scale,
    short,
    idf,
    idfSum,
    near,
    titleLengths,
    bodyLengths,
    heading,
    cursors,
    positions,
    held,
    listsFound,
    read,
    nearLengths,
    sorting,
    parts,
    bestParts,
    fields,
    mu,
    collectionShare,
    leadNorm,
    bestLikelihood: Number.NEGATIVE_INFINITY,
  };
  // In ascending ordinals, each key `ordinal × n + i` sorted as numbers: sorting the indices
  // with a comparator was a third of this function's own time (with the weights below made
  // once per model, `npm run bench:compare` read 0.990× and 0.941× on distinct title queries).
  const n = docs.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = docs[i]!.ordinal * n + i;
  keys.sort();
  for (let k = 0; k < n; k++) {
    const i = keys[k]! % n;
    vectors[i] = featureVector(
      work,
      docs[i]!,
      all.subarray(i * SIGNALS.length, (i + 1) * SIGNALS.length),
    );
  }
  const { bestLikelihood } = work;
  if (Number.isFinite(bestLikelihood))
    for (const v of vectors) v[LIKELIHOOD] = v[LIKELIHOOD]! - bestLikelihood;
  return { scale, vectors };
}

/** What `featureVector` reads and reuses from one document to the next of one query. */
interface FeatureWork {
  words: readonly ScoredWord[];
  count: number;
  bm25: Bm25Params;
  scale: number;
  short: number;
  idf: readonly number[];
  idfSum: number;
  near: ProximityParams;
  titleLengths: Uint32Array;
  bodyLengths: Uint32Array;
  heading: PostingCursor | undefined;
  cursors: readonly (readonly (readonly PostingCursor[])[])[];
  positions: readonly (readonly number[][])[];
  held: readonly Int32Array[];
  listsFound: readonly Int32Array[];
  read: number[];
  nearLengths: readonly Int32Array[];
  sorting: Float64Array;
  parts: Float64Array;
  bestParts: Float64Array;
  fields: Float64Array;
  mu: number;
  collectionShare: readonly number[];
  leadNorm: number;
  /** The best likelihood signal so far, taken away from each vector's at the end. */
  bestLikelihood: number;
}

/**
 * One document's feature vector, written into `v`. A function of the module, not a closure
 * made by each `featuresOf`: V8 keeps a closure's optimised code only while a closure made
 * at that place is alive, so every full garbage collection threw this one's away, and the next
 * queries computed their features in baseline code until it was optimised again (the 60
 * Littré queries after a collection spent 24.6–28.1 ms in the features against 8.7–12.5
 * without it).
 *
 * Loops of plain stores below, not `fill` and `set`: a builtin's call for each of up to 100
 * documents × words × 30 prefix matches (with the early exit of proximity's `nearest`: 0.965×
 * a distinct benchmark search, within noise on the Littré's; .scratch A/B).
 */
function featureVector(work: FeatureWork, doc: FeatureDocument, v: Float64Array): Float64Array {
  const { words, count, bm25, scale, short, idf, idfSum, near, titleLengths, bodyLengths } = work;
  const { heading, cursors, positions, held, listsFound, nearLengths, sorting } = work;
  const { parts, bestParts, fields, mu, collectionShare, leadNorm } = work;
  for (let f = 0; f < FIELD_COUNT; f++) fields[f] = 0;
  // The body's DESCRIPTION heading, if it has one: the section `described` reads.
  const start =
    heading !== undefined && count > 0 && heading.seek(doc.ordinal) === doc.ordinal
      ? heading.firstPosition()
      : -1;
  // Positions to keep per word and field: proximity's, and the section's in a body.
  const keepTitle = count > 1 ? PROXIMITY_POSITIONS : 0;
  const keepBody = Math.max(keepTitle, start >= 0 ? MAX_SECTION_POSITIONS : 0);
  for (let f = 0; f < FIELD_COUNT; f++) {
    const found = listsFound[f]!;
    const ends = held[f]!;
    for (let w = 0; w < count; w++) {
      found[w] = 0;
      ends[w] = 0;
    }
  }
  let matched = 0;
  let idfMatched = 0;
  let inTitle = 0;
  let expanded = 0;
  let early = 0;
  let idfInTitle = 0;
  let leadIdf = 0;
  let titleLead = 0;
  let saturated = 0;
  let likelihood = 0;
  for (let w = 0; w < count; w++) {
    const word = words[w]!;
    let bestSum = 0;
    let bestExact = true;
    let titled = false;
    let first = Number.POSITIVE_INFINITY;
    let bodyTf = 0;
    let bodySaturation = 0;
    const wordCursors = cursors[w]!;
    for (let a = 0; a < word.alternatives.length; a++) {
      const { alternative, lists: alternativeLists } = word.alternatives[a]!;
      const alternativeCursors = wordCursors[a]!;
      for (let f = 0; f < FIELD_COUNT; f++) parts[f] = 0;
      for (let l = 0; l < alternativeLists.length; l++) {
        const list = alternativeLists[l]!;
        const cursor = alternativeCursors[l]!;
        if (cursor.seek(doc.ordinal) !== doc.ordinal) continue;
        parts[list.field]! +=
          postingScore(list, cursor.tf, doc.ordinal, bm25.k1, bm25.delta) * alternative.weight;
        if (list.field === TITLE) titled = true;
        else if (cursor.tf > 0) {
          first = Math.min(first, cursor.firstPosition());
          if (alternative.kind === "exact" && cursor.tf > bodyTf) {
            bodyTf = cursor.tf;
            bodySaturation = postingScore(list, cursor.tf, doc.ordinal, 2.5, 0);
          }
        }
        // Counted now, read below once it is known whether anything reads them.
        if ((list.field === TITLE ? keepTitle : keepBody) > 0) listsFound[list.field]![w]!++;
      }
      let sum = 0;
      for (let f = 0; f < FIELD_COUNT; f++) sum += parts[f]!;
      if (sum > bestSum) {
        bestSum = sum;
        for (let f = 0; f < FIELD_COUNT; f++) bestParts[f] = parts[f]!;
        bestExact = alternative.kind === "exact";
      }
    }
    likelihood += Math.log1p(bodyTf / (mu * collectionShare[w]!));
    saturated += bodySaturation;
    if (bestSum <= 0) continue;
    matched++;
    idfMatched += idf[w]!;
    if (titled) {
      inTitle++;
      idfInTitle += idf[w]!;
      titleLead += 1 / (1 + w);
    }
    if (first < 50) leadIdf += idf[w]!;
    if (!bestExact) expanded++;
    // A man page's NAME line, a sheet's first heading: words the opening of a body holds.
    if (Number.isFinite(first)) early += 1 / (1 + first / 16);
    for (let f = 0; f < FIELD_COUNT; f++) fields[f]! += bestParts[f]!;
  }
  for (let f = 0; f < FIELD_COUNT; f++) {
    const cap = f === TITLE ? keepTitle : keepBody;
    if (cap > 0 && ((f !== TITLE && start >= 0) || wordsIn(listsFound[f]!, count) > 1))
      readField(work, doc.ordinal, f, cap);
  }
  let described = 0;
  if (start >= 0) {
    for (let w = 0; w < count; w++) {
      const body = positions[1]![w]!;
      const end = held[1]![w]!;
      for (let i = 0; i < end; i++) {
        const p = body[i]!;
        if (p > start && p <= start + SECTION_WORDS) {
          described++;
          break;
        }
      }
    }
    described /= count;
  }
  // After `described`: putting a body's positions in order moves the ones it read.
  if (count > 1) {
    for (let f = 0; f < FIELD_COUNT; f++) {
      const lists = positions[f]!;
      const lengths = nearLengths[f]!;
      for (let w = 0; w < count; w++)
        lengths[w] = putInOrder(lists[w]!, listsFound[f]![w]!, held[f]![w]!, sorting);
    }
  }
  const proximity = count > 1 ? proximityIn(positions, nearLengths, idf, near, true) : undefined;
  const adjacent = proximity && count > 1 ? proximity.adjacentPairs / (count - 1) : 0;
  const compactness = proximity && proximity.window > 0 ? Math.min(1, count / proximity.window) : 0;
  const proximityScore = proximity ? proximity.score / scale : 0;
  const titleCoverage = count > 0 ? inTitle / count : 0;
  const titleShare = Math.min(1, inTitle / (titleLengths[doc.ordinal]! || 1));
  const titleScore = fields[TITLE]! / scale;
  v[0] = doc.score / scale;
  v[1] = titleScore;
  v[2] = fields[1]! / scale;
  v[3] = proximityScore;
  v[4] = adjacent;
  v[5] = compactness;
  v[6] = count > 0 ? matched / count : 0;
  v[7] = idfMatched / idfSum;
  v[8] = titleCoverage;
  v[9] = titleShare;
  v[10] = Math.log1p(bodyLengths[doc.ordinal]!) / 10;
  v[11] = matched > 0 ? expanded / matched : 0;
  const earlyShare = count > 0 ? early / count : 0;
  v[12] = earlyShare;
  v[13] = short * titleScore;
  v[14] = short * proximityScore;
  v[15] = short * adjacent;
  v[16] = short * compactness;
  v[17] = short * titleCoverage;
  v[18] = short * titleShare;
  v[19] = short * earlyShare;
  v[20] = short;
  v[21] = described;
  v[22] = Math.min(1, count / 40);
  v[23] = Math.log1p(titleLengths[doc.ordinal]!) / 3;
  v[24] = idfInTitle / idfSum;
  const perWord =
    count > 0 ? likelihood / count + Math.log(mu / (bodyLengths[doc.ordinal]! + mu)) : 0;
  v[LIKELIHOOD] = perWord;
  v[26] = leadIdf / idfSum;
  v[27] = count > 0 ? titleLead / leadNorm : 0;
  v[28] = saturated / scale;
  if (perWord > work.bestLikelihood) work.bestLikelihood = perWord;
  return v;
}

/** How many of the `count` words have a list holding the document (`found[w] > 0`). */
function wordsIn(found: Int32Array, count: number): number {
  let n = 0;
  for (let w = 0; w < count; w++) if (found[w]! > 0) n++;
  return n;
}

/**
 * Each word's first `cap` positions in field `f` of `doc`, list after list in the order the
 * features' loop met them, into `positions[f][w]` (`held[f][w]` says how many). Read only for
 * a field where two words stand (no pair, no proximity) or for the body when the DESCRIPTION
 * section is read: in the Littré's two-word queries most of the window's documents hold one
 * word, whose positions nothing reads. The cursors stand at `doc` since the loop sought it.
 */
function readField(work: FeatureWork, doc: number, f: number, cap: number): void {
  const { words, count, cursors, positions, held, listsFound, read } = work;
  const ends = held[f]!;
  for (let w = 0; w < count; w++) {
    if (listsFound[f]![w]! === 0) continue;
    const word = words[w]!;
    const into = positions[f]![w]!;
    for (let a = 0; a < word.alternatives.length; a++) {
      const lists = word.alternatives[a]!.lists;
      const alternativeCursors = cursors[w]![a]!;
      for (let l = 0; l < lists.length; l++) {
        if (lists[l]!.field !== f) continue;
        const cursor = alternativeCursors[l]!;
        if (cursor.doc !== doc) continue;
        const end = ends[w]!;
        if (end >= cap) break;
        // After firstPosition: reading them moves the cursor past this posting's positions.
        const n = cursor.readPositions(read, cap - end);
        // At or before the array's end: it stays packed, overwritten or grown by one.
        for (let i = 0; i < n; i++) into[end + i] = read[i]!;
        ends[w] = end + n;
      }
    }
  }
}

const weightsOf = new WeakMap<LearnedModel, Float64Array>();

/**
 * The weights in `SIGNALS` order, made once per model (`Float64Array.from` over the names, for
 * each query, was a line of the re-ranking's profile). Read only: every search shares them.
 */
export function weightVector(model: LearnedModel): Float64Array {
  let weights = weightsOf.get(model);
  if (weights === undefined) {
    weights = Float64Array.from(SIGNALS, (name) => model.weights[name] ?? 0);
    weightsOf.set(model, weights);
  }
  return weights;
}

/** The model's score of one feature vector, on the scale of BM25 scores. */
export function learnedScore(
  model: LearnedModel,
  weights: Float64Array,
  vector: Float64Array,
  scale: number,
): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i]! * vector[i]!;
  if (model.trees !== undefined) sum += forestOf(model.trees).sum(vector);
  return sum * scale;
}

const forests = new WeakMap<readonly RegressionTree[], Forest>();

/**
 * Compiles the model's trees now rather than at its first search: compiling walks every path
 * of them once (`trees.ts`, 11.5 ms for the shipped model), which a server's first user
 * should not wait for.
 */
export function prepareModel(model: LearnedModel): void {
  if (model.trees !== undefined) forestOf(model.trees);
}

/** The model's trees as one `Forest`, made once per model. */
function forestOf(trees: readonly RegressionTree[]): Forest {
  let forest = forests.get(trees);
  if (forest === undefined) {
    forest = new Forest(trees);
    forests.set(trees, forest);
  }
  return forest;
}

const NEARNESS: ReadonlySet<LearnedSignal["signal"]> = new Set<SignalName>([
  "proximity",
  "adjacent",
  "compactness",
  "shortProximity",
  "shortAdjacent",
  "shortCompactness",
]);

/** The part of a learned score that the signals of nearness (proximity) brought. */
export function nearnessOf(signals: readonly LearnedSignal[]): number {
  let sum = 0;
  for (const s of signals) if (NEARNESS.has(s.signal)) sum += s.contribution;
  return sum;
}

/**
 * Each signal's value, weight and part of the score (for `explain`), non-zero ones only. With
 * trees, a signal's part adds its steps along the trees' paths (`attribute`), and the trees'
 * roots, the same for every document, are the part of `base`; the parts still sum to the score.
 */
export function signalsOf(
  model: LearnedModel,
  weights: Float64Array,
  vector: Float64Array,
  scale: number,
): LearnedSignal[] {
  const tree = new Float64Array(SIGNALS.length);
  let base = 0;
  if (model.trees !== undefined) for (const t of model.trees) base += attribute(t, vector, tree);
  const out: LearnedSignal[] = [];
  SIGNALS.forEach((signal, i) => {
    const weight = weights[i]!;
    const value = vector[i]!;
    const part = weight * value + tree[i]!;
    if (part === 0) return;
    out.push({ signal, value, weight, contribution: part * scale });
  });
  // LambdaRank's gradients sum to 0 over a query, so the roots' values are ~0: shown when not.
  if (Math.abs(base) > 1e-9)
    out.push({ signal: "base", value: 1, weight: base, contribution: base * scale });
  return out;
}
