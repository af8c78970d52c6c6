import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, test, vi } from "vitest";
import { createApp, nodeRefusals } from "../../src/server/app.js";
import { type Fetcher, listen, type RunningServer } from "../../src/server/listen.js";
import { type Child, spawnTs } from "./child.js";
import { FAKE_DOCS, fakeEngine } from "./fake-engine.js";

const app = createApp(fakeEngine(), { log: false });
const slowApp: Fetcher = {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname !== "/slow") return app.fetch(request);
    await new Promise((resolve) => setTimeout(resolve, Number(url.searchParams.get("ms") ?? 300)));
    return new Response("done");
  },
};

let running: RunningServer | undefined;
let child: Child | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await running?.close(100);
  running = undefined;
  if (child && child.proc.exitCode === null) child.proc.kill("SIGKILL");
  child = undefined;
});

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A plain http.request: status, body, and the Connection header of the answer. */
function get(url: string): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => {
        body += d;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("listen (in process)", () => {
  test("serves the app on a free port at 127.0.0.1 by default", async () => {
    running = await listen(app, { port: 0 });
    expect(running.url).toBe(`http://127.0.0.1:${running.port}`);
    const res = await fetch(`${running.url}/api/search?q=irak`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { total: number }).total).toBe(2);
    const bad = await fetch(`${running.url}/api/search?q=%E0%A4%A`);
    expect(bad.status).toBe(400);
  });

  test("malformed requests over real HTTP are 400s", async () => {
    running = await listen(app, { port: 0 });
    for (const path of ["/api/search?q=%E0%A4%A", "/api/documents/%C0%AF", "/api/search?q=%"]) {
      expect((await get(`${running.url}${path}`)).status, path).toBe(400);
    }
  });

  test("what Node refuses before the app (a 20 KB URL, bytes that are no HTTP) still gets a JSON error", async () => {
    running = await listen(app, { port: 0 });
    const long = await get(`${running.url}/api/search?q=${"a".repeat(20_000)}`);
    expect(long.status).toBe(431);
    expect(JSON.parse(long.body)).toEqual({
      error: { code: "request_too_large", message: expect.stringMatching(/16 KB limit/) },
    });
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(running!.port, "127.0.0.1", () => socket.end("NONSENSE\r\n\r\n"));
      let answer = "";
      socket.setEncoding("utf8").on("data", (d: string) => {
        answer += d;
      });
      socket.on("end", () => resolve(answer)).on("error", reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4)).error.code).toBe("bad_request");
    // The server still answers afterwards.
    expect((await get(`${running.url}/api/search?q=irak`)).status).toBe(200);
  });

  test("what Node refuses is logged and counted by the app, with the request id its answer carries", async () => {
    const lines: string[] = [];
    const logged = createApp(fakeEngine(), { log: (line) => lines.push(line) });
    const onRefused = nodeRefusals(logged);
    expect(onRefused).toBeDefined();
    running = await listen(logged, { port: 0, ...(onRefused && { onRefused }) });
    const id = await new Promise<string | undefined>((resolve, reject) => {
      const req = httpRequest(`${running!.url}/api/search?q=${"a".repeat(20_000)}`, (res) => {
        res.resume();
        res.on("end", () => resolve(res.headers["x-request-id"] as string | undefined));
      });
      req.on("error", reject);
      req.end();
    });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // Neither the access log nor /metrics saw such a request.
    expect(lines.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ status: 431, requestId: id }),
    );
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toContain('loupe_http_requests_total{route="other",method="-",status="431"} 1');
  });

  test("over real HTTP (the adapter's own Response): gzip above 1 KB, lengths below, 304s, HEAD", async () => {
    const many = Array.from({ length: 20 }, (_, i) => ({
      id: `bulk/${i}`,
      title: `Rapport ${i} sur la mission`,
      body: `La mission numéro ${i} continue en Irak. `.repeat(5),
    }));
    running = await listen(
      createApp(fakeEngine({ docs: [...FAKE_DOCS, ...many] }), { log: false }),
      {
        port: 0,
      },
    );
    const big = await fetch(`${running.url}/api/search?q=mission&limit=20`, {
      headers: { "Accept-Encoding": "gzip" },
    });
    expect(big.headers.get("Content-Encoding")).toBe("gzip");
    expect(((await big.json()) as { hits: unknown[] }).hits).toHaveLength(20);
    const etag = big.headers.get("ETag") ?? "";
    expect(etag).toMatch(/^W\//);

    const small = await fetch(`${running.url}/api/suggest?q=sol`, {
      headers: { "Accept-Encoding": "gzip" },
    });
    expect(small.headers.get("Content-Encoding")).toBeNull();
    expect(small.headers.get("Content-Length")).toBe(String(Buffer.byteLength(await small.text())));
    expect(small.headers.get("Vary")).toBe("Accept-Encoding");

    const plain = await fetch(`${running.url}/api/search?q=mission&limit=20`, {
      headers: { "Accept-Encoding": "identity" },
    });
    expect(plain.headers.get("Content-Encoding")).toBeNull();
    expect(plain.headers.get("Vary")).toBe("Accept-Encoding");
    expect(plain.headers.get("ETag")).toBe(etag);
    await plain.text();

    const again = await fetch(`${running.url}/api/search?q=mission&limit=20`, {
      headers: { "If-None-Match": etag },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get("Content-Security-Policy")).toContain("default-src 'self'");

    const head = await fetch(`${running.url}/api/health`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(head.headers.get("X-Powered-By")).toBeNull();
  });

  test("close() lets a request in flight finish, refuses new ones, and resolves", async () => {
    running = await listen(slowApp, { port: 0 });
    const slow = get(`${running.url}/slow?ms=400`);
    await until(() => running?.inFlight() === 1);
    const closing = running.close(5000);
    await expect(fetch(`${running.url}/api/health`)).rejects.toThrow();
    const answer = await slow;
    expect(answer).toMatchObject({ status: 200, body: "done", connection: "close" });
    expect(await closing).toEqual({ cutOff: 0 });
  });

  test("an idle kept-alive connection does not hold the close", async () => {
    running = await listen(app, { port: 0 });
    // Kept alive far longer than the test may last, and no timer of the drain may fire (neither
    // its limit nor the straggler's cut-off): the close can only end because the idle
    // connection was closed at once.
    running.server.keepAliveTimeout = 600_000;
    const res = await fetch(`${running.url}/api/health`); // undici keeps the socket open
    await res.text();
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    try {
      expect(await running.close(5000)).toEqual({ cutOff: 0 });
    } finally {
      vi.useRealTimers();
    }
  });

  test("requests still running at the time limit are cut off and counted", async () => {
    running = await listen(slowApp, { port: 0 });
    const slow = get(`${running.url}/slow?ms=5000`).catch((e: Error) => e);
    await until(() => running?.inFlight() === 1);
    expect(await running.close(100)).toEqual({ cutOff: 1 });
    expect(await slow).toBeInstanceOf(Error);
  });

  test("a port in use is an error, not a crash", async () => {
    running = await listen(app, { port: 0 });
    await expect(listen(app, { port: running.port })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe("graceful stop of a server process", () => {
  test("SIGTERM: the request in flight finishes, then the process exits 0", async () => {
    child = spawnTs("test/server/fixtures/drain-child.ts");
    const url = JSON.parse((await child.waitFor("stdout", /^\{.*\}$/m))[0]).url as string;
    expect((await get(`${url}/api/health`)).status).toBe(200);

    const slow = get(`${url}/slow?ms=800`);
    await child.waitFor("stderr", /slow: started/);
    child.proc.kill("SIGTERM");
    await child.waitFor("stderr", /SIGTERM, stopping: finishing 1 request\(s\) in flight/);
    await expect(get(`${url}/api/health`)).rejects.toThrow(/ECONNREFUSED/);
    expect(await slow).toMatchObject({ status: 200, body: "done" });
    expect(await child.exited).toBe(0);
    expect(child.stderr()).toContain("loupe: stopped");
  });

  test("SIGINT with nothing in flight exits 0 at once", async () => {
    // A drain limit far beyond the test's own: an exit that waited for it would fail the test.
    child = spawnTs("test/server/fixtures/drain-child.ts", [], { DRAIN_MS: "600000" });
    await child.waitFor("stdout", /^\{.*\}$/m);
    child.proc.kill("SIGINT");
    // Under load the exit code once came back null: the child announced itself before it
    // handled signals, and the signal came in between. It now handles them first.
    const code = await child.exited;
    expect(code, `signal ${child.proc.signalCode}; stderr: ${child.stderr()}`).toBe(0);
    expect(child.stderr()).toContain("loupe: SIGINT, stopping\n");
    expect(child.stderr()).not.toContain("finishing");
  });

  test("a second signal exits 1 without waiting", async () => {
    child = spawnTs("test/server/fixtures/drain-child.ts", [], { DRAIN_MS: "20000" });
    const url = JSON.parse((await child.waitFor("stdout", /^\{.*\}$/m))[0]).url as string;
    const slow = get(`${url}/slow?ms=20000`).catch((e: Error) => e);
    await child.waitFor("stderr", /slow: started/);
    child.proc.kill("SIGTERM");
    await child.waitFor("stderr", /stopping/);
    child.proc.kill("SIGTERM");
    expect(await child.exited).toBe(1);
    expect(await slow).toBeInstanceOf(Error);
  });
});
