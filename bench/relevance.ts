// Relevance harness (issue 12): `npm run bench:relevance [-- options]`
//
//   --k 5 --seed 12          folds and their seed (the short sets' halves use the seed too)
//   --grid small|wide|none   candidate RankingParams chosen among per fold (relevance/params.ts)
//   --levers all|none|a,b    levers measured against --base (default: all)
//   --base default|tuned     the levers' base: DEFAULT_RANKING, or the grid's choice on all train
//   --peers minisearch-french,lunr   peers of bench/engines in the same run ("none" for none)
//   --short-cap 400          at most this many queries per half of each short set (seeded sample)
//   --quick                  600 training queries, 200 per short-set half, grid none: a smoke test
//   --out DIR                → DIR/relevance.{md,json} (default bench/results; --quick: bench/.work)
//
// loupe's index is built once; every setting, lever variant and peer runs every query once,
// and the folds only decide which queries choose and which judge (relevance/cv.ts).
// Since DEFAULT_RANKING holds a model fitted on all the training queries (src/search/learned.ts),
// loupe's CV columns here are in-sample for it; its cross-validated figures come from
// bench/learn-rank.ts, which fits the model per fold.
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { indexDocuments } from "../src/index/index.js";
import { LoupeEngine, type RankingParams } from "../src/search/index.js";
import { loadBenchCorpus } from "./corpus.js";
import { findEngine } from "./engines/index.js";
import { toLoupeDocument } from "./engines/loupe.js";
import { rankOf } from "./metrics.js";
import {
  assignFolds,
  breakdown,
  crossValidate,
  perFold,
  type Ranks,
  scoreOn,
  spread,
} from "./relevance/cv.js";
import { grid, LEVERS, type Lever, type Searcher } from "./relevance/params.js";
import {
  type LeverFigures,
  type RelevanceReport,
  renderRelevanceReport,
  type SystemFigures,
} from "./relevance/report.js";
import {
  buildQuerySets,
  type EvalQuery,
  SETS,
  type SetName,
  sampleQueries,
  TRAIN_TSV,
} from "./relevance/sets.js";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

function cli() {
  const { values } = parseArgs({
    options: {
      k: { type: "string", default: "5" },
      seed: { type: "string", default: "12" },
      grid: { type: "string", default: "small" },
      levers: { type: "string", default: "all" },
      base: { type: "string", default: "default" },
      peers: { type: "string", default: "minisearch-french,lunr" },
      quick: { type: "boolean", default: false },
      "short-cap": { type: "string", default: "400" },
      out: { type: "string" },
    },
    strict: true,
  });
  const k = Number(values.k);
  if (!(Number.isInteger(k) && k >= 2 && k <= 20)) throw new Error("--k must be 2..20");
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error("--seed must be an integer");
  const gridKind = values.quick ? "none" : values.grid;
  if (gridKind !== "small" && gridKind !== "wide" && gridKind !== "none")
    throw new Error("--grid must be small, wide or none");
  if (values.base !== "default" && values.base !== "tuned")
    throw new Error("--base must be default or tuned");
  const leverNames =
    values.levers === "all"
      ? LEVERS.map((l) => l.name)
      : values.levers === "none"
        ? []
        : values.levers.split(",");
  const levers = leverNames.map((n) => {
    const lever = LEVERS.find((l) => l.name === n.trim());
    if (!lever)
      throw new Error(`--levers: unknown "${n}"; known: ${LEVERS.map((l) => l.name).join(", ")}`);
    return lever;
  });
  const shortCap = Number(values["short-cap"]);
  if (!(Number.isInteger(shortCap) && shortCap >= 1))
    throw new Error("--short-cap must be a positive integer");
  const peers = values.peers === "none" ? [] : values.peers.split(",").map((s) => s.trim());
  for (const p of peers) findEngine(p);
  return {
    k,
    seed,
    gridKind,
    levers,
    base: values.base,
    peers,
    quick: values.quick,
    shortCap,
    out:
      values.out ??
      (values.quick ? join(BENCH_DIR, ".work", "relevance") : join(BENCH_DIR, "results")),
  };
}

const clock = () => new Date().toISOString().slice(11, 19);
const log = (line: string) => process.stderr.write(`[${clock()}] ${line}\n`);

interface Run {
  ranks: Ranks;
  msPerQuery: number;
}

