// Two builds of loupe alternated in one process over one index (`npm run bench:compare`):
// whether a change keeps every page, and what it costs, without the hour-to-hour drift of the
// shared machine (the same benchmark ran 2× slower two hours later). Usage:
//
//   git stash && npm run build && cp -r dist dist-before && git stash pop && npm run build
//   npm run bench:compare -- --before dist-before --index DIR [--queries littre|distinct|FILE]
//
// --before DIR   the other build's `dist` (the one checked out is `dist`), copied beside it at
//                the repository's root (`dist-*/` is ignored): it finds node_modules and
//                ../package.json from there
// --index DIR    an index both builds read (`loupe index --out DIR`)
// --queries      `littre`: the 300 short queries and 30 phrases of bench/results/littre-scale.json;
//                `distinct`: 2,000 distinct 1–3-word title queries of the benchmark corpus, as
//                bench:http sends them; or a JSON file holding an array of query strings
// --rounds 4     each round times before, after, after, before (the order's own bias cancels)
//
// Every query's page (ids, scores, snippets and title marks) and total are compared first; the
// times are the mean per query over the rounds. Two identical builds read as 0.85–1.05× apart
// on this machine (the wider spread with another process on the second core): a difference
// inside that is none.
import { readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

interface Engine {
  search(
    q: string,
    options: { limit: number },
  ): {
    total: number;
    hits: { id: string; score: number; snippet: unknown; titleMarks: unknown }[];
  };
}

const ROOT = resolve(import.meta.dirname, "..");

function queriesFrom(source: string): string[] {
  if (source === "littre") {
    const report = JSON.parse(
      readFileSync(join(ROOT, "bench/results/littre-scale.json"), "utf8"),
    ) as { shortQueries: string[]; phrases: string[] };
    return [...report.shortQueries, ...report.phrases];
  }
  const parsed: unknown = JSON.parse(readFileSync(source, "utf8"));
  if (!Array.isArray(parsed) || !parsed.every((q) => typeof q === "string")) {
    throw new Error(`--queries ${source}: expected a JSON array of query strings`);
  }
  return parsed;
}

async function distinctTitleQueries(): Promise<string[]> {
  const { loadBenchCorpus } = await import("./corpus.js");
  const { distinctQueries } = await import("./http.js");
  return distinctQueries(
    loadBenchCorpus().docs.map((doc) => doc.title),
    2000,
  );
}

async function engineFrom(dist: string, index: string): Promise<Engine> {
  const entry = pathToFileURL(join(dist, "search", "index.js")).href;
  try {
    const module = (await import(entry)) as { openEngine(dir: string): Promise<Engine> };
    return await module.openEngine(index);
  } catch (error) {
    throw new Error(
      `cannot open ${index} with the build in ${dist} (copy it beside dist/, at the repository's root): ${(error as Error).message}`,
    );
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      before: { type: "string" },
      index: { type: "string" },
      queries: { type: "string", default: "littre" },
      rounds: { type: "string", default: "4" },
    },
  });
  if (values.before === undefined || values.index === undefined) {
    throw new Error("--before DIR and --index DIR are required (see the top of this file)");
  }
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error("--rounds must be a positive integer");
  const absolute = (dir: string) => (isAbsolute(dir) ? dir : resolve(dir));
  const queries =
    values.queries === "distinct" ? await distinctTitleQueries() : queriesFrom(values.queries);
  const before = await engineFrom(absolute(values.before), absolute(values.index));
  const after = await engineFrom(join(ROOT, "dist"), absolute(values.index));

  let differ = 0;
  for (const q of queries) {
    const a = before.search(q, { limit: 10 });
    const b = after.search(q, { limit: 10 });
    const page = (r: typeof a) =>
      JSON.stringify([r.total, r.hits.map((h) => [h.id, h.score, h.snippet, h.titleMarks])]);
    if (page(a) !== page(b)) {
      differ++;
      if (differ <= 5) console.log(`differs: ${q}`);
    }
  }
  const time = (engine: Engine) => {
    const t0 = performance.now();
    for (const q of queries) engine.search(q, { limit: 10 });
    return performance.now() - t0;
  };
  time(before);
  time(after);
  let a = 0;
  let b = 0;
  for (let r = 0; r < rounds; r++) {
    a += time(before);
    b += time(after);
    b += time(after);
    a += time(before);
  }
  const per = (ms: number) => (ms / (2 * rounds) / queries.length).toFixed(3);
  console.log(
    `${queries.length} queries, ${differ} pages differ; before ${per(a)} ms/query, after ${per(b)} (${(b / a).toFixed(3)}×)`,
  );
  if (differ > 0) process.exitCode = 1;
}

await main();
