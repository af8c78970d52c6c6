/**
 * `loupe search` over an index of seeds/ built into a temporary folder, with a capturing CliIO.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CliIO } from "../../src/cli/output.js";
import { UsageError } from "../../src/cli/output.js";
import { formatResult, searchCommand, terminalText } from "../../src/cli/search-command.js";
import { buildIndex } from "../../src/index/index.js";
import { type LoupeEngine, openEngine } from "../../src/search/engine.js";
import type { MarkedText, SearchResult } from "../../src/search/types.js";
import { presentResult, type SearchResultJson } from "../../src/server/present.js";
import { SEED, SEEDS, visibleText } from "../search/helpers.js";

let root: string;
let index: string;
let engine: LoupeEngine;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "loupe-cli-search-"));
  index = path.join(root, "index");
  await buildIndex({ input: SEEDS, out: index });
  engine = await openEngine(index);
});
afterAll(() => rm(root, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string[];
  stderr: string[];
}

async function search(args: string[], isTTY = false): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIO = { out: (line) => stdout.push(line), err: (line) => stderr.push(line), isTTY };
  const code = await searchCommand(["--index", index, ...args], io);
  return { code, stdout, stderr };
}

/** The error `searchCommand` rejects with. */
async function failure(args: string[]): Promise<Error> {
  const io: CliIO = { out: () => {}, err: () => {}, isTTY: false };
  return searchCommand(args, io).then(
    () => {
      throw new Error(`loupe search ${args.join(" ")} did not fail`);
    },
    (error: Error) => error,
  );
}

const ESC = "\x1b";
const plain = (text: string | MarkedText) => visibleText(text).replace(/\s+/g, " ");

