/**
 * The HTTP application, built without listening: tests drive it with `app.request()`, and
 * listen.ts puts it on a socket.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { Logger } from "pino";
import { type Engine, QueryError } from "../search/types.js";
import { LOUPE_VERSION } from "../version.js";
import { accessLog, createLogger, type LogLine } from "./access-log.js";
import { ANSWER_CACHE_ENTRIES, answersPerEngine } from "./answers.js";
import { registerApi } from "./api.js";
import { compression } from "./compression.js";
import type { AppEnv } from "./context.js";
import { apiCors } from "./cors.js";
import { type EngineSource, toSource } from "./engine-source.js";
import { errorResponse, validationHook } from "./errors.js";
import { ServerMetrics } from "./metrics.js";
import {
  busyPage,
  methodNotAllowedPage,
  notFoundPage,
  pageRoutes,
  serverErrorPage,
} from "./page/routes.js";
import { type RateLimitOptions, rateLimit } from "./rate-limit.js";
import {
  DEFAULT_BUDGET_MS,
  inProcess,
  Overloaded,
  SearchAbandoned,
  type Searcher,
} from "./searcher.js";
import { percentEncodingGuard } from "./url-guard.js";

export interface AppOptions {
  /**
   * The access log, one JSON line per request (pino): a logger, a function given each line,
   * or `false` (the default) for none, so tests and tools are silent unless they ask.
   */
  log?: Logger | LogLine | false;
  /** Where unexpected errors go (a bug, not a bad request). Default: the log, else stderr. */
  logError?: (error: unknown, requestId: string) => void;
  /** Where searches run; default: in this thread, with `budgetMs`. */
  searcher?: Searcher;
  /** Time budget of one search in milliseconds, for the default searcher. Default: 50. */
  budgetMs?: number;
  /** A token bucket per client address; none by default. */
  rateLimit?: RateLimitOptions;
  /**
   * How many answers (search, suggest, document) to keep per index and send again as they
   * were for the same URL; 0 to run every request. Default: 512.
   */
  answerCache?: number;
  /** Add the process's metrics (CPU, memory, event-loop delay) to /metrics: a server's. */
  processMetrics?: boolean;
}

/** What a completion request draws from a client's rate-limit bucket (a search draws 1). */
const SUGGEST_COST = 0.25;
const API_PATHS = /^\/api\/(search|suggest|analyze|health|documents\/[\s\S]+)$/;
/** The other addresses that answer GET and HEAD only: the page, a document, metrics, assets. */
const READ_ONLY_PATHS = /^\/(?:|documents\/[\s\S]+|metrics|openapi\.json|assets\/[\s\S]+)$/;

