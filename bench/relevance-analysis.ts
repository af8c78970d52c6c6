/**
 * Relevance of analysis-chain variants, quickly: the full benchmark corpus indexed in memory,
 * then MRR@10 on the train known-item queries (what variants are compared on) and on the dev
 * set (reported, never tuned on), per source.
 *
 *   npx tsx bench/relevance-analysis.ts [--variant NAME]... [--sets train,dev] [--json FILE]
 *
 * Each variant runs in its own process (spawned from here), since the analysis chain in use and
 * its per-word cache are process-wide.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ANALYSIS_VARIANTS, useVariant } from "./analysis-variants.js";
import { type BenchQuery, ensureCorpus, loadBenchCorpus } from "./corpus.js";
import { createLoupe } from "./engines/loupe.js";
import { type Judged, type Relevance, rankOf, relevance } from "./metrics.js";

const TRAIN = fileURLToPath(
  new URL("../../shared/bench-corpus/known-items-train.tsv", import.meta.url),
);

function trainQueries(): BenchQuery[] {
  // The train file lives outside the repository (shared data); ../shared from the worktree.
  const path = process.env.LOUPE_TRAIN ?? TRAIN;
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [query, file] = line.split("\t");
      if (!query || !file) throw new Error(`${path}: bad line ${JSON.stringify(line)}`);
      const id = file.trim().replace(/\.txt$/, "");
      return { query: query.trim(), id, source: id.startsWith("man-") ? "man" : "sp" };
    });
}

export interface VariantResult {
  variant: string;
  fingerprint: string;
  buildSeconds: number;
  sets: Record<string, Relevance & { seconds: number }>;
  /** Per set, the rank of each query's target (0 when not in the top 10), in file order. */
  ranks: Record<string, number[]>;
}

function runOne(variant: string, sets: readonly string[]): VariantResult {
  const fingerprint = useVariant(variant);
  const corpus = loadBenchCorpus();
  const engine = createLoupe();
  const t0 = performance.now();
  engine.build(corpus.docs);
  const buildSeconds = (performance.now() - t0) / 1000;
  const result: VariantResult = { variant, fingerprint, buildSeconds, sets: {}, ranks: {} };
  for (const set of sets) {
    const queries = set === "dev" ? corpus.queries : trainQueries();
    const t1 = performance.now();
    const judged: Judged[] = queries.map((q) => ({
      source: q.source,
      rank: rankOf(engine.search(q.query, 10) as string[], q.id),
    }));
    result.sets[set] = { ...relevance(judged), seconds: (performance.now() - t1) / 1000 };
    result.ranks[set] = judged.map((j) => j.rank ?? 0);
  }
  return result;
}

function format(r: VariantResult): string {
  const lines = [
    `${r.variant} (fingerprint ${r.fingerprint}, build ${r.buildSeconds.toFixed(1)} s)`,
  ];
  for (const [set, rel] of Object.entries(r.sets)) {
    const f = (x: number) => x.toFixed(4);
    lines.push(
      `  ${set.padEnd(5)} MRR@10 ${f(rel.overall.mrr10)} (n ${rel.overall.queries})  ` +
        `sp ${f(rel.sp.mrr10)} (n ${rel.sp.queries})  man ${f(rel.man.mrr10)} (n ${rel.man.queries})  ` +
        `s@1 ${f(rel.overall.success1)} s@10 ${f(rel.overall.success10)}  [${rel.seconds.toFixed(1)} s]`,
    );
  }
  return lines.join("\n");
}

const rr = (rank: number): number => (rank > 0 ? 1 / rank : 0);

/**
 * The MRR@10 difference of `other` over `base` per set, with a 95 % paired bootstrap interval
 * (2,000 resamples of the queries, a fixed seed) and the queries that got better or worse.
 */
function paired(base: VariantResult, other: VariantResult): string {
  const lines = [`${other.variant} − ${base.variant}:`];
  for (const set of Object.keys(base.ranks)) {
    const a = base.ranks[set] ?? [];
    const b = other.ranks[set] ?? [];
    const diffs = a.map((rank, i) => rr(b[i] ?? 0) - rr(rank));
    const mean = diffs.reduce((x, y) => x + y, 0) / diffs.length;
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const means: number[] = [];
    for (let r = 0; r < 2000; r++) {
      let sum = 0;
      for (let i = 0; i < diffs.length; i++) sum += diffs[Math.floor(random() * diffs.length)]!;
      means.push(sum / diffs.length);
    }
    means.sort((x, y) => x - y);
    const better = diffs.filter((d) => d > 0).length;
    const worse = diffs.filter((d) => d < 0).length;
    lines.push(
      `  ${set.padEnd(5)} ΔMRR@10 ${mean >= 0 ? "+" : ""}${mean.toFixed(4)} ` +
        `[${means[50]!.toFixed(4)}, ${means[1949]!.toFixed(4)}]  better ${better}, worse ${worse}`,
    );
  }
  return lines.join("\n");
}

function main(): void {
  const args = process.argv.slice(2);
  const variants: string[] = [];
  let sets = ["train", "dev"];
  let json: string | undefined;
  let child = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--variant") variants.push(args[++i] ?? "");
    else if (a === "--sets") sets = (args[++i] ?? "").split(",");
    else if (a === "--json") json = args[++i];
    else if (a === "--child") child = true;
    else if (a === "--list") {
      for (const [name, v] of Object.entries(ANALYSIS_VARIANTS))
        console.log(`${name}: ${v.description}`);
      return;
    } else throw new Error(`unknown argument ${a}`);
  }
  if (variants.length === 0) variants.push("default");
  for (const v of variants)
    if (!(v in ANALYSIS_VARIANTS)) throw new Error(`unknown variant ${v} (see --list)`);

  if (child) {
    const [variant] = variants;
    process.stdout.write(`${JSON.stringify(runOne(variant as string, sets))}\n`);
    return;
  }
  ensureCorpus();
  const results: VariantResult[] = [];
  const self = fileURLToPath(import.meta.url);
  for (const variant of variants) {
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, self, "--child", "--variant", variant, "--sets", sets.join(",")],
      { encoding: "utf8", maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "inherit"] },
    );
    if (run.status !== 0) throw new Error(`variant ${variant} failed (exit ${run.status})`);
    const result = JSON.parse(run.stdout.trim().split("\n").at(-1) as string) as VariantResult;
    results.push(result);
    console.log(format(result));
  }
  const [base, ...others] = results;
  for (const other of others) if (base !== undefined) console.log(paired(base, other));
  if (json !== undefined) writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
}

main();
