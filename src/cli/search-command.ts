/**
 * `loupe search "query"`: the ranked results of a query over an existing index, as a person
 * reads them in a terminal (matches in bold), as plain text in a pipe, or as the API's JSON.
 */
import { parseArgs } from "node:util";
import { flattenRecord } from "../corpus/attributes.js";
import { parseDateRange } from "../search/dates.js";
import { openEngine } from "../search/engine.js";
import { listItems, listsWithoutQuery } from "../search/refine.js";
import { type Hit, QueryError, type SearchResult, type Span } from "../search/types.js";
import { presentResult } from "../server/present.js";
import { readWholeNumber } from "../server/whole-number.js";
import { type CliIO, UsageError } from "./output.js";

export const SEARCH_USAGE = `usage: loupe search "query" [--limit 10] [--offset 0] [--date 2020-01[..2020-03]]
         [--filter "section = Défense AND year >= 2020"] [--facets section,year] [--sort year:desc]
         [--index index] [--json]
  with --filter, --facets, --sort or --date the query may be left out: every document they
  keep is listed
  a query starting with "-" goes after --: loupe search -- '-"État islamique" OTAN'`;

export const SEARCH_FLAGS = {
  limit: { type: "string" },
  offset: { type: "string" },
  date: { type: "string" },
  filter: { type: "string" },
  facets: { type: "string" },
  sort: { type: "string" },
  index: { type: "string", default: "index" },
  json: { type: "boolean", default: false },
} as const;

const BOLD = "\x1b[1m";
const DIM = "\x1b[2m";
const RESET = "\x1b[0m";

export async function searchCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: SEARCH_FLAGS,
    allowPositionals: true,
  });
  const filtered = values.filter !== undefined && values.filter.trim() !== "";
  // `loupe search ""` as the API's `q=`: a blank query is no query.
  const browsing = listsWithoutQuery(values);
  if (positionals.join(" ").trim() === "" && !browsing) {
    throw new UsageError(
      `loupe search needs a query (or a --filter, --facets, --sort or --date)\n${SEARCH_USAGE}`,
    );
  }
  const query = positionals.join(" ");
  const limit = values.limit === undefined ? undefined : wholeNumber(values.limit, "--limit");
  const offset = values.offset === undefined ? undefined : wholeNumber(values.offset, "--offset");

  // Checked here to name the flag; the same month in the query (`date:`) is the engine's to check.
  if (values.date !== undefined) checkDateFlag(values.date);

  const engine = await openEngine(values.index);
  let result: SearchResult;
  try {
    const facets = listItems("facets", values.facets);
    const sort = listItems("sort", values.sort);
    result = engine.search(query, {
      ...(limit !== undefined && { limit }),
      ...(offset !== undefined && { offset }),
      ...(values.date !== undefined && { date: values.date }),
      ...(filtered && { filter: values.filter }),
      ...(facets !== undefined && { facets }),
      ...(sort !== undefined && { sort }),
    });
  } catch (error) {
    // The query or a flag is what the user must fix: a usage error, in the engine's words,
    // naming the flag when one is at fault.
    if (error instanceof QueryError) {
      const flag = FLAG_OF[error.parameter];
      throw new UsageError(
        flag === undefined ? error.message : `${flag}: ${error.message.replace(/^filter: /, "")}`,
      );
    }
    throw error;
  }

  if (values.json) {
    io.out(JSON.stringify(presentResult(result), null, 2));
    return 0;
  }
  for (const line of formatResult(result, io.isTTY)) io.out(line);
  for (const warning of result.warnings ?? []) io.err(`loupe: note: ${warning}`);
  return 0;
}

const FLAG_OF: Record<string, string> = {
  filter: "--filter",
  facets: "--facets",
  sort: "--sort",
};

