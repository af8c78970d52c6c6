// Load test: `npx tsx bench/load.ts [--connections 50] [--seconds 15] [--swaps 2] [--workers 0] [--input seeds] [--json FILE]`
// (`npm run test:load`). Exits 1 on any failure. With `--workers N` the searches run on N search
// threads (worker-pool.ts) and a swap counts as served once every thread serves it.
//
// A real server (createApp over the disk loader with hot reload, @hono/node-server via listen())
// runs in a child process started here, so its memory is its own; autocannon runs in this one,
// against 127.0.0.1 only, for a bounded time. Three phases:
//   1. warm-up, then the child's memory after a forced GC (the child runs with --expose-gc);
//   2. the run: a mix of real French queries; no error, no non-2xx, and the child's heap after a
//      forced GC within HEAP_GROWTH_LIMIT_MB of what it was after the warm-up;
//   3. the same run while the index is rebuilt and swapped `swaps` times (buildIndex into the
//      served folder, one new document each time): no failed request, and afterwards a search
//      for a word only each new document holds finds it.
// The child answers memory and counters on a line of stdin ("stats"), or on SIGUSR2, on stdout:
// no endpoint is added to the app for it.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

const THIS_FILE = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(THIS_FILE), "..");

/** Growth of the server's heap (after a forced GC) from after the warm-up to after a run. */
export const HEAP_GROWTH_LIMIT_MB = 50;
/** The same for RSS, which also holds what V8 has not given back to the system yet. */
export const RSS_GROWTH_LIMIT_MB = 150;

/**
 * Questions about the seeds as people type them: words, elisions, accents and their absence,
 * phrases, prefixes, typos, date filters, exclusions, a miss; plus the other endpoints.
 */
export const LOAD_QUERIES = [
  "OTAN",
  "l’OTAN Irak",
  "Irak",
  "Parly",
  "Soleimani",
  "mission d’entraînement",
  "mission d'entrainement",
  '"Alliance atlantique"',
  '"mission de formation"',
  "soldats canadiens",
  "Bagdad assassinat",
  "général iranien",
  "retrait des troupes",
  "sécurité des soldats",
  "securite",
  "suspension formation militaire",
  "OTAN date:2020-02",
  "Irak date:2020-01..2020-02",
  "entrain*",
  "gouvern*",
  "Bruxelles -Canada",
  "Soleimany",
  "entrainemnt",
  "helicopteres",
  "Qassem Soleimani Bagdad raid américain",
  "zanzibar",
  "être ou ne pas être",
];

/** The mix of requests, with two documents of the collection for the document endpoints. */
export function loadPaths([
  first = "004_35c4cf714ecaba77",
  second = "001_ba59de7d1c28a194",
]: string[] = []): string[] {
  const doc = (id: string) => id.split("/").map(encodeURIComponent).join("/");
  return [
    ...LOAD_QUERIES.map((q) => `/api/search?q=${encodeURIComponent(q)}`),
    `/api/search?q=${encodeURIComponent("OTAN")}&limit=3&offset=2`,
    `/api/search?q=${encodeURIComponent("Irak")}&date=2020-02&explain=true`,
    "/api/suggest?q=sol",
    `/api/suggest?q=${encodeURIComponent("l’all")}`,
    `/api/documents/${doc(first)}?q=Parly`,
    `/api/documents/${doc(second)}`,
    `/api/analyze?text=${encodeURIComponent("L’OTAN a suspendu ses opérations")}`,
    "/api/health",
    `/?q=${encodeURIComponent("mission OTAN")}`,
  ];
}

export const LOAD_PATHS = loadPaths();

/** Words no seed holds: each swap adds a document with one of them. */
export const NEW_WORDS = ["ornithorynque", "quetzalcoatl", "tamanoir", "okapi", "axolotl"];

