/**
 * The fake engine with queries that take time, for the budget, queue and pool tests:
 * - `slow:N …` works N ms but honours `budgetMs` as the real engine does: past the budget it
 *   stops and answers what it has, flagged `timedOut`;
 * - `spin:N …` works N ms whatever the budget (a search the engine cannot cut);
 * - `crash` ends the thread (or process) it runs in, as a fatal bug would.
 * The work is a busy loop, not a timer: a search holds its thread like a real one.
 */
import type { Engine, SearchOptions, SearchResult } from "../../src/search/types.js";
import { type FakeEngineOptions, fakeEngine } from "./fake-engine.js";

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spinning on purpose
  }
}

export function slowEngine(options: FakeEngineOptions = {}): Engine {
  const inner = fakeEngine(options);
  return {
    get info() {
      return inner.info;
    },
    search(query: string, opts: SearchOptions & { budgetMs?: number } = {}) {
      const started = performance.now();
      const [first = "", ...rest] = query.split(" ");
      const match = /^(slow|spin):(\d+)$/.exec(first);
      if (first === "crash") process.exit(3);
      if (match === null) return inner.search(query, opts);
      const wanted = Number(match[2]);
      const budget = opts.budgetMs;
      const cut = match[1] === "slow" && budget !== undefined && wanted > budget;
      busy(cut ? budget : wanted);
      const result: SearchResult & { timedOut?: boolean } = inner.search(
        rest.join(" ") || "mission",
        opts,
      );
      result.query = query;
      result.tookMs = performance.now() - started;
      if (cut) result.timedOut = true;
      return result;
    },
    suggest: (prefix, limit) => inner.suggest(prefix, limit),
    getDocument: (id, query, o) => inner.getDocument(id, query, o),
  };
}
