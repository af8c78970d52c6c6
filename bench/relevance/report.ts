/** The relevance harness's JSON record and its markdown (bench/results/relevance.md). */
import type { Breakdown, Spread } from "./cv.js";
import { LENGTH_BUCKETS, SETS, type SetName, SHORT_SETS, type Split } from "./sets.js";

export interface SystemFigures {
  name: string;
  /** What it is, in words. */
  config: string;
  /** Held-out MRR@10 per fold: the objective and each set. */
  folds: { objective: Spread; perSet: Record<SetName, Spread> };
  /** Held-out ranks of the train known-items pooled over folds, by source and length. */
  trainKnownItems: Breakdown;
  dev: { knownItems: Breakdown; perSet: Record<SetName, number> };
  /** Mean milliseconds per query over every query it ran. */
  msPerQuery: number;
  /** For tuned systems: what each fold chose, and what all of train chose (judged on dev). */
  chosen?: { perFold: string[]; onAll: string };
}

export interface LeverFigures {
  name: string;
  description: string;
  base: string;
  /** Each variant fixed: per-fold held-out Δ objective against the base (no choice made). */
  variants: Array<{ name: string; delta: Spread; deltaPerSet: Record<SetName, Spread> }>;
  /** Base or a variant chosen per fold on its training part: Δ against the base, held out. */
  selected: {
    perFold: string[];
    delta: Spread;
    deltaPerSet: Record<SetName, Spread>;
    foldsBetter: number;
    /** Held-out known-items Δ pooled over folds, by source and length bucket. */
    pooled: Breakdown;
    onAll: string;
    /** Δ on the dev set of the variant chosen on all of train. */
    dev: { knownItems: number; perSet: Record<SetName, number> };
  };
}

export interface RelevanceReport {
  date: string;
  loadAtStart: number[];
  loadAtEnd: number[];
  k: number;
  seed: number;
  counts: Record<SetName, Record<Split, number>>;
  examples: Record<SetName, string[]>;
  buildSeconds: number;
  grid: Array<{ name: string; trainObjective: number }>;
  systems: SystemFigures[];
  levers: LeverFigures[];
  minutes: number;
}

const f3 = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v.toFixed(3) : "–");
const sd = (s: Spread) => `${f3(s.mean)} ± ${f3(s.sd)}`;
const signed = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? "+" : ""}${v.toFixed(3)}` : "–");
const dsd = (s: Spread) => `${signed(s.mean)} ± ${f3(s.sd)}`;

export function renderRelevanceReport(r: RelevanceReport): string {
  const lines: string[] = [
    "# Relevance harness",
    "",
    `${r.date}; load average ${r.loadAtStart.join(" / ")} at the start, ${r.loadAtEnd.join(" / ")} ` +
      `at the end; ${r.k}-fold cross-validation (seed ${r.seed}) on the training queries, the dev ` +
      `set untouched; loupe's index built once (${r.buildSeconds.toFixed(1)} s), only query-time ` +
      `parameters vary; whole run ${r.minutes.toFixed(1)} min.`,
    "",
    "| set | train | dev | examples |",
    "|---|---|---|---|",
    ...SETS.map(
      (set) =>
        `| ${set} | ${r.counts[set].train} | ${r.counts[set].dev} | ${r.examples[set]
          .slice(0, 3)
          .map((q) => `\`${q}\``)
          .join(", ")} |`,
    ),
    "",
    "Objective a setting is chosen by: 0.5 × known-items MRR@10 + 0.5 / 3 × each of short-man, " +
      "short-sp and short-title, on the fold's training part. **Cross-validated** figures are the held-out " +
      "folds' (mean ± standard deviation across folds); **dev** figures are the untouched " +
      "development queries (150 known items; the dev halves of the short sets), judged once with " +
      "the setting chosen on all of train. Peers and loupe's default are fixed systems: their " +
      "fold figures are the same held-out queries, nothing chosen.",
    "",
    "## MRR@10, same run",
    "",
    `| system | CV objective | ${SETS.map((set) => `CV ${set}`).join(" | ")} | dev known-items | dev sp / man | ${SHORT_SETS.map((set) => `dev ${set}`).join(" | ")} | ms/query |`,
    `|---|---|${SETS.map(() => "---").join("|")}|---|---|${SHORT_SETS.map(() => "---").join("|")}|---|`,
    ...r.systems.map(
      (s) =>
        `| ${s.name} | ${sd(s.folds.objective)} | ${SETS.map((set) => sd(s.folds.perSet[set])).join(" | ")} | ${f3(s.dev.knownItems.overall)} | ${f3(s.dev.knownItems.sp)} / ${f3(s.dev.knownItems.man)} | ${SHORT_SETS.map((set) => f3(s.dev.perSet[set])).join(" | ")} | ${s.msPerQuery.toFixed(2)} |`,
    ),
    "",
    "### Known-item queries by source and length (train held out, pooled over folds)",
    "",
    `| system | sp | man | ${LENGTH_BUCKETS.map((b) => `${b} words`).join(" | ")} |`,
    `|---|---|---|${LENGTH_BUCKETS.map(() => "---").join("|")}|`,
    ...r.systems.map(
      (s) =>
        `| ${s.name} | ${f3(s.trainKnownItems.sp)} | ${f3(s.trainKnownItems.man)} | ${LENGTH_BUCKETS.map((b) => `${f3(s.trainKnownItems.byLength[b].mrr)} (${s.trainKnownItems.byLength[b].queries})`).join(" | ")} |`,
    ),
    "",
  ];
  const tuned = r.systems.filter((s) => s.chosen);
  for (const s of tuned) {
    lines.push(
      `${s.name}: chosen per fold ${s.chosen?.perFold.map((c) => `\`${c}\``).join(", ")}; on all of train \`${s.chosen?.onAll}\`.`,
      "",
    );
  }
  if (r.levers.length > 0) {
    lines.push(
      "## Levers (Δ MRR@10 against the base, held out, mean ± sd across folds)",
      "",
      "`selected` chooses, per fold on its training part, between the base and the lever's " +
        "variants, and is judged on the held-out part: the lever's cross-validated effect. Each " +
        "variant's own row is its fixed effect (nothing chosen).",
      "",
      `| lever | variant | Δ objective | ${SETS.map((set) => `Δ ${set}`).join(" | ")} | folds better | Δ known sp / man (pooled) | Δ dev known-items |`,
      `|---|---|---|${SETS.map(() => "---").join("|")}|---|---|---|`,
    );
    for (const lever of r.levers) {
      const sel = lever.selected;
      lines.push(
        `| **${lever.name}** (${lever.description}) | selected: ${sel.perFold.map((c) => `\`${c}\``).join(", ")} → \`${sel.onAll}\` | ${dsd(sel.delta)} | ${SETS.map((set) => dsd(sel.deltaPerSet[set])).join(" | ")} | ${sel.foldsBetter}/${r.k} | ${signed(sel.pooled.sp)} / ${signed(sel.pooled.man)} | ${signed(sel.dev.knownItems)} |`,
      );
      for (const v of lever.variants) {
        lines.push(
          `| | ${v.name} | ${dsd(v.delta)} | ${SETS.map((set) => dsd(v.deltaPerSet[set])).join(" | ")} | | | |`,
        );
      }
    }
    lines.push("", `Base of every lever: \`${r.levers[0]?.base}\`.`, "");
  }
  lines.push(
    "## Grid",
    "",
    "| setting | objective on all of train |",
    "|---|---|",
    ...r.grid.map((g) => `| ${g.name} | ${f3(g.trainObjective)} |`),
    "",
  );
  return lines.join("\n");
}
