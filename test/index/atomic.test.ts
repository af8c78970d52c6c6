/**
 * The index on disk is replaced atomically or not at all: a writer killed at any moment, a
 * folder that cannot be written, a full disk, another writer at work — each leaves the
 * previous index loadable and giving the same answers.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { buildIndex } from "../../src/index/build.js";
import { IndexError } from "../../src/index/errors.js";
import { loadIndex } from "../../src/index/load.js";
import { currentGeneration } from "../../src/index/store.js";
import { entries, generateCorpus, query, ROOT, removeTemps, SEEDS, tempDir } from "./helpers.js";

/**
 * Fault injection: tests run as root, where permissions stop nothing, and a disk cannot be
 * filled on demand. When `fault.current` is set, the first matching call of the named
 * `node:fs/promises` function fails with its errno code; otherwise everything passes through.
 */
type Fault = {
  fn: "writeFile" | "open" | "rename" | "mkdir";
  match: RegExp;
  code: string;
  hits: number;
};
const fault = vi.hoisted(() => ({ current: undefined as Fault | undefined }));
/**
 * Two writers at once, made to meet: while `meet.on` is set, the first writer to take a lock
 * holds its `writeFile` until a second writer has tried to take one (two builds in one process
 * otherwise meet only when their reads happen to interleave: the first may finish before the
 * second reaches the lock).
 */
const meet = vi.hoisted(() => ({ on: false, tries: 0, met: () => {}, second: Promise.resolve() }));

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  const errno = (code: string, file: string) =>
    Object.assign(new Error(`${code}: simulated failure, '${file}'`), { code });
  const hits = (fn: Fault["fn"], file: unknown): Fault | undefined => {
    const current = fault.current;
    if (current?.fn !== fn || !current.match.test(String(file))) return undefined;
    current.hits++;
    return current;
  };
  const writeFile = ((file: Parameters<typeof actual.writeFile>[0], ...rest: unknown[]) => {
    const hit = hits("writeFile", file);
    if (hit) return Promise.reject(errno(hit.code, String(file)));
    const write = (actual.writeFile as (...args: unknown[]) => Promise<void>)(file, ...rest);
    if (!meet.on || !/\.lock$/.test(String(file))) return write;
    meet.tries++;
    // The first holds the lock until the second has tried; the second lets it go on.
    if (meet.tries === 1) return write.then(() => meet.second);
    return write.finally(() => meet.met());
  }) as typeof actual.writeFile;
  const mkdir = ((file: Parameters<typeof actual.mkdir>[0], ...rest: unknown[]) => {
    const hit = hits("mkdir", file);
    if (hit) return Promise.reject(errno(hit.code, String(file)));
    return (actual.mkdir as (...args: unknown[]) => Promise<unknown>)(file, ...rest);
  }) as typeof actual.mkdir;
  const rename = ((
    from: Parameters<typeof actual.rename>[0],
    to: Parameters<typeof actual.rename>[1],
  ) => {
    const hit = hits("rename", to);
    if (hit) return Promise.reject(errno(hit.code, String(to)));
    return actual.rename(from, to);
  }) as typeof actual.rename;
  // A full disk fails in the middle of a write: half the data goes out, then ENOSPC.
  const open = (async (file: Parameters<typeof actual.open>[0], ...rest: unknown[]) => {
    const handle = await (actual.open as (...args: unknown[]) => ReturnType<typeof actual.open>)(
      file,
      ...rest,
    );
    const hit = hits("open", file);
    if (hit) {
      const write = handle.writeFile.bind(handle);
      handle.writeFile = async (data: unknown) => {
        await write(String(data).slice(0, String(data).length / 2));
        throw errno(hit.code, String(file));
      };
    }
    return handle;
  }) as typeof actual.open;
  return {
    ...actual,
    writeFile,
    mkdir,
    rename,
    open,
    default: { ...actual, writeFile, mkdir, rename, open },
  };
});

afterEach(() => {
  fault.current = undefined;
});
afterAll(removeTemps);

const CHILD = path.join(ROOT, "test/index/fixtures/build-child.ts");
/** Each file operation of the child on the index waits this long: see build-child.ts. */
const SLOW_MS = "15";

/** An index folder and what it must keep answering, whatever fails. */
interface Subject {
  input: string;
  out: string;
  query: string;
  documents: number;
  answer: Array<[string, number]>;
}

