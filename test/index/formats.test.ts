/**
 * What people have, indexed and searched end to end: a French HTML site (its menus, scripts
 * and footers never indexed; the same answers as its clean-text twin), JSON records read with
 * loupe.json, and the settings recorded so that changing them rebuilds.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FRENCH_ANALYZER, frenchAnalyzerWith } from "../../src/analysis/index.js";
import { buildIndex } from "../../src/index/build.js";
import { IndexError } from "../../src/index/errors.js";
import { loadIndex } from "../../src/index/load.js";
import { currentGeneration } from "../../src/index/store.js";
import { openEngine } from "../../src/search/engine.js";
import { ROOT, removeTemps, tempDir } from "./helpers.js";

afterAll(removeTemps);

const SITE = path.join(ROOT, "test/fixtures/site-fr");

describe("an HTML site", () => {
  it("is indexed from its main content only, and answers as its clean-text twin", async () => {
    const outHtml = path.join(await tempDir(), "html");
    const outTxt = path.join(await tempDir(), "txt");
    await buildIndex({ input: path.join(SITE, "html"), out: outHtml });
    await buildIndex({ input: path.join(SITE, "txt"), out: outTxt });
    const html = await openEngine(outHtml);
    const txt = await openEngine(outTxt);
    // The newsletter box of every page's footer is boilerplate: never indexed.
    expect(html.search("infolettre").total).toBe(0);
    const esper = html.search("Mark Esper");
    expect(esper.total).toBeGreaterThan(0);
    expect(esper.hits.map((hit) => hit.id)).toEqual(
      expect.arrayContaining(["otan/reunion-bruxelles", "otan/suspension-entrainement"]),
    );
    for (const q of [
      "Mark Esper",
      "OTAN Irak",
      '"Alliance atlantique"',
      "Bruxelles",
      "hélicoptères",
    ]) {
      const ids = (r: ReturnType<typeof html.search>) => r.hits.map((hit) => [hit.id, hit.score]);
      expect(ids(html.search(q)), q).toEqual(ids(txt.search(q)));
    }
  });
});

describe("JSON records with loupe.json", () => {
  async function collection(settings: object): Promise<string> {
    const input = path.join(await tempDir(), "records");
    await mkdir(input, { recursive: true });
    const records = [
      {
        ref: "a1",
        title: "Réforme des retraites",
        body: "Le gouvernement présente la réforme.",
        meta: { author: "Dupont" },
      },
      {
        ref: "a2",
        title: "Budget de la Défense",
        body: "L'OTAN demande un effort.",
        meta: { author: "Martin" },
      },
    ];
    await writeFile(
      path.join(input, "articles.ndjson"),
      records.map((r) => JSON.stringify(r)).join("\n"),
    );
    await writeFile(path.join(input, "loupe.json"), JSON.stringify(settings));
    return input;
  }

  it("reads each record as a document, ids from the primary key, and finds them", async () => {
    const input = await collection({ primaryKey: "ref" });
    const out = path.join(await tempDir(), "index");
    const report = await buildIndex({ input, out });
    expect(report).toMatchObject({ status: "built", documents: 2 });
    const engine = await openEngine(out);
    expect(engine.search("retraites").hits.map((hit) => hit.id)).toEqual(["a1"]);
    expect(engine.getDocument("a2")?.title).toBe("Budget de la Défense");
    expect(await buildIndex({ input, out })).toMatchObject({ status: "unchanged" });
  });

  it("rebuilds when the settings change, and records them in the manifest", async () => {
    const input = await collection({ primaryKey: "ref" });
    const out = path.join(await tempDir(), "index");
    const first = await buildIndex({ input, out });
    await writeFile(
      path.join(input, "loupe.json"),
      JSON.stringify({ primaryKey: "ref", stopWords: ["effort"] }),
    );
    const second = await buildIndex({ input, out });
    expect(second.status).not.toBe("unchanged");
    expect(second.generation).not.toBe(first.generation);
    // Its own stopwords make another chain, which the manifest records and loading accepts.
    const index = await loadIndex(out);
    expect(index.manifest.settings).toContain('"stopWords":["effort"]');
    expect(index.manifest.analysis.fingerprint).toBe(frenchAnalyzerWith(["effort"]).fingerprint);
    expect(index.manifest.analysis.fingerprint).not.toBe(FRENCH_ANALYZER.fingerprint);
    expect(await buildIndex({ input, out })).toMatchObject({ status: "unchanged" });
  });

  it("refuses bad settings naming the file and the key, the previous index untouched", async () => {
    const input = await collection({ primaryKey: "ref" });
    const out = path.join(await tempDir(), "index");
    const { generation } = await buildIndex({ input, out });
    await writeFile(
      path.join(input, "loupe.json"),
      JSON.stringify({ searchableAttributes: "title" }),
    );
    const error = await buildIndex({ input, out }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IndexError);
    expect((error as Error).message).toMatch(/loupe\.json: "searchableAttributes": .*untouched/);
    expect(await currentGeneration(out)).toBe(generation);
  });
});
