// Scale benchmark on the Littré (issue 11): `npm run bench:scale [-- options]`
//
//   --fractions 0.1,0.25,0.5,1   slices measured (default; nested, in a fixed hash order)
//   --fraction 0.1               one slice only (a quick run)
//   --short 300 --phrases 30     query counts; --seed 11; --reps 1 (timed passes per set)
//   --warm-up 300                other short queries each engine runs first (default: --short)
//   --engines loupe,minisearch   which sides run (default both)
//   --out DIR                    → DIR/littre-scale.{md,json} (default bench/results, or
//                                bench/.work/scale when 100 % is not measured); --timeout 1200 s
//
// Prepares the Littré itself (bench/.data/littre, via the shared littre.sh) and, per slice,
// strictly one after another, each in its own process: `loupe index --force` (the CLI, wall
// time and peak RSS), loupe's load + queries (`openEngine`, no result cache, snippets built),
// MiniSearch + the French chain's read + build + JSON.stringify + write, and its loadJSON +
// search(). Phrase `total`s are checked against a brute-force count with loupe's analysis.
import { fork, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { directoryBytes } from "./metrics.js";
import {
  DATA_DIR,
  ensureLittre,
  ensureSlice,
  idOf,
  type Slice,
  sliceOrder,
} from "./scale/littre.js";
import { renderScaleReport, type ScaleReport, type SliceRun } from "./scale/report.js";
import type {
  LoupeQueryResult,
  MiniSearchBuildResult,
  MiniSearchQueryResult,
  PrepareResult,
  ScaleTask,
} from "./scale/worker.js";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
const WORKER = join(BENCH_DIR, "scale", "worker.ts");
const PEAK_RSS = join(BENCH_DIR, "scale", "peak-rss.mjs");
const LOUPE_BIN = join(ROOT, "bin", "loupe.js");
const WORK = join(DATA_DIR, "work");

function cli() {
  const { values } = parseArgs({
    options: {
      fraction: { type: "string" },
      fractions: { type: "string", default: "0.1,0.25,0.5,1" },
      short: { type: "string", default: "300" },
      phrases: { type: "string", default: "30" },
      "warm-up": { type: "string" },
      seed: { type: "string", default: "11" },
      reps: { type: "string", default: "1" },
      engines: { type: "string", default: "loupe,minisearch" },
      // Default: bench/results when the full corpus is measured, else bench/.work/ (ignored).
      out: { type: "string" },
      timeout: { type: "string", default: "1200" },
      // `npm run bench:scale` used to run bench/run.ts --scale; the flag is accepted and ignored.
      scale: { type: "boolean", default: false },
    },
    strict: true,
  });
  const fractions = (values.fraction ?? values.fractions)
    .split(",")
    .map(Number)
    .sort((a, b) => a - b);
  for (const f of fractions)
    if (!(f > 0 && f <= 1)) throw new Error(`--fractions: ${f} is not in (0, 1]`);
  const int = (name: string, raw: string) => {
    const n = Number(raw);
    if (!(Number.isInteger(n) && n >= 1)) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  // `minisearch-french` (bench/engines' name for the same peer) is accepted too.
  const engines = new Set(
    values.engines
      .split(",")
      .map((s) => (s.trim() === "minisearch-french" ? "minisearch" : s.trim())),
  );
  for (const e of engines)
    if (e !== "loupe" && e !== "minisearch")
      throw new Error(`--engines: unknown "${e}" (loupe, minisearch)`);
  return {
    fractions,
    short: int("short", values.short),
    phrases: int("phrases", values.phrases),
    warmUp: int("warm-up", values["warm-up"] ?? values.short),
    seed: int("seed", values.seed),
    reps: int("reps", values.reps),
    loupe: engines.has("loupe"),
    minisearch: engines.has("minisearch"),
    out:
      values.out ??
      (fractions.includes(1) ? join(BENCH_DIR, "results") : join(BENCH_DIR, ".work", "scale")),
    timeoutMs: int("timeout", values.timeout) * 1000,
  };
}

const clock = () => new Date().toISOString().slice(11, 19);
const log = (line: string) => process.stderr.write(`[${clock()}] ${line}\n`);

function runChild<T>(task: ScaleTask, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [JSON.stringify(task)], {
      execArgv: [...process.execArgv, "--expose-gc"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let message: unknown;
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("message", (m) => {
      message = m;
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (typeof message === "object" && message !== null && "ok" in message) {
        if (message.ok === true && "result" in message) return resolve(message.result as T);
        if ("error" in message) return reject(new Error(String(message.error)));
      }
      reject(
        new Error(`${task.kind}: child exited (code ${code}, signal ${signal}) without a result`),
      );
    });
  });
}

interface CliRun {
  seconds: number;
  peakRssMiB: number;
  stdout: string;
}

/** Runs the `loupe` command in a child of its own: wall time here, peak RSS from the preload. */
function runLoupe(args: string[], timeoutMs: number): Promise<CliRun> {
  mkdirSync(WORK, { recursive: true });
  const rssFile = join(WORK, `rss-${process.pid}.txt`);
  rmSync(rssFile, { force: true });
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ["--import", PEAK_RSS, LOUPE_BIN, ...args], {
      env: { ...process.env, LOUPE_BENCH_RSS: rssFile },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0)
        return reject(new Error(`loupe ${args.join(" ")}: exit ${code} signal ${signal}`));
      const kib = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) : Number.NaN;
      resolve({ seconds, peakRssMiB: kib / 1024, stdout });
    });
  });
}