/** The ids and scores of `text`: what must survive every failed write. */
async function answerOf(
  dir: string,
  text: string,
): Promise<{ documents: number; answer: Array<[string, number]> }> {
  const loaded = await loadIndex(dir);
  const answer = loaded.miniSearch
    .search(query(text))
    .slice(0, 20)
    .map((hit): [string, number] => [String(hit.id), hit.score]);
  return { documents: loaded.documents.size, answer };
}

async function subject(
  input: string,
  text: string,
  documents: number,
  out?: string,
): Promise<Subject> {
  out ??= path.join(await tempDir(), "index");
  const report = await buildIndex({ input, out });
  expect(report).toMatchObject({ status: "built", documents });
  const { answer } = await answerOf(out, text);
  expect(answer.length).toBeGreaterThan(1);
  return { input, out, query: text, documents, answer };
}

/** The index still loads, with the same documents and the same answer. */
async function expectIntact(it: Subject): Promise<void> {
  const now = await answerOf(it.out, it.query);
  expect(now.documents).toBe(it.documents);
  expect(now.answer).toEqual(it.answer);
}

/** A pid that was just in use and no longer is. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  if (child.pid === undefined) throw new Error("no pid");
  return child.pid;
}

interface ChildRun {
  child: ChildProcess;
  /** Resolves once loupe is loaded in the child. */
  ready: Promise<void>;
  /** Tells the child to build; resolves once it has started. */
  go: () => Promise<void>;
  exited: Promise<ChildExit>;
}

interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From the build's start to the process's end. */
  ms: number;
}

function runChild(on: Subject): ChildRun {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, on.input, on.out, SLOW_MS], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let startedAt = Number.NaN;
  const waiters: Array<{ line: string; resolve: () => void }> = [];
  const settle = (all: boolean) => {
    for (const waiter of waiters.splice(0)) {
      if (all || stdout.includes(`${waiter.line}\n`)) waiter.resolve();
      else waiters.push(waiter);
    }
  };
  const line = (text: string) =>
    new Promise<void>((resolve) => {
      waiters.push({ line: text, resolve });
      settle(child.exitCode !== null || child.signalCode !== null);
    });
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (Number.isNaN(startedAt) && stdout.includes("start\n")) startedAt = performance.now();
    settle(false);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<ChildExit>((resolve) => {
    // "close", not "exit": the output is all read by then.
    child.on("close", (code, signal) => {
      settle(true);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - startedAt });
    });
  });
  const ready = line("ready");
  const go = async () => {
    child.stdin?.end("go\n");
    await line("start");
  };
  return { child, ready, go, exited };
}

describe("a build killed half-way", () => {
  it("leaves an index that loads and answers as before, whenever the kill comes", async () => {
    const DOCUMENTS = 200;
    const input = path.join(await tempDir(), "input");
    const out = path.join(await tempDir(), "index");
    await generateCorpus(input, DOCUMENTS);
    // A first child loads while the index is built here; it times a build, loading aside.
    const timing = runChild({ input, out, query: "", documents: DOCUMENTS, answer: [] });
    const big = await subject(input, "réforme des retraites à Marseille", DOCUMENTS, out);

    // How long a build takes here, to spread the kills over it.
    await timing.ready;
    await timing.go();
    const finished = await timing.exited;
    expect(finished.stderr).toBe("");
    expect(finished).toMatchObject({ code: 0, signal: null });
    expect(finished.stdout).toMatch(/^ready\nstart\ndone gen-/);
    let duration = finished.ms;
    await expectIntact(big);

    const RUNS = 10;
    // Where in its tenth of the build each kill falls: seeded, printed, and replayed with
    // LOUPE_KILL_SEED=<seed>.
    const seed = Number(process.env.LOUPE_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`kill moments: seed ${seed} (LOUPE_KILL_SEED=${seed} replays them)`);
    const moments = fc.sample(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
      seed,
      numRuns: RUNS,
    });
    let killed = 0;
    let next = runChild(big);
    // A failed expectation must not leave a child waiting for its go.
    onTestFinished(() => {
      if (next.child.exitCode === null && next.child.signalCode === null)
        next.child.kill("SIGKILL");
    });
    for (let run = 0; run < RUNS; run++) {
      const child = next;
      await child.ready;
      await child.go();
      // The next child loads while this one builds.
      if (run + 1 < RUNS) next = runChild(big);
      const delay = (duration * (run + moments[run]!)) / RUNS;
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.child.kill("SIGKILL");
      const result = await child.exited;
      if (result.signal === "SIGKILL") killed++;
      else {
        expect(result, `run ${run} ended by itself`).toMatchObject({ code: 0, stderr: "" });
        // The first measure was slow (a busy machine): aim the next kills earlier.
        duration = Math.min(duration, result.ms);
      }
      // Whatever the moment: a complete generation, the same documents, the same answer.
      await expectIntact(big);
    }
    // The kills did interrupt builds (their timing only decides where).
    expect(killed).toBeGreaterThan(0);

    // The next build takes over the killed writer's lock and removes its temporary files;
    // nothing changed, so it writes nothing.
    const report = await buildIndex({ input, out: big.out });
    expect(report.status).toBe("unchanged");
    let left = await entries(big.out);
    expect(left.filter((name) => name.startsWith("."))).toEqual([]);
    expect(left).toContain(report.generation);
    await expectIntact(big);
    // The next write keeps its generation and the one before, whatever killed writers left.
    const forced = await buildIndex({ input, out: big.out, force: true });
    left = await entries(big.out);
    expect(left).toEqual(["CURRENT", report.generation, forced.generation].sort());
    await expectIntact(big);
  }, 60_000);
});

