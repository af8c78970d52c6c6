import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_BYTES,
  decodeSource,
  hashFile,
  listSourceFiles,
  readCorpus,
  readSourceFile,
  scanSourceFiles,
} from "../../src/corpus/read.js";

const SEEDS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../seeds");
/**
 * Runs `read` with the file permissions of an ordinary user: root reads a chmod 000 file, so
 * when the tests run as root the effective user and group become `nobody` (65534 on Debian; the
 * kernel only compares numbers) for the call and root again after it. The real user stays root,
 * which is what allows the way back. glibc applies seteuid to every thread, libuv's file
 * threads included.
 */
async function asOrdinaryUser<T>(read: () => Promise<T>): Promise<T> {
  if (process.getuid?.() !== 0 || !process.seteuid || !process.setegid) return read();
  const NOBODY = 65534;
  process.setegid(NOBODY);
  process.seteuid(NOBODY);
  try {
    return await read();
  } finally {
    process.seteuid(0);
    process.setegid(0);
  }
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("readCorpus on the seeds", () => {
  it("reads the five seeds in sorted order, with size, hash and progress", async () => {
    const calls: [number, number, string][] = [];
    const result = await readCorpus(SEEDS, { onFile: (d, t, s) => calls.push([d, t, s]) });
    const files = readdirSync(SEEDS).sort();

    expect(result.skipped).toEqual([]);
    expect(result.documents.map((d) => d.source)).toEqual(files);
    expect(result.documents.map((d) => d.id)).toEqual(files.map((f) => f.replace(/\.txt$/, "")));
    expect(result.documents.map((d) => d.date)).toEqual([
      "2020-01",
      "2020-02",
      "2020-02",
      undefined,
      undefined,
    ]);
    let total = 0;
    for (const doc of result.documents) {
      const raw = readFileSync(path.join(SEEDS, doc.source));
      expect(doc.bytes).toBe(raw.length);
      expect(doc.hash).toBe(sha256(raw));
      expect(await hashFile(path.join(SEEDS, doc.source))).toBe(doc.hash);
      total += raw.length;
    }
    expect(result.bytesRead).toBe(total);
    expect(calls.map(([d, t]) => [d, t])).toEqual(files.map((_, i) => [i + 1, 5]));
    expect(calls.map(([, , s]) => s).sort()).toEqual(files);
  });
});

describe("readCorpus on a folder with bad files", () => {
  let dir: string;
  let outside: string;
  const MAX = 4096;
  const good = "Un texte en français, assez court. Il a deux phrases.";

  beforeAll(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), "loupe-corpus-"));
    outside = await fsp.mkdtemp(path.join(os.tmpdir(), "loupe-outside-"));
    const write = async (rel: string, content: string | Uint8Array) => {
      await fsp.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await fsp.writeFile(path.join(dir, rel), content);
    };
    await write("a.txt", ` date 2020-01 Temps de lecture estimé : 2 minutes\n\n${good}`);
    await write("sub/b.txt", good);
    await write("sub/deeper/c.md", `---\ntitle: "Un titre"\ndate: 2020-03-04\n---\n${good}`);
    await write("crlf.txt", `Ligne un. Encore.\r\n\r\n${good}\r\n`);
    await write("bom.txt", `\ufeff date 2020-05 ${good}`);
    await write("empty.txt", "");
    await write("blank.txt", "  \n\t\r\n  ");
    await write("binary.txt", Buffer.from([0x55, 0x6e, 0x00, 0x01, 0x02, 0x03]));
    await write("latin1.txt", Buffer.from("Un été à Québec.", "latin1"));
    await write("utf16.txt", Buffer.from(`\ufeff${good}`, "utf16le"));
    await write("huge.txt", "mot ".repeat(MAX));
    await write("header-only.txt", " date 2020-01 Temps de lecture estimé : 2 minutes\n");
    await write("same.txt", good);
    await write("same.md", good);
    // Not sources: ignored silently.
    await write("notes.pdf", "%PDF-1.4");
    await write("README", good);
    await write("image.png", Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    await write(".hidden.txt", good);
    await write(".git/HEAD.txt", good);
    // A folder whose name looks like a source is a folder: walked, not read.
    await write("dir.txt/d.txt", good);
    // Links: inside (followed), outside (reported), dangling (reported).
    await fsp.writeFile(path.join(outside, "secret.txt"), good);
    await fsp.symlink(path.join(dir, "a.txt"), path.join(dir, "link.txt"));
    await fsp.symlink(path.join(outside, "secret.txt"), path.join(dir, "outside.txt"));
    await fsp.symlink(path.join(dir, "nowhere.txt"), path.join(dir, "dangling.txt"));
    await fsp.symlink(dir, path.join(dir, "sub", "loop"));
  });

  afterAll(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
    await fsp.rm(outside, { recursive: true, force: true });
  });

  it("keeps the good files, nested ones included, in sorted order", async () => {
    const { documents } = await readCorpus(dir, { maxBytes: MAX });
    expect(documents.map((d) => d.id)).toEqual([
      "a",
      "bom",
      "crlf",
      "dir.txt/d",
      "link",
      "same",
      "sub/b",
      "sub/deeper/c",
    ]);
    const byId = new Map(documents.map((d) => [d.id, d]));
    expect(byId.get("sub/deeper/c")).toMatchObject({ title: "Un titre", date: "2020-03" });
    expect(byId.get("sub/deeper/c")?.source).toBe(path.join("sub", "deeper", "c.md"));
    expect(byId.get("a")).toMatchObject({ date: "2020-01", readingMinutes: 2, body: good });
    expect(byId.get("link")?.hash).toBe(byId.get("a")?.hash);
  });

  it("normalises CRLF and strips the BOM, but hashes the raw bytes", async () => {
    const { documents } = await readCorpus(dir, { maxBytes: MAX });
    const crlf = documents.find((d) => d.id === "crlf");
    // The short first line set apart by a blank line is the title, so CRLF must read as LF.
    expect(crlf).toMatchObject({ title: "Ligne un. Encore", body: good });
    expect(crlf?.hash).toBe(sha256(readFileSync(path.join(dir, "crlf.txt"))));
    const bom = documents.find((d) => d.id === "bom");
    expect(bom?.date).toBe("2020-05");
    expect(bom?.body).toBe(good);
    expect(bom?.bytes).toBe(statSync(path.join(dir, "bom.txt")).size);
  });

  it("skips every bad file with one clear reason", async () => {
    const { skipped } = await readCorpus(dir, { maxBytes: MAX });
    const reasons = Object.fromEntries(skipped.map((s) => [s.source, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(
      [
        "binary.txt",
        "blank.txt",
        "dangling.txt",
        "empty.txt",
        "header-only.txt",
        "huge.txt",
        "latin1.txt",
        "outside.txt",
        "same.txt",
        "sub/loop",
        "utf16.txt",
      ].sort(),
    );
    expect(reasons["empty.txt"]).toBe("empty file");
    expect(reasons["blank.txt"]).toBe("empty file (only whitespace)");
    expect(reasons["binary.txt"]).toMatch(/^binary file \(contains NUL bytes\)/);
    expect(reasons["latin1.txt"]).toMatch(/^not valid UTF-8.*re-save the file as UTF-8/);
    expect(reasons["utf16.txt"]).toMatch(/^UTF-16 text/);
    expect(reasons["huge.txt"]).toBe(
      "too large: 16.0 KiB, over the 4.0 KiB limit: split the file, or raise the limit (loupe index --max-file-mb N)",
    );
    expect(reasons["header-only.txt"]).toBe("no text besides the header");
    expect(reasons["dangling.txt"]).toMatch(/^cannot be read: broken symbolic link \(ENOENT\)/);
    expect(reasons["outside.txt"]).toMatch(/outside the input folder/);
    expect(reasons["sub/loop"]).toMatch(/^symbolic link to a folder: not followed/);
    expect(reasons["same.txt"]).toBe("same id 'same' as 'same.md': rename one of the two files");
  });

  it("reads files up to the default 10 MiB limit, and skips one a byte over it", async () => {
    const { skipped } = await readCorpus(dir);
    expect(skipped.map((s) => s.source)).not.toContain("huge.txt");
    const own = await fsp.mkdtemp(path.join(os.tmpdir(), "loupe-10mib-"));
    try {
      await fsp.writeFile(path.join(own, "kept.txt"), Buffer.alloc(DEFAULT_MAX_BYTES, "des mots "));
      // Sparse: skipped from its size, never read.
      await fsp.writeFile(path.join(own, "over.txt"), good);
      await fsp.truncate(path.join(own, "over.txt"), DEFAULT_MAX_BYTES + 1);
      const read = await readCorpus(own);
      expect(read.skipped.map((s) => [s.source, s.reason])).toEqual([
        [
          "over.txt",
          "too large: 10485761 bytes, over the 10485760-byte limit: split the file, or raise the limit (loupe index --max-file-mb N)",
        ],
      ]);
      expect(read.bytesRead).toBe(DEFAULT_MAX_BYTES);
    } finally {
      await fsp.rm(own, { recursive: true, force: true });
    }
  });

  it("does not read a file over the limit, and counts only bytes read", async () => {
    const small = await readCorpus(dir, { maxBytes: MAX });
    const large = await readCorpus(dir, { maxBytes: 1 << 20 });
    expect(large.bytesRead - small.bytesRead).toBe(statSync(path.join(dir, "huge.txt")).size);
  });

  it("reports a chmod 000 file as unreadable and keeps the readable one (as root too)", async () => {
    // A folder of its own, readable by anyone: the shared one above is root's (mkdtemp, 0700).
    const open = await fsp.mkdtemp(path.join(os.tmpdir(), "loupe-chmod-"));
    try {
      await fsp.chmod(open, 0o755);
      await fsp.writeFile(path.join(open, "readable.txt"), good, { mode: 0o644 });
      await fsp.writeFile(path.join(open, "chmod000.txt"), good);
      await fsp.chmod(path.join(open, "chmod000.txt"), 0o000);
      const { documents, skipped } = await asOrdinaryUser(() => readCorpus(open));
      expect(documents.map((d) => d.id)).toEqual(["readable"]);
      expect(skipped).toEqual([
        {
          source: "chmod000.txt",
          reason: "cannot be read (EACCES): permission denied, check the file's permissions",
        },
      ]);
    } finally {
      await fsp.rm(open, { recursive: true, force: true });
    }
  });

  it("gives the same result whatever the concurrency", async () => {
    const one = await readCorpus(dir, { maxBytes: MAX, concurrency: 1 });
    const many = await readCorpus(dir, { maxBytes: MAX, concurrency: 64 });
    expect(many).toEqual(one);
  });

  it("lists candidate files with size and mtime for incremental indexing", async () => {
    const files = await listSourceFiles(dir);
    const a = files.find((f) => f.source === "a.txt");
    const st = statSync(path.join(dir, "a.txt"));
    expect(a).toEqual({
      source: "a.txt",
      absPath: path.join(dir, "a.txt"),
      size: st.size,
      mtimeMs: st.mtimeMs,
    });
    expect(files.map((f) => f.source)).not.toContain("notes.pdf");
    expect(files.map((f) => f.source)).not.toContain(".hidden.txt");
    expect(files.some((f) => f.source.startsWith("sub/loop"))).toBe(false);
    const { skipped } = await scanSourceFiles(dir);
    expect(skipped.map((s) => s.source).sort()).toEqual([
      "dangling.txt",
      "outside.txt",
      "sub/loop",
    ]);
  });

  it("reads one file on its own, as an incremental indexer would", async () => {
    const [file] = (await listSourceFiles(dir)).filter((f) => f.source === "sub/b.txt");
    expect(file).toBeDefined();
    if (!file) return;
    const result = await readSourceFile(file);
    expect(result.skipped).toEqual([]);
    expect(result.documents.map((d) => d.id)).toEqual(["sub/b"]);
    expect(result.documents[0]?.hash).toBe(await hashFile(file.absPath));
  });
});

describe("input folder errors", () => {
  it("names the missing folder and the fix", async () => {
    const missing = path.join(os.tmpdir(), "loupe-does-not-exist-42");
    await expect(readCorpus(missing)).rejects.toThrow(
      `input folder '${missing}' does not exist: pass --input <folder>`,
    );
  });

  it("refuses a file given as input folder", async () => {
    const file = path.join(SEEDS, "000_40aae3a910703884.txt");
    await expect(readCorpus(file)).rejects.toThrow(
      `input folder '${file}' is not a folder: pass --input <folder>`,
    );
  });
});

describe("decodeSource", () => {
  it("checks NUL bytes before UTF-8 validity", () => {
    expect(decodeSource(Buffer.from("a\u0000b"))).toMatchObject({ ok: false });
  });

  it("accepts UTF-8 with a BOM and strips it", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("été\r\n")]);
    expect(decodeSource(bytes)).toEqual({ ok: true, text: "été\n" });
  });
});
