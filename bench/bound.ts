// Near the format's bounds (issue 11): `npm run bench:bound [-- --copies 10]`.
//
// Generates a collection of `copies` copies of the Littré (hard links under
// bench/.data/bound/copy-K/, so no text is copied; each copy's ids differ by their folder),
// indexes it with `loupe index --force` (wall time, peak RSS), loads it with `openEngine` and
// checks that every total is `copies` times the total on one copy: words, a prefix, phrases
// (`"de la"` among them) and a word with an exclusion. Then sets each file of the generation
// beside the bound that holds it (Node's 4 GiB Buffer for a file read whole, V8's longest
// string for a file read as text, 2³² − 1 for a u32 count) and extrapolates, linearly in the
// collection's size, where the first bound is met: the largest collection the format holds.
// → bench/results/bound.{md,json} (`--report-only` renders the markdown again from the JSON).
// Timings here are indicative: it is a check of the format.
import { constants } from "node:buffer";
import { execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openEngine } from "../src/search/index.js";
import { DATA_DIR, ensureLittre } from "./scale/littre.js";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
const LOUPE_BIN = join(ROOT, "bin", "loupe.js");
const PEAK_RSS = join(BENCH_DIR, "scale", "peak-rss.mjs");
const MIB = 1024 * 1024;

const QUERIES = [
  "cheval",
  "étymologie",
  "grec ancien",
  "chev*",
  "maison -bâtir",
  '"de la"',
  '"ÉTYMOLOGIE Lat"',
  '"terme grec signifiant"',
  '"il était"',
];

interface Build {
  seconds: number;
  peakRssMiB: number;
  ok: boolean;
  error?: string;
}

/** `loupe index --force` in a child: wall time here, peak RSS from the preload. */
function index(input: string, out: string, rssFile: string): Promise<Build> {
  rmSync(rssFile, { force: true });
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      ["--import", PEAK_RSS, LOUPE_BIN, "index", "--force", "--input", input, "--out", out],
      { env: { ...process.env, LOUPE_BENCH_RSS: rssFile }, stdio: ["ignore", "inherit", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-2000);
    });
    child.on("exit", (code, signal) => {
      const kib = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) : Number.NaN;
      resolve({
        seconds: (performance.now() - t0) / 1000,
        peakRssMiB: kib / 1024,
        ok: code === 0,
        ...(code !== 0 && { error: `exit ${code} signal ${signal}: ${stderr.trim()}` }),
      });
    });
  });
}

function generation(out: string): string {
  return join(out, readFileSync(join(out, "CURRENT"), "utf8").trim());
}

async function totals(out: string): Promise<{ loadMs: number; rssMiB: number; totals: number[] }> {
  const t0 = performance.now();
  const engine = await openEngine(out);
  const loadMs = performance.now() - t0;
  const rssMiB = process.memoryUsage().rss / MIB;
  return { loadMs, rssMiB, totals: QUERIES.map((q) => engine.search(q, { limit: 10 }).total) };
}

interface FileBound {
  file: string;
  bytes: number;
  bound: string;
  limit: number;
  used: number;
}

/** Each file beside the bound it must stay under when it is read. */
function fileBounds(gen: string): FileBound[] {
  // Files read whole into one Buffer; files read as one string (UTF-8 → UTF-16 code units:
  // at most one unit a byte); minisearch.json is MiniSearch's, parsed by its loadJSON.
  const asText = new Set(["catalog.json", "vocabulary.txt", "sources.json", "minisearch.json"]);
  return readdirSync(gen)
    .filter((file) => file !== "manifest.json")
    .sort()
    .map((file) => {
      const bytes = statSync(join(gen, file)).size;
      const text = asText.has(file);
      const limit = text ? constants.MAX_STRING_LENGTH : constants.MAX_LENGTH;
      return {
        file,
        bytes,
        bound: text ? "V8's longest string (read as text)" : "Node's largest Buffer (read whole)",
        limit,
        used: bytes / limit,
      };
    });
}

