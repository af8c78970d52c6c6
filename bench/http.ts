// `npm run bench:http`: the distinct-query run below, written to bench/results/http-distinct.md.
// HTTP benchmark: `npx tsx bench/http.ts [--quick] [--gzip] [--uncached] [--connections N] [--seconds S] [--json FILE]`
// Distinct queries on the benchmark corpus, with search threads and under costly load:
// `npx tsx bench/http.ts --distinct [--index DIR] [--workers N] [--no-cluster] [--quick]` (see below).
//
// Measures loupe's /api/search (every middleware on: request id, secure headers, compression
// check, ETag, validation, the real engine over an index of seeds/) beside a bare Hono route
// returning a fixed 5 KB JSON body, served by the same kind of process (@hono/node-server),
// in the same run. The ratio says what the search and the middleware cost over the framework.
// As `npm start` serves it, the app keeps the answers it sent by ETag (`createApp`'s
// `answerCache`) and the engine its recent results (`openEngine`'s default); the queries
// rotate, so /api/search mostly answers from the first of those caches. `--uncached` also
// measures a second loupe app with both caches off, where every request is validated, runs
// the search, builds snippets and is serialised.
//
// The servers run in a child process and autocannon in this one, so the client does not
// steal the server's event loop (on 2 cores: one each). Clients send no If-None-Match and no
// Accept-Encoding, so every search request runs the search and nothing is compressed.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import type { Engine } from "../src/search/types.js";

const THIS_FILE = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(THIS_FILE), "..");

/** Real questions about the seeds: single words, phrases, prefixes, a date filter, a miss. */
export const SEARCH_QUERIES = [
  "OTAN",
  "Irak",
  "Parly",
  "Soleimani",
  "mission d’entraînement",
  '"Alliance atlantique"',
  "soldats canadiens",
  "Bagdad assassinat",
  "général iranien",
  "retrait des troupes",
  "sécurité des soldats",
  "suspension formation militaire",
  "OTAN date:2020-02",
  "entrain*",
  "Bruxelles -Canada",
  "zanzibar",
].map((q) => `/api/search?q=${encodeURIComponent(q)}`);

export interface HttpBenchOptions {
  connections?: number;
  seconds?: number;
  /** 2 s per target and a short warm-up: a smoke test. */
  quick?: boolean;
  /** Folder of documents to index (default seeds/). */
  input?: string;
  /** Also measure /api/search for a client that sends `Accept-Encoding: gzip`, as browsers do. */
  gzip?: boolean;
  /** Also measure /api/search without the answer cache (every request searches). */
  uncached?: boolean;
  log?: (line: string) => void;
}

export interface TargetResult {
  name: string;
  requests: number;
  requestsPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
  throughputBytesPerSec: number;
  errors: number;
  non2xx: number;
}

export interface HttpBenchResult {
  connections: number;
  seconds: number;
  queries: number;
  search: TargetResult;
  bare: TargetResult;
  /** With `gzip`: the same searches, answered compressed. */
  searchGzip?: TargetResult;
  /** With `uncached`: the same searches without the answer cache. */
  searchUncached?: TargetResult;
  /** search req/s ÷ bare req/s. */
  ratio: number;
  /** With `uncached`: uncached search req/s ÷ bare req/s. */
  ratioUncached?: number;
  node: string;
  date: string;
}

async function hammer(
  name: string,
  url: string,
  paths: string[],
  connections: number,
  seconds: number,
  headers: Record<string, string> = {},
): Promise<TargetResult> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: paths.map((path) => ({ method: "GET" as const, path, headers })),
  });
  return {
    name,
    requests: result.requests.total,
    requestsPerSec: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMeanMs: result.latency.average,
    throughputBytesPerSec: result.throughput.average,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

function startChild(indexDir: string): {
  child: ChildProcess;
  ports: Promise<{ loupe: number; bare: number; uncached: number }>;
} {
  const child = spawn(process.execPath, ["--import", "tsx", THIS_FILE, "--serve", indexDir], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ports = new Promise<{ loupe: number; bare: number; uncached: number }>(
    (resolvePorts, reject) => {
      let out = "";
      child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
        out += chunk;
        const line = out.split("\n").find((l) => l.startsWith("{"));
        if (line)
          resolvePorts(JSON.parse(line) as { loupe: number; bare: number; uncached: number });
      });
      child.once("exit", (code) => reject(new Error(`benchmark server exited early (${code})`)));
    },
  );
  return { child, ports };
}

