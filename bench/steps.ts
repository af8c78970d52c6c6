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
// Each call is timed over blocks of up to 100 queries, every call in turn, each on a block of its
// own (call c on block t + c at turn t), until every call has read every block: the machine's
// drift falls on every call alike, and no call follows another on the same queries, whose
// typo look-ups it would find in the vocabulary's memo of recent ones (a real server finds
// there only the words recent queries shared). Each round covers every query; figures are
// the median round's mean per query. The socket's own cost (Node's HTTP parser, writes) is outside: bench:http
// measures requests whole. Below the steps, the same search with its re-ranking taken away:
// what it costs (neither is a setting to ship).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { LoupeEngine, openEngine } from "../src/search/engine.js";
import { DEFAULT_RANKING, type RankingParams } from "../src/search/execute.js";
import type { SearchProfile } from "../src/search/types.js";
import { createApp } from "../src/server/app.js";
import { searchAnswer } from "../src/server/search-answer.js";

async function queriesFor(source: string): Promise<string[]> {
  if (source === "littre") {
    const report = JSON.parse(
      readFileSync(join(import.meta.dirname, "results", "littre-scale.json"), "utf8"),
    ) as { shortQueries: string[] };
    return report.shortQueries;
  }
  const { loadBenchCorpus } = await import("./corpus.js");
  const { distinctQueries } = await import("./http.js");
  return distinctQueries(
    loadBenchCorpus().docs.map((doc) => doc.title),
    2000,
  );
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
  const queries = await queriesFor(values.queries);
  const indexDir = values.index ?? (await benchIndex());
  // The index built for this run goes when it ends; one given with --index stays.
  const built = values.index === undefined ? dirname(indexDir) : undefined;
  try {
    await measure(queries, indexDir, rounds, values.queries, values.out);
  } finally {
    if (built !== undefined) rmSync(built, { recursive: true, force: true });
  }
}

async function measure(
  queries: string[],
  indexDir: string,
  rounds: number,
  source: string,
  out: string | undefined,
): Promise<void> {
  const engine = await openEngine(indexDir);
  const { index } = engine;
  const app = createApp(engine, { answerCache: 0 });
  const urls = queries.map((q) => `http://localhost/api/search?q=${encodeURIComponent(q)}`);
  const noRerank: RankingParams = {
    ...DEFAULT_RANKING,
    learned: undefined,
    proximity: { ...DEFAULT_RANKING.proximity, weight: 0 },
  };
  // Per round, each profile step's milliseconds summed over every query.
  let stepSums: Record<string, number> = {};
  const stepRounds: Record<string, number[]> = {};
  const timed: Record<string, (block: readonly number[]) => Promise<void> | void> = {
    profiled: (block) => {
      for (const i of block) {
        const { profile } = engine.search(queries[i]!, { limit: 10, profile: true });
        for (const [step] of STEPS) stepSums[step] = (stepSums[step] ?? 0) + profile![step];
      }
    },
    search: (block) => {
      for (const i of block) engine.search(queries[i]!, { limit: 10 });
    },
    "search + answer": (block) => {
      for (const i of block) searchAnswer(engine.search(queries[i]!, { limit: 10 }));
    },
    "app.request": async (block) => {
      for (const i of block) await (await app.request(urls[i]!)).text();
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
      for (const i of block) variant.search(queries[i]!, { limit: 10 });
    };
  }

  // At least as many blocks as calls, so that no two calls read one block in the same turn.
  const BLOCK = Math.max(10, Math.min(100, Math.floor(queries.length / Object.keys(timed).length)));
  const blocks: number[][] = [];
  for (let from = 0; from < queries.length; from += BLOCK) {
    blocks.push(queries.slice(from, from + BLOCK).map((_, k) => from + k));
  }
  const everyQuery = queries.map((_, i) => i);
  // One untimed pass: V8 optimises every path before any is timed.
  for (const run of Object.values(timed)) await run(everyQuery);
  const names = Object.keys(timed);
  const samples: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    const spent: Record<string, number> = {};
    stepSums = {};
    for (let slot = 0; slot < blocks.length; slot++) {
      for (const [c, name] of names.entries()) {
        const block = blocks[(slot + c) % blocks.length]!;
        const started = performance.now();
        await timed[name]!(block);
        spent[name] = (spent[name] ?? 0) + performance.now() - started;
      }
    }
    for (const name of names) {
      const list = samples[name] ?? [];
      list.push((spent[name]! * 1000) / queries.length);
      samples[name] = list;
    }
    for (const [step] of STEPS) {
      const list = stepRounds[step] ?? [];
      list.push((stepSums[step]! * 1000) / queries.length);
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
    `${queries.length} queries (${source}), ${index.documents.size} documents, median of ${rounds} rounds, Node ${process.version}.`,
    "",
    "| step | µs per query | share |",
    "|---|---:|---:|",
    ...rows.map(
      (row) =>
        `| ${row.label} | ${row.micros.toFixed(0)} | ${((100 * row.micros) / whole).toFixed(0)} % |`,
    ),
    `| **in-process request** | **${whole.toFixed(0)}** | 100 % |`,
    "",
    `engine.search alone: ${µs("search").toFixed(0)} µs per query; with \`profile\`: ${µs("profiled").toFixed(0)} µs.`,
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
