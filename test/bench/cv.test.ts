import { describe, expect, it } from "vitest";
import { assignFolds, crossValidate, mrr, spread } from "../../bench/relevance/cv.js";
import type { EvalQuery } from "../../bench/relevance/sets.js";

function queries(train: number, dev: number): EvalQuery[] {
  const make = (i: number, split: "train" | "dev"): EvalQuery => ({
    query: `q${i}`,
    id: `sp-${i}`,
    source: "sp",
    set: i % 3 === 0 ? "short-sp" : "known-items",
    split,
    words: 3,
  });
  return [
    ...Array.from({ length: train }, (_, i) => make(i, "train")),
    ...Array.from({ length: dev }, (_, i) => make(train + i, "dev")),
  ];
}

describe("the relevance harness's cross-validation", () => {
  it("puts every training query in one fold, keeps dev out, and balances each set", () => {
    const qs = queries(103, 20);
    const folds = assignFolds(qs, 5, 7);
    qs.forEach((q, i) => {
      if (q.split === "dev") expect(folds[i]).toBe(-1);
      else expect(folds[i]).toBeGreaterThanOrEqual(0);
    });
    for (const set of ["known-items", "short-sp"] as const) {
      const sizes = [0, 1, 2, 3, 4].map(
        (f) => qs.filter((q, i) => q.set === set && folds[i] === f).length,
      );
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect([...assignFolds(qs, 5, 7)]).toEqual([...folds]);
    expect([...assignFolds(qs, 5, 8)]).not.toEqual([...folds]);
  });

  it("computes MRR@10 from ranks, 0 meaning not in the top 10", () => {
    expect(mrr(Uint8Array.from([1, 2, 0, 4]), [0, 1, 2, 3])).toBeCloseTo((1 + 0.5 + 0 + 0.25) / 4);
    expect(mrr(Uint8Array.from([1, 2]), [1])).toBe(0.5);
  });

  it("chooses on the training part only, so a candidate good on one fold alone is not chosen for it", () => {
    const qs = queries(50, 0).map((q) => ({ ...q, set: "known-items" as const }));
    const folds = assignFolds(qs, 5, 1);
    // A is right everywhere but in fold 0; B only in fold 0.
    const a = Uint8Array.from(qs.map((_, i) => (folds[i] === 0 ? 0 : 1)));
    const b = Uint8Array.from(qs.map((_, i) => (folds[i] === 0 ? 1 : 0)));
    const cv = crossValidate([a, b], qs, folds, 5);
    expect(cv.folds.map((f) => f.chosen)).toEqual([0, 0, 0, 0, 0]);
    expect(cv.folds[0]?.heldOut.objective).toBe(0);
    expect(cv.folds[1]?.heldOut.objective).toBe(1);
    expect(cv.chosenOnAll).toBe(0);
  });

  it("keeps the earlier candidate on a tie (the default is listed first)", () => {
    const qs = queries(10, 0);
    const same = Uint8Array.from(qs.map(() => 2));
    expect(crossValidate([same, same], qs, assignFolds(qs, 2, 3), 2).chosenOnAll).toBe(0);
  });

  it("reports the spread across folds", () => {
    const s = spread([0.7, 0.8, 0.9]);
    expect(s.mean).toBeCloseTo(0.8);
    expect(s.sd).toBeCloseTo(0.1);
    expect([s.min, s.max]).toEqual([0.7, 0.9]);
  });
});
