/**
 * Structured JSON logs with pino: one line per request, and the server's errors, each with the
 * request id (X-Request-Id, taken from the request when it sends a sane one). The query string is
 * left out of every line on purpose: it holds what people searched for, or the query of a
 * document request, which a log has no business keeping.
 */
import type { MiddlewareHandler } from "hono";
import type { RequestIdVariables } from "hono/request-id";
import { type DestinationStream, type Logger, pino } from "pino";

export interface AccessLogEntry {
  time: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  requestId: string;
}

export type LogLine = (line: string) => void;

/**
 * A logger writing to `destination`: a line function (tests, the CLI's io), or stdout through
 * pino's buffered writer by default, which measured cheaper than a write per line (bench/http.ts).
 * The buffer is written at least every `FLUSH_MS`: it waited for 4 KB, so a quiet server's
 * lines came minutes late (`tail -f` showed nothing) and a killed one lost them all (QA).
 */
export function createLogger(destination?: LogLine): Logger {
  let stream: DestinationStream;
  if (destination === undefined) {
    const buffered = pino.destination({ dest: 1, sync: false, minLength: 4096 });
    setInterval(() => {
      try {
        buffered.flush();
      } catch {
        // Closed at shutdown (flushed then): nothing is left to write.
      }
    }, FLUSH_MS).unref();
    stream = buffered;
  } else {
    stream = {
      write: (line: string) => destination(line.endsWith("\n") ? line.slice(0, -1) : line),
    };
  }
  return pino(
    {
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}

/** How long a log line may wait in the buffer at most. */
const FLUSH_MS = 1000;

export function accessLog(logger: Logger): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    logger.info({
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      requestId: c.get("requestId"),
    });
  };
}
