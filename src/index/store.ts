/**
 * The index folder on disk, replaced atomically or not at all.
 *
 *   index/CURRENT         one line: the name of the generation being served
 *   index/gen-<stamp>/    manifest.json and the data files of manifest.ts
 *   index/.tmp-<pid>-…/   a generation being written (removed when its writer is gone)
 *
 * A new generation is written in full into a temporary folder, synced, renamed into place,
 * and only then does `CURRENT` change, by renaming a new pointer file over it: rename is
 * atomic, so a crash or SIGKILL at any moment leaves `CURRENT` naming a complete generation.
 * (Renaming a whole `index/` folder over the old one cannot be atomic: the old one must first
 * move aside, and a kill in between would leave no index at all.) The folder itself stays,
 * so its tracked `.gitignore` does too.
 */
import { createHash, randomBytes } from "node:crypto";
import { constants } from "node:fs";
import {
  mkdir,
  open,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { IndexError } from "./errors.js";
import { DATA_FILES } from "./manifest.js";

const CURRENT = "CURRENT";
const LOCK = ".lock";
const GENERATION = /^gen-[0-9a-z-]+$/;

export async function currentGeneration(dir: string): Promise<string | undefined> {
  try {
    const name = (await readFile(path.join(dir, CURRENT), "utf8")).trim();
    return GENERATION.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses to write an index into `out` unless the folder is loupe's, or new, or empty: a
 * rebuild removes the generations it replaces, and a folder of the user's named like one
 * (`gen-notes`) was deleted with everything in it, the documents indexed included. Loupe's own
 * entries are `CURRENT`, generations (`isGeneration`) and dot-files
 * (its lock, its unfinished writes, a `.gitignore`); anything else means the folder is someone
 * else's. The documents may not be the folder itself nor lie in it (the index may lie in
 * theirs: it is left out of what is read).
 */
export async function assertIndexFolder(out: string, input: string): Promise<void> {
  const real = async (dir: string) => realpath(dir).catch(() => path.resolve(dir));
  const [outDir, inputDir] = await Promise.all([real(out), real(input)]);
  if (outDir === inputDir || inputDir.startsWith(`${outDir}${path.sep}`)) {
    throw new IndexError(
      `--out '${out}' ${outDir === inputDir ? "is" : "holds"} the documents' folder '${input}': loupe replaces what it writes in --out, so give the index a folder of its own (for example --out ${path.join(input, "index")}, which is left out of what is indexed)`,
    );
  }
  let entries: string[];
  try {
    entries = await readdir(out);
  } catch (error) {
    // A file where the folder should be: said as such, not as mkdir's EEXIST (QA).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR" && (await stat(out).catch(() => undefined))?.isFile() === true) {
      throw new IndexError(
        `--out '${out}' is a file, not a folder: give the index a folder of its own (a new one, such as --out ${path.join(path.dirname(out), "index")}); the file is left as it is`,
      );
    }
    // Not there yet (the writer makes it), under a file, or not readable: the writer reports
    // the last two, naming the folder.
    return;
  }
  for (const name of entries) {
    if (name.startsWith(".") || name === CURRENT) continue;
    if (GENERATION.test(name) && (await isGeneration(path.join(out, name)))) continue;
    throw new IndexError(
      `--out '${out}' is not a loupe index: it holds '${name}', which loupe did not write there; choose a new or empty folder for --out (loupe replaces what it writes there), or move '${name}' out of it`,
    );
  }
}

/** What a generation of this format holds: its manifest and data files. */
const GENERATION_FILES: ReadonlySet<string> = new Set(["manifest.json", ...DATA_FILES]);

/**
 * Whether `dir` is a generation loupe wrote: a folder holding only files a generation of this
 * format holds (one whose removal a kill cut short included, which the next rebuild must remove
 * rather than refuse the folder for), or a loupe manifest (a generation of an older format,
 * with other files). Any `manifest.json` was not enough: a web app's folder has one too.
 */
async function isGeneration(dir: string): Promise<boolean> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return false;
  }
  if (names.every((name) => GENERATION_FILES.has(name))) return true;
  if (!names.includes("manifest.json")) return false;
  try {
    const manifest: unknown = JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8"));
    const { format, data } = (manifest ?? {}) as { format?: unknown; data?: unknown };
    return typeof format === "number" && typeof data === "object" && data !== null;
  } catch {
    return false;
  }
}

export function newGenerationName(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").toLowerCase();
  return `gen-${stamp}-${randomBytes(4).toString("hex")}`;
}

/** A file's content: text, bytes, or chunks of either made while writing. */
export type FileContent = string | Uint8Array | Iterable<string | Uint8Array>;

export interface WrittenFile {
  bytes: number;
  sha256: string;
}

/**
 * Writes `files` as generation `generation`, then the manifest `describe` makes from their
 * sizes and checksums, and makes the generation current. All or nothing.
 */
