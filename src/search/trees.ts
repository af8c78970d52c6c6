/**
 * Regression trees, as boosted by bench/relevance/lambdamart.ts and added to the learned
 * re-ranker's linear part (`learned.ts`). A tree is kept as parallel arrays, one entry per
 * node (node 0 the root), the layout RankLib and LightGBM write: cheap to read from JSON and
 * to walk, a few hundred numbers a tree.
 */

export interface RegressionTree {
  /** The feature (index in the vector) a node splits on; -1 for a leaf. */
  feature: readonly number[];
  /** A vector goes left when its feature is ≤ this. */
  threshold: readonly number[];
  left: readonly number[];
  right: readonly number[];
  /**
   * A leaf's value is what the tree adds to the score. An inner node's is the value it would
   * have as a leaf: the steps along a vector's path are each split's part in `explain`.
   */
  value: readonly number[];
}

/** What the tree adds to the score of `vector`. */
export function treeValue(tree: RegressionTree, vector: ArrayLike<number>): number {
  const { feature, threshold, left, right, value } = tree;
  let node = 0;
  for (let f = feature[0]!; f >= 0; f = feature[node]!) {
    node = vector[f]! <= threshold[node]! ? left[node]! : right[node]!;
  }
  return value[node]!;
}

/**
 * Trees compiled to JavaScript, what the engine scores with: each tree a nest of conditional
 * expressions over the vector, its thresholds and leaf values written in as literals, so that
 * V8 runs straight-line code with no array of nodes to load from. Measured on the shipped 100
 * trees of depth 3 over 22,372 feature vectors of the benchmark's distinct queries: 0.40 µs a
 * vector, against 1.9 µs for the layout this replaced (complete binary trees in typed arrays,
 * walked without branching); whole queries, `npm run bench:compare` against that build:
 * 0.84–0.90× on 2,000 distinct benchmark queries, 0.93–0.96× on the Littré's. Only numbers
 * checked finite and integer feature indices reach the source text.
 */
export class Forest {
  readonly trees: number;
  /** Each adds its trees' values to the running sum, in the trees' order (same rounding). */
  private readonly parts: readonly Part[];

  constructor(trees: readonly RegressionTree[]) {
    this.trees = trees.length;
    const parts: Part[] = [];
    // A function of a few thousand nodes stays within what TurboFan optimises.
    for (let t = 0; t < trees.length; t += TREES_PER_FUNCTION) {
      parts.push(compiled(trees.slice(t, t + TREES_PER_FUNCTION), t));
    }
    this.parts = parts;
  }

  /** The sum of every tree's value of `vector`. */
  sum(vector: ArrayLike<number>): number {
    let sum = 0;
    for (const part of this.parts) sum = part(vector, sum);
    return sum;
  }
}

const TREES_PER_FUNCTION = 50;

type Part = (vector: ArrayLike<number>, sum: number) => number;

/** `trees` (the first being tree number `first`) as one function adding their values. */
function compiled(trees: readonly RegressionTree[], first: number): Part {
  // Made before compiling: it checks every number and child, and throws on a bad tree.
  const body = trees
    .map((tree, i) => `sum += ${expression(tree, 0, `tree ${first + i}`, new Set())};`)
    .join("\n");
  let part: Part;
  try {
    part = new Function("v", "sum", `"use strict";\n${body}\nreturn sum;`) as Part;
  } catch (error) {
    // A host that forbids code generation from strings (`node
    // --disallow-code-generation-from-strings`): the trees are walked node by node instead.
    if (!(error instanceof EvalError)) throw error;
    return (vector, sum) => {
      for (const tree of trees) sum += treeValue(tree, vector);
      return sum;
    };
  }
  walkEveryPath(trees, part);
  return part;
}

