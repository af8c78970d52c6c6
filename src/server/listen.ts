/**
 * Putting the app on a socket, and taking it off gracefully. @hono/node-server's documented
 * shutdown (`server.close()` then `process.exit()`) exits at once, cutting off requests in
 * flight; here `close()` stops accepting, lets every request being answered finish (up to a
 * time limit), and only then ends the connections.
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, Server, type ServerResponse } from "node:http";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { errorPayload } from "./errors.js";

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 3000;
export const DEFAULT_DRAIN_MS = 10_000;

/** What `listen` needs of an app: Hono's `fetch`. */
export interface Fetcher {
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
}

export interface DrainResult {
  /** Requests that had not finished when the time limit struck and were cut off. */
  cutOff: number;
}

export interface RunningServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly server: Server;
  /** Requests being answered right now. */
  inFlight(): number;
  /** Stops accepting, waits for requests in flight (at most `timeoutMs`), closes every connection. */
  close(timeoutMs?: number): Promise<DrainResult>;
}

export interface ListenOptions {
  host?: string;
  port?: number;
  /**
   * Told of each request Node refuses before the app sees it (431, 400, 408), with the request
   * id its answer carries: the app's log and metrics never see those.
   */
  onRefused?: (status: number, requestId: string) => void;
}

/**
 * A request Node refuses before the app sees it: headers or URL past its 16 KB limit (a query
 * of 20,000 characters), or bytes that are no HTTP. Node's own answer is a bare status with no
 * body; the API promises a JSON error for every failure, so it gets one here.
 */
function answerClientError(
  error: Error & { code?: string },
  socket: Socket,
  onRefused: ListenOptions["onRefused"],
): void {
  // As Node's own handler: nothing to say on a dead socket, or once an answer has begun.
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === "ECONNRESET" || !socket.writable || answering?.headersSent === true) {
    socket.destroy();
    return;
  }
  const [status, reason, body] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? ([
          431,
          "Request Header Fields Too Large",
          errorPayload(
            "request_too_large",
            "the request's URL and headers are over the server's 16 KB limit: shorten them (a search reads at most 500 characters of q, /api/analyze 5,000 of text)",
          ),
        ] as const)
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? ([
            408,
            "Request Timeout",
            errorPayload("bad_request", "the request took too long to arrive"),
          ] as const)
        : ([
            400,
            "Bad Request",
            errorPayload("bad_request", "the request is not valid HTTP"),
          ] as const);
  const text = JSON.stringify(body);
  const id = randomUUID();
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=UTF-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nCache-Control: no-store\r\n` +
      `X-Content-Type-Options: nosniff\r\nX-Request-Id: ${id}\r\nConnection: close\r\n\r\n${text}`,
  );
  onRefused?.(status, id);
}

function urlOf(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/**
 * Rejects as `listen` would (EADDRINUSE, EACCES) when the port cannot be had, without keeping
 * it: a server checks before loading its index and starting its threads, which take seconds on
 * a large collection, so that a port in use is said at once. Another process may still take the
 * port between this and `listen`, which then says so.
 */
export async function checkPort(options: ListenOptions = {}): Promise<void> {
  const port = options.port ?? DEFAULT_PORT;
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(port, options.host ?? DEFAULT_HOST, () => {
      probe.off("error", reject);
      resolve();
    });
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

export async function listen(app: Fetcher, options: ListenOptions = {}): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  // The adapter's bindings (the Node request and response) go on to the app as its env: the
  // rate limit reads the client's address from them (getConnInfo), and without them every
  // client shared one bucket.
  const created = createAdaptorServer({ fetch: (request, env) => app.fetch(request, env) });
  if (!(created instanceof Server)) throw new Error("expected a plain HTTP server");
  const server = created;
  const active = new Set<ServerResponse>();
  let closing: Promise<DrainResult> | undefined;
  let onIdle: (() => void) | undefined;

  // Prepended, so it runs before the adapter starts writing the response.
  server.prependListener("request", (_req: IncomingMessage, res: ServerResponse) => {
    active.add(res);
    // Once closing, a kept-alive connection must not be offered for another request.
    if (closing) res.setHeader("Connection", "close");
    res.once("close", () => {
      active.delete(res);
      if (active.size === 0) onIdle?.();
    });
  });

  server.on("clientError", (error: Error & { code?: string }, socket: Socket) =>
    answerClientError(error, socket, options.onRefused),
  );

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  async function drain(timeoutMs: number): Promise<DrainResult> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const res of active) if (!res.headersSent) res.setHeader("Connection", "close");
    server.closeIdleConnections();
    let cutOff = 0;
    if (active.size > 0) {
      const idle = new Promise<void>((resolve) => {
        onIdle = resolve;
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutMs);
      });
      const outcome = await Promise.race([idle, timeout]);
      clearTimeout(timer);
      if (outcome === "timeout") {
        cutOff = active.size;
        server.closeAllConnections();
      }
    }
    server.closeIdleConnections();
    // A connection still sending its request headers is neither idle nor in flight; do not
    // let one hold the exit for the whole headers timeout.
    const straggler = setTimeout(() => server.closeAllConnections(), 1000);
    await closed;
    clearTimeout(straggler);
    return { cutOff };
  }

  return {
    url: urlOf(host, port),
    host,
    port,
    server,
    inFlight: () => active.size,
    close(timeoutMs = DEFAULT_DRAIN_MS) {
      closing ??= drain(timeoutMs);
      return closing;
    },
  };
}