describe("the write lock", () => {
  let seeds: Subject;
  beforeAll(async () => {
    seeds = await subject(SEEDS, "OTAN Irak", 5);
  });

  it("left by a dead writer, with its temporary files, neither blocks nor stays", async () => {
    const { input, out } = seeds;
    const dead = await deadPid();
    const temp = path.join(out, `.tmp-${dead}-gen-20000101t000000-00000000`);
    await writeFile(path.join(out, ".lock"), String(dead));
    await mkdir(temp);
    await writeFile(path.join(temp, "minisearch.json"), "{");
    await writeFile(path.join(out, `.CURRENT-${dead}`), "gen-20000101t000000-00000000\n");
    // A writer killed while taking over another dead writer's lock leaves it renamed.
    await writeFile(path.join(out, `.lock.stale-${dead}`), String(dead));

    // An unchanged run writes nothing but still cleans up.
    const report = await buildIndex({ input, out });
    expect(report.status).toBe("unchanged");
    expect((await entries(out)).filter((name) => name.startsWith("."))).toEqual([]);

    await writeFile(path.join(out, ".lock"), String(dead));
    await mkdir(path.join(out, `.tmp-${dead}-gen-20000101t000000-11111111`));
    const forced = await buildIndex({ input, out, force: true });
    expect(forced.status).toBe("built");
    expect((await entries(out)).filter((name) => name.startsWith("."))).toEqual([]);
    await expectIntact(seeds);
  });

  it("of a live writer is respected: a second build refuses, naming it", async () => {
    const { input, out } = seeds;
    const lock = path.join(out, ".lock");
    await writeFile(lock, String(process.pid));
    const generation = await currentGeneration(out);
    const error = await buildIndex({ input, out, force: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IndexError);
    expect((error as Error).message).toContain(
      `another loupe index (pid ${process.pid}) is writing '${out}'`,
    );
    expect((error as Error).message).toContain(lock);
    // Not its lock: left alone.
    expect(await readFile(lock, "utf8")).toBe(String(process.pid));
    expect(await currentGeneration(out)).toBe(generation);
    await rm(lock);
  });

  it("being taken (created, its pid not yet written) is not taken over", async () => {
    const { input, out } = seeds;
    const lock = path.join(out, ".lock");
    await writeFile(lock, "");
    const writing = new Promise((resolve) => setTimeout(resolve, 30)).then(() =>
      writeFile(lock, String(process.pid)),
    );
    await expect(buildIndex({ input, out, force: true })).rejects.toThrow(
      `another loupe index (pid ${process.pid})`,
    );
    await writing;
    await rm(lock);
  });

  it("left empty by a writer killed before writing its pid is taken over", async () => {
    const { input, out } = seeds;
    await writeFile(path.join(out, ".lock"), "");
    expect((await buildIndex({ input, out, force: true })).status).toBe("built");
    expect(await entries(out)).not.toContain(".lock");
    await expectIntact(seeds);
  });

  it("lets one of two simultaneous builds write and refuses the other", async () => {
    const { input, out } = seeds;
    meet.on = true;
    meet.tries = 0;
    meet.second = new Promise((resolve) => {
      meet.met = resolve;
    });
    onTestFinished(() => {
      meet.on = false;
      meet.met();
    });
    const results = await Promise.allSettled([
      buildIndex({ input, out, force: true }),
      buildIndex({ input, out, force: true }),
    ]);
    expect(meet.tries, "both builds tried to take the lock").toBe(2);
    const refused = results.filter((result) => result.status === "rejected");
    expect(refused).toHaveLength(1);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/another loupe index/);
    expect(await entries(out)).not.toContain(".lock");
    await expectIntact(seeds);
  });
});

