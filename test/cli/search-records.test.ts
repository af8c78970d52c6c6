/**
 * `loupe search --filter --facets --sort` over an index of the JSON records fixture.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { run as loupe } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/output.js";
import { buildIndex } from "../../src/index/index.js";

let root: string;
let index: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "loupe-cli-records-"));
  index = path.join(root, "index");
  await buildIndex({ input: "test/fixtures/records-fr", out: index });
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIO = {
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    isTTY: false,
  };
  const code = await loupe(["search", "--index", index, ...args], io);
  return { code, stdout, stderr };
}

describe("loupe search over records", () => {
  test("--filter alone lists documents; --sort orders them; --facets prints the counts", async () => {
    const { code, stdout, stderr } = await run([
      "--filter",
      "year >= 2020",
      "--sort",
      "year:desc,title:asc",
      "--facets",
      "section,year",
    ]);
    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    expect(stdout[0]).toMatch(/^4 résultats \(/);
    const ranks = stdout.filter((line) => /^\d+\. /.test(line));
    expect(ranks).toEqual([
      "1. Hélicoptères pour la mission",
      "2. Le sommet de Bruxelles",
      "3. NATO training suspended",
      "4. Une page sans rubrique",
    ]);
    expect(stdout).toContain(
      "   section: Défense · year: 2021 · tags: canada, irak · meta.author: Paul Durand",
    );
    const facets = stdout.slice(stdout.indexOf("Facettes :"));
    expect(facets).toEqual([
      "Facettes :",
      "  section : Défense (2) · International (1)",
      "  year : 2020 (3) · 2021 (1)",
    ]);
  });

  test("a list with an empty item is refused naming the flag; items are trimmed", async () => {
    for (const [flag, value] of [
      ["--facets", "section,"],
      ["--sort", "year:desc,,title:asc"],
    ] as const) {
      const { code, stderr } = await run(["--filter", "year >= 2020", flag, value]);
      expect(code, flag).toBe(2);
      expect(stderr.join("\n"), flag).toMatch(`${flag}: `);
      expect(stderr.join("\n"), flag).toMatch("has an empty item");
    }
    const { code, stdout } = await run(["--filter", "year >= 2020", "--facets", "section, year"]);
    expect(code).toBe(0);
    expect(stdout).toContain("  year : 2020 (3) · 2021 (1)");
  });

  test("--facets alone counts over every document", async () => {
    const { code, stdout } = await run(["--facets", "year"]);
    expect(code).toBe(0);
    expect(stdout[0]).toMatch(/^6 résultats/);
  });

  test("a query with a filter, and synonyms", async () => {
    const { code, stdout } = await run(["OTAN", "--filter", "section = International"]);
    expect(code).toBe(0);
    expect(stdout[0]).toMatch(/^1 résultat pour « OTAN »/);
    expect(stdout).toContain("1. NATO training suspended");
  });

  test("an attribute listed in searchableAttributes is searched; one left out is not", async () => {
    // loupe.json lists title, body and meta.author: the author's name finds her two articles.
    const author = await run(['"Claire Martin"']);
    expect(author.stdout[0]).toMatch(/^2 résultats pour « "Claire Martin" »/);
    const titles = author.stdout
      .filter((line) => /^\d+\. /.test(line))
      .map((line) => line.replace(/^\d+\. /, ""));
    expect(titles.sort()).toEqual(["Le budget des armées", "Le sommet de Bruxelles"]);
    // The section is displayed and filterable, but not searchable.
    const section = await run(["International"]);
    expect(section.stdout[0]).toMatch(/^Aucun résultat/);
  });

  test.each([
    [["--filter", "year >"], "loupe: --filter: at character 7, expected a value"],
    [
      ["--filter", "body = 1"],
      "loupe: --filter: 'body' (character 1) is not a filterable attribute",
    ],
    [["otan", "--facets", "body"], "loupe: --facets: 'body' is not a filterable attribute"],
    [["otan", "--sort", "year"], "loupe: --sort: 'year' is not a sort: write attribute:asc"],
    [[], "loupe: loupe search needs a query (or a --filter, --facets, --sort or --date)"],
  ])("%j → exit code 2 and a message naming the flag", async (args, message) => {
    const { code, stdout, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr[0]).toContain(message);
  });

  test("--json carries facetDistribution and the hits' attributes", async () => {
    const { stdout } = await run(["--filter", "tags = irak", "--facets", "tags", "--json"]);
    const body = JSON.parse(stdout.join("\n")) as {
      facetDistribution: Record<string, Record<string, number>>;
      hits: Array<{ id: string; attributes?: Record<string, unknown> }>;
    };
    expect(body.facetDistribution).toEqual({ tags: { canada: 1, irak: 2, otan: 1 } });
    expect(body.hits.map((hit) => hit.id)).toEqual(["a5", "a1"]);
  });
});