/** Builds an index of `input`, starts the servers, measures both targets, stops everything. */
export async function runHttpBench(options: HttpBenchOptions = {}): Promise<HttpBenchResult> {
  const quick = options.quick === true;
  const connections = options.connections ?? 10;
  const seconds = options.seconds ?? (quick ? 2 : 10);
  const log = options.log ?? ((line: string) => console.error(line));
  const work = mkdtempSync(join(tmpdir(), "loupe-http-bench-"));
  const { buildIndex } = await import("../src/index/index.js");
  const indexDir = join(work, "index");
  const built = await buildIndex({ input: options.input ?? join(ROOT, "seeds"), out: indexDir });
  log(
    `http bench: indexed ${built.documents} documents; ${connections} connections × ${seconds} s per target`,
  );

  const { child, ports } = startChild(indexDir);
  try {
    const { loupe, bare, uncached } = await ports;
    const loupeUrl = `http://127.0.0.1:${loupe}`;
    const bareUrl = `http://127.0.0.1:${bare}`;
    const uncachedUrl = `http://127.0.0.1:${uncached}`;
    const warm = quick ? 0.5 : 2;
    log(`http bench: warming up (${warm} s each)`);
    await hammer("warm-up", loupeUrl, SEARCH_QUERIES, connections, warm);
    await hammer("warm-up", bareUrl, ["/bare"], connections, warm);
    if (options.uncached) await hammer("warm-up", uncachedUrl, SEARCH_QUERIES, connections, warm);
    log("http bench: /api/search");
    const search = await hammer("/api/search", loupeUrl, SEARCH_QUERIES, connections, seconds);
    log("http bench: bare Hono 5 KB JSON");
    const bareResult = await hammer("bare 5 KB JSON", bareUrl, ["/bare"], connections, seconds);
    let searchGzip: TargetResult | undefined;
    if (options.gzip) {
      log("http bench: /api/search, Accept-Encoding: gzip");
      searchGzip = await hammer(
        "/api/search gzip",
        loupeUrl,
        SEARCH_QUERIES,
        connections,
        seconds,
        {
          "accept-encoding": "gzip",
        },
      );
    }
    let searchUncached: TargetResult | undefined;
    if (options.uncached) {
      log("http bench: /api/search, without the answer cache");
      searchUncached = await hammer(
        "/api/search uncached",
        uncachedUrl,
        SEARCH_QUERIES,
        connections,
        seconds,
      );
    }
    const ratioOf = (t: TargetResult) =>
      bareResult.requestsPerSec > 0 ? t.requestsPerSec / bareResult.requestsPerSec : 0;
    return {
      connections,
      seconds,
      queries: SEARCH_QUERIES.length,
      search,
      bare: bareResult,
      ...(searchGzip && { searchGzip }),
      ...(searchUncached && { searchUncached, ratioUncached: ratioOf(searchUncached) }),
      ratio: ratioOf(search),
      node: process.version,
      date: new Date().toISOString(),
    };
  } finally {
    child.kill("SIGTERM");
    if (child.exitCode === null) await once(child, "exit");
    rmSync(work, { recursive: true, force: true });
  }
}

