/**
 * `loupe start`, what `npm start` runs: bring the index up to date with the input folder
 * (a no-op when nothing changed), then serve it. Unlike `loupe serve`, a missing or stale
 * index is not an error here: it gets built.
 */
import { parseArgs } from "node:util";
import { buildIndex } from "../index/index.js";
import { keptLines } from "./index-command.js";
import { type CliIO, UsageError } from "./output.js";
import { SERVE_FLAGS, type ServeDeps, say, serve, serveOptions } from "./serve.js";

export const START_USAGE = `usage: loupe start [--input seeds] [--settings loupe.json] [--index index] [--port 3000] [--host 127.0.0.1] [--quiet]
                   [--workers N] [--budget-ms 50] [--queue 64] [--rate-limit R]`;

export async function startCommand(
  args: string[],
  io: CliIO,
  deps: ServeDeps = {},
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...SERVE_FLAGS,
      input: { type: "string", default: "seeds" },
      settings: { type: "string" },
    },
  });
  if (positionals.length > 0)
    throw new UsageError(`loupe start takes no arguments\n${START_USAGE}`);
  const options = serveOptions(values, deps.env);
  const report = await buildIndex({
    input: values.input,
    out: options.indexDir,
    ...(values.settings !== undefined && { settings: values.settings }),
    log: (line) => io.err(`loupe: ${line}`),
  });
  const skipped = report.skipped.length > 0 ? `, ${report.skipped.length} file(s) skipped` : "";
  const what =
    report.status === "unchanged"
      ? "is up to date"
      : `${report.status} in ${report.seconds.toFixed(2)} s (${report.added} added, ${report.changed} changed, ${report.removed} removed)`;
  say(
    io,
    `index ${report.status}`,
    { input: values.input, documents: report.documents, skipped: report.skipped.length },
    `loupe: index of ${values.input} ${what}: ${report.documents} documents${skipped}`,
  );
  for (const file of report.skipped) io.err(`loupe: skipped ${file.source}: ${file.reason}`);
  for (const line of keptLines(report)) io.err(`loupe: ${line}`);
  for (const note of report.notes) io.err(`loupe: note ${note.source}: ${note.reason}`);
  return serve(options, io, deps);
}
