import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { CliIO } from "../../src/cli/output.js";
import { UsageError } from "../../src/cli/output.js";
import { say, serveCommand, serveOptions } from "../../src/cli/serve.js";
import { listen } from "../../src/server/listen.js";
import type { IndexLoader } from "../../src/server/reload.js";
import { fakeEngine } from "./fake-engine.js";

describe("serve options", () => {
  test("defaults: index/, 127.0.0.1:3000", () => {
    expect(serveOptions({}, {})).toEqual({
      indexDir: "index",
      host: "127.0.0.1",
      port: 3000,
      quiet: false,
      workers: availableParallelism(),
      budgetMs: 50,
      queueLimit: 64,
      rateLimit: undefined,
    });
  });

  test("workers, budget, queue and rate limit from flags, else the environment", () => {
    const env = { WORKERS: "3", SEARCH_BUDGET_MS: "80", SEARCH_QUEUE: "10", RATE_LIMIT: "5" };
    expect(serveOptions({}, env)).toMatchObject({
      workers: 3,
      budgetMs: 80,
      queueLimit: 10,
      rateLimit: 5,
    });
    expect(
      serveOptions({ workers: "0", "budget-ms": "20", queue: "4", "rate-limit": "100" }, env),
    ).toMatchObject({ workers: 0, budgetMs: 20, queueLimit: 4, rateLimit: 100 });
  });

  test("PORT and HOST from the environment, flags first", () => {
    expect(serveOptions({}, { PORT: "8080", HOST: "0.0.0.0" })).toMatchObject({
      host: "0.0.0.0",
      port: 8080,
    });
    expect(
      serveOptions({ port: "9000", host: "::1" }, { PORT: "8080", HOST: "0.0.0.0" }),
    ).toMatchObject({
      host: "::1",
      port: 9000,
    });
    expect(serveOptions({ port: "0" }, {})).toMatchObject({ port: 0 });
    expect(serveOptions({}, { PORT: "", HOST: "" })).toMatchObject({
      host: "127.0.0.1",
      port: 3000,
    });
  });

  test.each([
    [{ port: "http" }, {}, "--port 'http' is not a port number (0-65535)"],
    [{ port: "65536" }, {}, "--port '65536' is not a port number (0-65535)"],
    [{ port: "-1" }, {}, "--port '-1' is not a port number (0-65535)"],
    [{}, { PORT: "80a" }, "PORT '80a' is not a port number (0-65535)"],
    [{ host: " " }, {}, "--host must not be empty"],
    [{ workers: "two" }, {}, "--workers 'two' must be a whole number from 0 to 256"],
    [{}, { SEARCH_BUDGET_MS: "0" }, "SEARCH_BUDGET_MS '0' must be a whole number from 1 to 60000"],
    [{ "rate-limit": "-3" }, {}, "--rate-limit '-3' must be a whole number from 1 to 1000000"],
  ])("%o %o → usage error", (values, env, message) => {
    expect(() => serveOptions(values, env)).toThrow(new UsageError(message));
  });
});

function captureIO(): CliIO & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l), isTTY: false };
}

describe("loupe serve without a usable index", () => {
  test("refuses to start with the loader's message", async () => {
    const empty = mkdtempSync(join(tmpdir(), "loupe-noindex-"));
    const io = captureIO();
    await expect(serveCommand(["--index", empty, "--port", "0"], io)).rejects.toThrow(
      /no index in '.*loupe-noindex-.*': run `npm run index`/,
    );
    expect(io.lines.join("\n")).not.toContain("serving");
    rmSync(empty, { recursive: true, force: true });
  });

  test("a port in use is said before the index is opened or any thread started", async () => {
    const taken = await listen({ fetch: () => new Response("other") }, { port: 0 });
    let opened = 0;
    const loader: IndexLoader = {
      open: () => {
        opened++;
        return Promise.resolve(fakeEngine());
      },
      generation: () => Promise.resolve("g1"),
    };
    try {
      await expect(
        serveCommand(["--port", String(taken.port), "--workers", "1"], captureIO(), { loader }),
      ).rejects.toThrow(`port ${taken.port} on 127.0.0.1 is already in use`);
      expect(opened).toBe(0);
    } finally {
      await taken.close();
    }
  });

  test("a host that cannot be listened on is said with the option and the fix", async () => {
    const loader: IndexLoader = {
      open: () => Promise.resolve(fakeEngine()),
      generation: () => Promise.resolve("g1"),
    };
    // Node said `getaddrinfo ENOTFOUND …` and `listen EADDRNOTAVAIL …`, naming neither.
    for (const [host, said] of [
      ["nosuch.invalid", "host 'nosuch.invalid' is no address or name this machine can resolve"],
      ["192.0.2.1", "host '192.0.2.1' is not an address of this machine"],
    ] as const) {
      await expect(
        serveCommand(["--host", host, "--port", "0", "--workers", "0"], captureIO(), { loader }),
      ).rejects.toThrow(said);
    }
    expect(() => serveOptions({ host: "127.0.0.1:4260" }, {})).toThrow(
      "--host takes an address without its port: --host 127.0.0.1 --port 4260",
    );
    expect(() => serveOptions({}, { HOST: "localhost:99" })).toThrow(/^HOST takes an address/);
    expect(serveOptions({ host: "[::1]" }, {}).host).toBe("::1");
  });

  test("stray arguments are a usage error", async () => {
    await expect(serveCommand(["index"], captureIO())).rejects.toThrow(UsageError);
    await expect(serveCommand(["--bogus"], captureIO())).rejects.toThrow(/bogus/);
  });
});

describe("what a server says of itself", () => {
  test("a sentence at a terminal, a JSON event holding it otherwise", () => {
    const lines: string[] = [];
    const io = (terminal: boolean): CliIO => ({
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
      isTTY: false,
      terminal,
    });
    say(io(true), "serving", { documents: 5 }, "loupe: serving 5 documents");
    say(io(false), "serving", { documents: 5 }, "loupe: serving 5 documents");
    expect(lines[0]).toBe("loupe: serving 5 documents");
    expect(JSON.parse(lines[1] ?? "")).toMatchObject({
      level: "info",
      time: expect.any(String),
      event: "serving",
      documents: 5,
      msg: "loupe: serving 5 documents",
    });
  });
});