export async function writeGeneration(
  dir: string,
  generation: string,
  files: Record<string, FileContent>,
  describe: (written: Record<string, WrittenFile>) => string = () => "{}\n",
): Promise<void> {
  const temp = path.join(dir, `.tmp-${process.pid}-${generation}`);
  // Read before the swap: generation names only sort to the second, so "the one before" must
  // be the one CURRENT named, not the second newest name.
  const previous = await currentGeneration(dir);
  try {
    await mkdir(dir, { recursive: true });
    await mkdir(temp);
    const written: Record<string, WrittenFile> = {};
    for (const [name, content] of Object.entries(files)) {
      written[name] = await writeSynced(path.join(temp, name), content);
    }
    await writeSynced(path.join(temp, "manifest.json"), describe(written));
    await syncDir(temp);
    await rename(temp, path.join(dir, generation));
    const pointer = path.join(dir, `.${CURRENT}-${process.pid}`);
    await writeSynced(pointer, `${generation}\n`);
    await rename(pointer, path.join(dir, CURRENT));
    await syncDir(dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true }).catch(() => {});
    throw writeError(dir, error);
  }
  await removeOldGenerations(dir, [generation, previous]);
}

async function writeSynced(file: string, content: FileContent): Promise<WrittenFile> {
  const handle = await open(file, "w");
  const hash = createHash("sha256");
  let bytes = 0;
  try {
    const chunks =
      typeof content === "string" || content instanceof Uint8Array ? [content] : content;
    // Chunks are gathered up to a few MB per write: one write per small chunk costs a syscall each.
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      const block = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
      await handle.writeFile(block);
      pending = [];
      pendingBytes = 0;
    };
    for (const chunk of chunks) {
      const data = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      hash.update(data);
      bytes += data.length;
      pending.push(data);
      pendingBytes += data.length;
      if (pendingBytes >= 4 << 20) await flush();
    }
    await flush();
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { bytes, sha256: hash.digest("hex") };
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the renames are still atomic there.
  } finally {
    await handle.close();
  }
}

function writeError(dir: string, error: unknown): IndexError {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  const why =
    code === "EACCES" || code === "EPERM" || code === "EROFS"
      ? "the folder is not writable: check its permissions or pass --out <folder>"
      : code === "ENOSPC" || code === "EDQUOT"
        ? "the disk is full: free some space and run again"
        : `${(error as Error).message}`;
  return new IndexError(
    `cannot write the index to '${dir}' (${code || "error"}): ${why}; the previous index is untouched`,
  );
}

/**
 * Keeps the current generation and the one before it (a server may still be loading it), and
 * removes the files of writers that have died.
 */
async function removeOldGenerations(
  dir: string,
  keep: ReadonlyArray<string | undefined>,
): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const doomed: string[] = [];
  // Only generations loupe wrote: a folder of the user's named like one is never removed.
  for (const name of entries) {
    if (GENERATION.test(name) && !keep.includes(name) && (await isGeneration(path.join(dir, name))))
      doomed.push(name);
  }
  doomed.push(...deadWriterFiles(entries));
  await Promise.all(
    doomed.map((name) => rm(path.join(dir, name), { recursive: true, force: true })),
  );
}

/**
 * Removes what writers killed half-way left: `.tmp-<pid>-…` folders, `.CURRENT-<pid>` pointers,
 * and `.lock.stale-<pid>` files (a writer killed while taking over a dead writer's lock).
 */
export async function removeLeftovers(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    deadWriterFiles(entries).map((name) =>
      rm(path.join(dir, name), { recursive: true, force: true }),
    ),
  );
}

function deadWriterFiles(entries: readonly string[]): string[] {
  return entries.filter((name) => {
    const writer = /^\.(?:tmp|CURRENT|lock\.stale)-(\d+)(?:-|$)/.exec(name)?.[1];
    return writer !== undefined && !isAlive(Number(writer));
  });
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One writer at a time: two `loupe index` runs on one folder would each build from the same
 * old generation and the second would silently drop the first's changes. A lock left by a
 * killed writer is taken over.
 */
export async function withWriteLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const lock = path.join(dir, LOCK);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw writeError(dir, error);
  }
  const busy = (holder: number | string) =>
    new IndexError(
      `another loupe index (pid ${holder}) is writing '${dir}': wait for it to finish, or remove ${lock} if it is not running`,
    );
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(lock, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EEXIST") throw writeError(dir, error);
      if (attempt > 0) throw busy("unknown");
      const holder = await lockHolder(lock);
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) throw busy(holder);
      // Two writers may both find the dead writer's lock: renaming it away is atomic, so only
      // one of them moves it; the other finds it gone and competes for the new one (with "wx").
      // If what was moved is not the dead writer's (a live writer took over in between), it
      // goes back. A race remains only inside that check, a few microseconds wide.
      const stale = `${lock}.stale-${process.pid}`;
      const moved = await rename(lock, stale).then(
        () => true,
        () => false,
      );
      if (moved) {
        const taken = Number((await readFile(stale, "utf8").catch(() => "")).trim());
        if (taken !== holder && taken > 0 && isAlive(taken)) {
          await rename(stale, lock);
          throw busy(taken);
        }
        await rm(stale, { force: true });
      }
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}

/**
 * The pid in a lock file. A writer creates the file, then writes its pid: read in between, the
 * file is empty although its writer is alive, so an empty file is read again before being
 * taken for the lock of a writer killed between the two.
 */
async function lockHolder(lock: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const text = (await readFile(lock, "utf8").catch(() => "")).trim();
    if (text !== "" || attempt >= 5) return Number(text);
    await sleep(20);
  }
}
