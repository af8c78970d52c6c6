/**
 * loupe's own files round-trip, MiniSearch reads the same index from its JSON, and a damaged
 * positions file is refused naming the file and the fix.
 */
import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import MiniSearch from "minisearch";
import { afterAll, describe, expect, it } from "vitest";
import { hashBytes, readCorpus } from "../../src/corpus/index.js";
import { buildIndex, buildInMemory } from "../../src/index/build.js";
import {
  FIELD_COUNT,
  type IndexedFields,
  miniSearchOptions,
  Postings,
} from "../../src/index/index.js";
import { loadIndex } from "../../src/index/load.js";
import { POSITION_SKIP } from "../../src/index/postings.js";
import { decodePostings, encodePostings } from "../../src/index/postings-file.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { textDocument } from "../search/helpers.js";
import { readJson, removeTemps, SEEDS, tempDir, writeJson } from "./helpers.js";

afterAll(removeTemps);

describe("postings.bin", () => {
  it("decodes to exactly the arrays encoded", async () => {
    const { postings } = buildInMemory((await readCorpus(SEEDS)).documents);
    const bytes = Buffer.concat(encodePostings(postings));
    const decoded = decodePostings(new Uint8Array(bytes));
    expect(decoded.terms).toEqual(postings.terms);
    for (const key of [
      "listStart",
      "docs",
      "tfs",
      "positionStart",
      "positions",
      "positionSkips",
      "maxTf",
      "maxTfPerLength",
    ] as const) {
      expect([...decoded[key]], key).toEqual([...postings[key]]);
    }
    expect(decoded.lengths.map((f) => [...f])).toEqual(postings.lengths.map((f) => [...f]));
    expect(decoded.words.map((f) => [...f])).toEqual(postings.words.map((f) => [...f]));
  });

  const WORDS = ["armée", "paix", "traité", "soldat", "frontière"];
  const denseBody = (bodyWords: number) => (i: number) =>
    Array.from({ length: 5 + (i % bodyWords) }, (_, w) => WORDS[(i * w + w) % 5]).join(" ");

  /**
   * 300 documents (lists long enough to pass skip points, every POSITION_SKIP postings), their
   * postings, and each list's positions read whole, posting by posting.
   */
  function listsOf(bodyWords: number, body = denseBody(bodyWords)) {
    const docs = Array.from({ length: 300 }, (_, i) =>
      textDocument(`d${String(i).padStart(3, "0")}`, WORDS[i % 5]!, body(i)),
    );
    const { postings: data } = buildInMemory(docs);
    const postings = new Postings(data);
    const lists = Array.from({ length: data.listStart.length - 1 }, (_, list) => {
      const whole = postings.cursor(list);
      const expected: number[][] = [];
      for (; whole.at < whole.end; whole.next()) expected.push(whole.positions());
      return { list, expected };
    });
    return { data, postings, lists };
  }

  it("a cursor's first position, asked between whole reads, is the first of its positions", () => {
    const { data, postings, lists } = listsOf(17);
    let checked = 0;
    for (const { list, expected } of lists) {
      // Some postings asked for their first position only, some skipped: the reads after
      // them must still find their bytes.
      const cursor = postings.cursor(list);
      for (let i = 0; cursor.at < cursor.end; cursor.next(), i++) {
        if (i % 3 === 2) continue;
        if (i % 2 === 0) expect(cursor.firstPosition()).toBe(expected[i]![0]);
        else expect(cursor.positions()).toEqual(expected[i]);
        checked++;
      }
    }
    expect(
      Math.max(...postings.data.listStart.slice(1).map((end, l) => end - data.listStart[l]!)),
    ).toBeGreaterThan(128);
    expect(checked).toBeGreaterThan(1000);
  });

  it("a cursor sought far ahead reads the positions of the posting it lands on", () => {
    // Seeks that jump over one skip entry or many (one every POSITION_SKIP postings): the
    // bytes stepped over from the nearest entry must land on the posting's own positions.
    // Bodies where the words stand up to 200 apart: deltas of one and two bytes.
    const { data, postings, lists } = listsOf(0, (i) =>
      Array.from({ length: 40 + ((i * 37) % 400) }, (_, w) =>
        w % (1 + (i % 200)) === 0 ? WORDS[(i + w) % 5] : `mot${w % 7}`,
      ).join(" "),
    );
    expect(data.positions.some((byte) => byte >= 0x80)).toBe(true);
    let far = 0;
    for (const { list, expected } of lists) {
      const cursor = postings.cursor(list);
      const start = data.listStart[list]!;
      let seed = list + 1;
      for (let i = 0, last = 0; i < expected.length; last = i, i += 1 + (seed % 48)) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        expect(cursor.seek(data.docs[start + i]!)).toBe(data.docs[start + i]);
        expect(cursor.positions()).toEqual(expected[i]);
        if (i - last > POSITION_SKIP) far++;
      }
    }
    expect(far).toBeGreaterThan(20);
  });

  it("a read cut at a number of positions gives the first ones, and the reads after it find theirs", () => {
    const { postings, lists } = listsOf(23);
    const out: number[] = [];
    let cut = 0;
    for (const { list, expected } of lists) {
      const cursor = postings.cursor(list);
      for (let i = 0; cursor.at < cursor.end; cursor.next(), i++) {
        const max = i % 4;
        const n = cursor.readPositions(out, max);
        expect(out.slice(0, n)).toEqual(expected[i]!.slice(0, max));
        // A posting's positions are read once; cut short, they may be read again whole.
        if (n < expected[i]!.length) {
          cut++;
          if (i % 2 === 1) expect(cursor.positions()).toEqual(expected[i]);
        }
      }
    }
    expect(cut).toBeGreaterThan(500);
  });

  it("a persisted index answers as the one built in memory", async () => {
    const out = path.join(await tempDir(), "index");
    await buildIndex({ input: SEEDS, out });
    const loaded = new LoupeEngine(await loadIndex(out));
    const { documents } = await readCorpus(SEEDS);
    const { indexDocuments } = await import("../../src/index/build.js");
    const fresh = new LoupeEngine(indexDocuments(documents));
    for (const q of [
      "OTAN",
      '"État islamique"',
      "hélicoptères Bagdad",
      "nous",
      "gouv",
      "OTAN -Canada",
    ]) {
      const strip = (r: ReturnType<LoupeEngine["search"]>) => ({ ...r, tookMs: 0 });
      expect(strip(loaded.search(q, { explain: true })), q).toEqual(
        strip(fresh.search(q, { explain: true })),
      );
    }
  });

  it("is refused when damaged in a way only its own checks can tell, naming it and the fix", async () => {
    const out = path.join(await tempDir(), "index");
    const { generation } = await buildIndex({ input: SEEDS, out });
    const file = path.join(out, generation, "postings.bin");
    const bytes = await readFile(file);
    // Cut short, and the manifest's checksum made to match: only the header can tell.
    const cut = bytes.subarray(0, bytes.length - 64);
    await writeFile(file, cut);
    const manifestFile = path.join(out, generation, "manifest.json");
    const manifest = await readJson<{ data: Record<string, { bytes: number; sha256: string }> }>(
      manifestFile,
    );
    manifest.data["postings.bin"] = { bytes: cut.length, sha256: hashBytes(cut) };
    await writeJson(manifestFile, manifest);
    await expect(loadIndex(out)).rejects.toThrow(
      new RegExp(
        `'${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}' cannot be read \\(it is shorter than its header says\\): run \`loupe index --force --input DOCUMENTS --out ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\``,
      ),
    );
  });
});