function reportToStderr(error: unknown, id: string): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), requestId: id, error: detail })}\n`,
  );
}

function isApi(path: string): boolean {
  return path === "/api" || path.startsWith("/api/") || path === "/openapi.json";
}

function notFound(c: Context): Response | Promise<Response> {
  const { method } = c.req;
  // Echoed in the message: a 16 KB URL need not come back whole.
  const path = c.req.path.length > 200 ? `${c.req.path.slice(0, 200)}…` : c.req.path;
  const readOnly = API_PATHS.test(c.req.path) || READ_ONLY_PATHS.test(c.req.path);
  // A search may also be POSTed, its parameters in a JSON body.
  const searchPath = c.req.path === "/api/search";
  if (readOnly && method !== "GET" && method !== "HEAD" && !(searchPath && method === "POST")) {
    c.header("Allow", searchPath ? "GET, HEAD, POST" : "GET, HEAD");
    // A person's browser on the page's addresses gets a page; programs get JSON.
    if (!isApi(c.req.path) && c.req.path !== "/metrics") return methodNotAllowedPage(c);
    return errorResponse(
      c,
      405,
      "method_not_allowed",
      `${method} is not allowed on ${path}: use GET${searchPath ? " or POST" : ""}`,
    );
  }
  if (isApi(c.req.path)) return errorResponse(c, 404, "not_found", `no such endpoint: ${path}`);
  c.header("Cache-Control", "no-store");
  return notFoundPage(c);
}

/** What each app does with a request Node refused before it (listen.ts's `onRefused`). */
const refusals = new WeakMap<object, (status: number, requestId: string) => void>();

/**
 * The app's own account of a request Node refused before it saw it (a 431 for a URL past
 * 16 KB, bytes that are no HTTP): counted in /metrics and logged, as the app's own answers are.
 * They were in neither, so a flood of them went unseen (QA). For `listen`'s `onRefused`.
 */
export function nodeRefusals(
  app: OpenAPIHono<AppEnv>,
): ((status: number, requestId: string) => void) | undefined {
  return refusals.get(app);
}

export function createApp(
  engine: Engine | EngineSource,
  options: AppOptions = {},
): OpenAPIHono<AppEnv> {
  const source = toSource(engine);
  const log = options.log ?? false;
  const logger = log === false ? undefined : typeof log === "function" ? createLogger(log) : log;
  const logError =
    options.logError ??
    (logger
      ? (error: unknown, id: string) =>
          logger.error({ requestId: id, err: error }, "the server failed to answer")
      : reportToStderr);
  const searcher = options.searcher ?? inProcess(options.budgetMs ?? DEFAULT_BUDGET_MS);
  const metrics = new ServerMetrics({
    engine: () => source.current(),
    status: () => searcher.status(),
    problem: () => source.problem,
    process: options.processMetrics === true,
  });
  const answersOf = answersPerEngine(options.answerCache ?? ANSWER_CACHE_ENTRIES);
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  refusals.set(app, (status, requestId) => {
    metrics.refusedByNode(status);
    // No method or path: Node refused the request before reading them.
    logger?.info({ method: "-", path: "-", status, ms: 0, requestId });
  });

  app.use(requestId());
  if (logger) app.use(accessLog(logger));
  app.use(metrics.middleware());
  // Before the rate limit, so that its refusals carry the same headers (CSP, nosniff).
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    }),
  );
  // Before the rate limit: a preflight is no search.
  app.use("/api/*", apiCors());
  if (options.rateLimit) {
    const limited = rateLimit({
      // The page asks for completions beside each live search, about one each per keystroke:
      // counted whole, a limit of R let a typist through for 2R/2 keystrokes (the burst) and
      // then refused half of what followed. A completion walks the vocabulary and reads a
      // bounded part of the postings (completion-context.ts), with no ranking: it draws a quarter.
      costOf: (c) => (c.req.path === "/api/suggest" ? SUGGEST_COST : 1),
      ...options.rateLimit,
      onRefused: () => metrics.refused("rate_limited"),
    });
    // Monitoring and the page's static files are never limited.
    app.use(async (c, next) => {
      const { path } = c.req;
      if (path === "/api/health" || path === "/metrics" || path.startsWith("/assets/"))
        return next();
      return limited(c, next);
    });
  }
  app.use(compression());
  app.use(percentEncodingGuard());
  app.use("/api/*", async (c, next) => {
    const engine = source.current();
    c.set("engine", engine);
    c.set("answers", answersOf(engine));
    c.set("searcher", searcher);
    c.set("metrics", metrics);
    c.set("indexProblem", source.problem);
    await next();
  });

  app.get("/metrics", async (c) => {
    c.header("Cache-Control", "no-store");
    return c.body(await metrics.text(), 200, { "Content-Type": metrics.contentType });
  });

  registerApi(app);

  // Generated once, on first use: every route is registered by then.
  let openApiDocument: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  app.get("/openapi.json", (c) => {
    openApiDocument ??= app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "loupe",
        version: LOUPE_VERSION,
        description: "Full-text search over a French collection",
      },
    });
    return c.json(openApiDocument);
  });

  app.route("/", pageRoutes(source, searcher));

  app.notFound(notFound);
  app.onError((error, c) => {
    if (error instanceof QueryError) {
      return errorResponse(c, 400, "bad_query", error.message, error.parameter);
    }
    if (error instanceof Overloaded || error instanceof SearchAbandoned) {
      metrics.refused(error instanceof Overloaded ? "queue_full" : "worker_crashed");
      const retryAfter = error instanceof Overloaded ? error.retryAfterSeconds : 1;
      if (!isApi(c.req.path)) return busyPage(c, retryAfter);
      c.header("Retry-After", String(retryAfter));
      // Apart: a full queue is worth trying again; a search that killed its thread is not.
      return errorResponse(
        c,
        503,
        error instanceof Overloaded ? "overloaded" : "search_abandoned",
        error.message,
      );
    }
    if (error instanceof HTTPException && error.status < 500) {
      return errorResponse(c, error.status, "invalid_parameter", error.message || "bad request");
    }
    logError(error, c.get("requestId") ?? "-");
    if (!isApi(c.req.path)) return serverErrorPage(c);
    return errorResponse(
      c,
      500,
      "internal",
      "the server failed to answer; the error has been logged",
    );
  });
  return app;
}