/** Queries made to cost the most: 32 common words with prefixes, stopword phrases, typos. */
export const WORST_CASE_QUERIES = [
  "la* le* de* des* un* une* et* en* du* au* pour* par* sur* dans* avec* qui* que* est* sont* a* ont* il* elle* ils* se* ce* son* sa* ses* pas* plus* mais*",
  "OTAN* Irak* mission* soldat* forma* entr* allia* gouv* bagd* assa* gene* iran* troup* retr* secu* susp* mili* cana* brux* parl* sole* qass* raid* amer* dema* renf* role* pays* memb* mini* defe* acco*",
  '"de la" "et le" "à la" "de l" "en Irak" "dans la" "pour le" "sur la"',
  '"de la"',
  "gouvernemnt entrainemnt soldts canadins alliannce atlantiqe bagdd assasinat genral iranen troupess retrat",
  "être ou ne pas être le la les de des du un une et à au aux en dans par pour sur avec sans sous",
];

export interface LoadOptions {
  connections?: number;
  seconds?: number;
  warmupSeconds?: number;
  /** Rebuilds of the served index during the second run (0: no second run). */
  swaps?: number;
  /** Folder of documents to index (default seeds/). */
  input?: string;
  /** Search threads in the server; 0 (default) searches in the HTTP thread. */
  workers?: number;
  log?: (line: string) => void;
}

export interface ServerStats {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Engine calls since the server started. */
  searches: number;
  /** Requests to /api/search the app received (whatever became of them). */
  searchRequests: number;
  suggests: number;
  documents: number;
  inFlight: number;
  generation: string | undefined;
  indexDocuments: number;
}

export interface RunResult {
  connections: number;
  seconds: number;
  requests: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** 503s of a full queue (with Retry-After): the documented answer to overload, not a failure. */
  shed?: number;
  requestsPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
}

export interface SwapResult {
  word: string;
  generation: string;
  /** From the end of buildIndex to the server answering with the new generation. */
  servedAfterMs: number;
  /** After the run: hits for the word only the new document holds. */
  found: number;
}

export interface WorstCase {
  query: string;
  medianMs: number;
  maxMs: number;
}

export interface LoadResult {
  documents: number;
  warmup: RunResult;
  run: RunResult;
  swapRun?: RunResult;
  swaps: SwapResult[];
  memory: { afterWarmup: ServerStats; afterRun: ServerStats; afterSwapRun?: ServerStats };
  worstCase: WorstCase[];
  node: string;
  date: string;
}

// ---------------------------------------------------------------------------------------------
// The server, in a child process.

export interface LoadServer {
  child: ChildProcess;
  port: number;
  url: string;
  /** Forces a GC in the child (twice) and reads its memory and counters. */
  stats(): Promise<ServerStats>;
  /** SIGTERM, then waits for the exit; SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** What the child wrote on stderr (reload failures, crashes). */
  stderr(): string;
}

/** Starts the app over `indexDir` in a child process on 127.0.0.1, port 0. */
export async function startLoadServer(
  indexDir: string,
  options: { reloadIntervalMs?: number; workers?: number } = {},
): Promise<LoadServer> {
  const child = spawn(
    process.execPath,
    [
      "--expose-gc",
      "--import",
      "tsx",
      THIS_FILE,
      "--serve",
      indexDir,
      "--reload-ms",
      String(options.reloadIntervalMs ?? 100),
      "--workers",
      String(options.workers ?? 0),
    ],
    { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const waiting: Array<(line: Record<string, unknown>) => boolean> = [];
  const lines = createInterface({ input: child.stdout! });
  lines.on("line", (line) => {
    if (!line.startsWith("{")) return;
    const message = JSON.parse(line) as Record<string, unknown>;
    const index = waiting.findIndex((accept) => accept(message));
    if (index >= 0) waiting.splice(index, 1);
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const next = (key: string, timeoutMs = 20_000) =>
    new Promise<Record<string, unknown>>((resolvePromise, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`load server: no '${key}' line in ${timeoutMs} ms\n${stderr}`)),
        timeoutMs,
      );
      const accept = (message: Record<string, unknown>) => {
        if (!(key in message)) return false;
        clearTimeout(timer);
        resolvePromise(message);
        return true;
      };
      waiting.push(accept);
      exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`load server exited (${code}) before '${key}'\n${stderr}`));
      });
    });
  const ready = (await next("ready")) as { ready: true; port: number };
  return {
    child,
    port: ready.port,
    url: `http://127.0.0.1:${ready.port}`,
    async stats() {
      const answer = next("stats");
      child.stdin?.write("stats\n");
      return (await answer).stats as ServerStats;
    },
    async stop(timeoutMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    stderr: () => stderr,
  };
}

