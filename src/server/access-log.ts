import type { MiddlewareHandler } from "hono";
import type { RequestIdVariables } from "hono/request-id";

export interface AccessLogEntry {
  time: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  requestId: string;
}

export type LogLine = (line: string) => void;

export const stdoutLine: LogLine = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * One JSON line per request. The query string is left out on purpose: it holds what people
 * searched for, which an access log has no business keeping.
 */
export function accessLog(write: LogLine): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const entry: AccessLogEntry = {
      time: new Date().toISOString(),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      requestId: c.get("requestId"),
    };
    write(JSON.stringify(entry));
  };
}
