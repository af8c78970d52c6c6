// HTTP benchmark: `npx tsx bench/http.ts [--quick] [--gzip] [--uncached] [--connections N] [--seconds S] [--json FILE]`
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
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

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
      gzip: { type: "boolean", default: false },
      uncached: { type: "boolean", default: false },
      serve: { type: "string" },
    },
    strict: true,
  });
  if (values.serve !== undefined) return serveForBench(values.serve);
  const positive = (text: string | undefined, name: string) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > 1000)
      throw new Error(`--${name} must be a whole number from 1 to 1000`);
    return n;
  };
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

if (process.argv[1] !== undefined && resolve(process.argv[1]) === THIS_FILE) {
  main().catch((error: unknown) => {
    console.error(`http bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