/**
 * Runs `part` down every path of each of its trees once, so that V8 has seen every load and
 * comparison of it run before it compiles it. A branch no search had taken yet carried no type
 * feedback, and the first vector to take it threw the optimised code away ("insufficient type
 * feedback for generic keyed access"), back to baseline code that runs the 50 trees in 7.5–8
 * µs a vector instead of 0.24–0.31 (.scratch micro-benchmark, `--max-opt=1` against
 * TurboFan). In a fresh process on the Littré's queries, 15,898 of the first 330 queries'
 * 26,900 tree runs were outside optimised code, and 3,137 of the next 670 queries' 52,527;
 * walked first, 1,725 and none. A fresh process's first 1,000 Littré queries took 1,040–1,079
 * ms instead of 1,099–1,229 (four alternated processes each). Walking the shipped model costs
 * 11.5 ms, once per process, when `openEngine` compiles it. Deeper trees have more paths than
 * are worth walking: past `MAX_WALKED` a function's other paths are left to the searches.
 */
function walkEveryPath(trees: readonly RegressionTree[], part: Part): void {
  const vectors = pathVectors(trees, MAX_WALKED);
  // V8 gives a function the vector its runs record their feedback in only once it has run
  // about 8 × its bytecode (lazy feedback allocation): the paths walked before that taught it
  // nothing, and the first trees' branches still threw the optimised code away. Every run
  // runs at least each tree's root, so 16 × nodes / trees runs are past that.
  let nodes = 0;
  for (const tree of trees) nodes += tree.feature.length;
  const before = Math.ceil((16 * nodes) / Math.max(1, trees.length));
  const first = vectors[0] ?? new Float64Array(0);
  for (let i = 0; i < before; i++) part(first, 0);
  for (const vector of vectors) part(vector, 0);
}

/** Paths walked per compiled function at most: 400 for the shipped model's 50 trees. */
const MAX_WALKED = 4096;

/**
 * For each tree, a vector down to each of its leaves that some vector can reach (a leaf whose
 * path asks one feature to be both at most and above a threshold is reached by none), the
 * first `limit` of them.
 */
export function pathVectors(
  trees: readonly RegressionTree[],
  limit = Number.POSITIVE_INFINITY,
): Float64Array[] {
  let features = 0;
  for (const tree of trees) for (const f of tree.feature) features = Math.max(features, f + 1);
  const low = new Float64Array(features);
  const high = new Float64Array(features);
  const vectors: Float64Array[] = [];
  for (const tree of trees) {
    paths: for (const path of pathsOf(tree, limit - vectors.length)) {
      low.fill(Number.NEGATIVE_INFINITY);
      high.fill(Number.POSITIVE_INFINITY);
      // Left is `v[f] <= threshold`, right `v[f] > threshold`.
      for (const { feature, threshold, left } of path) {
        if (left) high[feature] = Math.min(high[feature]!, threshold);
        else low[feature] = Math.max(low[feature]!, threshold);
      }
      const vector = new Float64Array(features);
      for (let f = 0; f < features; f++) {
        const below = high[f]!;
        const above = low[f]!;
        if (!(above < below)) continue paths;
        vector[f] = Number.isFinite(below)
          ? below
          : Number.isFinite(above)
            ? above + Math.max(1, Math.abs(above))
            : 0;
      }
      vectors.push(vector);
    }
    if (vectors.length >= limit) break;
  }
  return vectors;
}

interface Step {
  feature: number;
  threshold: number;
  left: boolean;
}

/** The splits along the way to each leaf of `tree`, the first `limit` leaves. */
function pathsOf(tree: RegressionTree, limit: number): Step[][] {
  const paths: Step[][] = [];
  const visit = (node: number, path: Step[]) => {
    if (paths.length >= limit) return;
    const feature = tree.feature[node]!;
    if (feature < 0) {
      paths.push(path);
      return;
    }
    const threshold = tree.threshold[node]!;
    visit(tree.left[node]!, [...path, { feature, threshold, left: true }]);
    visit(tree.right[node]!, [...path, { feature, threshold, left: false }]);
  };
  visit(0, []);
  return paths;
}

