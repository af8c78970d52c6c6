import cliProgress from "cli-progress";
import { type BuildReport, buildIndex, IndexError } from "../index/index.js";
import type { CliIO } from "./output.js";

export interface IndexCommandOptions {
  input: string;
  out: string;
  force: boolean;
  json: boolean;
  /** A settings file other than the input folder's loupe.json. */
  settings?: string;
  /** Text and HTML files larger than this many MiB are skipped (default 10). */
  maxFileMb?: number;
}

/** Collections smaller than this finish before a progress bar is worth drawing. */
const PROGRESS_MIN_FILES = 200;

/** `loupe index`: build or update the index, one line per skipped file, one summary line. */
export async function indexCommand(options: IndexCommandOptions, io: CliIO): Promise<number> {
  let bar: cliProgress.SingleBar | undefined;
  const report = await buildIndex({
    input: options.input,
    out: options.out,
    force: options.force,
    ...(options.settings !== undefined && { settings: options.settings }),
    ...(options.maxFileMb !== undefined && {
      maxBytes: Math.floor(options.maxFileMb * 1024 * 1024),
    }),
    log: (line) => io.err(line),
    onProgress: (done, total) => {
      if (!io.isTTY || total < PROGRESS_MIN_FILES) return;
      if (bar === undefined) {
        bar = new cliProgress.SingleBar(
          { format: "reading {bar} {value}/{total} files", hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
      }
      bar.update(done);
      if (done === total) bar.stop();
    },
  })
    .catch((error: unknown) => {
      // When every file was skipped, why each was is what the user needs to see.
      if (error instanceof IndexError)
        for (const skipped of error.skipped) io.err(skippedLine(skipped));
      throw error;
    })
    .finally(() => bar?.stop());

  for (const skipped of report.skipped) io.err(skippedLine(skipped));
  for (const line of keptLines(report)) io.err(line);
  for (const note of report.notes) io.err(`note ${note.source}: ${note.reason}`);
  io.out(options.json ? JSON.stringify(report) : summary(report, options.out));
  return 0;
}

/** What the index keeps of files it could not read this time, one line each. */
export function keptLines(report: Pick<BuildReport, "kept">): string[] {
  return report.kept.map(
    ({ source, documents: n }) =>
      `kept ${source}: ${documents(n)} as last indexed, until it can be read again (or is removed)`,
  );
}

function skippedLine(skipped: { source: string; reason: string }): string {
  // A record's reason already starts with its line ("line 3: no id…").
  return `skipped ${skipped.source}: ${skipped.reason}`;
}

function documents(n: number): string {
  return `${n} document${n === 1 ? "" : "s"}`;
}

function summary(report: BuildReport, out: string): string {
  const mb = (report.bytesRead / 1e6).toFixed(2);
  const size = `${(report.indexBytes / 1e6).toFixed(2)} MB`;
  const kept = report.kept.reduce((sum, entry) => sum + entry.documents, 0);
  const skipped =
    (report.skipped.length > 0 ? `, ${report.skipped.length} skipped` : "") +
    (kept > 0 ? ` (${documents(kept)} kept as last indexed)` : "");
  switch (report.status) {
    case "unchanged":
      return `nothing to do: ${documents(report.documents)} unchanged in ${out}/ (${size})${skipped}`;
    case "updated":
      return `updated ${out}/: ${report.added} added, ${report.changed} changed, ${report.removed} removed; ${documents(report.documents)}, ${mb} MB read in ${report.seconds.toFixed(2)} s, index ${size}${skipped}`;
    case "built":
      return `indexed ${documents(report.documents)} into ${out}/: ${mb} MB read in ${report.seconds.toFixed(2)} s (${(report.bytesRead / 1e6 / report.seconds).toFixed(1)} MB/s), index ${size}${skipped}`;
  }
}