/** The u32 counts of postings.bin: postings, and documents. */
function countBounds(gen: string): Array<{ count: string; value: number; used: number }> {
  const bytes = readFileSync(join(gen, "postings.bin"));
  const header = new Float64Array(bytes.buffer, bytes.byteOffset + 8, 8);
  const max = 2 ** 32 - 1;
  return [
    { count: "documents (u32 ordinals)", value: header[1]!, used: header[1]! / max },
    { count: "postings (u32)", value: header[3]!, used: header[3]! / max },
  ];
}

async function main() {
  const { values } = parseArgs({
    options: {
      copies: { type: "string", default: "10" },
      out: { type: "string", default: join(BENCH_DIR, "results") },
      "report-only": { type: "boolean", default: false },
    },
  });
  if (values["report-only"]) {
    const saved = JSON.parse(readFileSync(join(values.out, "bound.json"), "utf8")) as Report;
    writeFileSync(join(values.out, "bound.md"), render(saved));
    return;
  }
  const copies = Number(values.copies);
  if (!Number.isInteger(copies) || copies < 2)
    throw new Error("--copies must be a whole number ≥ 2");
  const started = performance.now();
  const littre = ensureLittre();
  const root = join(DATA_DIR, "bound");
  mkdirSync(root, { recursive: true });
  for (let k = 1; k <= copies; k++) {
    const dir = join(root, `copy-${k}`);
    // Hard links: the same files, ids `copy-K/littre-…`.
    if (!existsSync(dir)) execFileSync("cp", ["-al", littre, dir]);
  }
  for (const name of readdirSync(root)) {
    const k = Number(name.replace("copy-", ""));
    if (k > copies) rmSync(join(root, name), { recursive: true, force: true });
  }
  const inputBytes = (dir: string) =>
    readdirSync(dir).reduce((n, file) => n + statSync(join(dir, file)).size, 0);
  const oneMB = inputBytes(join(root, "copy-1")) / 1e6;
  const work = join(BENCH_DIR, ".work", "bound");
  mkdirSync(work, { recursive: true });
  const log = (line: string) => process.stderr.write(`${line}\n`);

  log(`one copy (${oneMB.toFixed(1)} MB): loupe index`);
  const oneOut = join(work, "index-1");
  const oneBuild = await index(join(root, "copy-1"), oneOut, join(work, "rss-1"));
  if (!oneBuild.ok) throw new Error(`one copy failed to index: ${oneBuild.error}`);
  const one = await totals(oneOut);

  log(`${copies} copies (${(oneMB * copies).toFixed(0)} MB): loupe index`);
  const allOut = join(work, `index-${copies}`);
  const allBuild = await index(root, allOut, join(work, `rss-${copies}`));
  let all: Awaited<ReturnType<typeof totals>> | undefined;
  let files: FileBound[] = [];
  let counts: ReturnType<typeof countBounds> = [];
  if (allBuild.ok) {
    log("loading it, checking the totals");
    all = await totals(allOut);
    const gen = generation(allOut);
    files = fileBounds(gen);
    counts = countBounds(gen);
  }

  const collectionMB = oneMB * copies;
  const loupeFiles = files.filter((f) => f.file !== "minisearch.json");
  const firstBound = [
    ...loupeFiles.map((f) => ({ what: f.file, used: f.used })),
    ...counts.map((c) => ({ what: c.count, used: c.used })),
  ].sort((a, b) => b.used - a.used)[0];
  const miniSearch = files.find((f) => f.file === "minisearch.json");
  const report = {
    date: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
    loadAverage: loadavg(),
    copies,
    collectionMB,
    oneBuild,
    allBuild,
    one,
    all,
    queries: QUERIES,
    totalsRight: all ? QUERIES.map((_, i) => all!.totals[i] === copies * one.totals[i]!) : [],
    files,
    counts,
    largestCollectionMB: firstBound ? collectionMB / firstBound.used : undefined,
    firstBound: firstBound?.what,
    miniSearchLargestMB: miniSearch ? collectionMB / miniSearch.used : undefined,
    minutes: (performance.now() - started) / 60000,
  };
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, "bound.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(values.out, "bound.md"), render(report));
  log(`wrote ${join(values.out, "bound.md")}`);
  if (!allBuild.ok || report.totalsRight.some((right) => !right)) process.exitCode = 1;
}