/**
 * A tree's node as a JavaScript expression of `v`, as `treeValue` walks it. `seen` holds the
 * nodes written so far: a node that is two nodes' child (a graph, which `treeFrom` lets by)
 * would be written out once per path, doubling at each level.
 */
function expression(tree: RegressionTree, node: number, name: string, seen: Set<number>): string {
  const f = tree.feature[node];
  if (f === undefined) throw new Error(`${name}: node ${node} is missing`);
  if (seen.has(node)) throw new Error(`${name}: node ${node} is the child of two nodes`);
  seen.add(node);
  if (f < 0) return literal(tree.value[node], name);
  if (!Number.isInteger(f)) throw new Error(`${name}: node ${node} splits on feature ${f}`);
  const left = tree.left[node]!;
  const right = tree.right[node]!;
  // Children after their parent, as treeFrom checks: the recursion ends.
  if (!(left > node && right > node))
    throw new Error(`${name}: node ${node} has a child that is not a later node`);
  const test = `v[${f}] <= ${literal(tree.threshold[node], name)}`;
  const yes = expression(tree, left, name, seen);
  return `(${test} ? ${yes} : ${expression(tree, right, name, seen)})`;
}

function literal(x: number | undefined, name: string): string {
  if (typeof x !== "number" || !Number.isFinite(x)) throw new Error(`${name}: ${x} is not finite`);
  // String() of a finite double reads back as the same double; -0 as 0 changes no comparison.
  return `(${String(x)})`;
}

/**
 * The tree's value of `vector`, split into its root's value (returned) and each split
 * feature's step along the path (added to `parts`): the path attribution of Saabas's
 * treeinterpreter, exact in that the root's value and the steps sum to `treeValue`.
 */
export function attribute(
  tree: RegressionTree,
  vector: ArrayLike<number>,
  parts: Float64Array,
): number {
  const { feature, threshold, left, right, value } = tree;
  let node = 0;
  for (let f = feature[0]!; f >= 0; f = feature[node]!) {
    const next = vector[f]! <= threshold[node]! ? left[node]! : right[node]!;
    parts[f]! += value[next]! - value[node]!;
    node = next;
  }
  return value[0]!;
}

/**
 * A tree read from JSON, checked: arrays of one length, features below `features`, children
 * after their parent (so every walk ends), finite thresholds and values.
 */
export function treeFrom(data: unknown, features: number, name: string): RegressionTree {
  if (typeof data !== "object" || data === null) throw new Error(`${name}: not an object`);
  const record = data as Record<string, unknown>;
  const arrays = ["feature", "threshold", "left", "right", "value"].map((key) => {
    const array = record[key];
    if (!Array.isArray(array) || !array.every((x) => typeof x === "number"))
      throw new Error(`${name}: ${key} must be an array of numbers`);
    return array as number[];
  });
  const [feature, threshold, left, right, value] = arrays as [
    number[],
    number[],
    number[],
    number[],
    number[],
  ];
  const nodes = feature.length;
  if (nodes === 0 || arrays.some((a) => a.length !== nodes))
    throw new Error(`${name}: its arrays must have one entry per node`);
  for (let n = 0; n < nodes; n++) {
    if (!Number.isFinite(value[n]!)) throw new Error(`${name}: node ${n} has no finite value`);
    const f = feature[n]!;
    if (f === -1) continue;
    if (!Number.isInteger(f) || f < 0 || f >= features)
      throw new Error(`${name}: node ${n} splits on feature ${f}, not one of the ${features}`);
    if (!Number.isFinite(threshold[n]!))
      throw new Error(`${name}: node ${n} has no finite threshold`);
    for (const child of [left[n]!, right[n]!]) {
      if (!Number.isInteger(child) || child <= n || child >= nodes)
        throw new Error(`${name}: node ${n} has a child ${child} that is not a later node`);
    }
  }
  return { feature, threshold, left, right, value };
}
