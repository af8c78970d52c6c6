// Benchmark runner: `npx tsx bench/run.ts [--quick] [--engines a,b] [--parts p,q]
//   [--scale [0.1,0.25,0.5,1]] [--reps N] [--out DIR] [--no-persist] [--timeout SECONDS] [--report-only]`
//
// Without --scale, one run measures every part (`--parts` picks some):
//   analysis  loupe's chain (MB/s, tokens/s) and its stemmer beside snowball-stemmer.jsx;
//   engines   every engine on the full corpus: build, memory, persistence, relevance, latency;
//   scale     loupe alone on 10/25/50 % slices (100 % is the engines run), charted by size;
//   http      /api/search under autocannon beside a bare Hono route (bench/http.ts).
// → bench/results/latest.{md,json} and SVG charts (--quick: a small slice, bench/.work/quick/).
// With --scale, only the engines named run on every slice → scale.{md,json} + scale-*.svg.
// --report-only re-renders latest.md (or scale.md with --scale) and the charts from the JSON.
//
// Each (engine, slice) and the analysis run in their own child process so peak RSS and JIT
// state are their own, and everything runs strictly one after another so nothing competes for
// the CPU. Exits 1 when any part failed (a child crashed or timed out, persistence threw, the
// HTTP bench failed or had failed requests), whatever the timings.
import { execFileSync, fork } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem, type } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { AnalysisRun, AnalysisTask } from "./analysis.js";
import { ensureCorpus } from "./corpus.js";
import { engines, findEngine } from "./engines/index.js";
import type { HttpBenchResult } from "./http.js";
import {
  type EngineRun,
  type MeasureTask,
  QUERY_SETS,
  type QuerySet,
  SETTLE_MS,
} from "./measure.js";
import { barChart, type LineSeries, lineChart } from "./svg.js";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const WORKER = join(BENCH_DIR, "worker.ts");

/** Quick mode: a slice that still holds every kept query's target. */
const QUICK = { limit: 300, queries: 30, shortQueries: 30, reps: 1, analysisPasses: 2 };
// One timed pass: it sees each query for the first time (a second would time repeats, which
// loupe's caches answer cheaper than a server's new queries); 300 title queries of each kind.
const FULL = { shortQueries: 300, reps: 1, analysisPasses: 3 };
const DEFAULT_FRACTIONS = [0.1, 0.25, 0.5, 1];
/** The engine measured across slices in a full run (the peers only on the full corpus). */
const SCALE_ENGINE = "loupe";
const PARTS = ["analysis", "engines", "scale", "http"] as const;
type Part = (typeof PARTS)[number];

interface RunRecord {
  fraction: number;
  run?: EngineRun;
  engine: string;
  error?: string;
}

function parseCli() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      engines: { type: "string" },
      parts: { type: "string" },
      scale: { type: "string" },
      reps: { type: "string" },
      out: { type: "string" },
      "no-persist": { type: "boolean", default: false },
      "report-only": { type: "boolean", default: false },
      timeout: { type: "string" },
      help: { type: "boolean", default: false },
    },
    // `--scale` alone means the default series; parseArgs needs a value, so map it below.
    args: process.argv.slice(2).flatMap((a, i, all) => {
      const next = all[i + 1];
      return a === "--scale" && (next === undefined || next.startsWith("--"))
        ? ["--scale=default"]
        : [a];
    }),
    strict: true,
  });
  if (values.help) {
    console.log(
      "usage: npx tsx bench/run.ts [--quick] [--engines a,b] [--parts p,q] [--scale [f1,f2,...]]\n" +
        "       [--reps N] [--out DIR] [--no-persist] [--timeout SECONDS] [--report-only]\n" +
        `engines: ${engines.map((e) => e.name).join(", ")}\n` +
        `parts (without --scale): ${PARTS.join(", ")} (default: all)`,
    );
    process.exit(0);
  }
  const names = values.engines
    ? values.engines.split(",").map((s) => s.trim())
    : engines.map((e) => e.name);
  for (const n of names) findEngine(n);
  const scaleMode = values.scale !== undefined;
  const fractions =
    values.scale === undefined || values.scale === "default"
      ? DEFAULT_FRACTIONS
      : values.scale.split(",").map(Number);
  for (const f of fractions) if (!(f > 0 && f <= 1)) throw new Error(`bad scale fraction ${f}`);
  const parts = values.parts
    ? values.parts.split(",").map((s) => s.trim())
    : scaleMode
      ? ["engines"]
      : [...PARTS];
  for (const p of parts) {
    if (!(PARTS as readonly string[]).includes(p))
      throw new Error(`unknown part "${p}"; known: ${PARTS.join(", ")}`);
  }
  const reps = values.reps ? Number(values.reps) : values.quick ? QUICK.reps : FULL.reps;
  if (!(Number.isInteger(reps) && reps >= 1)) throw new Error(`--reps must be a positive integer`);
  const out =
    values.out ?? (values.quick ? join(BENCH_DIR, ".work", "quick") : join(BENCH_DIR, "results"));
  return {
    quick: values.quick,
    names,
    parts: parts as Part[],
    fractions,
    reps,
    scaleMode,
    out,
    persist: !values["no-persist"],
    reportOnly: values["report-only"],
    timeoutMs: (values.timeout ? Number(values.timeout) : values.quick ? 120 : 900) * 1000,
  };
}

