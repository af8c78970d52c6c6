/**
 * A few searches run on an engine before it serves. A fresh process's first searches are slow
 * for reasons no index can help: V8 compiles the query path, and the Unicode regular
 * expressions of the chain and the snippets, on first use. Measured on the 4,699-document
 * benchmark index (.scratch/cold.mjs): the first search of a process took 47–83 ms, whatever
 * the query (`maison` 48 ms, then 4–10 ms warm), and so overran the 50 ms budget unflagged,
 * since most of that time is spent outside the loops that watch the clock.
 */
import type { Engine } from "../search/types.js";
import type { IndexLoader } from "./reload.js";

/** Stop starting new warm-up searches after this long (a large index's are slower). */
const DEFAULT_MAX_MS = 1500;
/**
 * Times through the calls: one round cut the first search from 42 to 7 ms, a second to 3 ms
 * (V8 optimises a function after it has run a while).
 */
const ROUNDS = 3;

export interface WarmUpOptions {
  maxMs?: number;
  /** Each search's time budget, as the server's own searches have (none by default). */
  budgetMs?: number;
  /** The clock, in milliseconds; injected by tests. */
  now?: () => number;
}

/**
 * The queries: every kind the query path branches on (one word, several, a phrase, a prefix,
 * a typo, an exclusion, stopwords only), made of the collection's own words so they find
 * documents and reach the ranking and the snippets.
 */
export function warmUpQueries(words: readonly string[]): string[] {
  const [a, b = a, c = b] = words;
  if (a === undefined) return ["les de la"];
  const typo = a.length >= 5 ? `${a.slice(0, -2)}${a.at(-1)}${a.at(-2)}` : a;
  return [
    a,
    `${a} ${b}`,
    `"${b} ${c}"`,
    `${a.slice(0, 3)}*`,
    typo,
    `${b} ${c} -${a}`,
    "les de la",
    `${c} ${a} ${b} dans le`,
  ];
}

/**
 * Runs the warm-up searches, suggestions and document views; resolves to how many calls ran.
 * It gives the event loop a turn between calls, so a hot swap's warm-up never holds a
 * serving thread for longer than one search. An error in one (there should be none) is not
 * the server's business here: the same query from a user gets its answer, or its 400, from
 * the usual path.
 */
export async function warmUp(engine: Engine, options: WarmUpOptions = {}): Promise<number> {
  const now = options.now ?? (() => performance.now());
  const until = now() + (options.maxMs ?? DEFAULT_MAX_MS);
  const words = engine.exampleWords?.(3) ?? [];
  const calls: Array<() => unknown> = [];
  for (const query of warmUpQueries(words)) {
    calls.push(() => {
      const result = engine.search(query, {
        limit: 10,
        ...(options.budgetMs !== undefined && { budgetMs: options.budgetMs }),
      });
      const first = result.hits[0];
      if (first !== undefined) engine.getDocument(first.id, query);
    });
  }
  for (const word of words) calls.push(() => engine.suggest(word.slice(0, 3)));
  let ran = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const call of calls) {
      if (now() >= until) return ran;
      await new Promise((resolve) => setImmediate(resolve));
      try {
        call();
      } catch {
        // See above: nothing to report.
      }
      ran++;
    }
  }
  return ran;
}

/**
 * `loader`, each engine it opens warmed up before it is handed over: for the threads that
 * search (each search thread, and the HTTP thread, where the page searches).
 */
export function warmingUp(
  loader: IndexLoader,
  options: WarmUpOptions = {},
  /** Told of each warm-up done: the engine, how many calls it ran, and in how long. */
  onWarmedUp?: (engine: Engine, calls: number, ms: number) => void,
): IndexLoader {
  return {
    open: async (dir, openOptions) => {
      const engine = await loader.open(dir, openOptions);
      const started = performance.now();
      const calls = await warmUp(engine, options);
      onWarmedUp?.(engine, calls, Math.round(performance.now() - started));
      return engine;
    },
    generation: (dir) => loader.generation(dir),
  };
}
