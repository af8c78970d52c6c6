import { appendFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/output.js";
import type { BuildReport } from "../../src/index/build.js";
import { loadIndex } from "../../src/index/load.js";
import type { Manifest } from "../../src/index/manifest.js";
import { currentGeneration } from "../../src/index/store.js";
import { copySeeds, readJson, removeTemps, tempDir, writeJson } from "./helpers.js";

afterAll(removeTemps);

function capture(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    isTTY: false,
  };
}

async function index(
  args: string[],
): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const io = capture();
  const code = await run(["index", ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** The seeds and two files that cannot be indexed. */
async function inputWithBadFiles(): Promise<string> {
  const input = await copySeeds();
  await writeFile(path.join(input, "vide.txt"), "");
  await mkdir(path.join(input, "archives"));
  await writeFile(
    path.join(input, "archives", "ancien.txt"),
    Buffer.from("Déjà été\n\nCafé crème.", "latin1"),
  );
  return input;
}

describe("loupe index", () => {
  it("indexes a folder: one line per skipped file on stderr, a summary on stdout", async () => {
    const input = await inputWithBadFiles();
    const out = path.join(await tempDir(), "index");
    const first = await index(["--input", input, "--out", out]);
    expect(first.code).toBe(0);
    expect(first.stderr).toEqual([
      `skipped ${path.join("archives", "ancien.txt")}: not valid UTF-8 (first at line 1; Latin-1 or Windows-1252?): re-save the file as UTF-8`,
      "skipped vide.txt: empty file",
    ]);
    expect(first.stdout).toHaveLength(1);
    expect(first.stdout[0]).toMatch(
      new RegExp(
        `^indexed 5 documents into ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/: 0\\.02 MB read in \\d+\\.\\d\\d s \\([\\d.]+ MB/s\\), index 0\\.\\d\\d MB, 2 skipped$`,
      ),
    );
    expect((await loadIndex(out)).documents.size).toBe(5);

    const second = await index(["--input", input, "--out", out]);
    expect(second.code).toBe(0);
    expect(second.stdout).toEqual([
      expect.stringMatching(
        /^nothing to do: 5 documents unchanged in .*\/ \(0\.\d\d MB\), 2 skipped$/,
      ),
    ]);
    expect(second.stdout[0]).toContain(`${out}/`);
    expect(second.stderr).toEqual(first.stderr);
  });

  it("reports an update with what was added, changed and removed", async () => {
    const input = await copySeeds();
    const out = path.join(await tempDir(), "index");
    expect((await index(["--input", input, "--out", out])).code).toBe(0);
    await appendFile(path.join(input, "004_35c4cf714ecaba77.txt"), "\nUne phrase de plus.\n");
    await writeFile(path.join(input, "005_nouveau.md"), "# Nouveau\n\nUn texte tout neuf.\n");
    const update = await index(["--input", input, "--out", out]);
    expect(update.code).toBe(0);
    expect(update.stderr).toEqual([]);
    expect(update.stdout).toEqual([
      expect.stringMatching(/^updated .*\/: 1 added, 1 changed, 0 removed; 6 documents, /),
    ]);
  });

  it("prints the report as JSON with --json", async () => {
    const input = await copySeeds();
    const out = path.join(await tempDir(), "index");
    const result = await index(["--input", input, "--out", out, "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout[0] ?? "") as BuildReport;
    expect(report).toMatchObject({ status: "built", documents: 5, skipped: [] });
    expect(report.generation).toBe(await currentGeneration(out));
  });

  it("says why it rebuilds from scratch, and does with --force", async () => {
    const input = await copySeeds();
    const out = path.join(await tempDir(), "index");
    await index(["--input", input, "--out", out]);
    const generation = (await currentGeneration(out)) ?? "";
    const manifestFile = path.join(out, generation, "manifest.json");
    const manifest = await readJson<Manifest>(manifestFile);
    manifest.analysis.fingerprint = "0000000000000000";
    await writeJson(manifestFile, manifest);

    const rebuilt = await index(["--input", input, "--out", out]);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stderr).toEqual([
      expect.stringMatching(/^rebuilding from scratch: .*another analysis chain/),
    ]);
    expect(rebuilt.stdout[0]).toMatch(/^indexed 5 documents/);

    const forced = await index(["--input", input, "--out", out, "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.stdout[0]).toMatch(/^indexed 5 documents/);
  });

  it("fails with exit code 1, naming the folder and why each file was skipped, when nothing can be indexed", async () => {
    const input = path.join(await tempDir(), "rien");
    await mkdir(input);
    await writeFile(path.join(input, "vide.txt"), "   \n");
    await writeFile(
      path.join(input, "image.md"),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]),
    );
    const out = path.join(await tempDir(), "index");
    const result = await index(["--input", input, "--out", out]);
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual([]);
    expect(result.stderr).toEqual([
      "skipped image.md: binary file (contains NUL bytes): only UTF-8 text is indexed",
      "skipped vide.txt: empty file (only whitespace)",
      `loupe: nothing to index in '${input}': all 2 files were skipped; the previous index is untouched`,
    ]);
    expect(await currentGeneration(out)).toBeUndefined();
  });

  it("fails with exit code 1 on a missing input folder and 2 on a bad option", async () => {
    const missing = path.join(await tempDir(), "absent");
    const result = await index(["--input", missing, "--out", path.join(await tempDir(), "index")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual([
      `loupe: input folder '${missing}' does not exist: pass --input <folder>`,
    ]);

    const usage = await index(["--inptu", "seeds"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr[0]).toMatch(/^loupe: .*--inptu/);
  });

  it("never reads its own index as documents, written inside the input folder", async () => {
    const input = await copySeeds();
    const out = path.join(input, "index");
    expect((await index(["--input", input, "--out", out])).code).toBe(0);
    const second = await index(["--input", input, "--out", out]);
    expect(second.stderr).toEqual([]);
    expect(second.stdout[0]).toMatch(/^nothing to do: 5 documents unchanged/);
    // Another loupe index in the folder is named and left out, not read.
    const other = path.join(input, "autre-index");
    expect((await index(["--input", await copySeeds(), "--out", other])).code).toBe(0);
    const third = await index(["--input", input, "--out", out]);
    expect(third.stderr).toEqual([
      "skipped autre-index: a loupe index (CURRENT names a generation): not read as documents",
    ]);
    expect(third.stdout[0]).toMatch(/^nothing to do: 5 documents unchanged/);
    expect((await loadIndex(out)).documents.size).toBe(5);
  });

  it("keeps the file already indexed when a new one gives the same id (a.txt, then a.md)", async () => {
    const input = await copySeeds();
    const out = path.join(await tempDir(), "index");
    await writeFile(path.join(input, "a.txt"), "Retraites\n\nLa réforme des retraites.\n");
    expect((await index(["--input", input, "--out", out])).code).toBe(0);
    await writeFile(path.join(input, "a.md"), "# Zèbre\n\nUn zèbre au galop.\n");
    const update = await index(["--input", input, "--out", out]);
    expect(update.stderr).toEqual([
      "skipped a.md: same id 'a' as 'a.txt': rename one of the two files",
    ]);
    expect(update.stdout[0]).toMatch(/^nothing to do: 6 documents unchanged/);
    expect((await loadIndex(out)).documents.get("a")?.title).toBe("Retraites");
    // Built afresh, the order decides, as before: a.md first.
    const fresh = await index(["--input", input, "--out", path.join(await tempDir(), "index")]);
    expect(fresh.stderr).toEqual([
      "skipped a.txt: same id 'a' as 'a.md': rename one of the two files",
    ]);
  });

  it("says that a file given as --input is not a folder", async () => {
    const input = await copySeeds();
    const file = path.join(input, "004_35c4cf714ecaba77.txt");
    const result = await index(["--input", file, "--out", path.join(await tempDir(), "index")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual([
      `loupe: input folder '${file}' is not a folder: pass --input <folder>`,
    ]);
  });

  it("takes --max-file-mb for the size past which a file is skipped, and refuses a bad one", async () => {
    const input = await copySeeds();
    await writeFile(
      path.join(input, "long.txt"),
      `Long\n\n${"Un texte assez long. ".repeat(60_000)}`,
    );
    const out = path.join(await tempDir(), "index");
    const skipped = await index(["--input", input, "--out", out, "--max-file-mb", "1"]);
    expect(skipped.stderr).toEqual([
      "skipped long.txt: too large: 1.2 MiB, over the 1.0 MiB limit: split the file, or raise the limit (loupe index --max-file-mb N)",
    ]);
    const taken = await index(["--input", input, "--out", out, "--max-file-mb", "2"]);
    expect(taken.stderr).toEqual([]);
    expect(taken.stdout[0]).toMatch(/^updated .*: 1 added, 0 changed, 0 removed; 6 documents/);
    const bad = await index(["--input", input, "--out", out, "--max-file-mb", "beaucoup"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr[0]).toMatch(/--max-file-mb must be a positive number of MiB/);
  });

  it("says when new settings rebuild the index, counts one document as one, and refuses an index as input", async () => {
    const input = path.join(await tempDir(), "un");
    await mkdir(input);
    await writeFile(path.join(input, "a.txt"), "Titre\n\nBonjour le monde.\n");
    const out = path.join(await tempDir(), "index");
    const first = await index(["--input", input, "--out", out]);
    expect(first.stdout[0]).toMatch(/^indexed 1 document into /);
    await writeFile(path.join(input, "loupe.json"), JSON.stringify({ stopWords: ["monde"] }));
    const second = await index(["--input", input, "--out", out]);
    expect(second.stderr).toEqual([
      "rebuilding from scratch: the settings changed since the last build",
    ]);
    expect(second.stdout[0]).toMatch(/^indexed 1 document into /);
    // An index folder given as the input: refused, naming the fix.
    const wrong = await index(["--input", out, "--out", path.join(await tempDir(), "index")]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr[0]).toMatch(/is a loupe index .*pass the folder the index was built from/);
  });
});

describe("what a file says that is left out", () => {
  it("is said, one note per file, and the file is indexed without it", async () => {
    const input = await tempDir();
    const page = (front: string) => `---\n${front}\n---\n\nUne recette de cuisine.\n`;
    await writeFile(path.join(input, "a.md"), page("title: Slash\ndate: 05/10/2023"));
    await writeFile(path.join(input, "b.md"), page("title: Trente\ndate: 2023-02-30"));
    await writeFile(path.join(input, "c.md"), page('title: "non fermé\ndate: 2023-02-01'));
    await writeFile(path.join(input, "d.md"), page("title: Juste\ndate: 2023-02-01"));
    const out = path.join(await tempDir(), "index");
    const { code, stderr } = await index(["--input", input, "--out", out]);
    expect(code).toBe(0);
    // A date that is none, a day that does not exist, a front matter YAML refuses: said, and
    // the documents indexed (they were dropped or misread without a word, QA).
    expect(stderr).toEqual([
      "note a.md: its date '05/10/2023' is no date loupe reads (write 2023-10-05, 2023-10 or an ISO date-time): indexed without a date",
      "note b.md: its date '2023-02-30' names no such day: dated 2023-02 only",
      expect.stringMatching(
        /^note c\.md: its front matter is no valid YAML \(.+\): read line by line as 'key: value'$/,
      ),
    ]);
    const loaded = await loadIndex(out);
    expect(loaded.documents.size).toBe(4);
    expect(loaded.documents.get("a")?.date).toBeUndefined();
    expect(loaded.documents.get("b")?.date).toBe("2023-02");
    expect(loaded.documents.get("d")?.date).toBe("2023-02");
  });
});