function runChild<T>(task: MeasureTask | AnalysisTask, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [JSON.stringify(task)], {
      // Inherit tsx's loader flags; --expose-gc lets the child measure retained heap.
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
        new Error(
          signal === "SIGKILL"
            ? `timed out after ${timeoutMs / 1000} s`
            : `child exited (code ${code}, signal ${signal}) without a result`,
        ),
      );
    });
  });
}

/**
 * A digest of every file under src/: the commit says nothing of uncommitted edits, and on a
 * shared checkout the code under test can change while a run is under way.
 */
function srcDigest(): string {
  const root = join(BENCH_DIR, "..", "src");
  const hash = createHash("sha256");
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const file of files) hash.update(`${relative(root, file)}\0`).update(readFileSync(file));
  return hash.digest("hex").slice(0, 12);
}

function machine() {
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: BENCH_DIR,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    // Not a git checkout (e.g. a tarball): the report just says so.
  }
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    totalMemGiB: Number((totalmem() / 1024 ** 3).toFixed(1)),
    os: `${type()} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
    commit,
    srcDigest: srcDigest(),
    // Other work on a shared machine skews timings; the 1-minute load says whether it did.
    loadAtStart: Number(loadavg()[0]?.toFixed(2)),
  };
}

const fin = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);
const f = (v: number | undefined, d = 2) => (fin(v) ? v.toFixed(d) : "–");
const ms = (v: number | undefined) =>
  !fin(v) ? "–" : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
/** Wall-clock time on progress lines: on a shared checkout, says which code a part ran on. */
const clock = () => new Date().toISOString().slice(11, 19);
const pct = (v: number | undefined) => (fin(v) ? `${(v * 100).toFixed(0)} %` : "–");
const millions = (v: number | undefined) => (fin(v) ? `${(v / 1e6).toFixed(2)} M` : "–");

function table(headers: string[], rows: string[][]): string {
  const align = headers.map((_, i) => (i === 0 ? ":--" : "--:"));
  return [headers, align, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

type OkRecord = RunRecord & { run: EngineRun };
const okRecords = (records: RunRecord[]) =>
  records.filter((r): r is OkRecord => r.run !== undefined);

/** Source MB of a run, to read the index size against. */
const rawMB = (run: EngineRun) => run.bytes / 1e6;

/** Rebuild time over load time of the persisted index (how much faster loading is). */
function loadSpeedup(run: EngineRun): number {
  const load = run.persist?.loadMs;
  return fin(load) && load > 0 ? (run.build.seconds * 1000) / load : Number.NaN;
}

function indexSize(run: EngineRun): string {
  const size = run.persist?.sizeMB;
  return fin(size) ? `${size.toFixed(1)} (${(size / rawMB(run)).toFixed(2)}×)` : "–";
}

const MAIN_HEADERS = [
  "engine",
  "build s",
  "MB/s",
  "peak RSS MiB",
  "index MB (× raw)",
  "load ms",
  "MRR@10",
  "MRR sp",
  "MRR man",
  "s@1",
  "s@10",
  "short p50 ms",
  "short p99 ms",
  "long p50 ms",
  "long p99 ms",
];

function mainTable(records: RunRecord[]): string {
  return table(
    MAIN_HEADERS,
    records.map((r) => {
      const x = r.run;
      if (!x)
        return [
          r.engine,
          `failed: ${r.error?.split("\n")[0] ?? "?"}`,
          ...Array(MAIN_HEADERS.length - 2).fill(""),
        ];
      return [
        r.engine,
        f(x.build.seconds),
        f(x.build.mbPerSec, 1),
        f(x.build.peakRssMiB, 0),
        indexSize(x),
        ms(x.persist?.loadMs),
        f(x.relevance.overall.mrr10, 3),
        f(x.relevance.sp.mrr10, 3),
        f(x.relevance.man.mrr10, 3),
        f(x.relevance.overall.success1, 3),
        f(x.relevance.overall.success10, 3),
        ms(x.latency.short.p50),
        ms(x.latency.short.p99),
        ms(x.latency.long.p50),
        ms(x.latency.long.p99),
      ];
    }),
  );
}

const SET_LABELS: Record<QuerySet, string> = {
  single: "single word",
  multi: "2–3 words",
  short: "short (1–3 words)",
  long: "long (known-item)",
  phrase: '"phrase"',
  prefix: "prefix",
  typo: "typo",
};

/** p50 / p99 of every query set, one row per engine. */
function setsPivot(records: RunRecord[]): string {
  const ok = okRecords(records).filter((r) => r.run.latency.sets);
  if (ok.length === 0) return "(not measured)";
  const sets = QUERY_SETS.filter((s) => s !== "short");
  return table(
    ["engine", ...sets.map((s) => `${SET_LABELS[s]} p50 / p99`)],
    ok.map(({ engine, run }) => [
      engine,
      ...sets.map((s) => {
        const x = run.latency.sets?.[s];
        return x ? `${ms(x.p50)} / ${ms(x.p99)}` : "–";
      }),
    ]),
  );
}

function detailTables(records: RunRecord[]): string {
  const ok = okRecords(records);
  const rel = table(
    [
      "engine",
      "queries",
      "MRR@10",
      "s@1",
      "s@10",
      "sp n",
      "sp MRR",
      "sp s@1",
      "sp s@10",
      "man n",
      "man MRR",
      "man s@1",
      "man s@10",
    ],
    ok.map(({ engine, run: { relevance: v } }) => [
      engine,
      String(v.overall.queries),
      f(v.overall.mrr10, 3),
      f(v.overall.success1, 3),
      f(v.overall.success10, 3),
      String(v.sp.queries),
      f(v.sp.mrr10, 3),
      f(v.sp.success1, 3),
      f(v.sp.success10, 3),
      String(v.man.queries),
      f(v.man.mrr10, 3),
      f(v.man.success1, 3),
      f(v.man.success10, 3),
    ]),
  );
  const lat = table(
    ["engine", "set", "queries", "answered", "samples", "mean", "p50", "p95", "p99", "max"],
    ok.flatMap(({ engine, run }) => {
      const sets = run.latency.sets;
      if (!sets) {
        return (["short", "long"] as const).map((set) => {
          const s = run.latency[set];
          return [
            engine,
            set,
            "",
            "",
            String(s.samples),
            ms(s.mean),
            ms(s.p50),
            ms(s.p95),
            ms(s.p99),
            ms(s.max),
          ];
        });
      }
      return QUERY_SETS.map((set) => {
        const s = sets[set];
        return [
          engine,
          SET_LABELS[set],
          String(s.queries),
          pct(s.answered),
          String(s.samples),
          ms(s.mean),
          ms(s.p50),
          ms(s.p95),
          ms(s.p99),
          ms(s.max),
        ];
      });
    }),
  );
  const mem = table(
    [
      "engine",
      "docs",
      "MB",
      "build s",
      "baseline RSS MiB",
      "peak RSS MiB",
      "peak heap MiB",
      "heap Δ MiB",
    ],
    ok.map(({ engine, run }) => [
      engine,
      String(run.docs),
      f(rawMB(run), 1),
      f(run.build.seconds),
      f(run.build.baselineRssMiB, 0),
      f(run.build.peakRssMiB, 0),
      f(run.build.peakHeapMiB, 0),
      f(run.build.heapDeltaMiB, 0),
    ]),
  );
  const persisted = ok.filter((r) => r.run.persist);
  const per = persisted.length
    ? table(
        [
          "engine",
          "serialize ms",
          "size MB",
          "size / raw text",
          "load ms",
          "build ÷ load",
          "same top 10 after load",
        ],
        persisted.map(({ engine, run }) =>
          run.persist?.error
            ? [engine, `failed: ${run.persist.error.split("\n")[0]}`, "", "", "", "", ""]
            : [
                engine,
                ms(run.persist?.serializeMs),
                f(run.persist?.sizeMB, 1),
                fin(run.persist?.sizeMB) ? `${(run.persist.sizeMB / rawMB(run)).toFixed(2)}×` : "–",
                ms(run.persist?.loadMs),
                `${f(loadSpeedup(run), 1)}×`,
                run.persist?.identical ? "yes" : "no",
              ],
        ),
      )
    : "(not measured)";
  return [
    "## Relevance (known-item dev queries)",
    "",
    rel,
    "",
    "## Latency by query set (ms per query, top 10)",
    "",
    "`answered` is the share of the set's queries that got at least one hit.",
    "",
    lat,
    "",
    "## Build and memory",
    "",
    mem,
    "",
    "## Persistence (serialize, then load into a fresh index)",
    "",
    per,
  ].join("\n");
}

function writeCharts(out: string, records: RunRecord[], prefix: string): string[] {
  const ok = okRecords(records);
  const names = ok.map((r) => r.engine);
  const files: [string, string][] = [
    [
      `${prefix}mrr.svg`,
      barChart({
        title: "MRR@10 on the known-item dev queries",
        unit: "MRR@10",
        categories: names,
        digits: 3,
        series: [
          { name: "overall", values: ok.map((r) => r.run.relevance.overall.mrr10) },
          { name: "fact sheets (sp)", values: ok.map((r) => r.run.relevance.sp.mrr10) },
          { name: "man pages", values: ok.map((r) => r.run.relevance.man.mrr10) },
        ],
      }),
    ],
    [
      `${prefix}latency-short.svg`,
      barChart({
        title: "Short queries (1–3 title words): latency",
        unit: "ms",
        categories: names,
        series: [
          { name: "p50", values: ok.map((r) => r.run.latency.short.p50) },
          { name: "p99", values: ok.map((r) => r.run.latency.short.p99) },
        ],
      }),
    ],
    [
      `${prefix}latency-long.svg`,
      barChart({
        title: "Long queries (known-item, ~7–20 words): latency",
        unit: "ms",
        categories: names,
        series: [
          { name: "p50", values: ok.map((r) => r.run.latency.long.p50) },
          { name: "p99", values: ok.map((r) => r.run.latency.long.p99) },
        ],
      }),
    ],
    [
      `${prefix}build.svg`,
      barChart({
        title: "Build time",
        unit: "s",
        categories: names,
        series: [{ name: "build", values: ok.map((r) => r.run.build.seconds) }],
      }),
    ],
    [
      `${prefix}memory.svg`,
      barChart({
        title: "Peak RSS at end of build (own process, corpus included)",
        unit: "MiB",
        categories: names,
        digits: 0,
        series: [
          { name: "peak RSS", values: ok.map((r) => r.run.build.peakRssMiB) },
          { name: "baseline RSS", values: ok.map((r) => r.run.build.baselineRssMiB) },
          { name: "peak heap", values: ok.map((r) => r.run.build.peakHeapMiB ?? Number.NaN) },
        ],
      }),
    ],
  ];
  if (ok.some((r) => r.run.latency.sets)) {
    const sets = QUERY_SETS.filter((s) => s !== "short");
    files.push([
      `${prefix}latency-sets.svg`,
      barChart({
        title: "Median latency by query set",
        unit: "ms (p50)",
        digits: 1,
        categories: names,
        series: sets.map((s) => ({
          name: SET_LABELS[s],
          values: ok.map((r) => r.run.latency.sets?.[s].p50 ?? Number.NaN),
        })),
      }),
    ]);
  }
  for (const [name, svg] of files) writeFileSync(join(out, name), svg);
  return files.map(([name]) => name);
}

/**
 * Charts against corpus size. One engine: one line per measure (p50/p99, RSS/heap); several
 * engines (--scale): one line per engine.
 */
function writeScaleCharts(out: string, records: RunRecord[]): string[] {
  const byEngine = new Map<string, EngineRun[]>();
  for (const r of records)
    if (r.run) byEngine.set(r.engine, [...(byEngine.get(r.engine) ?? []), r.run]);
  const perEngine = (pick: (run: EngineRun) => number): LineSeries[] =>
    [...byEngine].map(([name, runs]) => ({
      name,
      points: runs.map((run): [number, number] => [rawMB(run), pick(run)]),
    }));
  const only = byEngine.size === 1 ? [...byEngine][0] : undefined;
  const perMeasure = (measures: [string, (run: EngineRun) => number][]): LineSeries[] =>
    measures.map(([name, pick]) => ({
      name,
      points: (only?.[1] ?? []).map((run): [number, number] => [rawMB(run), pick(run)]),
    }));
  const who = only ? `${only[0]}: ` : "";
  const files: [string, string][] = only
    ? [
        [
          "scale-latency.svg",
          lineChart({
            title: `${who}query latency vs corpus size`,
            xLabel: "corpus MB",
            yLabel: "ms per query",
            series: perMeasure([
              ["short p50", (r) => r.latency.short.p50],
              ["short p99", (r) => r.latency.short.p99],
              ["long p50", (r) => r.latency.long.p50],
              ["long p99", (r) => r.latency.long.p99],
            ]),
          }),
        ],
        [
          "scale-memory.svg",
          lineChart({
            title: `${who}memory vs corpus size`,
            xLabel: "corpus MB",
            yLabel: "MiB",
            series: perMeasure([
              ["peak RSS", (r) => r.build.peakRssMiB],
              ["peak heap (build)", (r) => r.build.peakHeapMiB ?? Number.NaN],
              ["heap retained (index)", (r) => r.build.heapDeltaMiB],
            ]),
          }),
        ],
        [
          "scale-build.svg",
          lineChart({
            title: `${who}build and load time vs corpus size`,
            xLabel: "corpus MB",
            yLabel: "s",
            series: perMeasure([
              ["build", (r) => r.build.seconds],
              ["load persisted index", (r) => (r.persist?.loadMs ?? Number.NaN) / 1000],
            ]),
          }),
        ],
      ]
    : [
        [
          "scale-build.svg",
          lineChart({
            title: "Build time vs corpus size",
            xLabel: "corpus MB",
            yLabel: "build s",
            series: perEngine((r) => r.build.seconds),
          }),
        ],
        [
          "scale-rss.svg",
          lineChart({
            title: "Peak RSS vs corpus size",
            xLabel: "corpus MB",
            yLabel: "peak RSS MiB",
            series: perEngine((r) => r.build.peakRssMiB),
          }),
        ],
        [
          "scale-latency-long.svg",
          lineChart({
            title: "Long-query p50 vs corpus size",
            xLabel: "corpus MB",
            yLabel: "ms",
            series: perEngine((r) => r.latency.long.p50),
          }),
        ],
        [
          "scale-latency-short.svg",
          lineChart({
            title: "Short-query p50 vs corpus size",
            xLabel: "corpus MB",
            yLabel: "ms",
            series: perEngine((r) => r.latency.short.p50),
          }),
        ],
        [
          "scale-mrr.svg",
          lineChart({
            title: "MRR@10 vs corpus size (slices keep every target)",
            xLabel: "corpus MB",
            yLabel: "MRR@10",
            series: perEngine((r) => r.relevance.overall.mrr10),
          }),
        ],
      ];
  for (const [name, svg] of files) writeFileSync(join(out, name), svg);
  return files.map(([name]) => name);
}

function scaleTable(records: RunRecord[]): string {
  return table(
    [
      "engine",
      "fraction",
      "docs",
      "MB",
      "build s",
      "MB/s",
      "peak RSS MiB",
      "peak heap MiB",
      "heap Δ MiB",
      "load ms",
      "MRR@10",
      "short p50",
      "short p99",
      "long p50",
      "long p99",
    ],
    records.map((r) =>
      r.run
        ? [
            r.engine,
            String(r.fraction),
            String(r.run.docs),
            f(rawMB(r.run), 1),
            f(r.run.build.seconds),
            f(r.run.build.mbPerSec, 1),
            f(r.run.build.peakRssMiB, 0),
            f(r.run.build.peakHeapMiB, 0),
            f(r.run.build.heapDeltaMiB, 0),
            ms(r.run.persist?.loadMs),
            f(r.run.relevance.overall.mrr10, 3),
            ms(r.run.latency.short.p50),
            ms(r.run.latency.short.p99),
            ms(r.run.latency.long.p50),
            ms(r.run.latency.long.p99),
          ]
        : [
            r.engine,
            String(r.fraction),
            `failed: ${r.error?.split("\n")[0] ?? "?"}`,
            ...Array(12).fill(""),
          ],
    ),
  );
}

function analysisSection(a: AnalysisRun | undefined, error: string | undefined): string[] {
  if (error) return ["## Analysis chain and stemmer", "", `failed: ${error.split("\n")[0]}`, ""];
  if (!a) return [];
  const s = a.stemmer;
  return [
    "## Analysis chain and stemmer",
    "",
    `\`analyze(text, { keepStopwords: true })\` (as indexing calls it) over the titles and bodies of ${a.docs} documents ` +
      `(${(a.bytes / 1e6).toFixed(1)} MB, ${a.tokens.toLocaleString("en")} tokens per pass):`,
    "",
    table(
      ["pass", "seconds", "MB/s", "tokens/s"],
      [
        [
          "cold (first pass, fresh process, empty word cache)",
          f(a.cold.seconds, 3),
          f(a.cold.mbPerSec, 1),
          millions(a.cold.tokensPerSec),
        ],
        [
          `warm (median of ${a.warmPasses}, words cached)`,
          f(a.warm.seconds, 3),
          f(a.warm.mbPerSec, 1),
          millions(a.warm.tokensPerSec),
        ],
      ],
    ),
    "",
    `Stemmer over Snowball's French reference vocabulary (21,655 words, median of ${s.rounds} rounds): ` +
      `loupe \`stem()\` ${millions(s.loupeWordsPerSec)} words/s, snowball-stemmer.jsx ${millions(s.peerWordsPerSec)} words/s ` +
      `(its memo table bypassed), ${f(s.loupeWordsPerSec / s.peerWordsPerSec, 2)}× ; ` +
      `snowball-stemmer.jsx agrees with the current algorithm on ${(s.peerAgreement * 100).toFixed(2)} % of the words, loupe on 100 % (tested).`,
    "",
  ];
}

