import { describe, expect, it } from "vitest";
import { formatComparison, schedule } from "../../bench/compare-servers.js";
import type { LoadedTarget } from "../../bench/http.js";

function target(requestsPerSec: number, p99: number, failed = 0): LoadedTarget {
  return {
    name: "measured",
    requests: requestsPerSec * 10,
    requestsPerSec,
    latencyP50Ms: 2,
    latencyP99Ms: p99,
    latencyMeanMs: 3,
    latencyMaxMs: p99 * 2,
    throughputBytesPerSec: 0,
    errors: failed,
    non2xx: 0,
    loadBefore: 1,
    loadAfter: 1,
  };
}

describe("bench:compare-servers' report", () => {
  it("gives each run in order, and the ratio of the two versions' mean requests per second", () => {
    const report = formatComparison(
      [
        { version: "before", result: target(700, 180) },
        { version: "after", result: target(800, 150) },
        { version: "after", result: target(820, 160, 1) },
        { version: "before", result: target(740, 170) },
      ],
      {
        workers: 1,
        seconds: 10,
        before: "/tmp/before at abc1234",
        after: "this checkout at def5678+",
      },
    );
    const rows = report.split("\n").filter((line) => /^\| (before|after) /.test(line));
    expect(rows.map((row) => row.split("|")[1]?.trim())).toEqual([
      "before",
      "after",
      "after",
      "before",
    ]);
    expect(report).toContain("before 720 req/s (p99 175.0 ms), after 810 req/s (p99 155.0 ms)");
    expect(report).toContain("**1.125×**");
    expect(report).toContain("; failed: 1.");
    expect(report).toContain("(before: /tmp/before at abc1234; after: this checkout at def5678+)");
    expect(report).toContain("`loupe serve --workers 1`");
  });
});

describe("bench:compare-servers' order", () => {
  it("serves before, after, after, before in every round, so the order's bias cancels", () => {
    expect(schedule(1)).toEqual(["before", "after", "after", "before"]);
    expect(schedule(3)).toEqual(Array.from({ length: 3 }, () => schedule(1)).flat());
  });
});
