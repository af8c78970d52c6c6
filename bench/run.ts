// Benchmark runner: `npx tsx bench/run.ts [--quick] [--engines a,b] [--scale [0.1,0.25,0.5,1]]
//   [--reps N] [--out DIR] [--no-persist] [--timeout SECONDS] [--report-only]`
// --report-only re-renders latest.md (or scale.md with --scale) and the charts from the JSON.
// Each (engine, slice) runs in its own child process so peak RSS and JIT state are per engine,
// and runs go strictly one after another so they never compete for the CPU.
import { execFileSync, fork } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem, type } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ensureCorpus } from "./corpus.js";
import { engines, findEngine } from "./engines/index.js";
import type { EngineRun, MeasureTask } from "./measure.js";
import { barChart, lineChart } from "./svg.js";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const WORKER = join(BENCH_DIR, "worker.ts");

/** Quick mode: a slice that still holds every kept query's target. */
const QUICK = { limit: 300, queries: 30, shortQueries: 30, reps: 1 };
const FULL = { shortQueries: 100, reps: 3 };

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
      "usage: npx tsx bench/run.ts [--quick] [--engines a,b] [--scale [f1,f2,...]] [--reps N]\n" +
        "       [--out DIR] [--no-persist] [--timeout SECONDS] [--report-only]\n" +
        `engines: ${engines.map((e) => e.name).join(", ")}`,
    );
    process.exit(0);
  }
  const names = values.engines
    ? values.engines.split(",").map((s) => s.trim())
    : engines.map((e) => e.name);
  for (const n of names) findEngine(n);
  const fractions =
    values.scale === undefined
      ? [1]
      : values.scale === "default"
        ? [0.1, 0.25, 0.5, 1]
        : values.scale.split(",").map(Number);
  for (const f of fractions) if (!(f > 0 && f <= 1)) throw new Error(`bad scale fraction ${f}`);
  const reps = values.reps ? Number(values.reps) : values.quick ? QUICK.reps : FULL.reps;
  if (!(Number.isInteger(reps) && reps >= 1)) throw new Error(`--reps must be a positive integer`);
  const scaleMode = values.scale !== undefined;
  const out =
    values.out ?? (values.quick ? join(BENCH_DIR, ".work", "quick") : join(BENCH_DIR, "results"));
  return {
    quick: values.quick,
    names,
    fractions,
    reps,
    scaleMode,
    out,
    persist: !values["no-persist"],
    reportOnly: values["report-only"],
    timeoutMs: (values.timeout ? Number(values.timeout) : values.quick ? 120 : 900) * 1000,
  };
}

function runChild(task: MeasureTask, timeoutMs: number): Promise<EngineRun> {
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
        if (message.ok === true && "result" in message) return resolve(message.result as EngineRun);
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

function machine() {
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: BENCH_DIR,
      encoding: "utf8",
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
    // Other work on a shared machine skews timings; the 1-minute load says whether it did.
    loadAtStart: Number(loadavg()[0]?.toFixed(2)),
  };
}

const f = (v: number | undefined, d = 2) =>
  v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(d);
const ms = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v)
    ? "–"
    : v >= 100
      ? v.toFixed(0)
      : v >= 10
        ? v.toFixed(1)
        : v.toFixed(2);