function httpSection(
  h: HttpBenchResult | undefined,
  error: string | undefined,
  formatted: string | undefined,
) {
  if (error) return ["## HTTP", "", `failed: ${error.split("\n")[0]}`, ""];
  if (!h) return [];
  return [
    "## HTTP: /api/search beside a bare Hono route (autocannon, 127.0.0.1)",
    "",
    "loupe's whole app (every middleware, validation, ETag, the engine over an index of `seeds/`, " +
      "snippets) against a bare Hono route answering a fixed 5 KB JSON body, one server child process, " +
      "autocannon in the runner; no Accept-Encoding, so nothing is compressed. As `npm start` serves it, the app keeps " +
      "the answers it sent by ETag (`createApp`'s `answerCache`) and its engine its recent results " +
      `(\`openEngine\`'s default); the ${h.queries} queries rotate, so \`/api/search\` answers from the first of ` +
      "those caches after the first round (still passing request id, security headers, compression check and ETag). " +
      "`/api/search uncached` is the same app with both caches off, where every request is validated, runs the " +
      "search, builds its snippets and is serialised.",
    "",
    formatted ?? "",
    "",
  ];
}

interface Goal {
  goal: string;
  measured: string;
  met: boolean | undefined;
}

/** The project's goals, read from a full run (a quick slice only shows the arithmetic). */
function goals(main: RunRecord[], http: HttpBenchResult | undefined): Goal[] {
  const loupe = main.find((r) => r.engine === SCALE_ENGINE)?.run;
  if (!loupe) return [];
  const peers = okRecords(main).filter((r) => r.engine !== SCALE_ENGINE);
  const best = peers.reduce<OkRecord | undefined>(
    (b, r) => (!b || r.run.relevance.overall.mrr10 > b.run.relevance.overall.mrr10 ? r : b),
    undefined,
  );
  const mrr = loupe.relevance.overall.mrr10;
  const ms0 = main.find((r) => r.engine === "minisearch-defaults")?.run;
  const check = (v: number, ok: boolean) => (fin(v) ? ok : undefined);
  const out: Goal[] = [
    {
      goal: "MRR@10 ≥ 0.80",
      measured: f(mrr, 3),
      met: check(mrr, mrr >= 0.8),
    },
    {
      goal: "MRR@10 above every peer",
      measured: best
        ? `${f(mrr, 3)} vs ${best.engine} ${f(best.run.relevance.overall.mrr10, 3)}`
        : "no peer measured",
      met: best ? mrr > best.run.relevance.overall.mrr10 : undefined,
    },
    {
      goal: "short p50 < 1 ms",
      measured: `${ms(loupe.latency.short.p50)} ms`,
      met: check(loupe.latency.short.p50, loupe.latency.short.p50 < 1),
    },
    {
      goal: "short p99 < 5 ms",
      measured: `${ms(loupe.latency.short.p99)} ms`,
      met: check(loupe.latency.short.p99, loupe.latency.short.p99 < 5),
    },
    {
      goal: "long p50 < 10 ms",
      measured: `${ms(loupe.latency.long.p50)} ms`,
      met: check(loupe.latency.long.p50, loupe.latency.long.p50 < 10),
    },
    {
      goal: "long p99 < 40 ms",
      measured: `${ms(loupe.latency.long.p99)} ms`,
      met: check(loupe.latency.long.p99, loupe.latency.long.p99 < 40),
    },
  ];
  if (ms0) {
    const ratio = loupe.build.seconds / ms0.build.seconds;
    out.push({
      goal: "indexing within 2× of MiniSearch defaults",
      measured: `${f(loupe.build.seconds)} s vs ${f(ms0.build.seconds)} s (${f(ratio)}×)`,
      met: check(ratio, ratio <= 2),
    });
  }
  const speedup = loadSpeedup(loupe);
  out.push({
    goal: "load ≥ 5× faster than rebuild",
    measured: `build ${f(loupe.build.seconds)} s ÷ load ${f((loupe.persist?.loadMs ?? Number.NaN) / 1000)} s = ${f(speedup, 2)}×`,
    met: check(speedup, speedup >= 5),
  });
  if (http) {
    out.push({
      goal: "HTTP /api/search ≥ half the bare route's req/s (as served: the answer cache on)",
      measured: `${http.search.requestsPerSec.toFixed(0)} vs ${http.bare.requestsPerSec.toFixed(0)} req/s (${f(http.ratio, 3)})`,
      met: check(http.ratio, http.ratio >= 0.5),
    });
    const u = http.searchUncached;
    const ratio = http.ratioUncached;
    if (u && ratio !== undefined) {
      out.push({
        goal: "HTTP /api/search ≥ half the bare route's req/s (every request searching)",
        measured: `${u.requestsPerSec.toFixed(0)} vs ${http.bare.requestsPerSec.toFixed(0)} req/s (${f(ratio, 3)})`,
        met: check(ratio, ratio >= 0.5),
      });
    }
  }
  return out;
}

