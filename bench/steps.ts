// Where a distinct query's time goes, step by step (`npm run bench:steps`, issue 13):
//
//   npm run bench:steps -- [--index DIR] [--queries distinct|littre] [--rounds 5] [--out FILE]
//
// In one process, over the same queries (default: 2,000 distinct 1–3-word title queries of
// the benchmark corpus, as bench:http sends them, over an index of it built first; `littre`:
// the short queries of bench/results/littre-scale.json, with --index a Littré index). The
// engine's steps are its own `profile` (engine.search with `profile: true`): parse, expand
// (prefix and typo look-ups), retrieve (top-k and counting), rank (the learned trees' window),
// hits (snippets and marks), suggest. The server's are differences between calls timed apart:
// present + JSON is searchAnswer(search) minus search, the HTTP app is app.request (routing,
// validation, middleware, Response; no answer cache) minus searchAnswer(search).
//
// Each call is timed over blocks of up to 100 queries, every call in turn, so that the machine's
// drift falls on every call alike. Every call in every round reads queries of its own (2,000
// distinct title queries, or 300 of the Littré's, made by bench:scale's generator from every
// entry, with another seed), seen for the first time, as a server sees them (its answer cache takes the repeats):
// a query run again is cheaper (V8 keeps compiled regular expressions by pattern, the chain
// the words it has analysed, the vocabulary its recent typo look-ups), and until 2026-12-07
// every round read the same queries, after an untimed pass of them. Figures are the median
// round's mean per query. The socket's own cost (Node's HTTP parser, writes) is outside: bench:http
// measures requests whole. Below the steps, the same search with its re-ranking taken away:
// what it costs (neither is a setting to ship).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { LoupeEngine, openEngine } from "../src/search/engine.js";
import { DEFAULT_RANKING, type RankingParams } from "../src/search/execute.js";
import type { SearchProfile } from "../src/search/types.js";
import { createApp } from "../src/server/app.js";
import { searchAnswer } from "../src/server/search-answer.js";
import { seededRandom, shuffled } from "./random.js";

/** Queries per call and round: distinct title queries, and the Littré's (as bench:scale's 300). */
const PER_SET = { distinct: 2000, littre: 300 } as const;

/**
 * A warm-up set and `sets` sets of queries, none in two sets, shuffled so that every set holds
 * the same mix: the generators make their commonest queries first, and other kinds once the
 * runs of title words run out; taken in the order made, a later call's set read 16 % dearer
 * than an earlier one's for the same code.
 */
async function querySets(
  source: "distinct" | "littre",
  sets: number,
): Promise<{ warmUp: string[]; sets: string[][] }> {
  const size = PER_SET[source];
  const wanted = size * (sets + 1);
  let made: string[];
  if (source === "littre") {
    // The Littré's headwords and keywords, as bench:scale derives its queries (another seed).
    const { ensureLittre } = await import("./scale/littre.js");
    const { shortQueries } = await import("./scale/queries.js");
    const { readCorpus } = await import("../src/corpus/index.js");
    const { documents } = await readCorpus(ensureLittre());
    made = shortQueries(documents, wanted, 23);
  } else {
    const { loadBenchCorpus } = await import("./corpus.js");
    const { distinctQueries } = await import("./http.js");
    made = distinctQueries(
      loadBenchCorpus().docs.map((doc) => doc.title),
      wanted,
    );
  }
  if (made.length < wanted) {
    throw new Error(
      `only ${made.length} distinct ${source} queries for ${sets + 1} sets of ${size}: fewer --rounds`,
    );
  }
  const all = shuffled(made, seededRandom(17));
  const set = (k: number) => all.slice(k * size, (k + 1) * size);
  return { warmUp: set(0), sets: Array.from({ length: sets }, (_, k) => set(k + 1)) };
}

async function benchIndex(): Promise<string> {
  const { ensureCorpus } = await import("./corpus.js");
  const { buildIndex } = await import("../src/index/index.js");
  const out = join(mkdtempSync(join(tmpdir(), "loupe-steps-")), "index");
  await buildIndex({ input: join(ensureCorpus(), "docs"), out });
  return out;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const STEPS: Array<[keyof SearchProfile, string]> = [
  ["parse", "parse"],
  ["expand", "expand (prefixes, typos)"],
  ["retrieve", "retrieve (BM25 top-k, count)"],
  ["rank", "rank (the learned model: signals and trees over the window)"],
  ["hits", "hits (snippets, marks)"],
  ["suggest", "suggest (did you mean)"],
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      index: { type: "string" },
      queries: { type: "string", default: "distinct" },
      rounds: { type: "string", default: "5" },
      out: { type: "string" },
    },
  });
  const rounds = Number(values.rounds);
  if (values.queries !== "distinct" && values.queries !== "littre")
    throw new Error(`--queries ${values.queries}: expected distinct or littre`);
  if (values.queries === "littre" && values.index === undefined)
    throw new Error("--queries littre needs --index DIR, an index of the Littré (loupe index)");
  const indexDir = values.index ?? (await benchIndex());
  // The index built for this run goes when it ends; one given with --index stays.
  const built = values.index === undefined ? dirname(indexDir) : undefined;
  try {
    await measure(indexDir, rounds, values.queries, values.out);
  } finally {
    if (built !== undefined) rmSync(built, { recursive: true, force: true });
  }
}