describe("a write that fails", () => {
  let seeds: Subject;
  beforeAll(async () => {
    seeds = await subject(SEEDS, "OTAN Irak", 5);
  });

  async function expectWriteRefused(why: RegExp): Promise<void> {
    const { input, out } = seeds;
    const before = await currentGeneration(out);
    const listing = await entries(out);
    const error = await buildIndex({ input, out, force: true }).catch((caught: unknown) => caught);
    expect(fault.current?.hits, "the fault was injected").toBeGreaterThan(0);
    expect(error).toBeInstanceOf(IndexError);
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).toContain(`cannot write the index to '${out}'`);
    expect((error as Error).message).toContain("the previous index is untouched");
    fault.current = undefined;
    expect(await currentGeneration(out)).toBe(before);
    // No temporary folder, no lock left behind.
    expect(await entries(out)).toEqual(listing);
    await expectIntact(seeds);
  }

  it("into a read-only folder (EROFS on the lock)", async () => {
    fault.current = { fn: "writeFile", match: /\.lock$/, code: "EROFS", hits: 0 };
    await expectWriteRefused(
      /\(EROFS\): the folder is not writable: check its permissions or pass --out/,
    );
  });

  it("into a folder where nothing may be created (EACCES on the new generation)", async () => {
    fault.current = { fn: "mkdir", match: /\.tmp-/, code: "EACCES", hits: 0 };
    await expectWriteRefused(/\(EACCES\): the folder is not writable/);
  });

  it("on a full disk (ENOSPC half-way through a data file)", async () => {
    fault.current = { fn: "open", match: /\.tmp-.*vocabulary\.txt$/, code: "ENOSPC", hits: 0 };
    await expectWriteRefused(/\(ENOSPC\): the disk is full: free some space and run again/);
  });

  // A failure at each step of the swap, in order: before CURRENT is replaced, nothing changes.
  it.each<[string, Fault["fn"], RegExp, string]>([
    ["creating the temporary folder", "mkdir", /\.tmp-[^/]*$/, "EIO"],
    ["writing the manifest", "open", /\.tmp-.*manifest\.json$/, "ENOSPC"],
    ["renaming the generation into place", "rename", /\/gen-[0-9a-z-]+$/, "EIO"],
    ["writing the new CURRENT pointer", "open", /\.CURRENT-\d+$/, "ENOSPC"],
    ["renaming the pointer over CURRENT", "rename", /\/CURRENT$/, "EIO"],
  ])("on a failure %s", async (_step, fn, match, code) => {
    const { input, out } = seeds;
    fault.current = { fn, match, code, hits: 0 };
    const before = await currentGeneration(out);
    await expect(buildIndex({ input, out, force: true })).rejects.toThrow(
      new RegExp(`cannot write the index to '.*' \\(${code}\\)`),
    );
    expect(fault.current.hits).toBe(1);
    fault.current = undefined;
    expect(await currentGeneration(out)).toBe(before);
    await expectIntact(seeds);
    expect(await entries(out)).not.toContain(".lock");
    // The next build goes through and clears what the failed one left.
    expect((await buildIndex({ input, out, force: true })).status).toBe("built");
    const left = await entries(out);
    expect(left.filter((name) => name.startsWith("gen-"))).toHaveLength(2);
    expect(left.filter((name) => name.startsWith(".tmp-"))).toEqual([]);
    await expectIntact(seeds);
  });

  it("into an --out under a file (ENOTDIR): a clear error, nothing written", async () => {
    const file = path.join(await tempDir(), "a-file");
    await writeFile(file, "not a folder");
    const bad = path.join(file, "index");
    const error = await buildIndex({ input: SEEDS, out: bad }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IndexError);
    expect((error as Error).message).toContain(`cannot write the index to '${bad}' (ENOTDIR)`);
    expect(await readFile(file, "utf8")).toBe("not a folder");
  });
});