describe("minisearch.json", () => {
  it("MiniSearch.loadJSON with the options the manifest records gives the same terms and documents", async () => {
    const out = path.join(await tempDir(), "index");
    const { generation } = await buildIndex({ input: SEEDS, out });
    const dir = path.join(out, generation);
    const manifest = await readJson<{
      minisearch: { options: { fields: string[]; idField: string } };
    }>(path.join(dir, "manifest.json"));
    expect(manifest.minisearch.options.fields).toEqual(miniSearchOptions().fields);
    const mini = MiniSearch.loadJSON<IndexedFields>(
      readFileSync(path.join(dir, "minisearch.json"), "utf8"),
      miniSearchOptions(),
    );
    const index = await loadIndex(out);
    const { postings, documents } = index;
    expect(mini.documentCount).toBe(documents.size);
    expect(mini.termCount).toBe(postings.termCount);
    for (const id of documents.keys()) expect(mini.has(id)).toBe(true);
    // Every term's documents and frequencies, field by field, as MiniSearch holds them.
    type Internals = {
      _index: { get(term: string): Map<number, Map<number, number>> | undefined };
      _documentIds: Map<number, string>;
    };
    const internals = mini as unknown as Internals;
    for (const [t, term] of postings.data.terms.entries()) {
      const fields = internals._index.get(term);
      expect(fields, term).toBeDefined();
      for (let f = 0; f < FIELD_COUNT; f++) {
        const l = t * FIELD_COUNT + f;
        const expected: Array<[string, number]> = [];
        for (let p = postings.data.listStart[l]!; p < postings.data.listStart[l + 1]!; p++) {
          expected.push([documents.ids[postings.data.docs[p]!]!, postings.data.tfs[p]!]);
        }
        const got = [...(fields!.get(f) ?? new Map<number, number>())].map(([doc, tf]) => [
          internals._documentIds.get(doc)!,
          tf,
        ]);
        expect(got, `${term} in field ${f}`).toEqual(expected);
      }
    }
    // And MiniSearch's own search finds with it, on loupe's terms.
    expect(mini.search("otan").length).toBe(5);
  });
});