function goalsTable(rows: Goal[]): string {
  return table(
    ["goal", "measured", "met"],
    rows.map((g) => [g.goal, g.measured, g.met === undefined ? "–" : g.met ? "yes" : "**no**"]),
  );
}

type Machine = ReturnType<typeof machine> & { loadAtEnd: number; srcDigestAtEnd?: string };

interface Report {
  kind: "engines" | "scale";
  machine: Machine;
  options: {
    quick: boolean;
    engines: string[];
    /** Slices run; in a default run only `scaleEngines` run below the largest. */
    fractions: number[];
    scaleEngines?: string[];
    parts?: Part[];
    reps: number;
    shortQueries: number;
    persist: boolean;
  };
  elapsedSeconds: number;
  runs: RunRecord[];
  analysis?: AnalysisRun;
  analysisError?: string;
  http?: HttpBenchResult;
  httpError?: string;
}

function failures(report: Report): string[] {
  const out: string[] = [];
  for (const r of report.runs) {
    const label = `${r.engine} @ ${r.fraction}`;
    if (r.error) out.push(`${label}: ${r.error.split("\n")[0]}`);
    if (r.run?.persist?.error)
      out.push(`${label} persistence: ${r.run.persist.error.split("\n")[0]}`);
  }
  if (report.analysisError) out.push(`analysis: ${report.analysisError.split("\n")[0]}`);
  if (report.httpError) out.push(`http: ${report.httpError.split("\n")[0]}`);
  const h = report.http;
  if (h) {
    const failed = [h.search, h.bare, h.searchGzip, h.searchUncached].reduce(
      (n, t) => n + (t ? t.errors + t.non2xx : 0),
      0,
    );
    if (failed > 0) out.push(`http: ${failed} failed requests`);
  }
  return out;
}