function table(headers: string[], rows: string[][]): string {
  const align = headers.map((_, i) => (i === 0 ? ":--" : "--:"));
  return [headers, align, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

function mainTable(records: RunRecord[]): string {
  return table(
    [
      "engine",
      "build s",
      "MB/s",
      "peak RSS MiB",
      "heap Δ MiB",
      "MRR@10",
      "MRR sp",
      "MRR man",
      "s@1",
      "s@10",
      "short p50 ms",
      "short p99 ms",
      "long p50 ms",
      "long p99 ms",
    ],
    records.map((r) => {
      const x = r.run;
      if (!x) return [r.engine, `failed: ${r.error?.split("\n")[0] ?? "?"}`, ...Array(12).fill("")];
      return [
        r.engine,
        f(x.build.seconds),
        f(x.build.mbPerSec, 1),
        f(x.build.peakRssMiB, 0),
        f(x.build.heapDeltaMiB, 0),
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

function detailTables(records: RunRecord[]): string {
  const ok = records.filter((r): r is RunRecord & { run: EngineRun } => r.run !== undefined);
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
    ["engine", "set", "samples", "mean", "p50", "p95", "p99", "max"],
    ok.flatMap(({ engine, run }) =>
      (["short", "long"] as const).map((set) => {
        const s = run.latency[set];
        return [
          engine,
          set,
          String(s.samples),
          ms(s.mean),
          ms(s.p50),
          ms(s.p95),
          ms(s.p99),
          ms(s.max),
        ];
      }),
    ),
  );
  const mem = table(
    ["engine", "docs", "MB", "build s", "baseline RSS MiB", "peak RSS MiB", "heap Δ MiB"],
    ok.map(({ engine, run }) => [
      engine,
      String(run.docs),
      f(run.bytes / 1e6, 1),
      f(run.build.seconds),
      f(run.build.baselineRssMiB, 0),
      f(run.build.peakRssMiB, 0),
      f(run.build.heapDeltaMiB, 0),
    ]),
  );
  const persisted = ok.filter((r) => r.run.persist);
  const per = persisted.length
    ? table(
        ["engine", "serialize ms", "size MB", "load ms", "same top 10 after load"],
        persisted.map(({ engine, run }) =>
          run.persist?.error
            ? [engine, `failed: ${run.persist.error.split("\n")[0]}`, "", "", ""]
            : [
                engine,
                ms(run.persist?.serializeMs),
                f(run.persist?.sizeMB, 1),
                ms(run.persist?.loadMs),
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
    "## Latency (ms per query, top 10)",
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
  const ok = records.filter((r): r is RunRecord & { run: EngineRun } => r.run !== undefined);
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
        ],
      }),
    ],
  ];
  for (const [name, svg] of files) writeFileSync(join(out, name), svg);
  return files.map(([name]) => name);
}

function writeScaleCharts(out: string, records: RunRecord[]): string[] {
  const byEngine = new Map<string, EngineRun[]>();
  for (const r of records)
    if (r.run) byEngine.set(r.engine, [...(byEngine.get(r.engine) ?? []), r.run]);
  const series = (pick: (run: EngineRun) => number) =>
    [...byEngine].map(([name, runs]) => ({
      name,
      points: runs.map((run): [number, number] => [run.bytes / 1e6, pick(run)]),
    }));
  const files: [string, string][] = [
    [
      "scale-build.svg",
      lineChart({
        title: "Build time vs corpus size",
        xLabel: "corpus MB",
        yLabel: "build s",
        series: series((r) => r.build.seconds),
      }),
    ],
    [
      "scale-rss.svg",
      lineChart({
        title: "Peak RSS vs corpus size",
        xLabel: "corpus MB",
        yLabel: "peak RSS MiB",
        series: series((r) => r.build.peakRssMiB),
      }),
    ],
    [
      "scale-latency-long.svg",
      lineChart({
        title: "Long-query p50 vs corpus size",
        xLabel: "corpus MB",
        yLabel: "ms",
        series: series((r) => r.latency.long.p50),
      }),
    ],
    [
      "scale-latency-short.svg",
      lineChart({
        title: "Short-query p50 vs corpus size",
        xLabel: "corpus MB",
        yLabel: "ms",
        series: series((r) => r.latency.short.p50),
      }),
    ],
    [
      "scale-mrr.svg",
      lineChart({
        title: "MRR@10 vs corpus size (slices keep every target)",
        xLabel: "corpus MB",
        yLabel: "MRR@10",
        series: series((r) => r.relevance.overall.mrr10),
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
      "MRR@10",
      "short p50",
      "long p50",
      "long p99",
    ],
    records.map((r) =>
      r.run
        ? [
            r.engine,
            String(r.fraction),
            String(r.run.docs),
            f(r.run.bytes / 1e6, 1),
            f(r.run.build.seconds),
            f(r.run.build.mbPerSec, 1),
            f(r.run.build.peakRssMiB, 0),
            f(r.run.relevance.overall.mrr10, 3),
            ms(r.run.latency.short.p50),
            ms(r.run.latency.long.p50),
            ms(r.run.latency.long.p99),
          ]
        : [
            r.engine,
            String(r.fraction),
            `failed: ${r.error?.split("\n")[0] ?? "?"}`,
            ...Array(8).fill(""),
          ],
    ),
  );
}

type Machine = ReturnType<typeof machine> & { loadAtEnd: number };

interface Report {
  kind: "engines" | "scale";
  machine: Machine;
  options: {
    quick: boolean;
    engines: string[];
    fractions: number[];
    reps: number;
    shortQueries: number;
    persist: boolean;
  };
  elapsedSeconds: number;
  runs: RunRecord[];
}

/** Writes `<base>.json`, `<base>.md` and the charts; also used to re-render from a saved JSON. */
function writeReport(out: string, report: Report): string {
  const { machine: info, options, runs: records, elapsedSeconds: elapsed } = report;
  const scaleMode = report.kind === "scale";
  const largest = Math.max(...options.fractions);
  const main = records.filter((r) => r.fraction === largest);
  const first = main.find((r) => r.run)?.run;
  const base = scaleMode ? "scale" : "latest";
  const charts = writeCharts(out, main, scaleMode ? "scale-main-" : "");
  const scaleCharts =
    scaleMode && options.fractions.length > 1 ? writeScaleCharts(out, records) : [];
  writeFileSync(join(out, `${base}.json`), `${JSON.stringify(report, null, 2)}\n`);

  const md = [
    `# loupe benchmark${options.quick ? " (quick)" : ""}${scaleMode ? ": scale series" : ""}`,
    "",
    `${info.date} · commit ${info.commit} · ${info.cpu} × ${info.cores} · ${info.totalMemGiB} GiB · ${info.os} · Node ${info.node}`,
    "",
    `Corpus: ${first?.sliceNote ?? "?"}${first ? `, ${(first.bytes / 1e6).toFixed(1)} MB` : ""}. ` +
      `Run took ${elapsed.toFixed(0)} s; 1-minute load average ${info.loadAtStart} at start, ${info.loadAtEnd} at end ` +
      `(above ~1 on ${info.cores} cores, other processes competed and timings are pessimistic).`,
    "",
    mainTable(main),
    "",
    "How to read it:",
    "",
    "- Relevance: French known-item queries (`known-items-dev.tsv`, the 150-query dev half), one relevant document each, top 10, " +
      "reported overall and per source (sp = Service-Public fact sheets, long queries; man = man pages, short queries). " +
      "Reference MRR@10 on the full 300-query set: plain BM25 0.687, MiniSearch defaults 0.678, MiniSearch + French 0.710, Orama 0.459, Lunr fr 0.733.",
    "- Each engine runs in its own child process (`--expose-gc`). Peak RSS is the process's maxRSS at the end of the build, so it includes Node and the corpus strings " +
      "(baseline RSS in the memory table); heap Δ is heap still used after a full GC minus the same before the build, roughly the index.",
    `- Latency: one untimed warm-up pass, then ${options.reps} timed pass(es) over each set, one query at a time, top 10. ` +
      `Short = ${first?.latency.shortQueryCount ?? "?"} queries of 1–3 content words taken from titles; long = the ${first?.latency.longQueryCount ?? "?"} known-item queries.`,
    "- MB/s counts source bytes (10^6) indexed per second of build.",
    "",
    ...(scaleMode ? ["## Scale series", "", scaleTable(records), ""] : []),
    detailTables(main),
    "",
    "## Configurations",
    "",
    ...main.flatMap((r) =>
      r.run
        ? [`- **${r.engine}**: ${r.run.config}`]
        : [`- **${r.engine}**: failed (${r.error ?? "?"})`],
    ),
    "",
    "## Charts",
    "",
    ...[...charts, ...scaleCharts].map((c) => `![${c}](${c})`),
    "",
  ].join("\n");
  writeFileSync(join(out, `${base}.md`), md);
  console.log(`\n${mainTable(main)}\n`);
  const mdPath = relative(process.cwd(), join(out, `${base}.md`));
  console.log(`wrote ${mdPath}, ${base}.json and ${charts.length + scaleCharts.length} charts`);
  return mdPath;
}

async function main() {
  const cli = parseCli();
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
    writeReport(cli.out, saved as Report);
    return;
  }
  ensureCorpus(); // once, before any child, so children never race to unpack
  mkdirSync(cli.out, { recursive: true });
  const info = machine();
  const records: RunRecord[] = [];
  const started = performance.now();
  for (const fraction of cli.fractions) {
    for (const engine of cli.names) {
      const task: MeasureTask = {
        engine,
        shortQueries: cli.quick ? QUICK.shortQueries : FULL.shortQueries,
        reps: cli.reps,
        persist: cli.persist,
        ...(cli.quick
          ? { limit: Math.round(QUICK.limit * fraction), queries: QUICK.queries }
          : { fraction }),
      };
      const label = `${engine}${cli.scaleMode ? ` @ ${fraction}` : ""}`;
      process.stdout.write(`… ${label}\n`);
      try {
        const run = await runChild(task, cli.timeoutMs);
        records.push({ engine, fraction, run });
        console.log(
          `✓ ${label}: ${run.docs} docs, build ${run.build.seconds.toFixed(2)} s, ` +
            `peak ${run.build.peakRssMiB.toFixed(0)} MiB, MRR@10 ${run.relevance.overall.mrr10.toFixed(3)}, ` +
            `long p50 ${ms(run.latency.long.p50)} ms`,
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        records.push({ engine, fraction, error: message });
        console.error(`✗ ${label}: ${message}`);
      }
    }
  }
  const elapsed = (performance.now() - started) / 1000;
  writeReport(cli.out, {
    kind: cli.scaleMode ? "scale" : "engines",
    machine: { ...info, loadAtEnd: Number(loadavg()[0]?.toFixed(2)) },
    options: {
      quick: cli.quick,
      engines: cli.names,
      fractions: cli.fractions,
      reps: cli.reps,
      shortQueries: cli.quick ? QUICK.shortQueries : FULL.shortQueries,
      persist: cli.persist,
    },
    elapsedSeconds: elapsed,
    runs: records,
  });
  console.log(`done in ${elapsed.toFixed(0)} s`);
  if (records.some((r) => r.error)) process.exitCode = 1;
}

await main();