export function formatHttpBench(r: HttpBenchResult): string {
  const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1).padStart(9);
  const row = (t: TargetResult) =>
    `| ${t.name.padEnd(16)} | ${t.requestsPerSec.toFixed(0).padStart(7)} | ${ms(t.latencyMeanMs)} | ${ms(t.latencyP50Ms)} | ${ms(t.latencyP99Ms)} | ${String(t.errors + t.non2xx).padStart(6)} |`;
  return [
    `${r.connections} connections × ${r.seconds} s, 127.0.0.1, ${r.queries} search queries in rotation, Node ${r.node}`,
    "",
    "| target           |   req/s | mean (ms) |  p50 (ms) |  p99 (ms) | errors |",
    "|------------------|--------:|----------:|----------:|----------:|-------:|",
    row(r.search),
    ...(r.searchUncached ? [row(r.searchUncached)] : []),
    row(r.bare),
    ...(r.searchGzip ? [row(r.searchGzip)] : []),
    "",
    `/api/search serves ${(r.ratio * 100).toFixed(0)} % of the bare route's requests per second (ratio ${r.ratio.toFixed(3)}).`,
    ...(r.searchUncached && r.ratioUncached !== undefined
      ? [
          `Without the answer cache (every request searches): ${(r.ratioUncached * 100).toFixed(0)} % (ratio ${r.ratioUncached.toFixed(3)}).`,
        ]
      : []),
    "autocannon records latency in whole milliseconds: p50/p99 below 1 ms show as 0.",
  ].join("\n");
}