const QUERY_NOTE =
  "Every engine gets the same query strings. Phrase queries are in double quotes: loupe requires the words in " +
  "that order (checked on positions); the peers have no phrase operator here and treat the quotes as punctuation, " +
  "so they run an OR of the words. Prefix queries are bare (`Coprop`, no `*`): loupe takes the last word of a short " +
  "query as a prefix, Orama matches every term as a prefix, MiniSearch (prefix off), Lunr (exact terms) and " +
  "FlexSearch (tokenize strict) look the fragment up as a whole word, which is why they answer few of them. " +
  "Typo queries are one title word with one letter substituted: loupe corrects 1 edit from 5 letters (2 from 9), " +
  "the peers are configured without fuzzy matching (Orama tolerance 0), so only stemming or the phonetic encoder " +
  "(FlexSearch) can rescue them.";

/** Writes `<base>.json`, `<base>.md` and the charts; also used to re-render from a saved JSON. */
function writeReport(out: string, report: Report): string {
  const { machine: info, options, runs: records, elapsedSeconds: elapsed } = report;
  const scaleMode = report.kind === "scale";
  const largest = Math.max(...options.fractions);
  const main = records.filter((r) => r.fraction === largest);
  const scaleEngines = options.scaleEngines ?? options.engines;
  const order = (r: RunRecord) => options.engines.indexOf(r.engine);
  const scaleRecords = records
    .filter((r) => scaleEngines.includes(r.engine))
    .sort((a, b) => order(a) - order(b) || a.fraction - b.fraction);
  const hasScale = new Set(scaleRecords.map((r) => r.fraction)).size > 1;
  const first = main.find((r) => r.run)?.run;
  const base = scaleMode ? "scale" : "latest";
  const charts = writeCharts(out, main, scaleMode ? "scale-main-" : "");
  const scaleCharts = hasScale ? writeScaleCharts(out, scaleRecords) : [];
  writeFileSync(join(out, `${base}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const httpFormatted = report.http ? formatHttp(report.http) : undefined;
  const goalRows = goals(main, report.http);
  const failed = failures(report);

  const md = [
    `# loupe benchmark${options.quick ? " (quick)" : ""}${scaleMode ? ": scale series" : ""}`,
    "",
    `${info.date} · commit ${info.commit}${info.srcDigest ? ` (src/ digest ${info.srcDigest})` : ""} · ${info.cpu} × ${info.cores} · ${info.totalMemGiB} GiB · ${info.os} · Node ${info.node}`,
    "",
    `Corpus: ${first?.sliceNote ?? "?"}${first ? `, ${rawMB(first).toFixed(1)} MB` : ""}. ` +
      `Run took ${elapsed.toFixed(0)} s; 1-minute load average ${info.loadAtStart} at start, ${info.loadAtEnd} at end ` +
      `(above ~1 on ${info.cores} cores, other processes competed and timings are pessimistic).`,
    ...(info.srcDigest !== undefined &&
    info.srcDigestAtEnd !== undefined &&
    info.srcDigest !== info.srcDigestAtEnd
      ? [
          "",
          `**src/ changed during the run** (digest ${info.srcDigest} at start, ${info.srcDigestAtEnd} at end): ` +
            "the figures mix code versions.",
        ]
      : []),
    ...(options.quick
      ? [
          "",
          "**Quick run**: a small slice and one timed pass, a smoke test; its figures mean nothing.",
        ]
      : []),
    ...(failed.length ? ["", "**Failed parts:**", "", ...failed.map((x) => `- ${x}`)] : []),
    "",
    mainTable(main),
    "",
    "How to read it:",
    "",
    "- Relevance: French known-item queries (`known-items-dev.tsv`, the 150-query dev half), one relevant document each, top 10, " +
      "reported overall and per source (sp = Service-Public fact sheets, long queries; man = man pages, short queries). " +
      "Reference MRR@10 on the full 300-query set: plain BM25 0.687, MiniSearch defaults 0.678, MiniSearch + French 0.710, Orama 0.459, Lunr fr 0.733.",
    "- Each engine runs in its own child process (`--expose-gc`). Peak RSS is the process's maxRSS at the end of the build, so it includes Node and the corpus strings " +
      "(baseline RSS in the memory table); peak heap is the largest V8 heap in use seen during the build (before each GC, via `v8.GCProfiler`, and at its end); " +
      "heap Δ is heap still used after a full GC minus the same before the build, roughly the index.",
    "- Index size: what `serialize()` wrote (loupe: its index folder, with the stored documents; the peers: their JSON export), against the raw text. " +
      "Load: reading it back into a searchable index (loupe: files, checksums, parse, postings view).",
    `- Latency: a warm-up on 100 other queries of each kind (none of the timed ones), a full garbage collection and a ${SETTLE_MS} ms pause for its sweeping to end, then ${options.reps} timed pass(es) over each set, one query at a time, top 10 (loupe builds snippets and highlights for each hit); the first pass sees each query for the first time, as a server does, and any later pass repeats it. ` +
      `Short = ${first?.latency.shortQueryCount ?? "?"} queries of 1–3 content words taken from titles; long = the ${first?.latency.longQueryCount ?? "?"} known-item queries.`,
    "- MB/s counts source bytes (10^6) indexed per second of build.",
    "",
    ...(goalRows.length && !scaleMode
      ? [
          `## Goals (loupe${options.quick ? "; quick slice: not meaningful" : ""})`,
          "",
          goalsTable(goalRows),
          "",
        ]
      : []),
    ...(first?.latency.sets
      ? ["## Query sets (p50 / p99 ms)", "", setsPivot(main), "", QUERY_NOTE, ""]
      : []),
    ...analysisSection(report.analysis, report.analysisError),
    ...(hasScale
      ? [
          `## Scale series${scaleMode ? "" : ` (${scaleEngines.join(", ")})`}`,
          "",
          "Slices keep every query target, so MRR on a slice is optimistic; compare across slices only the times and the memory.",
          "",
          scaleTable(scaleRecords),
          "",
        ]
      : []),
    ...httpSection(report.http, report.httpError, httpFormatted),
    detailTables(main),
    "",
    "## Configurations",
    "",
    ...main.flatMap((r) =>
      r.run
        ? [`- **${r.engine}**: ${r.run.config}`]
        : [`- **${r.engine}**: failed (${r.error?.split("\n")[0] ?? "?"})`],
    ),
    "",
    "## Charts",
    "",
    ...[...charts, ...scaleCharts].map((c) => `![${c}](${c})`),
    "",
  ].join("\n");
  writeFileSync(join(out, `${base}.md`), md);
  console.log(`\n${mainTable(main)}\n`);
  if (goalRows.length && !scaleMode) console.log(`${goalsTable(goalRows)}\n`);
  if (httpFormatted) console.log(`${httpFormatted}\n`);
  if (report.analysis) {
    const a = report.analysis;
    console.log(
      `analysis: cold ${f(a.cold.mbPerSec, 1)} MB/s ${millions(a.cold.tokensPerSec)} tokens/s, warm ${f(a.warm.mbPerSec, 1)} MB/s ` +
        `${millions(a.warm.tokensPerSec)} tokens/s; stemmer loupe ${millions(a.stemmer.loupeWordsPerSec)} words/s, ` +
        `snowball-stemmer.jsx ${millions(a.stemmer.peerWordsPerSec)} words/s\n`,
    );
  }
  for (const x of failed) console.error(`✗ ${x}`);
  if (info.srcDigestAtEnd !== undefined && info.srcDigest !== info.srcDigestAtEnd)
    console.error("! src/ changed during the run: the figures mix code versions");
  const mdPath = relative(process.cwd(), join(out, `${base}.md`));
  console.log(`wrote ${mdPath}, ${base}.json and ${charts.length + scaleCharts.length} charts`);
  return mdPath;
}

/** formatHttpBench lives in http.ts, which imports autocannon: loaded only when needed. */
let formatHttp: (r: HttpBenchResult) => string = () => "";

async function loadFormatter(): Promise<void> {
  formatHttp = (await import("./http.js")).formatHttpBench;
}

async function main() {
  const cli = parseCli();
  await loadFormatter();
  if (cli.reportOnly) {
    // Re-render the markdown and charts from a saved run, e.g. after changing svg.ts.
    const path = join(cli.out, `${cli.scaleMode ? "scale" : "latest"}.json`);
    const saved: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (
      typeof saved !== "object" ||
      saved === null ||
      !("runs" in saved) ||
      !Array.isArray(saved.runs)
    ) {
      throw new Error(`${path}: not a benchmark report`);
    }
    const report = saved as Report;
    writeReport(cli.out, report);
    if (failures(report).length > 0) process.exitCode = 1;
    return;
  }
  ensureCorpus(); // once, before any child, so children never race to unpack
  mkdirSync(cli.out, { recursive: true });
  const info = machine();
  const records: RunRecord[] = [];
  const started = performance.now();
  const largest = Math.max(...cli.fractions);
  const slice = (fraction: number) =>
    cli.quick ? { limit: Math.round(QUICK.limit * fraction) } : { fraction };
  const runParts = new Set(cli.parts);
  const report: Partial<Report> = {};

  if (runParts.has("analysis")) {
    process.stdout.write(`… ${clock()} analysis chain and stemmer\n`);
    try {
      const task: AnalysisTask = {
        kind: "analysis",
        ...slice(largest),
        warmPasses: cli.quick ? QUICK.analysisPasses : FULL.analysisPasses,
        quick: cli.quick,
      };
      const a = await runChild<AnalysisRun>(task, cli.timeoutMs);
      report.analysis = a;
      console.log(
        `✓ analysis: ${f(a.cold.mbPerSec, 1)} MB/s cold, ${f(a.warm.mbPerSec, 1)} MB/s warm; ` +
          `stem ${millions(a.stemmer.loupeWordsPerSec)} words/s vs ${millions(a.stemmer.peerWordsPerSec)}`,
      );
    } catch (error) {
      report.analysisError = error instanceof Error ? error.message : String(error);
      console.error(`✗ analysis: ${report.analysisError}`);
    }
  }

  // Engines on the largest slice first (every engine), then the scale series below it.
  const jobs: { engine: string; fraction: number }[] = [];
  if (cli.scaleMode) {
    for (const fraction of cli.fractions)
      for (const engine of cli.names) jobs.push({ engine, fraction });
  } else {
    if (runParts.has("engines"))
      for (const engine of cli.names) jobs.push({ engine, fraction: largest });
    if (runParts.has("scale") && cli.names.includes(SCALE_ENGINE)) {
      for (const fraction of cli.fractions.filter((x) => x !== largest))
        jobs.push({ engine: SCALE_ENGINE, fraction });
      // The series needs its 100 % point even when the engines part was left out.
      if (!runParts.has("engines")) jobs.push({ engine: SCALE_ENGINE, fraction: largest });
    }
  }
  for (const { engine, fraction } of jobs) {
    const task: MeasureTask = {
      engine,
      shortQueries: cli.quick ? QUICK.shortQueries : FULL.shortQueries,
      reps: cli.reps,
      persist: cli.persist,
      ...slice(fraction),
      ...(cli.quick && { queries: QUICK.queries }),
    };
    const label = `${engine}${fraction !== 1 || cli.scaleMode ? ` @ ${fraction}` : ""}`;
    process.stdout.write(`… ${clock()} ${label}\n`);
    try {
      const run = await runChild<EngineRun>(task, cli.timeoutMs);
      records.push({ engine, fraction, run });
      console.log(
        `✓ ${label}: ${run.docs} docs, build ${run.build.seconds.toFixed(2)} s, ` +
          `peak ${run.build.peakRssMiB.toFixed(0)} MiB, MRR@10 ${run.relevance.overall.mrr10.toFixed(3)}, ` +
          `short p50 ${ms(run.latency.short.p50)} ms, long p50 ${ms(run.latency.long.p50)} ms`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      records.push({ engine, fraction, error: message });
      console.error(`✗ ${label}: ${message}`);
    }
  }

  if (runParts.has("http") && !cli.scaleMode) {
    process.stdout.write(`… ${clock()} http\n`);
    try {
      const { runHttpBench } = await import("./http.js");
      report.http = await runHttpBench({
        quick: cli.quick,
        uncached: true,
        log: (line) => console.log(`  ${line}`),
      });
      console.log(`✓ http: ratio ${report.http.ratio.toFixed(3)}`);
    } catch (error) {
      report.httpError = error instanceof Error ? error.message : String(error);
      console.error(`✗ http: ${report.httpError}`);
    }
  }

  const elapsed = (performance.now() - started) / 1000;
  const full: Report = {
    kind: cli.scaleMode ? "scale" : "engines",
    machine: { ...info, loadAtEnd: Number(loadavg()[0]?.toFixed(2)), srcDigestAtEnd: srcDigest() },
    options: {
      quick: cli.quick,
      engines: cli.names,
      fractions: [...new Set(records.map((r) => r.fraction))].sort((a, b) => a - b),
      scaleEngines: cli.scaleMode ? cli.names : [SCALE_ENGINE],
      parts: cli.parts,
      reps: cli.reps,
      shortQueries: cli.quick ? QUICK.shortQueries : FULL.shortQueries,
      persist: cli.persist,
    },
    elapsedSeconds: elapsed,
    runs: records,
    ...report,
  };
  if (full.options.fractions.length === 0) full.options.fractions = [largest];
  writeReport(cli.out, full);
  console.log(`done in ${elapsed.toFixed(0)} s`);
  if (failures(full).length > 0) process.exitCode = 1;
}

await main();
