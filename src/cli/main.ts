/**
 * The `loupe` command line: thin over the library, one file per command.
 * Every failure is one line on stderr naming what went wrong and what to do, and an exit code.
 */
import { parseArgs } from "node:util";
import { nearestName } from "../server/errors.js";
import { analyzeCommand } from "./analyze.js";
import { indexCommand } from "./index-command.js";
import { type CliIO, processIO, UsageError } from "./output.js";
import { searchCommand } from "./search-command.js";
import { SERVING_FLAGS, serveCommand } from "./serve.js";
import { startCommand } from "./start.js";

/** Each command's usage lines, in the order `loupe help` lists them. */
const COMMANDS: Record<string, string> = {
  start: `  start [--input seeds] [--settings loupe.json] [--index index] [--port 3000] [--host 127.0.0.1] [--quiet]
        [--workers N] [--budget-ms 50] [--queue 64] [--rate-limit R]
                              index the folder if needed, then serve it (npm start)`,
  serve: `  serve [--index index] [--port 3000] [--host 127.0.0.1] [--quiet]
        [--workers N] [--budget-ms 50] [--queue 64] [--rate-limit R]
                              serve an existing index`,
  search: `  search "query" [--limit 10] [--offset 0] [--date 2020-01[..2020-03]] [--index index] [--json]
         [--filter "year >= 2020"] [--facets section,year] [--sort year:desc]
                              search an existing index (a query starting with "-" goes after --);
                              with --filter, --facets, --sort or --date the query may be
                              left out: every document they keep is listed`,
  index: `  index [--input seeds] [--out index] [--settings loupe.json] [--force] [--json] [--max-file-mb 10]
                              build or update the index of a folder of .txt, .md, .html
                              files and .json/.ndjson/.jsonl records`,
  analyze: `  analyze "texte" [--json]    show how loupe's French analysis chain reads a text`,
};

const USAGE = `usage: loupe <command> [options]

commands:
${Object.values(COMMANDS).join("\n")}`;

/**
 * `--help` or `-h` among a command's options (before a `--`, after which they are text to
 * search or analyse): as git and npm do, that command's usage on stdout and exit code 0,
 * rather than an unknown option.
 */
function asksHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

export async function run(argv: string[], io: CliIO = processIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== undefined && Object.hasOwn(COMMANDS, command) && asksHelp(rest)) {
    io.out(`usage: loupe ${COMMANDS[command]!.trimStart()}`);
    // What serving's flags do: `start` takes them too, and its help listed none of them (QA).
    if (command === "serve" || command === "start") io.out(SERVING_FLAGS);
    return 0;
  }
  try {
    switch (command) {
      case "analyze": {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { json: { type: "boolean", default: false } },
        });
        if (positionals.length === 0)
          throw new UsageError('loupe analyze needs a text: loupe analyze "L’OTAN a suspendu…"');
        return analyzeCommand(positionals.join(" "), values.json === true, io);
      }
      case "index": {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            input: { type: "string", default: "seeds" },
            out: { type: "string", default: "index" },
            settings: { type: "string" },
            force: { type: "boolean", default: false },
            json: { type: "boolean", default: false },
            "max-file-mb": { type: "string" },
          },
        });
        // `loupe index docs/` is a likely first try: Node's message named no --input (QA).
        if (positionals.length > 0) {
          throw new UsageError(
            `loupe index takes its folder as --input: loupe index --input ${positionals[0]}\nusage: loupe ${COMMANDS.index!.trimStart()}`,
          );
        }
        const maxFileMb = values["max-file-mb"];
        if (maxFileMb !== undefined && !(/^\d+(\.\d+)?$/.test(maxFileMb) && Number(maxFileMb) > 0))
          throw new UsageError(
            `--max-file-mb must be a positive number of MiB (got '${maxFileMb}'): loupe index --max-file-mb 50`,
          );
        return await indexCommand(
          {
            input: values.input,
            out: values.out,
            force: values.force,
            json: values.json,
            ...(values.settings !== undefined && { settings: values.settings }),
            ...(maxFileMb !== undefined && { maxFileMb: Number(maxFileMb) }),
          },
          io,
        );
      }
      case "search":
        return await searchCommand(rest, io);
      case "serve":
        return await serveCommand(rest, io);
      case "start":
        return await startCommand(rest, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return command === undefined ? 1 : 0;
      default: {
        const meant = nearestName(command, Object.keys(COMMANDS));
        throw new UsageError(
          `unknown command '${command}'${meant === undefined ? "" : `: did you mean ${meant}?`}\n${USAGE}`,
        );
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.err(`loupe: ${isParseArgsError(error) ? parseArgsMessage(message, command) : message}`);
    return error instanceof UsageError || isParseArgsError(error) ? 2 : 1;
  }
}

/**
 * Node's message for a command's bad option, without its advice on positional arguments (whose
 * quotes did not even close), and for an unknown option (`--inptu`) the command's own option it
 * may have meant, as the API says of a parameter; Node's message alone named none (QA).
 */
function parseArgsMessage(message: string, command: string | undefined): string {
  const unknown = /^Unknown option '(--?[^']+)'/.exec(message)?.[1];
  if (unknown === undefined) return message;
  const help = command !== undefined && Object.hasOwn(COMMANDS, command) ? command : undefined;
  const options =
    help === undefined ? [] : [...new Set(COMMANDS[help]!.match(/--[a-z][a-z-]*/g) ?? [])];
  const meant = nearestName(unknown, options);
  const text =
    help === "search" || help === "analyze" ? `; a text starting with "-" goes after --` : "";
  return `unknown option '${unknown}'${meant === undefined ? "" : `: did you mean ${meant}?`}${help === undefined ? "" : ` (loupe ${help} --help${text})`}`;
}

function isParseArgsError(error: unknown): boolean {
  return (
    error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")
  );
}
