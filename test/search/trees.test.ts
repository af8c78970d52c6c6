/**
 * Regression trees of the learned re-ranker (`trees.ts`): what a tree adds to a score, the
 * path attribution `explain` shows, and a tree file out of step refused at load.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  attribute,
  Forest,
  pathVectors,
  type RegressionTree,
  treeFrom,
  treeValue,
} from "../../src/search/trees.js";

// x0 ≤ 0.5 ? (x1 ≤ 2 ? 1 : 2) : 3, with inner values as a fitted tree would have them.
const TREE: RegressionTree = {
  feature: [0, 1, -1, -1, -1],
  threshold: [0.5, 2, 0, 0, 0],
  left: [1, 2, -1, -1, -1],
  right: [4, 3, -1, -1, -1],
  value: [1.8, 1.4, 1, 2, 3],
};

describe("a tree", () => {
  test("goes left at or below a threshold and gives its leaf's value", () => {
    expect(treeValue(TREE, [0.5, 2])).toBe(1);
    expect(treeValue(TREE, [0.2, 2.1])).toBe(2);
    expect(treeValue(TREE, [0.51, -9])).toBe(3);
  });

  test("its root value and the steps along the path sum to its value, feature by feature", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        (a, b) => {
          const parts = new Float64Array(2);
          const root = attribute(TREE, [a, b], parts);
          expect(root).toBe(1.8);
          expect(root + parts[0]! + parts[1]!).toBeCloseTo(treeValue(TREE, [a, b]), 12);
          // Right of the root, the second feature is never looked at.
          if (a > 0.5) expect(parts[1]).toBe(0);
        },
      ),
    );
  });
});

describe("a forest", () => {
  // A stump (a leaf above the last level) beside a tree of depth 2: the forest pads the stump.
  const STUMP: RegressionTree = {
    feature: [1, -1, -1],
    threshold: [-1, 0, 0],
    left: [1, -1, -1],
    right: [2, -1, -1],
    value: [0, -4, 0.25],
  };
  const LEAF: RegressionTree = {
    feature: [-1],
    threshold: [0],
    left: [-1],
    right: [-1],
    value: [7],
  };

  test("sums what each of its trees gives, whatever their depths", () => {
    const trees = [TREE, STUMP, LEAF];
    const forest = new Forest(trees);
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.constantFrom(0.5, 2, -1),
        (a, b, edge) => {
          for (const vector of [Float64Array.of(a, b), Float64Array.of(edge, edge)]) {
            const each = trees.reduce((sum, tree) => sum + treeValue(tree, vector), 0);
            expect(forest.sum(vector)).toBeCloseTo(each, 12);
          }
        },
      ),
    );
    expect(new Forest([]).sum(Float64Array.of(1, 2))).toBe(0);
  });

  test("adds its trees in their order, past the trees compiled into one function", () => {
    // 120 trees with values of very different sizes: another order would round otherwise.
    const trees = Array.from({ length: 120 }, (_, i) => ({
      ...TREE,
      value: TREE.value.map((v) => v * 10 ** ((i % 7) - 3) + i / 3),
    }));
    const forest = new Forest(trees);
    for (const vector of [
      Float64Array.of(0.1, 1),
      Float64Array.of(0.9, 0),
      Float64Array.of(0.3, 5),
    ]) {
      let each = 0;
      for (const tree of trees) each += treeValue(tree, vector);
      expect(forest.sum(vector)).toBe(each);
    }
  });

  test("sums the same where code generation from strings is forbidden (walking the trees)", () => {
    const dir = mkdtempSync(join(tmpdir(), "loupe-trees-"));
    try {
      const script = join(dir, "forest.mts");
      const trees = pathToFileURL(join(import.meta.dirname, "../../src/search/trees.ts")).href;
      writeFileSync(
        script,
        `import { Forest } from ${JSON.stringify(trees)};
let generated = "allowed";
try { new Function("return 1"); } catch { generated = "forbidden"; }
const tree = ${JSON.stringify(TREE)};
const forest = new Forest([tree, tree, tree]);
console.log(JSON.stringify([generated, forest.sum([0.5, 2]), forest.sum([0.2, 2.1]), forest.sum([0.9, 0])]));`,
      );
      const out = execFileSync(
        process.execPath,
        ["--disallow-code-generation-from-strings", "--import", "tsx", script],
        { encoding: "utf8" },
      );
      expect(JSON.parse(out)).toEqual(["forbidden", 3, 6, 9]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("refuses a tree whose numbers are not finite, or that loops, rather than compile it", () => {
    const bad = (patch: Partial<RegressionTree>) => () => new Forest([{ ...TREE, ...patch }]);
    expect(bad({ threshold: [Number.NaN, 2, 0, 0, 0] })).toThrow(/not finite/);
    expect(bad({ value: [1.8, 1.4, 1, Number.POSITIVE_INFINITY, 3] })).toThrow(/not finite/);
    expect(bad({ feature: [0.5, 1, -1, -1, -1] })).toThrow(/splits on feature/);
    expect(bad({ left: [0, 2, -1, -1, -1] })).toThrow(/not a later node/);
    // A node that is the child of two nodes: compiling it would double at each level.
    expect(bad({ right: [4, 2, -1, -1, -1] })).toThrow(/child of two nodes/);
    // Text where a number belongs (valid JavaScript there) never reaches the compiled source.
    const text = "0 || (globalThis.hacked = 1)" as unknown as number;
    let forest: Forest | undefined;
    expect(() => {
      forest = new Forest([{ ...TREE, threshold: [text, 2, 0, 0, 0] }]);
    }).toThrow(/not finite/);
    forest?.sum(Float64Array.of(0, 0));
    expect((globalThis as Record<string, unknown>).hacked).toBeUndefined();
  });
});

/** The leaf `vector` ends at in `tree`. */
function leafOf(tree: RegressionTree, vector: ArrayLike<number>): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    node =
      vector[tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return node;
}