type Report = {
  date: string;
  machine: string;
  loadAverage: number[];
  copies: number;
  collectionMB: number;
  oneBuild: Build;
  allBuild: Build;
  one: { loadMs: number; rssMiB: number; totals: number[] };
  all?: { loadMs: number; rssMiB: number; totals: number[] };
  queries: string[];
  totalsRight: boolean[];
  files: FileBound[];
  counts: Array<{ count: string; value: number; used: number }>;
  largestCollectionMB?: number;
  firstBound?: string;
  miniSearchLargestMB?: number;
  minutes: number;
};

function render(r: Report): string {
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const lines = [
    "# Near the format's bounds",
    "",
    `${r.date}, ${r.machine}; load average ${r.loadAverage.map((x) => x.toFixed(2)).join(" / ")} at the end. ${r.copies} copies of the Littré (hard links, ids differing by folder), ${r.collectionMB.toFixed(0)} MB of text; whole run ${r.minutes.toFixed(1)} min. Timings are indicative (\`npm run bench:bound\`); \`npm run bench:scale\` measures speed.`,
    "",
    "| | one copy | all copies |",
    "|---|---|---|",
    `| \`loupe index\` | ${r.oneBuild.seconds.toFixed(1)} s, peak RSS ${r.oneBuild.peakRssMiB.toFixed(0)} MiB | ${r.allBuild.ok ? `${r.allBuild.seconds.toFixed(1)} s, peak RSS ${r.allBuild.peakRssMiB.toFixed(0)} MiB` : `failed: ${r.allBuild.error}`} |`,
    `| load (\`openEngine\`), RSS after | ${r.one.loadMs.toFixed(0)} ms, ${r.one.rssMiB.toFixed(0)} MiB | ${r.all ? `${r.all.loadMs.toFixed(0)} ms, ${r.all.rssMiB.toFixed(0)} MiB` : "—"} |`,
    "",
    "## Totals: all copies = copies × one copy",
    "",
    "| query | one copy | all copies | right |",
    "|---|---|---|---|",
    ...r.queries.map(
      (q, i) =>
        `| \`${q}\` | ${r.one.totals[i]} | ${r.all?.totals[i] ?? "—"} | ${r.totalsRight[i] ? "✓" : "✗"} |`,
    ),
    "",
    "## Each file beside its bound",
    "",
    "| file | size | bound | used |",
    "|---|---|---|---|",
    ...r.files.map(
      (f) => `| \`${f.file}\` | ${mb(f.bytes)} | ${f.bound}: ${mb(f.limit)} | ${pct(f.used)} |`,
    ),
    ...r.counts.map((c) => `| ${c.count} | ${c.value} | 2³² − 1 | ${pct(c.used)} |`),
    "",
  ];
  if (r.largestCollectionMB !== undefined) {
    lines.push(
      `Growing linearly with the text, loupe's own files meet their first bound (${r.firstBound}) at about **${(r.largestCollectionMB / 1000).toFixed(1)} GB of text like the Littré's**: the largest collection this format holds. \`minisearch.json\`, written for MiniSearch users in chunks, is parsed by MiniSearch's \`loadJSON\` as one string: MiniSearch can open collections up to about ${(r.miniSearchLargestMB! / 1000).toFixed(2)} GB. Building needs memory too: ${(r.allBuild.peakRssMiB / r.collectionMB).toFixed(1)} MiB of peak RSS per MB of text here, so this machine's ${r.machine.match(/([\d.]+) GiB/)?.[1]} GiB build about ${((Number(r.machine.match(/([\d.]+) GiB/)?.[1]) * 1024) / (r.allBuild.peakRssMiB / r.collectionMB) / 1000).toFixed(1)} GB at most; the lower of the two bounds a collection on this machine.`,
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}

await main();