/** The child: the app over the index folder, reloading it, counting engine calls. */
async function serveForLoad(indexDir: string, reloadMs: number, workers: number): Promise<void> {
  const { createApp } = await import("../src/server/app.js");
  const { listen } = await import("../src/server/listen.js");
  const { watchIndex } = await import("../src/server/reload.js");
  const { diskIndexLoader } = await import("../src/server/index-loader.js");
  type Engine = import("../src/search/types.js").Engine;

  const calls = { searches: 0, suggests: 0, documents: 0, searchRequests: 0 };
  const counting = (engine: Engine): Engine => ({
    get info() {
      return engine.info;
    },
    search(q, o) {
      calls.searches++;
      return engine.search(q, o);
    },
    suggest(p, l) {
      calls.suggests++;
      return engine.suggest(p, l);
    },
    getDocument(id, q) {
      calls.documents++;
      return engine.getDocument(id, q);
    },
  });
  const { WorkerPool } = await import("../src/server/worker-pool.js");
  type Searcher = import("../src/server/searcher.js").Searcher;
  let pool: import("../src/server/worker-pool.js").WorkerPool | undefined;
  const source = await watchIndex(indexDir, {
    loader: {
      open: async (dir) => counting(await diskIndexLoader.open(dir)),
      generation: diskIndexLoader.generation,
    },
    intervalMs: reloadMs,
    onEvent: (event) => {
      process.stdout.write(`${JSON.stringify({ event })}\n`);
      if (event.type === "reloaded") pool?.sync(event.generation);
    },
  });
  let searcher: Searcher | undefined;
  if (workers > 0) {
    const started = await WorkerPool.start({ workers, indexDir });
    started.follow(source, reloadMs);
    pool = started;
    // The threads' engines are out of reach here: their calls are counted as they are made.
    searcher = {
      budgetMs: started.budgetMs,
      status: () => started.status(),
      search: (e, q, o) => {
        calls.searches++;
        return started.search(e, q, o);
      },
      suggest: (e, p, l) => {
        calls.suggests++;
        return started.suggest(e, p, l);
      },
      getDocument: (e, id, q, o) => {
        calls.documents++;
        return started.getDocument(e, id, q, o);
      },
    };
  }
  const app = createApp(source, { log: false, ...(searcher && { searcher }) });
  const running = await listen(
    {
      fetch: (request, env) => {
        if (new URL(request.url).pathname === "/api/search") calls.searchRequests++;
        return app.fetch(request, env as object);
      },
    },
    { host: "127.0.0.1", port: 0 },
  );

  const gc = (globalThis as { gc?: () => void }).gc;
  const printStats = () => {
    gc?.();
    gc?.();
    const stats: ServerStats = {
      ...process.memoryUsage(),
      ...calls,
      inFlight: running.inFlight(),
      generation: source.generation,
      indexDocuments: source.current().info.documents,
    };
    process.stdout.write(`${JSON.stringify({ stats })}\n`);
  };
  process.on("SIGUSR2", printStats);
  createInterface({ input: process.stdin }).on("line", (line) => {
    if (line.trim() === "stats") printStats();
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    source.stop();
    running
      .close(2000)
      .then(() => pool?.close())
      .then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  // The parent is gone: never outlive it.
  process.stdin.on("end", stop);
  process.stdout.write(`${JSON.stringify({ ready: true, port: running.port })}\n`);
}

// ---------------------------------------------------------------------------------------------
// The client side.

async function hammer(
  url: string,
  paths: string[],
  connections: number,
  seconds: number,
): Promise<RunResult> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 10,
    requests: paths.map((path) => ({ method: "GET" as const, path })),
  });
  return {
    connections,
    seconds,
    requests: result.requests.total,
    ok2xx: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    shed: result.statusCodeStats?.["503"]?.count ?? 0,
    requestsPerSec: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
  };
}

