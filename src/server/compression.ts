/**
 * Compression of text and JSON answers of at least 1 KB, for clients that ask for it.
 *
 * hono/compress alone does not do on Node what it promises, as measured here:
 * - its threshold only works when the response has a Content-Length, which `c.json()` does
 *   not set, so on Node 20 (where CompressionStream exists) it gzips a 30-byte error;
 * - it adds `Vary` with `c.header()`, which on a finished response re-wraps the body as a
 *   stream and turns @hono/node-server's lightweight Response into a full one: searches over
 *   HTTP ran at a third of their speed, compressed or not;
 * - CompressionStream (web streams) is slow: a search answer of 4 KB went out at 790 req/s
 *   gzipped against 2,200 plain.
 * So every compressible answer is read whole and gzipped here with node:zlib; hono/compress is
 * not used at all (behind this layer it never acted: every answer it saw already had a
 * Content-Encoding or a Content-Length under its threshold).
 *
 * No brotli: on search answers of the benchmark corpus (1.6–8.2 KB of JSON, six queries,
 * node:zlib, 2026-12-08), gzip made 1,450 bytes in 40 µs; brotli at quality 3 made 1,490 in
 * 39 µs, at 5 1,386 in 107 µs (1 and 4: 1,591 in 21, 1,474 in 77). Nothing smaller at gzip's
 * cost, and 4 % smaller at 2.7 times its cost, on the thread that serves every request.
 */
import { promisify } from "node:util";
import { deflate, deflateSync, gzip, gzipSync } from "node:zlib";
import type { Context, MiddlewareHandler } from "hono";
import { accepts } from "hono/accepts";
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from "hono/compress";
import type { AppEnv } from "./context.js";
import { sentBody } from "./json-answer.js";

export const COMPRESS_THRESHOLD = 1024;
/** Above this, zlib runs on the thread pool rather than holding the event loop. */
const SYNC_LIMIT = 64 * 1024;

type Encoding = "gzip" | "deflate";
const gzipAsync = promisify(gzip);
const deflateAsync = promisify(deflate);

type Accept = Parameters<NonNullable<Parameters<typeof accepts>[1]["match"]>>[0][number];

/**
 * gzip or deflate by the client's q-values, gzip on a tie; `*` stands for either one the client
 * did not name. hono/accepts reads the header; only this choice is ours, because its default
 * match takes the client's order on a tie and never lets `*` stand for an encoding.
 */
function preferGzip(offered: Accept[]): string {
  const weight = (name: Encoding) =>
    offered.find((a) => a.type.toLowerCase() === name)?.q ??
    offered.find((a) => a.type === "*")?.q ??
    0;
  const [gz, df] = [weight("gzip"), weight("deflate")];
  if (gz > 0 && gz >= df) return "gzip";
  return df > 0 ? "deflate" : "identity";
}

/** The encoding to send the answer to `c` in, or none. */
export function chooseEncoding(c: Context): Encoding | undefined {
  const chosen = accepts(c, {
    header: "Accept-Encoding",
    supports: ["gzip", "deflate"],
    default: "identity",
    match: preferGzip,
  });
  return chosen === "identity" ? undefined : (chosen as Encoding);
}

const VARIES_ON_ENCODING = /(?:^|,)\s*(?:accept-encoding|\*)\s*(?:,|$)/i;
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;

async function squeeze(bytes: Uint8Array, encoding: Encoding): Promise<Uint8Array> {
  if (bytes.byteLength <= SYNC_LIMIT)
    return encoding === "gzip" ? gzipSync(bytes) : deflateSync(bytes);
  return encoding === "gzip" ? gzipAsync(bytes) : deflateAsync(bytes);
}

/** Compresses text and JSON answers of at least 1 KB for clients that ask for it. */
export function compression(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const res = c.res;
    const type = res.headers.get("Content-Type");
    if (type === null || !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type)) return;
    // On the headers, not with c.header(): see above.
    const vary = res.headers.get("Vary");
    if (vary === null || !VARIES_ON_ENCODING.test(vary)) {
      res.headers.set("Vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
    }
    const encoding = chooseEncoding(c);
    if (encoding === undefined || c.req.method === "HEAD" || res.status === 206) return;
    if (
      res.headers.has("Content-Encoding") ||
      NO_TRANSFORM.test(res.headers.get("Cache-Control") ?? "")
    )
      return;
    const sent = sentBody(c);
    if (sent === undefined && res.body === null) return;
    // An answer's JSON is taken as made; any other body is read, which leaves the adapter's
    // fast path anyway (Uint8Array bodies return to it).
    const bytes = sent === undefined ? new Uint8Array(await res.arrayBuffer()) : Buffer.from(sent);
    const headers = new Headers(res.headers);
    let body: Uint8Array = bytes;
    if (bytes.byteLength >= COMPRESS_THRESHOLD) {
      body = await squeeze(bytes, encoding);
      headers.set("Content-Encoding", encoding);
      const etag = headers.get("ETag");
      // A strong tag names these exact bytes, which compression changed.
      if (etag && !etag.startsWith("W/")) headers.set("ETag", `W/${etag}`);
    }
    headers.set("Content-Length", String(body.byteLength));
    // Cleared first, or Hono's setter would wrap the bytes back into a stream.
    c.res = undefined;
    c.res = new Response(body, { status: res.status, statusText: res.statusText, headers });
  };
}