/** The child: loupe's full app over the index, and a bare Hono app, each on its own port. */
async function serveForBench(indexDir: string): Promise<void> {
  const { Hono } = await import("hono");
  const { createApp } = await import("../src/server/app.js");
  const { listen } = await import("../src/server/listen.js");
  const { openEngine } = await import("../src/search/engine.js");

  const loupe = await listen(createApp(await openEngine(indexDir), { log: false }), { port: 0 });
  const uncached = await listen(
    createApp(await openEngine(indexDir), {
      log: false,
      answerCache: 0,
    }),
    { port: 0 },
  );
  const payload = {
    items: Array.from({ length: 40 }, (_, i) => ({
      id: i,
      title: `Titre numéro ${i}`,
      text: "x".repeat(81),
    })),
  };
  const body = JSON.stringify(payload);
  const bareApp = new Hono();
  bareApp.get("/bare", (c) => c.json(payload));
  const bare = await listen(bareApp, { port: 0 });
  process.stderr.write(`bench server: bare body is ${Buffer.byteLength(body)} bytes\n`);
  process.stdout.write(
    `${JSON.stringify({ loupe: loupe.port, bare: bare.port, uncached: uncached.port })}\n`,
  );
  process.once("SIGTERM", () => {
    Promise.all([loupe.close(1000), bare.close(1000), uncached.close(1000)]).then(() =>
      process.exit(0),
    );
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      connections: { type: "string" },
      seconds: { type: "string" },
      input: { type: "string" },
      json: { type: "string" },
      // With --distinct: write http-distinct.{md,json} into this folder.
      out: { type: "string" },
      gzip: { type: "boolean", default: false },
      uncached: { type: "boolean", default: false },
      serve: { type: "string" },
      distinct: { type: "boolean", default: false },
      index: { type: "string" },
      workers: { type: "string" },
      "no-cluster": { type: "boolean", default: false },
      "serve-serve": { type: "string" },
      "serve-cluster": { type: "string" },
      "serve-precomputed": { type: "string" },
    },
    strict: true,
  });
  if (values.serve !== undefined) return serveForBench(values.serve);
  if (values["serve-serve"] !== undefined)
    return serveDistinct("serve", values["serve-serve"], Number(values.workers ?? 1));
  if (values["serve-cluster"] !== undefined)
    return serveDistinct("cluster", values["serve-cluster"], Number(values.workers ?? 1));
  if (values["serve-precomputed"] !== undefined)
    return serveDistinct("precomputed", values["serve-precomputed"], 0);
  const positive = (text: string | undefined, name: string) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > 1000)
      throw new Error(`--${name} must be a whole number from 1 to 1000`);
    return n;
  };
  if (values.distinct) {
    const distinct = await runDistinctBench({
      quick: values.quick,
      cluster: !values["no-cluster"],
      ...(values.index !== undefined && { index: values.index }),
      ...(values.workers !== undefined && { workers: positive(values.workers, "workers") }),
      ...(values.connections !== undefined && {
        connections: positive(values.connections, "connections"),
      }),
      ...(values.seconds !== undefined && { seconds: positive(values.seconds, "seconds") }),
    });
    const report = formatDistinct(distinct);
    console.log(report);
    if (values.json) writeFileSync(values.json, `${JSON.stringify(distinct, null, 2)}\n`);
    if (values.out !== undefined && !values.quick) {
      // A folder that does not exist yet is made, as bench:scale's --out is: a 10-minute run
      // ended in ENOENT with its report printed and none written.
      mkdirSync(values.out, { recursive: true });
      writeFileSync(
        join(values.out, "http-distinct.md"),
        `# HTTP, distinct queries\n\n${report}\n`,
      );
      writeFileSync(
        join(values.out, "http-distinct.json"),
        `${JSON.stringify(distinct, null, 2)}\n`,
      );
    }
    return;
  }
  const result = await runHttpBench({
    quick: values.quick,
    gzip: values.gzip,
    uncached: values.uncached,
    ...(values.connections !== undefined && {
      connections: positive(values.connections, "connections"),
    }),
    ...(values.seconds !== undefined && { seconds: positive(values.seconds, "seconds") }),
    ...(values.input !== undefined && { input: values.input }),
  });
  console.log(formatHttpBench(result));
  if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
  const failed = [result.search, result.bare, result.searchGzip, result.searchUncached].reduce(
    (n, t) => n + (t ? t.errors + t.non2xx : 0),
    0,
  );
  if (failed > 0) {
    console.error(`http bench: ${failed} failed requests`);
    process.exitCode = 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Distinct queries (`--distinct`): every request a different 1–3-word query taken from the
// titles of the benchmark corpus (bench/corpus.ts), so neither the answer cache nor the
// engine's result cache can answer, against `loupe serve` as it starts (startServer) with 0
// (searches in the HTTP thread), 1 and N search threads, and N node:cluster processes each with
// its own engine (the alternative design), beside the bare route, all in the same run. Then the
// costly load of issue 13: 8 connections of costly queries while /api/health and ordinary
// distinct queries are measured beside them. The machine's load average is reported with every
// figure: on a shared machine they are noisy.

export interface DistinctOptions {
  connections?: number;
  seconds?: number;
  quick?: boolean;
  /** An index of the benchmark corpus already built (skips the build). */
  index?: string;
  /** Search threads for the N configurations. Default: the number of cores. */
  workers?: number;
  /** Also measure N node:cluster processes (default true). */
  cluster?: boolean;
  log?: (line: string) => void;
}

export interface LoadedTarget extends TargetResult {
  latencyMaxMs: number;
  /** os.loadavg() (1 minute) when the measurement began and ended. */
  loadBefore: number;
  loadAfter: number;
}

export interface CostlyResult {
  server: string;
  costly: LoadedTarget;
  health: LoadedTarget;
  ordinary: LoadedTarget;
}

export interface DistinctResult {
  connections: number;
  seconds: number;
  /** Warm-up of each loupe configuration before it is measured, in seconds. */
  warmSeconds: number;
  documents: number;
  cores: number;
  bare: LoadedTarget;
  servers: Array<{ name: string; result: LoadedTarget; ratio: number }>;
  costly: CostlyResult[];
  node: string;
  date: string;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run asks the same questions. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TITLE_WORD = /[\p{L}][\p{L}’'-]*/gu;

/**
 * `count` different queries of 1–3 words from document titles: consecutive words first, then
 * any words of one title in their order, so a fast run never runs out of queries never asked.
 */
export function distinctQueries(titles: readonly string[], count: number, seed = 13): string[] {
  const next = random(seed);
  const words = titles.map((t) => [...t.matchAll(TITLE_WORD)].map((m) => m[0]));
  const usable = words.filter((w) => w.length > 0);
  const seen = new Set<string>();
  for (let tries = 0; seen.size < count && tries < count * 40; tries++) {
    const title = usable[Math.floor(next() * usable.length)] ?? [];
    const n = Math.min(title.length, 1 + Math.floor(next() * 3));
    let picked: string[];
    if (tries < count * 4) {
      const start = Math.floor(next() * Math.max(1, title.length - n + 1));
      picked = title.slice(start, start + n);
    } else {
      const at = new Set<number>();
      while (at.size < n) at.add(Math.floor(next() * title.length));
      picked = [...at].sort((x, y) => x - y).map((k) => title[k] ?? "");
    }
    const query = picked.join(" ");
    if (query !== "") seen.add(query);
  }
  return [...seen];
}

const PHRASES = [
  '"premier ministre"',
  '"union européenne"',
  '"états unis"',
  '"nations unies"',
  '"millions d’euros"',
  '"chef de"',
  '"il y"',
  '"de la"',
];
const STOPWORD_PREFIXES = "la* le* de* du* les* des* un* une* et* en* au* aux* ce* se* sa*";
const LETTERS = "a b c d e f g h i j k l m n o p q r s t u v w x y z";

/** The costly queries of issue 13, each with a different extra word so no cache answers them. */
export function costlyQueries(extra: readonly string[]): string[] {
  const kinds = [PHRASES.join(" "), "quelles ayant elle sont", STOPWORD_PREFIXES, LETTERS];
  return extra.map((word, i) => `${kinds[i % kinds.length]} ${word}`);
}

/** The API path that searches `query`. */
export const searchPath = (query: string) => `/api/search?q=${encodeURIComponent(query)}`;

/**
 * Seconds of distinct queries before a server is measured: in 2 s a search ran about 800 times
 * and much of the HTTP thread's code was still in its baseline tier (see runDistinctBench).
 */
export const DISTINCT_WARM_SECONDS = 10;

/** Hands out the paths in turn across all connections: no two requests ask the same. */
export function rotating(paths: readonly string[]): autocannon.Request[] {
  let i = 0;
  return [
    {
      method: "GET",
      setupRequest: (request) => {
        request.path = paths[i++ % paths.length] ?? "/";
        return request;
      },
    },
  ];
}

export async function measure(
  name: string,
  url: string,
  requests: autocannon.Request[],
  connections: number,
  seconds: number,
): Promise<LoadedTarget> {
  const loadBefore = loadavg()[0] ?? 0;
  const result = await autocannon({ url, connections, duration: seconds, requests });
  return {
    name,
    requests: result.requests.total,
    requestsPerSec: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMeanMs: result.latency.average,
    latencyMaxMs: result.latency.max,
    throughputBytesPerSec: result.throughput.average,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    loadBefore,
    loadAfter: loadavg()[0] ?? 0,
  };
}

export type ServeMode =
  | { kind: "serve"; workers: number }
  | { kind: "cluster"; workers: number }
  | { kind: "precomputed"; workers: number };

/**
 * A child serving the index as `mode` says, plus the bare route; resolves with their ports.
 * `root` is the checkout whose sources it serves (another commit's, to compare two versions).
 */
export function startDistinctChild(
  indexDir: string,
  mode: ServeMode,
  root = ROOT,
): { child: ChildProcess; ports: Promise<{ loupe: number; bare: number }> } {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(root, "bench", "http.ts"),
      `--serve-${mode.kind}`,
      indexDir,
      "--workers",
      String(mode.workers),
    ],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  const ports = new Promise<{ loupe: number; bare: number }>((resolvePorts, reject) => {
    let out = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const line = out.split("\n").find((l) => l.startsWith('{"loupe"'));
      if (line) resolvePorts(JSON.parse(line) as { loupe: number; bare: number });
    });
    child.once("exit", (code) => reject(new Error(`benchmark server exited early (${code})`)));
    // A checkout that is not there: spawn fails, and says so here rather than as a crash.
    child.once("error", (error) =>
      reject(new Error(`cannot start a benchmark server in ${root}: ${error.message}`)),
    );
  });
  return { child, ports };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function runDistinctBench(options: DistinctOptions = {}): Promise<DistinctResult> {
  const quick = options.quick === true;
  const connections = options.connections ?? 10;
  const seconds = options.seconds ?? (quick ? 3 : 10);
  const warmSeconds = quick ? 1 : DISTINCT_WARM_SECONDS;
  const workers = options.workers ?? availableParallelism();
  const log = options.log ?? ((line: string) => console.error(line));
  const { ensureCorpus, loadBenchCorpus } = await import("./corpus.js");
  const corpus = loadBenchCorpus();
  let indexDir = options.index;
  let work: string | undefined;
  if (indexDir === undefined) {
    work = mkdtempSync(join(tmpdir(), "loupe-http-distinct-"));
    indexDir = join(work, "index");
    const { buildIndex } = await import("../src/index/index.js");
    log(`http bench: indexing the benchmark corpus (${corpus.docs.length} documents)`);
    await buildIndex({ input: join(ensureCorpus(), "docs"), out: indexDir });
  }
  const queries = distinctQueries(
    corpus.docs.map((d) => d.title),
    200_000,
  );
  const paths = queries.map(searchPath);
  log(
    `http bench: ${queries.length} distinct queries from titles; ${connections} connections × ${seconds} s`,
  );
  // Each configuration gets its own slice of the queries, so none sees a query twice.
  let offset = 0;
  const slice = (n: number) => {
    const part = paths.slice(offset, offset + n);
    offset = (offset + n) % paths.length;
    return part;
  };
  // Enough for 5 configurations at several thousand requests per second; a slice that still
  // runs out would repeat queries, which the answer cache would then answer.
  const perRun = Math.floor(paths.length / 10);
  const modes: Array<{ name: string; mode: ServeMode }> = [
    { name: "serve --workers 0", mode: { kind: "serve", workers: 0 } },
    { name: "serve --workers 1", mode: { kind: "serve", workers: 1 } },
    { name: `serve --workers ${workers}`, mode: { kind: "serve", workers } },
    ...(options.cluster === false
      ? []
      : [{ name: `cluster × ${workers}`, mode: { kind: "cluster", workers } as ServeMode }]),
    // The HTTP thread alone, as with --workers 0: the app as served, over an engine whose
    // search hands back results computed before (real pages of other distinct queries), so a
    // request costs everything but the search, presenting and serialising the answer included
    // (a search thread does those instead). Not a way to serve: the ceiling the HTTP path sets.
    { name: "precomputed search", mode: { kind: "precomputed", workers: 0 } },
  ];
  const extra = distinctQueries(
    corpus.docs.map((d) => d.title),
    5000,
    7,
  ).map((q) => q.split(" ")[0] ?? "");
  const costlyPaths = costlyQueries(extra).map(searchPath);
  let bare: LoadedTarget | undefined;
  const servers: DistinctResult["servers"] = [];
  const costly: CostlyResult[] = [];
  try {
    for (const { name, mode } of modes) {
      const { child, ports } = startDistinctChild(indexDir, mode);
      try {
        const { loupe, bare: barePort } = await ports;
        const loupeUrl = `http://127.0.0.1:${loupe}`;
        // Distinct queries, as measured, until V8 has optimised the code of a request: in 2 s a
        // search ran about 800 times and much of the HTTP thread's code was still in its
        // baseline tier (perf), while the bare route ran 20,000 times. Served 4 × 10 s in a row,
        // one server went from 347 to 431 req/s. The bare route is warm after 2 s.
        await measure("warm-up", loupeUrl, rotating(slice(8000)), connections, warmSeconds);
        if (bare === undefined) {
          const bareUrl = `http://127.0.0.1:${barePort}`;
          await measure("warm-up", bareUrl, [{ method: "GET", path: "/bare" }], connections, 2);
          log("http bench: bare Hono 6 KB JSON");
          bare = await measure(
            "bare 6 KB JSON",
            bareUrl,
            [{ method: "GET", path: "/bare" }],
            connections,
            seconds,
          );
        }
        log(`http bench: distinct queries, ${name}`);
        const result = await measure(name, loupeUrl, rotating(slice(perRun)), connections, seconds);
        servers.push({
          name,
          result,
          ratio: bare.requestsPerSec > 0 ? result.requestsPerSec / bare.requestsPerSec : 0,
        });
        if (mode.workers !== 1 && mode.kind !== "precomputed") {
          log(`http bench: costly load, ${name}`);
          const [costlyRun, health, ordinary] = await Promise.all([
            measure("costly ×8", loupeUrl, rotating(costlyPaths), 8, seconds),
            measure("/api/health", loupeUrl, [{ method: "GET", path: "/api/health" }], 1, seconds),
            measure("ordinary", loupeUrl, rotating(slice(5000)), 1, seconds),
          ]);
          costly.push({ server: name, costly: costlyRun, health, ordinary });
        }
      } finally {
        await stopChild(child);
      }
    }
    // The search thread alone, as --workers 1 has it, without HTTP: what one thread can answer
    // when nothing else asks for the cores. A server with one search thread cannot pass it.
    // The last fifth of the queries: the servers above take at most 5 × 33,000 of the first.
    log("http bench: distinct queries, one search thread without HTTP");
    const tail = queries.length - 2 * perRun;
    await searchThreadAlone(indexDir, queries.slice(tail, tail + perRun), connections, warmSeconds);
    const alone = await searchThreadAlone(
      indexDir,
      queries.slice(tail + perRun),
      connections,
      seconds,
    );
    if (bare !== undefined) {
      servers.push({
        name: alone.name,
        result: alone,
        ratio: bare.requestsPerSec > 0 ? alone.requestsPerSec / bare.requestsPerSec : 0,
      });
    }
  } finally {
    if (work) rmSync(work, { recursive: true, force: true });
  }
  if (bare === undefined) throw new Error("no configuration ran");
  return {
    connections,
    seconds,
    warmSeconds,
    documents: corpus.docs.length,
    cores: availableParallelism(),
    bare,
    servers,
    costly,
    node: process.version,
    date: new Date().toISOString(),
  };
}

/**
 * A pool of one search thread, in this process, given `queries` (each once) by `inFlight`
 * callers at a time for `seconds`: searches per second and each call's latency, presenting
 * and serialising the answer included (the thread does both), the socket and the app not.
 */
async function searchThreadAlone(
  indexDir: string,
  queries: readonly string[],
  inFlight: number,
  seconds: number,
): Promise<LoadedTarget> {
  const { WorkerPool } = await import("../src/server/worker-pool.js");
  const { openEngine } = await import("../src/search/engine.js");
  // The pool searches its own copy; the engine passed in only stands for the request's index.
  const engine = await openEngine(indexDir);
  const pool = await WorkerPool.start({ workers: 1, indexDir, queueLimit: 4 * inFlight });
  const loadBefore = loadavg()[0] ?? 0;
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  try {
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (performance.now() < end && next < queries.length) {
          const query = queries[next++]!;
          const started = performance.now();
          try {
            await pool.search(engine, query, { limit: 10 });
            latencies.push(performance.now() - started);
          } catch {
            errors++;
          }
        }
      }),
    );
  } finally {
    await pool.close(1000);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    name: "search thread alone",
    requests: latencies.length,
    requestsPerSec: latencies.length / seconds,
    latencyP50Ms: at(0.5),
    latencyP99Ms: at(0.99),
    latencyMeanMs: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    latencyMaxMs: latencies[latencies.length - 1] ?? 0,
    throughputBytesPerSec: 0,
    errors,
    non2xx: 0,
    loadBefore,
    loadAfter: loadavg()[0] ?? 0,
  };
}

