import { describe, expect, test } from "vitest";
import { readWholeNumber } from "../../src/server/whole-number.js";

describe("readWholeNumber: digits only, within the range", () => {
  test.each([
    ["0", 0],
    ["7", 7],
    ["007", 7],
    ["100", 100],
    ["101", undefined],
    ["", undefined],
    [" 5", undefined],
    ["5 ", undefined],
    ["+5", undefined],
    ["-1", undefined],
    ["1e1", undefined],
    ["0x10", undefined],
    ["1.5", undefined],
    ["5abc", undefined],
    ["٣", undefined],
    ["9".repeat(16), undefined],
  ])("%j → %s", (text, expected) => {
    expect(readWholeNumber(text, 0, 100)).toBe(expected);
  });

  test("the lower bound counts too", () => {
    expect(readWholeNumber("0", 1, 20)).toBeUndefined();
    expect(readWholeNumber("1", 1, 20)).toBe(1);
  });
});
