/**
 * /metrics in Prometheus' text format (prom-client). Everything is counted in the HTTP thread,
 * which sees every request and every answer from the search threads, so nothing needs adding
 * up across threads. One registry per app: tests build many apps in one process.
 */
import type { MiddlewareHandler } from "hono";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Engine } from "../search/types.js";
import { healthProblems } from "./health.js";
import type { SearcherStatus } from "./searcher.js";

/** A bounded set of route names: a label per raw path would grow without end. */
export function routeOf(path: string): string {
  if (path.startsWith("/api/")) {
    if (path.startsWith("/api/documents/")) return "/api/documents/:id";
    if (/^\/api\/(search|suggest|analyze|health)$/.test(path)) return path;
    return "/api/other";
  }
  if (path === "/metrics" || path === "/openapi.json" || path === "/") return path;
  if (path.startsWith("/documents/")) return "/documents/:id";
  if (path.startsWith("/assets/")) return "/assets";
  return "other";
}

export interface MetricsSources {
  engine: () => Engine;
  status: () => SearcherStatus;
  /** Why the index served is not the one on disk, when it is not. */
  problem?: () => string | undefined;
  /**
   * Add prom-client's process metrics (CPU, memory, event-loop delay, GC): a server's, not a
   * test app's (each adds a monitor of the event loop that nothing removes).
   */
  process?: boolean;
}

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"route" | "method" | "status">;
  private readonly latency: Histogram<"route">;
  private readonly searchTime: Histogram<"lane">;
  private readonly timedOut: Counter<"cause">;
  private readonly rejected: Counter<"reason">;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    // A request that waits in the event loop before the app sees it is not in the latency
    // histogram (nothing in Node tells when its bytes arrived): the loop's delay says it. A
    // server whose health took 1.9 s showed every request under 5 ms (QA).
    if (sources.process === true) collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: "loupe_http_requests_total",
      help: "HTTP requests answered, by route, method and status",
      labelNames: ["route", "method", "status"],
      registers,
    });
    this.latency = new Histogram({
      name: "loupe_http_request_duration_seconds",
      help: "Time from when the app takes the request to its answer, by route (waiting before it: nodejs_eventloop_lag_seconds)",
      labelNames: ["route"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.searchTime = new Histogram({
      name: "loupe_search_duration_seconds",
      help: "Time the engine spent on one search (tookMs), by lane",
      labelNames: ["lane"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers,
    });
    this.timedOut = new Counter({
      name: "loupe_search_timed_out_total",
      help: "Searches cut at their time budget: by the engine, or given up on by the server",
      labelNames: ["cause"],
      registers,
    });
    this.rejected = new Counter({
      name: "loupe_requests_rejected_total",
      help: "Requests refused before any search: queue full (503) or rate limited (429)",
      labelNames: ["reason"],
      registers,
    });
    new Gauge({
      name: "loupe_search_queue_length",
      help: "Searches waiting for a search thread, by lane",
      labelNames: ["lane"],
      registers,
      collect() {
        const { queue } = sources.status();
        this.set({ lane: "cheap" }, queue.cheap);
        this.set({ lane: "costly" }, queue.costly);
      },
    });
    new Gauge({
      name: "loupe_index_generation",
      help: "1 for the index generation each search thread serves (worker 'http' is the HTTP thread's own engine)",
      labelNames: ["worker", "generation"],
      registers,
      collect() {
        this.reset();
        this.set({ worker: "http", generation: sources.engine().info.version }, 1);
        for (const w of sources.status().workers) {
          if (w.generation !== undefined)
            this.set({ worker: String(w.id), generation: w.generation }, 1);
        }
      },
    });
    new Gauge({
      name: "loupe_index_documents",
      help: "Documents in the index each search thread serves",
      labelNames: ["worker"],
      registers,
      collect() {
        this.reset();
        this.set({ worker: "http" }, sources.engine().info.documents);
        for (const w of sources.status().workers) {
          if (w.documents !== undefined) this.set({ worker: String(w.id) }, w.documents);
        }
      },
    });
    new Gauge({
      name: "loupe_search_workers",
      help: "Search threads by state",
      labelNames: ["state"],
      registers,
      collect() {
        this.reset();
        const counts: Record<string, number> = { starting: 0, idle: 0, busy: 0, abandoned: 0 };
        for (const w of sources.status().workers) counts[w.state] = (counts[w.state] ?? 0) + 1;
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
    new Gauge({
      name: "loupe_index_problems",
      help: "What /api/health lists under problems: a rebuild not loaded, a thread on another generation (0 when healthy)",
      registers,
      collect() {
        this.set(healthProblems(sources.engine(), sources.problem?.(), sources.status()).length);
      },
    });
    // A count that only grows: a counter (`_total`), so rate() and increase() apply to it.
    new Counter({
      name: "loupe_search_worker_restarts_total",
      help: "Times the search threads were replaced (crashed or stuck), in all",
      registers,
      collect() {
        this.reset();
        this.inc(sources.status().workers.reduce((n, w) => n + w.restarts, 0));
      },
    });
  }

  search(lane: string, tookMs: number, timedOut: boolean): void {
    this.searchTime.observe({ lane }, tookMs / 1000);
    if (timedOut) this.timedOut.inc({ cause: "engine" });
  }

  abandoned(): void {
    this.timedOut.inc({ cause: "server" });
  }

  refused(reason: "queue_full" | "rate_limited" | "worker_crashed"): void {
    this.rejected.inc({ reason });
  }

  /** A request Node refused before the app saw it (431, 400, 408): counted as route `other`. */
  refusedByNode(status: number): void {
    this.requests.inc({ route: "other", method: "-", status: String(status) });
  }

  /** Counts every request, whatever answers it. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const started = performance.now();
      await next();
      const route = routeOf(c.req.path);
      this.requests.inc({ route, method: c.req.method, status: String(c.res.status) });
      this.latency.observe({ route }, (performance.now() - started) / 1000);
    };
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