function emptyRun(connections: number): RunResult {
  return {
    connections,
    seconds: 0,
    requests: 0,
    ok2xx: 0,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    requestsPerSec: 0,
    latencyP50Ms: 0,
    latencyP99Ms: 0,
    latencyMaxMs: 0,
  };
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}

/** Each worst-case query run 5 times on an engine over `indexDir`, in this process. */
export async function measureWorstCase(
  indexDir: string,
  queries = WORST_CASE_QUERIES,
): Promise<WorstCase[]> {
  const { openEngine } = await import("../src/search/engine.js");
  // The engine keeps no results, so every run below times a whole search.
  const engine = await openEngine(indexDir);
  return queries.map((query) => {
    engine.search(query);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      engine.search(query);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return { query, medianMs: times[2] ?? 0, maxMs: times[4] ?? 0 };
  });
}

/** Indexes a copy of `input`, serves it from a child process, runs the phases, stops everything. */
export async function runLoad(options: LoadOptions = {}): Promise<LoadResult> {
  const connections = options.connections ?? 50;
  const seconds = options.seconds ?? 15;
  const warmupSeconds = options.warmupSeconds ?? 3;
  const swapCount = Math.min(options.swaps ?? 2, NEW_WORDS.length);
  const log = options.log ?? ((line: string) => console.error(line));
  const work = mkdtempSync(join(tmpdir(), "loupe-load-"));
  const input = join(work, "input");
  const indexDir = join(work, "index");
  cpSync(options.input ?? join(ROOT, "seeds"), input, { recursive: true });
  const { buildIndex, loadIndex } = await import("../src/index/index.js");
  const built = await buildIndex({ input, out: indexDir });
  const paths = loadPaths([...(await loadIndex(indexDir)).documents.keys()].slice(0, 2));
  log(
    `load: indexed ${built.documents} documents; ${connections} connections × ${seconds} s, ${paths.length} paths in rotation`,
  );

  const workers = options.workers ?? 0;
  const server = await startLoadServer(indexDir, { workers });
  if (workers > 0) log(`load: ${workers} search thread${workers === 1 ? "" : "s"}`);
  try {
    log(`load: warming up for ${warmupSeconds} s`);
    const warmup =
      warmupSeconds > 0
        ? await hammer(server.url, paths, connections, warmupSeconds)
        : emptyRun(connections);
    const afterWarmup = await server.stats();
    log(`load: run (${seconds} s)`);
    const run = await hammer(server.url, paths, connections, seconds);
    const afterRun = await server.stats();

    const swaps: SwapResult[] = [];
    let swapRun: RunResult | undefined;
    let afterSwapRun: ServerStats | undefined;
    if (swapCount > 0) {
      const swapPaths = [
        ...paths,
        ...NEW_WORDS.slice(0, swapCount).map((w) => `/api/search?q=${w}`),
      ];
      log(
        `load: run (${seconds} s) with ${swapCount} rebuild${swapCount === 1 ? "" : "s"} of the served index`,
      );
      const running = hammer(server.url, swapPaths, connections, seconds);
      const rebuilding = (async () => {
        for (let k = 0; k < swapCount; k++) {
          // Spread over the run: rebuild k starts about (k + 1) / (swaps + 1) of the way in.
          await new Promise((r) => setTimeout(r, (seconds * 1000) / (swapCount + 1)));
          const word = NEW_WORDS[k] ?? `mot${k}`;
          mkdirSync(join(input, "charge"), { recursive: true });
          writeFileSync(
            join(input, "charge", `${word}.txt`),
            ` date 2020-03 Un ${word} à Bagdad\n\nLes soldats de la mission ont aperçu un ${word} près de la base, selon l’OTAN.\n`,
          );
          const report = await buildIndex({ input, out: indexDir });
          const built = performance.now();
          for (;;) {
            const { body } = await getJson<{
              version: string;
              workers?: Array<{ generation?: string }>;
            }>(`${server.url}/api/health`);
            const threads = body.workers ?? [];
            if (
              body.version === report.generation &&
              threads.every((w) => w.generation === report.generation)
            )
              break;
            if (performance.now() - built > 10_000)
              throw new Error(
                `load: generation ${report.generation} not served after 10 s\n${server.stderr()}`,
              );
            await new Promise((r) => setTimeout(r, 20));
          }
          swaps.push({
            word,
            generation: report.generation,
            servedAfterMs: Math.round(performance.now() - built),
            found: 0,
          });
          log(
            `load: swap ${k + 1}: ${report.documents} documents, served ${swaps.at(-1)?.servedAfterMs} ms after the build`,
          );
        }
      })();
      const [result] = await Promise.all([running, rebuilding]);
      swapRun = result;
      for (const swap of swaps) {
        const { status, body } = await getJson<{ total: number; hits: Array<{ id: string }> }>(
          `${server.url}/api/search?q=${swap.word}`,
        );
        swap.found =
          status === 200 && body.hits.some((hit) => hit.id === `charge/${swap.word}`)
            ? body.total
            : 0;
      }
      afterSwapRun = await server.stats();
    }
    const worstCase = await measureWorstCase(indexDir);
    return {
      documents: built.documents,
      warmup,
      run,
      ...(swapRun && { swapRun }),
      swaps,
      memory: { afterWarmup, afterRun, ...(afterSwapRun && { afterSwapRun }) },
      worstCase,
      node: process.version,
      date: new Date().toISOString(),
    };
  } finally {
    const code = await server.stop();
    if (code !== 0) log(`load: the server exited with ${code}\n${server.stderr()}`);
    rmSync(work, { recursive: true, force: true });
  }
}

