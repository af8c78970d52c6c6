/** The scale benchmark's JSON record and its markdown rendering (bench/results/littre-scale.md). */
import type { LatencyStats } from "../metrics.js";
import type { LoupeQueryResult, MiniSearchBuildResult, MiniSearchQueryResult } from "./worker.js";

export interface SliceRun {
  fraction: number;
  docs: number;
  bytes: number;
  /** Brute-force count of documents holding each phrase (see phrase-truth.ts). */
  expectedPhraseTotals: number[];
  loupeIndex?: { seconds: number; peakRssMiB: number; stdout: string; sizeMB: number };
  loupeQuery?: LoupeQueryResult;
  miniSearchBuild?: MiniSearchBuildResult;
  miniSearchQuery?: MiniSearchQueryResult;
  errors: string[];
}

export interface ScaleReport {
  machine: {
    cpus: number;
    cpu: string;
    totalMemGiB: number;
    node: string;
    date: string;
    loadAtStart: number[];
    loadAtEnd: number[];
  };
  corpusDocs: number;
  seed: number;
  reps: number;
  shortQueries: string[];
  phrases: string[];
  /** Other short queries each engine ran before the timed ones (absent in older reports: 300). */
  warmUpQueries?: number;
  prepareSeconds: number;
  runs: SliceRun[];
  minutes: number;
}

const fin = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);
const ms = (v: number | undefined) =>
  !fin(v) ? "–" : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
const s = (v: number | undefined) => (fin(v) ? `${v.toFixed(1)} s` : "–");
const num = (v: number | undefined, d = 1) => (fin(v) ? v.toFixed(d) : "–");
const pct = (fraction: number) => `${Math.round(fraction * 1000) / 10} %`;
const mb = (bytes: number) => bytes / 1e6;
const check = (ok: boolean | undefined) => (ok === undefined ? "–" : ok ? "✓" : "✗");
const lat = (l: LatencyStats | undefined) => (l ? `${ms(l.p50)} / ${ms(l.p99)} ms` : "–");

export function miniSearchBuildMs(b: MiniSearchBuildResult | undefined): number | undefined {
  return b && b.readMs + b.buildMs + b.stringifyMs + b.writeMs;
}

export function miniSearchLoadMs(q: MiniSearchQueryResult | undefined): number | undefined {
  return q && q.readMs + q.loadJsonMs;
}

export function phrasesRight(run: SliceRun): { right: number; wrong: string[] } | undefined {
  const totals = run.loupeQuery?.phraseTotals;
  if (totals === undefined) return undefined;
  let right = 0;
  const wrong: string[] = [];
  totals.forEach((got, i) => {
    const want = run.expectedPhraseTotals[i];
    if (got === want) right++;
    else wrong.push(`${i}: ${got} instead of ${want}`);
  });
  return { right, wrong };
}

/** The issue's "Done when" bounds, checked on the largest slice measured. */
function verdicts(run: SliceRun) {
  const buildMs = miniSearchBuildMs(run.miniSearchBuild);
  const loadMs = miniSearchLoadMs(run.miniSearchQuery);
  const index = run.loupeIndex;
  const q = run.loupeQuery;
  const m = run.miniSearchQuery;
  const phrases = phrasesRight(run);
  return {
    buildRatio: index && buildMs ? (index.seconds * 1000) / buildMs : undefined,
    rssOk: index ? index.peakRssMiB * 1024 * 1024 <= 1.5e9 : undefined,
    loadRatio: q && loadMs ? q.loadMs / loadMs : undefined,
    p50Ratio: q && m ? q.short.p50 / m.short.p50 : undefined,
    shortP99Ok: q ? q.short.p99 <= 10 : undefined,
    phraseP99Ok: q ? q.phrase.p99 <= 20 : undefined,
    phrasesOk: phrases ? phrases.wrong.length === 0 : undefined,
  };
}