async function rankAll(
  queries: readonly EvalQuery[],
  search: (q: string) => string[] | Promise<string[]>,
): Promise<Run> {
  const ranks = new Uint8Array(queries.length);
  let errors = 0;
  const t0 = performance.now();
  for (const [i, q] of queries.entries()) {
    try {
      const res = search(q.query);
      const ids = res instanceof Promise ? await res : res;
      ranks[i] = rankOf(ids, q.id) ?? 0;
    } catch {
      // A refused query (too long, say) finds nothing: rank 0, counted below.
      errors++;
    }
  }
  if (errors > 0) log(`  ${errors} queries refused`);
  return { ranks, msPerQuery: (performance.now() - t0) / Math.max(1, queries.length) };
}

async function main() {
  const options = cli();
  const started = performance.now();
  const loadAtStart = loadavg().map((l) => Number(l.toFixed(2)));
  const corpus = loadBenchCorpus();
  const sets = buildQuerySets(corpus.docs, corpus.queries, TRAIN_TSV, options.seed);
  const queries = sampleQueries(sets.queries, options.seed, options.shortCap, options.quick);
  const counts = Object.fromEntries(
    SETS.map((set) => [
      set,
      {
        train: queries.filter((q) => q.set === set && q.split === "train").length,
        dev: queries.filter((q) => q.set === set && q.split === "dev").length,
      },
    ]),
  ) as RelevanceReport["counts"];
  const folds = assignFolds(queries, options.k, options.seed);
  const trainKnown = [...queries.keys()].filter(
    (i) => queries[i]?.set === "known-items" && queries[i]?.split === "train",
  );
  const devOf = (set: SetName) =>
    [...queries.keys()].filter((i) => queries[i]?.set === set && queries[i]?.split === "dev");
  const devFigures = (ranks: Ranks): SystemFigures["dev"] => ({
    knownItems: breakdown(ranks, devOf("known-items"), queries),
    perSet: scoreOn(
      ranks,
      [...queries.keys()].filter((i) => queries[i]?.split === "dev"),
      queries,
    ).perSet,
  });
  log(`${queries.length} queries (${JSON.stringify(counts)}); building loupe's index`);

  const t0 = performance.now();
  const index = indexDocuments(corpus.docs.map(toLoupeDocument));
  const buildSeconds = (performance.now() - t0) / 1000;
  const loupeRun = (ranking: RankingParams, searcher?: Searcher) => {
    const engine = new LoupeEngine(index, ranking);
    return rankAll(queries, (q) =>
      searcher ? searcher(engine, q, 10) : engine.search(q, { limit: 10 }).hits.map((h) => h.id),
    );
  };

  const settings = grid(options.gridKind as "none" | "small" | "wide");
  const settingRuns: Run[] = [];
  for (const [i, s] of settings.entries()) {
    log(`setting ${i + 1}/${settings.length}: ${s.name}`);
    settingRuns.push(await loupeRun(s.ranking));
  }
  const candidates = settingRuns.map((r) => r.ranks);
  const cv = crossValidate(candidates, queries, folds, options.k);
  const allTrain = [...folds.keys()].filter((i) => (folds[i] ?? -1) >= 0);

  const fixed = (name: string, config: string, run: Run): SystemFigures => {
    const per = perFold(run.ranks, queries, folds, options.k);
    return {
      name,
      config,
      folds: {
        objective: spread(per.map((p) => p.objective)),
        perSet: Object.fromEntries(
          SETS.map((set) => [set, spread(per.map((p) => p.perSet[set]))]),
        ) as Record<SetName, ReturnType<typeof spread>>,
      },
      trainKnownItems: breakdown(run.ranks, trainKnown, queries),
      dev: devFigures(run.ranks),
      msPerQuery: run.msPerQuery,
    };
  };
  const defaultRun = settingRuns[0] as Run;
  const systems: SystemFigures[] = [];
  if (settings.length > 1) {
    const chosenRanks = candidates[cv.chosenOnAll] as Ranks;
    systems.push({
      name: "loupe, tuned by CV",
      config: `chosen among ${settings.length} settings (--grid ${options.gridKind})`,
      folds: {
        objective: spread(cv.folds.map((f) => f.heldOut.objective)),
        perSet: Object.fromEntries(
          SETS.map((set) => [set, spread(cv.folds.map((f) => f.heldOut.perSet[set]))]),
        ) as Record<SetName, ReturnType<typeof spread>>,
      },
      trainKnownItems: breakdown(cv.heldOutRanks, trainKnown, queries),
      dev: devFigures(chosenRanks),
      msPerQuery: settingRuns.reduce((a, r) => a + r.msPerQuery, 0) / settingRuns.length,
      chosen: {
        perFold: cv.folds.map((f) => settings[f.chosen]?.name ?? "?"),
        onAll: settings[cv.chosenOnAll]?.name ?? "?",
      },
    });
  }
  systems.push(fixed("loupe default", "DEFAULT_RANKING", defaultRun));

  for (const name of options.peers) {
    log(`peer ${name}: build + queries`);
    const peer = await findEngine(name).create();
    await peer.build(corpus.docs);
    systems.push(fixed(name, peer.config, await rankAll(queries, (q) => peer.search(q, 10))));
  }

  const base = options.base === "tuned" ? (settings[cv.chosenOnAll] ?? settings[0]) : settings[0];
  if (!base) throw new Error("no base setting");
  const baseRun = base === settings[0] ? defaultRun : (settingRuns[settings.indexOf(base)] as Run);
  const levers: LeverFigures[] = [];
  for (const lever of options.levers) levers.push(await measureLever(lever));

  async function measureLever(lever: Lever): Promise<LeverFigures> {
    const runs: Run[] = [];
    for (const v of lever.variants) {
      log(`lever ${lever.name}: ${v.name}`);
      runs.push(await loupeRun(v.ranking ? v.ranking(base!.ranking) : base!.ranking, v.search));
    }
    const basePer = perFold(baseRun.ranks, queries, folds, options.k);
    const deltas = (per: ReturnType<typeof perFold>) => ({
      delta: spread(per.map((p, f) => p.objective - (basePer[f]?.objective ?? Number.NaN))),
      deltaPerSet: Object.fromEntries(
        SETS.map((set) => [
          set,
          spread(per.map((p, f) => p.perSet[set] - (basePer[f]?.perSet[set] ?? Number.NaN))),
        ]),
      ) as Record<SetName, ReturnType<typeof spread>>,
    });
    const names = ["base", ...lever.variants.map((v) => v.name)];
    const selectedCv = crossValidate(
      [baseRun.ranks, ...runs.map((r) => r.ranks)],
      queries,
      folds,
      options.k,
    );
    const selectedPer = selectedCv.folds.map((f) => f.heldOut);
    const pooledSel = breakdown(selectedCv.heldOutRanks, trainKnown, queries);
    const pooledBase = breakdown(baseRun.ranks, trainKnown, queries);
    const onAllRanks = [baseRun.ranks, ...runs.map((r) => r.ranks)][
      selectedCv.chosenOnAll
    ] as Ranks;
    const devSel = devFigures(onAllRanks);
    const devBase = devFigures(baseRun.ranks);
    const sel = deltas(selectedPer);
    return {
      name: lever.name,
      description: lever.description,
      base: base!.name,
      variants: lever.variants.map((v, i) => ({
        name: v.name,
        ...deltas(perFold((runs[i] as Run).ranks, queries, folds, options.k)),
      })),
      selected: {
        perFold: selectedCv.folds.map((f) => names[f.chosen] ?? "?"),
        ...sel,
        foldsBetter: selectedPer.filter(
          (p, f) => p.objective > (basePer[f]?.objective ?? 0) + 1e-12,
        ).length,
        pooled: {
          overall: pooledSel.overall - pooledBase.overall,
          sp: pooledSel.sp - pooledBase.sp,
          man: pooledSel.man - pooledBase.man,
          byLength: Object.fromEntries(
            Object.entries(pooledSel.byLength).map(([b, v]) => [
              b,
              {
                queries: v.queries,
                mrr: v.mrr - (pooledBase.byLength[b as keyof typeof pooledBase.byLength]?.mrr ?? 0),
              },
            ]),
          ) as typeof pooledSel.byLength,
        },
        onAll: names[selectedCv.chosenOnAll] ?? "?",
        dev: {
          knownItems: devSel.knownItems.overall - devBase.knownItems.overall,
          perSet: Object.fromEntries(
            SETS.map((set) => [set, devSel.perSet[set] - devBase.perSet[set]]),
          ) as Record<SetName, number>,
        },
      },
    };
  }

  const report: RelevanceReport = {
    date: new Date().toISOString(),
    loadAtStart,
    loadAtEnd: loadavg().map((l) => Number(l.toFixed(2))),
    k: options.k,
    seed: options.seed,
    counts,
    examples: Object.fromEntries(
      SETS.map((set) => [
        set,
        queries
          .filter((q) => q.set === set)
          .slice(0, 5)
          .map((q) => q.query),
      ]),
    ) as Record<SetName, string[]>,
    buildSeconds,
    grid: settings.map((s, i) => ({
      name: s.name,
      trainObjective: scoreOn(candidates[i] as Ranks, allTrain, queries).objective,
    })),
    systems,
    levers,
    minutes: (performance.now() - started) / 60_000,
  };
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, "relevance.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(options.out, "relevance.md"), renderRelevanceReport(report));
  log(`wrote ${join(options.out, "relevance.{md,json}")} in ${report.minutes.toFixed(1)} min`);
}

await main();