const MB = 1024 * 1024;

/** What went wrong, one line each; empty when the run passed. */
export function loadFailures(result: LoadResult): string[] {
  const failures: string[] = [];
  const runs: Array<[string, RunResult | undefined]> = [
    ["run", result.run],
    ["run with swaps", result.swapRun],
  ];
  for (const [name, run] of runs) {
    if (run === undefined) continue;
    if (run.requests === 0) failures.push(`${name}: no request was served`);
    if (run.errors > 0) failures.push(`${name}: ${run.errors} errors`);
    if (run.timeouts > 0) failures.push(`${name}: ${run.timeouts} timeouts`);
    // 503s of a full queue (with Retry-After) are the documented answer to overload.
    const failed = run.non2xx - (run.shed ?? 0);
    if (failed > 0) failures.push(`${name}: ${failed} answers were not 2xx`);
  }
  const { afterWarmup, afterRun, afterSwapRun } = result.memory;
  for (const [name, after] of [
    ["run", afterRun],
    ["run with swaps", afterSwapRun],
  ] as const) {
    if (after === undefined) continue;
    const heap = (after.heapUsed - afterWarmup.heapUsed) / MB;
    const rss = (after.rss - afterWarmup.rss) / MB;
    if (heap > HEAP_GROWTH_LIMIT_MB)
      failures.push(
        `${name}: the heap grew by ${heap.toFixed(1)} MB (limit ${HEAP_GROWTH_LIMIT_MB})`,
      );
    if (rss > RSS_GROWTH_LIMIT_MB)
      failures.push(`${name}: RSS grew by ${rss.toFixed(1)} MB (limit ${RSS_GROWTH_LIMIT_MB})`);
    if (after.inFlight !== 0)
      failures.push(`${name}: ${after.inFlight} requests still in flight after the run`);
  }
  for (const swap of result.swaps) {
    if (swap.found < 1)
      failures.push(`after swapping in ${swap.generation}: q=${swap.word} found nothing`);
  }
  return failures;
}