export function formatDistinct(r: DistinctResult): string {
  const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1).padStart(8);
  const load = (t: LoadedTarget) => `${t.loadBefore.toFixed(1)}→${t.loadAfter.toFixed(1)}`;
  const row = (t: LoadedTarget, ratio?: number) =>
    `| ${t.name.padEnd(20)} | ${t.requestsPerSec.toFixed(0).padStart(6)} | ${ratio === undefined ? "     " : ratio.toFixed(3)} | ${ms(t.latencyP50Ms)} | ${ms(t.latencyP99Ms)} | ${ms(t.latencyMaxMs)} | ${String(t.errors + t.non2xx).padStart(6)} | ${load(t).padStart(10)} |`;
  const head =
    "| target               |  req/s | ratio | p50 (ms) | p99 (ms) | max (ms) | failed |  load avg  |\n|----------------------|-------:|------:|---------:|---------:|---------:|-------:|-----------:|";
  return [
    `Distinct queries: ${r.connections} connections × ${r.seconds} s after ${r.warmSeconds} s of warm-up, ${r.documents} documents, ${r.cores} cores, Node ${r.node}; every request a different query from the titles.`,
    "",
    head,
    row(r.bare),
    ...r.servers.map((s) => row(s.result, s.ratio)),
    "",
    "Costly load: 8 connections of costly queries, with /api/health (1 connection) and ordinary distinct queries (1 connection) measured beside them.",
    "",
    ...r.costly.flatMap((c) => [
      `${c.server}:`,
      "",
      head,
      row(c.costly),
      row(c.health),
      row(c.ordinary),
      "",
    ]),
    "failed = errors + non-2xx (a 503 of a full queue counts here). Load average: 1-minute, before→after.",
  ].join("\n");
}