/** A complete tree of `depth` over features 0..2, its thresholds from `thresholds`. */
function completeTree(depth: number, splits: Array<[number, number]>): RegressionTree {
  const inner = 2 ** depth - 1;
  const nodes = 2 ** (depth + 1) - 1;
  const at = (n: number) => splits[n % splits.length]!;
  return {
    feature: Array.from({ length: nodes }, (_, n) => (n < inner ? at(n)[0] : -1)),
    threshold: Array.from({ length: nodes }, (_, n) => (n < inner ? at(n)[1] : 0)),
    left: Array.from({ length: nodes }, (_, n) => (n < inner ? 2 * n + 1 : -1)),
    right: Array.from({ length: nodes }, (_, n) => (n < inner ? 2 * n + 2 : -1)),
    value: Array.from({ length: nodes }, (_, n) => n),
  };
}

describe("the vectors a forest is walked with before it is used", () => {
  test("reach every leaf some vector can reach, and only those", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: -3, max: 3 })), {
          minLength: 1,
          maxLength: 7,
        }),
        (depth, splits) => {
          const tree = completeTree(depth, splits);
          const reached = new Set(pathVectors([tree]).map((v) => leafOf(tree, v)));
          // Every value a feature can take, up to which side of each threshold it stands.
          const values = [-4, ...splits.flatMap(([, t]) => [t, t + 0.5])];
          const reachable = new Set<number>();
          for (const a of values)
            for (const b of values) for (const c of values) reachable.add(leafOf(tree, [a, b, c]));
          expect([...reached].sort()).toEqual([...reachable].sort());
          expect(pathVectors([tree]).length).toBe(reachable.size);
        },
      ),
      { numRuns: 300 },
    );
  });

  test("stop at the limit asked, the first trees' leaves first", () => {
    // A feature per level: every one of the 8 leaves is reachable.
    const tree = completeTree(3, [
      [0, 1],
      [1, 2],
      [1, 2],
      [2, 0],
      [2, 0],
      [2, 0],
      [2, 0],
    ]);
    expect(pathVectors([tree, tree], 5).map((v) => leafOf(tree, v))).toEqual([7, 8, 9, 10, 11]);
    expect(pathVectors([tree, tree], 12)).toHaveLength(12);
    expect(pathVectors([tree, tree])).toHaveLength(16);
  });

  test("leave out a leaf no vector reaches, and give none for a forest of leaves alone", () => {
    // x0 ≤ 1 ? (x0 > 2 ? unreachable : a) : b
    const tree: RegressionTree = {
      feature: [0, 0, -1, -1, -1],
      threshold: [1, 2, 0, 0, 0],
      left: [1, 2, -1, -1, -1],
      right: [4, 3, -1, -1, -1],
      value: [0, 0, 1, 2, 3],
    };
    expect(pathVectors([tree]).map((v) => leafOf(tree, v))).toEqual([2, 4]);
    expect(
      pathVectors([{ feature: [-1], threshold: [0], left: [-1], right: [-1], value: [1] }]),
    ).toEqual([new Float64Array(0)]);
  });
});

describe("a tree read from a file", () => {
  const plain = (tree: RegressionTree) => JSON.parse(JSON.stringify(tree)) as unknown;

  test("reads back what was written", () => {
    expect(treeFrom(plain(TREE), 2, "tree")).toEqual(TREE);
  });

  test("is refused when out of step with the code or looping", () => {
    expect(() => treeFrom(plain(TREE), 1, "tree 3")).toThrow(/tree 3: node 1 splits on feature 1/);
    expect(() => treeFrom({ ...TREE, left: [0, 2, -1, -1, -1] }, 2, "t")).toThrow(
      /child 0 that is not a later node/,
    );
    expect(() => treeFrom({ ...TREE, value: [1, 2] }, 2, "t")).toThrow(/one entry per node/);
    expect(() => treeFrom({ ...TREE, threshold: [null, 2, 0, 0, 0] }, 2, "t")).toThrow(
      /threshold must be an array of numbers/,
    );
    expect(() => treeFrom("tree", 2, "t")).toThrow(/not an object/);
  });
});