export function formatLoad(r: LoadResult): string {
  const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
  const row = (name: string, t: RunResult) =>
    `| ${name.padEnd(15)} | ${String(t.requests).padStart(8)} | ${t.requestsPerSec.toFixed(0).padStart(6)} | ${String(t.latencyP50Ms).padStart(5)} | ${String(t.latencyP99Ms).padStart(5)} | ${String(t.latencyMaxMs).padStart(5)} | ${String(t.errors + t.timeouts).padStart(6)} | ${String(t.non2xx).padStart(6)} | ${String(t.shed ?? 0).padStart(8)} |`;
  const mem = (name: string, s: ServerStats) =>
    `| ${name.padEnd(16)} | ${mb(s.heapUsed).padStart(9)} | ${mb(s.rss).padStart(9)} | ${String(s.searches).padStart(8)} |`;
  const { afterWarmup, afterRun, afterSwapRun } = r.memory;
  return [
    `${r.run.connections} connections, ${r.documents} documents, 127.0.0.1, Node ${r.node}`,
    "",
    "| phase           | requests |  req/s | p50ms | p99ms | maxms | errors | non2xx | 503 shed |",
    "|-----------------|---------:|-------:|------:|------:|------:|-------:|-------:|---------:|",
    row("warm-up", r.warmup),
    row("run", r.run),
    ...(r.swapRun ? [row(`run + ${r.swaps.length} swaps`, r.swapRun)] : []),
    "",
    "server memory after a forced GC:",
    "| when             | heapUsed  |   RSS     | searches |",
    "|------------------|----------:|----------:|---------:|",
    mem("after warm-up", afterWarmup),
    mem("after run", afterRun),
    ...(afterSwapRun ? [mem("after swap run", afterSwapRun)] : []),
    `heap growth: ${mb(afterRun.heapUsed - afterWarmup.heapUsed)} after the run${afterSwapRun ? `, ${mb(afterSwapRun.heapUsed - afterWarmup.heapUsed)} after the swap run` : ""} (limit ${HEAP_GROWTH_LIMIT_MB} MB); RSS limit ${RSS_GROWTH_LIMIT_MB} MB`,
    ...r.swaps.map(
      (s) =>
        `swap to ${s.generation}: served ${s.servedAfterMs} ms after the build; q=${s.word} → ${s.found} hit(s)`,
    ),
    "",
    "worst-case queries on this index (each runs synchronously to its end, even for a client that has gone):",
    ...r.worstCase.map(
      (w) =>
        `  ${w.medianMs.toFixed(1).padStart(7)} ms median, ${w.maxMs.toFixed(1).padStart(7)} ms max  ${w.query.slice(0, 70)}`,
    ),
  ].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      connections: { type: "string" },
      seconds: { type: "string" },
      warmup: { type: "string" },
      swaps: { type: "string" },
      input: { type: "string" },
      json: { type: "string" },
      serve: { type: "string" },
      "reload-ms": { type: "string" },
      workers: { type: "string" },
    },
    strict: true,
  });
  if (values.serve !== undefined)
    return serveForLoad(
      values.serve,
      Number(values["reload-ms"] ?? 100),
      Number(values.workers ?? 0),
    );
  const whole = (text: string | undefined, name: string, min: number, max: number) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
  const result = await runLoad({
    connections: whole(values.connections, "connections", 1, 1000) ?? 50,
    seconds: whole(values.seconds, "seconds", 1, 600) ?? 15,
    warmupSeconds: whole(values.warmup, "warmup", 0, 60) ?? 3,
    swaps: whole(values.swaps, "swaps", 0, NEW_WORDS.length) ?? 2,
    workers: whole(values.workers, "workers", 0, 64) ?? 0,
    ...(values.input !== undefined && { input: values.input }),
  });
  console.log(formatLoad(result));
  if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
  const failures = loadFailures(result);
  if (failures.length > 0) {
    console.error(`load: FAILED\n  ${failures.join("\n  ")}`);
    process.exitCode = 1;
  } else {
    console.error("load: passed");
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === THIS_FILE) {
  main().catch((error: unknown) => {
    console.error(
      `load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  });
}