const sliceBytes = (slice: Slice) =>
  slice.files.reduce((n, name) => n + statSync(join(slice.dir, name)).size, 0);

async function measureSlice(
  slice: Slice,
  prepared: PrepareResult,
  options: ReturnType<typeof cli>,
): Promise<SliceRun> {
  const pct = `${Math.round(slice.fraction * 1000) / 10} %`;
  const ids = new Set(slice.files.map(idOf));
  const run: SliceRun = {
    fraction: slice.fraction,
    docs: slice.files.length,
    bytes: sliceBytes(slice),
    expectedPhraseTotals: prepared.matches.map((m) => m.filter((id) => ids.has(id)).length),
    errors: [],
  };
  const attempt = async (what: string, step: () => Promise<void>) => {
    try {
      await step();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${pct} ${what} failed: ${message}`);
      run.errors.push(`${what}: ${message.split("\n")[0]}`);
    }
  };
  if (options.loupe) {
    const out = join(WORK, "loupe-index");
    rmSync(out, { recursive: true, force: true });
    await attempt("loupe index", async () => {
      log(`${pct}: loupe index (${slice.files.length} files)`);
      const cliRun = await runLoupe(
        ["index", "--force", "--json", "--input", slice.dir, "--out", out],
        options.timeoutMs,
      );
      run.loupeIndex = { ...cliRun, sizeMB: directoryBytes(out) / 1e6 };
      log(
        `${pct}: loupe index ${cliRun.seconds.toFixed(1)} s, peak RSS ${cliRun.peakRssMiB.toFixed(0)} MiB`,
      );
    });
    if (run.loupeIndex) {
      await attempt("loupe load + queries", async () => {
        log(`${pct}: loupe load + queries`);
        run.loupeQuery = await runChild<LoupeQueryResult>(
          {
            kind: "loupe-query",
            indexDir: out,
            short: prepared.short,
            phrases: prepared.phrases,
            warmUp: [...prepared.warmUp.short, ...prepared.warmUp.phrases],
            reps: options.reps,
          },
          options.timeoutMs,
        );
      });
    }
    rmSync(out, { recursive: true, force: true });
  }
  if (options.minisearch) {
    const file = join(WORK, "minisearch.json");
    await attempt("MiniSearch build", async () => {
      log(`${pct}: MiniSearch read + build + stringify + write`);
      run.miniSearchBuild = await runChild<MiniSearchBuildResult>(
        { kind: "minisearch-build", dir: slice.dir, out: file },
        options.timeoutMs,
      );
    });
    if (run.miniSearchBuild) {
      await attempt("MiniSearch load + queries", async () => {
        log(`${pct}: MiniSearch loadJSON + queries`);
        run.miniSearchQuery = await runChild<MiniSearchQueryResult>(
          {
            kind: "minisearch-query",
            file,
            short: prepared.short,
            warmUp: prepared.warmUp.short,
            reps: options.reps,
          },
          options.timeoutMs,
        );
      });
    }
    rmSync(file, { force: true });
  }
  return run;
}

async function main() {
  const options = cli();
  const started = performance.now();
  const loadAtStart = loadavg().map((l) => Number(l.toFixed(2)));
  log("preparing the Littré (bench/.data/littre)");
  const corpus = ensureLittre();
  const order = sliceOrder(corpus);
  const slices = options.fractions.map((f) => ensureSlice(order, f));
  // `bin/loupe.js` compiles src/ when dist/ is stale: done here, untimed, not inside a timing.
  if (options.loupe) await runLoupe(["--help"], options.timeoutMs);
  log("deriving queries and counting phrases by brute force");
  const prepared = await runChild<PrepareResult>(
    {
      kind: "prepare",
      corpus,
      largest: options.fractions.at(-1) ?? 1,
      smallest: options.fractions[0] ?? 1,
      shortCount: options.short,
      phraseCount: options.phrases,
      warmUpCount: options.warmUp,
      seed: options.seed,
    },
    options.timeoutMs,
  );
  const runs: SliceRun[] = [];
  for (const slice of slices) runs.push(await measureSlice(slice, prepared, options));
  const report: ScaleReport = {
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? "unknown",
      totalMemGiB: Number((totalmem() / 1024 ** 3).toFixed(1)),
      node: process.version,
      date: new Date().toISOString(),
      loadAtStart,
      loadAtEnd: loadavg().map((l) => Number(l.toFixed(2))),
    },
    corpusDocs: order.length,
    seed: options.seed,
    reps: options.reps,
    shortQueries: prepared.short,
    phrases: prepared.phrases,
    warmUpQueries: prepared.warmUp.short.length,
    prepareSeconds: prepared.seconds,
    runs,
    minutes: (performance.now() - started) / 60_000,
  };
  mkdirSync(options.out, { recursive: true });
  const name = "littre-scale";
  writeFileSync(join(options.out, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(options.out, `${name}.md`), renderScaleReport(report));
  log(`wrote ${join(options.out, `${name}.{md,json}`)} in ${report.minutes.toFixed(1)} min`);
  process.exitCode = runs.some((r) => r.errors.length > 0) ? 1 : 0;
}

await main();