/**
 * The child of the distinct bench: `loupe serve` as it starts, N cluster processes, or the app
 * over an engine whose searches were made before (`precomputed`).
 */
async function serveDistinct(
  kind: "serve" | "cluster" | "precomputed",
  indexDir: string,
  workers: number,
) {
  const { Hono } = await import("hono");
  const { listen } = await import("../src/server/listen.js");
  const bareApp = new Hono();
  const payload = {
    items: Array.from({ length: 48 }, (_, i) => ({
      id: i,
      title: `Titre numéro ${i}`,
      text: "x".repeat(90),
    })),
  };
  bareApp.get("/bare", (c) => c.json(payload));
  if (kind === "cluster") {
    const cluster = (await import("node:cluster")).default;
    if (cluster.isPrimary) {
      const bare = await listen(bareApp, { port: 0 });
      for (let i = 0; i < workers; i++) cluster.fork();
      let listening = 0;
      // Reported once every process has its engine: measuring while one still loads would not
      // be N processes.
      cluster.on("message", (_worker, message: { port?: number }) => {
        if (message.port !== undefined && ++listening === workers) {
          process.stdout.write(`${JSON.stringify({ loupe: message.port, bare: bare.port })}\n`);
        }
      });
      process.once("SIGTERM", () => {
        const exits = Object.values(cluster.workers ?? {}).map((w) =>
          w ? new Promise((done) => w.once("exit", done)) : undefined,
        );
        for (const w of Object.values(cluster.workers ?? {})) w?.kill("SIGTERM");
        Promise.all([...exits, bare.close(1000)]).then(() => process.exit(0));
      });
      return;
    }
    const { createApp } = await import("../src/server/app.js");
    const { openEngine } = await import("../src/search/engine.js");
    // Every process listens on the port the primary picked for port 0: the cluster shares it.
    const running = await listen(createApp(await openEngine(indexDir)), { port: 0 });
    process.send?.({ port: running.port });
    process.once("SIGTERM", () => running.close(1000).then(() => process.exit(0)));
    return;
  }
  if (kind === "precomputed") {
    const { createApp } = await import("../src/server/app.js");
    const { openEngine } = await import("../src/search/engine.js");
    const { loadBenchCorpus } = await import("./corpus.js");
    const engine = await openEngine(indexDir);
    // Pages of other distinct queries (another seed), each handed back for the query asked: the
    // answer is as large and as marked as a real one.
    const pages = distinctQueries(
      loadBenchCorpus().docs.map((doc) => doc.title),
      500,
      29,
    ).map((q) => engine.search(q, { limit: 10 }));
    let next = 0;
    const precomputed: Engine = Object.assign(Object.create(engine) as Engine, {
      search: (query: string) => ({ ...pages[next++ % pages.length]!, query }),
    });
    const running = await listen(createApp(precomputed), { port: 0 });
    const bare = await listen(bareApp, { port: 0 });
    process.stdout.write(`${JSON.stringify({ loupe: running.port, bare: bare.port })}\n`);
    process.once("SIGTERM", () => {
      Promise.all([running.close(1000), bare.close(1000)]).then(() => process.exit(0));
    });
    return;
  }
  const { startServer } = await import("../src/server/start-server.js");
  const { diskIndexLoader } = await import("../src/server/index-loader.js");
  const started = await startServer({
    indexDir,
    loader: diskIndexLoader,
    port: 0,
    workers,
    log: false,
  });
  const bare = await listen(bareApp, { port: 0 });
  process.stdout.write(`${JSON.stringify({ loupe: started.running.port, bare: bare.port })}\n`);
  process.once("SIGTERM", () => {
    Promise.all([started.running.close(1000), bare.close(1000)])
      .then(() => started.stop())
      .then(() => process.exit(0));
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === THIS_FILE) {
  main().catch((error: unknown) => {
    console.error(`http bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