export function renderScaleReport(report: ScaleReport): string {
  const last = report.runs.at(-1);
  const lines: string[] = [];
  const m = report.machine;
  lines.push(
    `# Littré scale benchmark`,
    "",
    `${m.date}, ${m.cpus} × ${m.cpu}, ${m.totalMemGiB} GiB, Node ${m.node}; load average ` +
      `${m.loadAtStart.join(" / ")} at the start, ${m.loadAtEnd.join(" / ")} at the end ` +
      `(1 / 5 / 15 min): on a shared machine the timings are noisy. ${report.corpusDocs} ` +
      `entries in the corpus; ${report.shortQueries.length} 1–3-word queries and ` +
      `${report.phrases.length} phrases (seed ${report.seed}), each timed at its first sight (${report.reps} pass${report.reps > 1 ? "es, the later ones repeats" : ""}) after a warm-up on ` +
      `${report.warmUpQueries ?? 300} other short queries (seed ${report.seed + 1}; loupe also ` +
      `${report.phrases.length} other phrases); whole run ${report.minutes.toFixed(1)} min.`,
    "",
  );
  if (last) {
    const v = verdicts(last);
    const idx = last.loupeIndex;
    const b = last.miniSearchBuild;
    const q = last.loupeQuery;
    const mq = last.miniSearchQuery;
    const phrases = phrasesRight(last);
    const buildMs = miniSearchBuildMs(b);
    const loadMs = miniSearchLoadMs(mq);
    lines.push(
      `## ${pct(last.fraction)} of the Littré (${last.docs} entries, ${num(mb(last.bytes))} MB), same run`,
      "",
      "| Littré, same run | loupe | MiniSearch + French | goal | met |",
      "|---|---|---|---|---|",
      `| \`loupe index\` / read + build + \`JSON.stringify\` + write | ${s(idx?.seconds)} (${num(idx && mb(last.bytes) / idx.seconds)} MB/s) | ${s(fin(buildMs) ? buildMs / 1000 : undefined)} (read ${s(b && b.readMs / 1000)}, build ${s(b && b.buildMs / 1000)}, stringify ${s(b && b.stringifyMs / 1000)}, write ${s(b && b.writeMs / 1000)}) | ≤ 1.0× (${num(v.buildRatio, 2)}×) | ${check(v.buildRatio === undefined ? undefined : v.buildRatio <= 1)} |`,
      `| peak RSS of the build | ${num(idx?.peakRssMiB, 0)} MiB | ${num(b?.peakRssMiB, 0)} MiB | ≤ 1.5 GB | ${check(v.rssOk)} |`,
      `| persisted size | ${num(idx?.sizeMB)} MB | ${num(b?.sizeMB)} MB | | |`,
      `| load the persisted index | ${s(q && q.loadMs / 1000)} | ${s(fin(loadMs) ? loadMs / 1000 : undefined)} (\`loadJSON\` ${s(mq && mq.loadJsonMs / 1000)} + read ${s(mq && mq.readMs / 1000)}) | ≤ 0.25× (${num(v.loadRatio, 2)}×) | ${check(v.loadRatio === undefined ? undefined : v.loadRatio <= 0.25)} |`,
      `| 1–3-word queries, p50 / p99 | ${lat(q?.short)} (snippets) | ${lat(mq?.short)} (no snippets) | p50 ≤ 0.25× (${num(v.p50Ratio, 2)}×), p99 ≤ 10 ms | ${check(v.p50Ratio === undefined || v.shortP99Ok === undefined ? undefined : v.p50Ratio <= 0.25 && v.shortP99Ok)} |`,
      `| phrases, p50 / p99 | ${lat(q?.phrase)} | — | p99 ≤ 20 ms | ${check(v.phraseP99Ok)} |`,
      `| phrase \`total\` right | ${phrases ? `${phrases.right} of ${report.phrases.length}` : "–"} | — | all | ${check(v.phrasesOk)} |`,
      `| memory after load (RSS) | ${num(q?.rssAfterLoadMiB, 0)} MiB | ${num(mq?.rssAfterLoadMiB, 0)} MiB | | |`,
      "",
      "MiniSearch's build time includes reading the files (as `loupe index` does); its load " +
        "time includes reading the JSON file, and the ratio is taken against that sum.",
      "",
    );
    if (q) {
      lines.push("### Phrases: loupe's `total` against the brute-force count", "");
      lines.push("| phrase | loupe `total` | brute force | | ms |", "|---|---|---|---|---|");
      report.phrases.forEach((phrase, i) => {
        const got = q.phraseTotals[i];
        const want = last.expectedPhraseTotals[i];
        const ms = q.phraseMs?.[i];
        lines.push(
          `| \`${phrase}\` | ${got} | ${want} | ${check(got === want)} | ${ms === undefined ? "–" : ms.toFixed(1)} |`,
        );
      });
      lines.push("");
    }
  }
  lines.push(
    "## The series",
    "",
    "| slice | entries | MB | `loupe index` | MB/s | peak RSS | index MB | load | 1–3 words p50 / p99 | phrases p50 / p99 | phrase totals right | MiniSearch build | MB/s | peak RSS | load | p50 / p99 |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const run of report.runs) {
    const idx = run.loupeIndex;
    const q = run.loupeQuery;
    const b = run.miniSearchBuild;
    const mq = run.miniSearchQuery;
    const buildMs = miniSearchBuildMs(b);
    const loadMs = miniSearchLoadMs(mq);
    const phrases = phrasesRight(run);
    lines.push(
      `| ${pct(run.fraction)} | ${run.docs} | ${num(mb(run.bytes))} | ${s(idx?.seconds)} | ${num(idx && mb(run.bytes) / idx.seconds, 2)} | ${num(idx?.peakRssMiB, 0)} MiB | ${num(idx?.sizeMB)} | ${s(q && q.loadMs / 1000)} | ${lat(q?.short)} | ${lat(q?.phrase)} | ${phrases ? `${phrases.right}/${report.phrases.length}` : "–"} | ${s(fin(buildMs) ? buildMs / 1000 : undefined)} | ${num(fin(buildMs) ? mb(run.bytes) / (buildMs / 1000) : undefined, 2)} | ${num(b?.peakRssMiB, 0)} MiB | ${s(fin(loadMs) ? loadMs / 1000 : undefined)} | ${lat(mq?.short)} |`,
    );
  }
  lines.push("");
  const errors = report.runs.flatMap((r) => r.errors.map((e) => `- ${pct(r.fraction)}: ${e}`));
  if (errors.length > 0) lines.push("## Failures", "", ...errors, "");
  lines.push(
    "## Queries",
    "",
    `1–3-word queries (first 12 of ${report.shortQueries.length}): ${report.shortQueries
      .slice(0, 12)
      .map((q) => `\`${q}\``)
      .join(", ")}.`,
    "",
    "Derived from the smallest slice's entries (so every slice can answer them) by a seeded " +
      "generator (bench/scale/queries.ts): the headword in lower case, plus 0–2 keywords from " +
      'the first 300 characters of the entry; phrases are `"de la"`, `"ÉTYMOLOGIE Lat"`, then ' +
      "runs of consecutive words of an entry (two keywords; keyword + stopword + keyword; three " +
      "keywords; two stopwords). The brute-force phrase count (bench/scale/phrase-truth.ts) " +
      "analyses every title and body with loupe's chain, stopwords kept.",
    "",
  );
  return lines.join("\n");
}