describe("loupe search, in a pipe (no terminal)", () => {
  test("prints the header, then rank, title, date, id, ranking score and the snippet as plain text", async () => {
    const { code, stdout, stderr } = await search(["Parly"]);
    expect(code).toBe(0);
    expect(stderr).toEqual([]);
    expect(stdout[0]).toMatch(/^1 résultat pour « Parly » \(\d+\.\d ms\)$/);
    const hit = engine.search("Parly").hits[0]!;
    expect(hit.id).toBe(SEED.parly);
    expect(stdout.slice(1)).toEqual([
      "",
      `1. ${hit.title}`,
      `   ${hit.id} · pertinence ${hit.rankingScore.toFixed(2)}`,
      `   ${plain(hit.snippet)}`,
    ]);
    const text = stdout.join("\n");
    expect(text).toContain("Florence Parly");
    expect(text).not.toMatch(/<\/?mark>|&#39;|&amp;|\[/);
    expect(text).not.toContain(ESC);
    // The text as it is, never HTML: the snippet's d'élite reads d'élite.
    expect(text).toContain("d'élite");
  });

  test("every hit of a page, ranked, with its date when it has one", async () => {
    const { stdout } = await search(["Soleimani", "Bagdad"]);
    const result = engine.search("Soleimani Bagdad");
    expect(stdout[0]).toMatch(/^5 résultats pour « Soleimani Bagdad » \(/);
    result.hits.forEach((hit, i) => {
      const at = stdout.indexOf(`${i + 1}. ${hit.title}`);
      expect(at, hit.id).toBeGreaterThan(0);
      const details = [hit.date, hit.id, `pertinence ${hit.rankingScore.toFixed(2)}`]
        .filter(Boolean)
        .join(" · ");
      expect(stdout[at + 1]).toBe(`   ${details}`);
      expect(stdout[at + 2]).toBe(`   ${plain(hit.snippet)}`);
    });
    expect(stdout.join("\n")).toMatch(/2020-02 · 002_14b393e916f4b8aa · pertinence 0\.\d\d\n/);
  });

  test("--limit and --offset page through the ranking", async () => {
    const { stdout } = await search(["OTAN Irak", "--limit", "2", "--offset", "2"]);
    const all = engine.search("OTAN Irak").hits;
    expect(stdout[0]).toMatch(/^5 résultats pour « OTAN Irak », 3–4 affichés \(/);
    const ranks = stdout.filter((line) => /^\d+\. /.test(line));
    expect(ranks).toEqual([`3. ${all[2]!.title}`, `4. ${all[3]!.title}`]);
    expect(stdout.join("\n")).toContain(all[2]!.id);
    expect(stdout.join("\n")).not.toContain(all[0]!.id);
  });

  test("--date keeps the months asked for", async () => {
    const { stdout } = await search(["OTAN", "--date", "2020-02"]);
    expect(stdout[0]).toMatch(/^2 résultats pour « OTAN »/);
    const ids = stdout.flatMap((line) => line.match(/\d{3}_[0-9a-f]{16}/g) ?? []);
    expect(ids.sort()).toEqual([SEED.canada, SEED.bruxelles]);
  });

  test("a typo: the suggestion is printed", async () => {
    const { stdout } = await search(["Stoltemberg"]);
    expect(stdout).toContain("Vouliez-vous dire : Stoltenberg ?");
  });

  test("nothing found: a header that says so", async () => {
    const { code, stdout } = await search(["xyzzyq "]);
    expect(code).toBe(0);
    expect(stdout).toHaveLength(1);
    expect(stdout[0]).toMatch(/^Aucun résultat pour « xyzzyq » \(/);
  });

  test("an offset past the end says how many there are", async () => {
    const { stdout } = await search(["Parly", "--offset", "3"]);
    expect(stdout[0]).toMatch(/^1 résultat pour « Parly »/);
    expect(stdout.join("\n")).toMatch(/il y en a 1/);
  });

  test("the parser's warnings go to stderr", async () => {
    const { code, stdout, stderr } = await search(['OTAN "formation des formateurs']);
    expect(code).toBe(0);
    expect(stdout[0]).toMatch(/^1 résultat/);
    expect(stderr).toEqual([
      "loupe: note: an opening quote had no closing quote: the phrase runs to the end",
    ]);
  });

  test("a query starting with - goes after --, and positionals are joined", async () => {
    const { stdout } = await search(["--", "OTAN", "-Canada"]);
    expect(stdout[0]).toMatch(/^4 résultats pour « OTAN -Canada »/);
    expect(stdout.join("\n")).not.toContain(SEED.canada);
    const phrase = await search(["--", '-"État islamique"']);
    expect(phrase.stdout[0]).toMatch(/^2 résultats/);
  });
});

describe("loupe search on a terminal", () => {
  test("matches in bold, no <mark>, entities decoded", async () => {
    const { stdout } = await search(["Parly"], true);
    const text = stdout.join("\n");
    expect(text).toContain("\x1b[1mParly\x1b[0m");
    expect(text).not.toMatch(/<\/?mark>|&#39;/);
    expect(text).toContain("d'élite");
  });

  test("title words that matched are bold too", async () => {
    const { stdout } = await search(["Soleimani"], true);
    expect(stdout.find((line) => line.includes("A la suite de"))).toContain(
      "l'assassinat de Qassem \x1b[1mSoleimani\x1b[0m dans un raid",
    );
  });

  test("the snippet's text is exactly the plain one, with bold around each match", async () => {
    const tty = (await search(["helicoptere"], true)).stdout;
    const pipe = (await search(["helicoptere"])).stdout;
    const strip = (line: string) =>
      line.replaceAll(`${ESC}[1m`, "").replaceAll(`${ESC}[2m`, "").replaceAll(`${ESC}[0m`, "");
    expect(tty.slice(1).map(strip)).toEqual(pipe.slice(1));
    expect(tty.join("\n").split("\x1b[1mhélicoptères\x1b[0m").length - 1).toBeGreaterThanOrEqual(2);
  });
});

describe("terminalText", () => {
  test("the spans become bold; the text's own markup stays text", () => {
    const text = "a <mark>b</mark> c &amp;";
    const c = text.indexOf(" c") + 1;
    expect(terminalText(text, [[c, c + 1]], true)).toBe("a <mark>b</mark> \x1b[1mc\x1b[0m &amp;");
    expect(terminalText(text, [[c, c + 1]], false)).toBe(text);
    expect(terminalText("abc", [], true)).toBe("abc");
  });

  test("no control character from a document reaches the terminal", () => {
    const text = "x\x1b[2J\x07y\u009b z\n\nw";
    const z = text.indexOf("z");
    expect(terminalText(text, [[z, z + 1]], true)).toBe("x[2Jy \x1b[1mz\x1b[0m w");
    // Nor from inside a match.
    expect(terminalText("a\x1bb", [[0, 3]], true)).toBe("\x1b[1mab\x1b[0m");
  });

  test("formatResult of a result without hits is the header alone", () => {
    const result: SearchResult = {
      query: "q",
      total: 0,
      offset: 0,
      limit: 10,
      tookMs: 1.25,
      hits: [],
      facets: { date: {} },
    };
    expect(formatResult(result, false)).toEqual(["Aucun résultat pour « q » (1.3 ms)"]);
  });
});

describe("loupe search --json", () => {
  test("prints the result as the API sends it", async () => {
    const { code, stdout } = await search(["Etat islamique", "--json", "--limit", "3"]);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout.join("\n")) as SearchResultJson;
    const expected = presentResult(engine.search("Etat islamique", { limit: 3 }));
    expect({ ...printed, tookMs: 0 }).toEqual({ ...expected, tookMs: 0 });
    expect(printed.hits[0]?.snippet).toContain("<mark>");
    expect(printed.total).toBe(5);
    expect(printed.limit).toBe(3);
  });

  test("warnings and suggestion are in the object, nothing on stderr", async () => {
    const { stdout, stderr } = await search(["Stoltemberg -", "--json"]);
    const printed = JSON.parse(stdout.join("\n")) as SearchResult;
    expect(printed.suggestion).toBe("Stoltenberg -");
    expect(printed.warnings?.length).toBe(1);
    expect(stderr).toEqual([]);
  });
});

describe("loupe search errors", () => {
  test("a missing index: the loader's error, naming the folder", async () => {
    const missing = path.join(root, "nowhere");
    const error = await failure(["OTAN", "--index", missing]);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain(missing);
    expect(error.message).toMatch(/no index/);
  });

  test("no query: a usage error", async () => {
    const error = await failure(["--index", index]);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/usage: loupe search/);
    // A blank query is none, as the API's q= (it used to list every document).
    for (const blank of ["", "   "]) {
      const refused = await failure(["--index", index, blank]);
      expect(refused).toBeInstanceOf(UsageError);
      expect(refused.message).toMatch(/needs a query/);
    }
  });

  test("a bad --limit or --offset: a usage error naming the flag", async () => {
    for (const [flag, value, message] of [
      ["--limit", "abc", /--limit 'abc' is not a whole number/],
      ["--offset", "-3", /--offset/],
      ["--limit", "500", /^limit must be a whole number from 0 to 100/],
      ["--offset", "20000", /^offset must be a whole number from 0 to 10000/],
    ] as const) {
      const error = await failure(["OTAN", flag, value, "--index", index]);
      expect(error, `${flag} ${value}`).toBeInstanceOf(Error);
      expect(error.message, `${flag} ${value}`).toMatch(message);
    }
  });

  test("a query the engine refuses: a usage error with its message", async () => {
    const error = await failure(["OTAN date:2020-13", "--index", index]);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/^date '2020-13' is not a month/);
    const date = await failure(["OTAN", "--date", "2020-13", "--index", index]);
    expect(date).toBeInstanceOf(UsageError);
    expect(date.message).toMatch(
      /^--date '2020-13' is not a month or a range of months: write 2020-01/,
    );
    // Checked before the index is opened: a bad flag is reported even without an index.
    const early = await failure([
      "OTAN",
      "--date",
      "janvier",
      "--index",
      path.join(root, "nowhere"),
    ]);
    expect(early.message).toMatch(/^--date 'janvier'/);
  });

  test("an unknown flag is parseArgs' error", async () => {
    const error = await failure(["OTAN", "--colour", "--index", index]);
    expect((error as Error & { code?: string }).code).toBe("ERR_PARSE_ARGS_UNKNOWN_OPTION");
  });
});

describe("loupe search as a Unix filter", () => {
  test("its reader gone (`| head -1`), it stops quietly with exit code 0", async () => {
    const child = spawn(
      process.execPath,
      ["bin/loupe.js", "search", "--index", index, "--json", "--limit", "5", "OTAN"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    // Closed before the first line is written: every write meets a closed pipe.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });
});