/** The lines `loupe search` prints for a result: header, suggestion, then each hit, then facets. */
export function formatResult(result: SearchResult, tty: boolean): string[] {
  const lines = [header(result)];
  if (result.suggestion !== undefined) {
    lines.push(
      `Vouliez-vous dire : ${tty ? `${BOLD}${clean(result.suggestion)}${RESET}` : clean(result.suggestion)} ?`,
    );
  }
  // `--limit 0` asks for the count alone; past the last page, say where the results end.
  if (result.hits.length === 0 && result.total > 0 && result.limit > 0) {
    const rank = result.offset === 0 ? "1er" : `${result.offset + 1}e`;
    lines.push(`(aucun résultat à partir du ${rank}\u202f: il y en a ${result.total})`);
  }
  result.hits.forEach((hit, i) => {
    lines.push("", ...formatHit(hit, result.offset + i + 1, tty));
  });
  const facets = Object.entries(result.facetDistribution ?? {});
  if (facets.length > 0) lines.push("", "Facettes :");
  for (const [attribute, counts] of facets) {
    const values = Object.entries(counts).map(([value, count]) => `${clean(value)} (${count})`);
    lines.push(`  ${clean(attribute)} : ${values.length > 0 ? values.join(" · ") : "—"}`);
  }
  return lines;
}

function header(result: SearchResult): string {
  const count =
    result.total === 0
      ? "Aucun résultat"
      : `${result.total} résultat${result.total === 1 ? "" : "s"}`;
  const shown =
    result.hits.length > 0 && result.hits.length < result.total
      ? `, ${result.offset + 1}–${result.offset + result.hits.length} affichés`
      : "";
  const query = clean(result.query).trim();
  const what = query === "" ? "" : ` pour « ${query} »`;
  return `${count}${what}${shown} (${result.tookMs.toFixed(1)} ms)`;
}

function formatHit(hit: Hit, rank: number, tty: boolean): string[] {
  // The 0–1 ranking score, as Meilisearch shows it: `score` is the ranking's own number,
  // often negative, which read as nonsense (QA); --json gives both.
  const details = [hit.date, hit.id, `pertinence ${hit.rankingScore.toFixed(2)}`]
    .filter((part) => part !== undefined)
    .join(" · ");
  const title = terminalText(hit.title, hit.titleMarks, tty);
  // One line: nested fields by their dot paths (`meta.author`), lists joined.
  const attributes = Object.entries(flattenRecord(hit.attributes ?? {}))
    .filter(([name]) => name !== "title" && name !== "body")
    .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(", ") : String(value)}`)
    .join(" · ");
  return [
    tty ? `${BOLD}${rank}.${RESET} ${title}` : `${rank}. ${title}`,
    `   ${tty ? `${DIM}${details}${RESET}` : details}`,
    ...(attributes === "" ? [] : [`   ${clean(attributes)}`]),
    `   ${terminalText(hit.snippet.text, hit.snippet.marks, tty)}`,
  ];
}

/** Text with its matches in bold on a terminal, plain elsewhere; made safe to print. */
export function terminalText(text: string, marks: readonly Span[], tty: boolean): string {
  let out = "";
  let at = 0;
  for (const [start, end] of marks) {
    if (start < at || end <= start) continue;
    const word = clean(text.slice(start, end));
    out += clean(text.slice(at, start)) + (tty ? `${BOLD}${word}${RESET}` : word);
    at = end;
  }
  return out + clean(text.slice(at));
}

/**
 * Text from the collection made safe to print: line breaks and tabs become one space, and no
 * control character (an ESC from a document would drive the terminal) gets through.
 */
function clean(text: string): string {
  return text.replace(LINE_BREAKS, " ").replace(CONTROL, "");
}

const LINE_BREAKS = /[\t\n\r\f\v\u2028\u2029]+/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function checkDateFlag(text: string): void {
  try {
    parseDateRange(text, "--date");
  } catch (error) {
    if (error instanceof QueryError) throw new UsageError(error.message);
    throw error;
  }
}

/** Any size: the engine refuses one out of its range, in its own words. */
function wholeNumber(text: string, flag: string): number {
  const n = readWholeNumber(text, 0, Number.MAX_SAFE_INTEGER);
  if (n === undefined) throw new UsageError(`${flag} '${text}' is not a whole number`);
  return n;
}