async function measure(
  indexDir: string,
  rounds: number,
  source: "distinct" | "littre",
  out: string | undefined,
): Promise<void> {
  const engine = await openEngine(indexDir);
  const { index } = engine;
  const app = createApp(engine, { answerCache: 0 });
  const url = (q: string) => `http://localhost/api/search?q=${encodeURIComponent(q)}`;
  const noRerank: RankingParams = {
    ...DEFAULT_RANKING,
    learned: undefined,
    proximity: { ...DEFAULT_RANKING.proximity, weight: 0 },
  };
  // Per round, each profile step's milliseconds summed over every query.
  let stepSums: Record<string, number> = {};
  const stepRounds: Record<string, number[]> = {};
  const timed: Record<string, (block: readonly string[]) => Promise<void> | void> = {
    profiled: (block) => {
      for (const q of block) {
        const { profile } = engine.search(q, { limit: 10, profile: true });
        for (const [step] of STEPS) stepSums[step] = (stepSums[step] ?? 0) + profile![step];
      }
    },
    search: (block) => {
      for (const q of block) engine.search(q, { limit: 10 });
    },
    "search + answer": (block) => {
      for (const q of block) searchAnswer(engine.search(q, { limit: 10 }));
    },
    "app.request": async (block) => {
      for (const q of block) await (await app.request(url(q))).text();
    },
  };
  // Only what a ranking parameter takes away whole: typo and prefix look-ups have no such
  // switch (an unknown word is always looked up), and the profile's `expand` is their cost.
  const variants: Array<[string, RankingParams]> = [
    ["as shipped", DEFAULT_RANKING],
    ["without the learned trees (proximity re-ranks)", { ...DEFAULT_RANKING, learned: undefined }],
    ["without re-ranking", noRerank],
  ];
  for (const [name, ranking] of variants) {
    const variant = new LoupeEngine(index, ranking);
    timed[`variant: ${name}`] = (block) => {
      for (const q of block) variant.search(q, { limit: 10 });
    };
  }

  const names = Object.keys(timed);
  const { warmUp, sets } = await querySets(source, names.length * rounds);
  const size = sets[0]!.length;
  // Blocks of 100: the calls take turns often enough for the machine's drift to fall on all.
  const BLOCK = 100;
  const blocksOf = (queries: readonly string[]) => {
    const blocks: string[][] = [];
    for (let from = 0; from < queries.length; from += BLOCK)
      blocks.push(queries.slice(from, from + BLOCK));
    return blocks;
  };
  // One untimed pass: V8 optimises every path before any is timed.
  for (const run of Object.values(timed)) await run(warmUp);
  const samples: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    const spent: Record<string, number> = {};
    stepSums = {};
    // Call c reads set r × calls + c, block by block, in turn with the others.
    const blocks = names.map((_, c) => blocksOf(sets[r * names.length + c]!));
    const count = blocks[0]!.length;
    for (let slot = 0; slot < count; slot++) {
      for (const [c, name] of names.entries()) {
        const block = blocks[c]![slot]!;
        const started = performance.now();
        await timed[name]!(block);
        spent[name] = (spent[name] ?? 0) + performance.now() - started;
      }
    }
    for (const name of names) {
      const list = samples[name] ?? [];
      list.push((spent[name]! * 1000) / size);
      samples[name] = list;
    }
    for (const [step] of STEPS) {
      const list = stepRounds[step] ?? [];
      list.push((stepSums[step]! * 1000) / size);
      stepRounds[step] = list;
    }
  }
  const µs = (name: string) => median(samples[name]!);
  const steps = STEPS.map(([step, label]) => ({ label, micros: median(stepRounds[step]!) }));
  const inEngine = steps.reduce((sum, step) => sum + step.micros, 0);
  const rows = [
    ...steps,
    { label: "the rest of engine.search (the result's assembly)", micros: µs("search") - inEngine },
    { label: "present, JSON", micros: µs("search + answer") - µs("search") },
    {
      label: "HTTP app (routing, validation, middleware)",
      micros: µs("app.request") - µs("search + answer"),
    },
  ];
  const whole = µs("app.request");
  const lines = [
    `${size} queries (${source}) per call and round, each seen for the first time (every call and round its own), ${index.documents.size} documents, median of ${rounds} rounds, Node ${process.version}.`,
    "",
    "| step | µs per query | share |",
    "|---|---:|---:|",
    ...rows.map(
      (row) =>
        `| ${row.label} | ${row.micros.toFixed(0)} | ${((100 * row.micros) / whole).toFixed(0)} % |`,
    ),
    `| **in-process request** | **${whole.toFixed(0)}** | 100 % |`,
    "",
    `engine.search alone: ${µs("search").toFixed(0)} µs per query; with \`profile\`: ${µs("profiled").toFixed(0)} µs; the same code, "as shipped" below: ${µs("variant: as shipped").toFixed(0)} µs (their difference is this run's noise).`,
    "",
    "The same search with parts of the ranking taken away (engine.search, µs per query):",
    "",
    "| search | µs per query | against as shipped |",
    "|---|---:|---:|",
    ...variants.map(([name]) => {
      const value = µs(`variant: ${name}`);
      const shipped = µs("variant: as shipped");
      return `| ${name} | ${value.toFixed(0)} | ${(value / shipped).toFixed(2)}× |`;
    }),
  ];
  const report = lines.join("\n");
  console.log(report);
  if (out !== undefined) {
    writeFileSync(out, `# Where a query's time goes\n\n${report}\n`);
  }
}

main().catch((error: unknown) => {
  console.error(`steps bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
