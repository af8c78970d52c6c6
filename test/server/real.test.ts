/**
 * The HTTP layer over the real thing: an index of seeds/ built into a temp folder, the real
 * engine, the disk loader, real sockets, and the CLI as a process.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { buildIndex } from "../../src/index/index.js";
import { openEngine } from "../../src/search/engine.js";
import { createApp } from "../../src/server/app.js";
import { diskIndexLoader } from "../../src/server/index-loader.js";
import { listen, type RunningServer } from "../../src/server/listen.js";
import type { DocumentJson, SearchResultJson } from "../../src/server/present.js";
import { type ReloadEvent, type ReloadingSource, watchIndex } from "../../src/server/reload.js";
import { type Child, spawnTs } from "./child.js";

let root: string;
let seedsIndex: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "loupe-server-"));
  seedsIndex = join(root, "seeds-index");
  await buildIndex({ input: "seeds", out: seedsIndex });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the API over the index of seeds/", () => {
  test("profile=true gives each step's milliseconds, is never kept or tagged, and is refused when not a boolean", async () => {
    const app = createApp(await openEngine(seedsIndex), { log: false });
    for (let i = 0; i < 2; i++) {
      const res = await app.request("/api/search?q=OTAN+Irak&profile=true");
      expect(res.status).toBe(200);
      expect(res.headers.get("Cache-Control")).toBe("no-store");
      expect(res.headers.get("ETag")).toBeNull();
      const body = (await res.json()) as SearchResultJson;
      expect(Object.keys(body.profile ?? {}).sort()).toEqual([
        "expand",
        "hits",
        "parse",
        "rank",
        "retrieve",
        "suggest",
      ]);
      for (const ms of Object.values(body.profile!)) expect(ms).toBeGreaterThanOrEqual(0);
      expect(body.profile!.rank).toBeGreaterThan(0);
      expect(body.hits.length).toBeGreaterThan(0);
    }
    const plain = (await (await app.request("/api/search?q=OTAN+Irak")).json()) as SearchResultJson;
    expect(plain.profile).toBeUndefined();
    const refused = await app.request("/api/search?q=OTAN&profile=maybe");
    expect(refused.status).toBe(400);
    const error = (await refused.json()) as { error: { parameter?: string; message: string } };
    expect(error.error).toMatchObject({
      parameter: "profile",
      message: "profile must be true or false",
    });
  });

  test("q=Parly finds the article that names her, with a <mark>", async () => {
    const app = createApp(await openEngine(seedsIndex), { log: false });
    const res = await app.request("/api/search?q=Parly");
    expect(res.status).toBe(200);
    const body = (await res.json()) as SearchResultJson;
    expect(body.total).toBe(1);
    expect(body.hits[0]?.id).toBe("004_35c4cf714ecaba77");
    expect(body.hits[0]?.snippet).toMatch(/<mark>Parly<\/mark>/);
    expect(res.headers.get("ETag")).toMatch(/^W\//);
  });

  test("a document with a word 150,000 times: its first 2,000 marked, the API and the page say so", async () => {
    const input = join(root, "huge-input");
    cpSync("seeds", input, { recursive: true });
    writeFileSync(join(input, "huge.txt"), `Énorme\n\n${"Avant tout. ".repeat(150_000)}`);
    const out = join(root, "huge-index");
    await buildIndex({ input, out });
    const app = createApp(await openEngine(out), { log: false });
    const res = await app.request("/api/documents/huge?q=avant");
    expect(res.status).toBe(200);
    const view = (await res.json()) as DocumentJson;
    expect(view.highlights).toHaveLength(2000);
    expect(view.highlightsTruncated).toBe(true);
    const page = await app.request("/documents/huge?q=avant");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("plus de 2\u202f000 occurrences dans le texte");
  });

  test("highlights=true adds every match in each hit's body; without it, hits carry the snippet only", async () => {
    const engine = await openEngine(seedsIndex);
    const app = createApp(engine, { log: false });
    const plain = (await (await app.request("/api/search?q=Parly")).json()) as SearchResultJson;
    expect(plain.hits[0]?.highlights).toBeUndefined();
    const res = await app.request("/api/search?q=Parly&highlights=true");
    const body = (await res.json()) as SearchResultJson;
    const hit = body.hits[0]!;
    const text = engine.getDocument(hit.id)!.body;
    expect(hit.highlights?.length).toBeGreaterThan(0);
    for (const [start, end] of hit.highlights ?? [])
      expect(text.slice(start, end).toLowerCase()).toBe("parly");
    // The same snippet either way: it never depended on the whole body being marked.
    expect(hit.snippetText).toBe(plain.hits[0]?.snippetText);
  });

  test("lang=fr: warnings and the query's refusals in French; other values are refused", async () => {
    const app = createApp(await openEngine(seedsIndex), { log: false });
    const quote = encodeURIComponent('"Alliance atlantique');
    const fr = (await (
      await app.request(`/api/search?q=${quote}&lang=fr`)
    ).json()) as SearchResultJson;
    expect(fr.warnings).toEqual([
      "un guillemet ouvert n’a pas été fermé\u202f: l’expression va jusqu’à la fin de la requête",
    ]);
    // The same query without lang is another URL, another answer: English.
    const en = (await (await app.request(`/api/search?q=${quote}`)).json()) as SearchResultJson;
    expect(en.warnings?.[0]).toMatch(/^an opening quote/);

    const refused = await app.request(
      `/api/search?q=${encodeURIComponent("OTAN date:2020-13")}&lang=fr`,
    );
    expect(refused.status).toBe(400);
    const error = (
      (await refused.json()) as { error: { code: string; message: string; parameter: string } }
    ).error;
    expect(error).toMatchObject({ code: "bad_query", parameter: "q" });
    expect(error.message).toMatch(/^la date «\u00a02020-13\u00a0» n’est ni un mois/);

    const doc = await app.request(
      `/api/documents/004_35c4cf714ecaba77?q=${encodeURIComponent("date:2020-13")}&lang=fr`,
    );
    expect(doc.status).toBe(400);
    expect(((await doc.json()) as { error: { message: string } }).error.message).toMatch(
      /^la date «\u00a02020-13\u00a0»/,
    );

    // The date parameter and the query's length are the query's refusals too, in French.
    for (const [path, parameter, wording] of [
      ["/api/search?q=OTAN&date=2020-13&lang=fr", "date", /^la date «\u00a02020-13\u00a0»/],
      [`/api/search?q=${"a".repeat(501)}&lang=fr`, "q", /^la requête fait 501 caractères/],
      [
        `/api/documents/004_35c4cf714ecaba77?q=${"a".repeat(501)}&lang=fr`,
        "q",
        /^la requête fait 501 caractères/,
      ],
    ] as const) {
      const res = await app.request(path);
      expect(res.status, path).toBe(400);
      const body = (await res.json()) as {
        error: { code: string; parameter: string; message: string };
      };
      expect(body.error, path).toMatchObject({ code: "bad_query", parameter });
      expect(body.error.message, path).toMatch(wording);
    }

    for (const path of [
      "/api/search?q=OTAN&lang=de",
      "/api/documents/004_35c4cf714ecaba77?lang=FR",
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(400);
      const body = (await res.json()) as { error: { parameter: string; message: string } };
      expect(body.error).toMatchObject({ parameter: "lang", message: "lang must be en or fr" });
    }
  });

  test("documents, suggest and health answer from the real engine", async () => {
    const engine = await openEngine(seedsIndex);
    const app = createApp(engine, { log: false });
    const doc = (await (
      await app.request("/api/documents/004_35c4cf714ecaba77?q=Parly")
    ).json()) as DocumentJson;
    expect(doc.bodyHighlighted).toContain("<mark>Parly</mark>");
    const suggest = (await (await app.request("/api/suggest?q=sol")).json()) as {
      suggestions: string[];
    };
    expect(suggest.suggestions.length).toBeGreaterThan(0);
    expect(await (await app.request("/api/health")).json()).toMatchObject({
      status: "ok",
      documents: 5,
      version: engine.info.version,
    });
  });
});

describe("hot swap on a running server", () => {
  let input: string;
  let indexDir: string;
  let source: ReloadingSource | undefined;
  let running: RunningServer | undefined;
  afterEach(async () => {
    source?.stop();
    await running?.close(1000);
  });

  test("a rebuild with one more document is served without one failed request", async () => {
    input = join(root, "swap-input");
    indexDir = join(root, "swap-index");
    cpSync("seeds", input, { recursive: true });
    await buildIndex({ input, out: indexDir });

    const events: ReloadEvent[] = [];
    source = await watchIndex(indexDir, {
      loader: diskIndexLoader,
      intervalMs: 100,
      onEvent: (e) => events.push(e),
    });
    const firstVersion = source.current().info.version;
    running = await listen(createApp(source, { log: false }), { port: 0 });
    const base = running.url;

    // Clients keep asking while the index changes under them.
    let stop = false;
    const failures: string[] = [];
    let requests = 0;
    const client = async () => {
      const paths = [
        "/api/search?q=OTAN",
        "/api/search?q=Parly",
        "/api/health",
        "/api/suggest?q=sol",
      ];
      while (!stop) {
        const path = paths[requests % paths.length] ?? "/api/health";
        requests++;
        try {
          const res = await fetch(`${base}${path}`);
          const text = await res.text();
          if (res.status !== 200) failures.push(`${path}: ${res.status} ${text}`);
          else JSON.parse(text);
        } catch (error) {
          failures.push(`${path}: ${String(error)}`);
        }
      }
    };
    const clients = [client(), client(), client(), client()];

    expect(
      ((await (await fetch(`${base}/api/search?q=zanzibar`)).json()) as SearchResultJson).total,
    ).toBe(0);
    mkdirSync(join(input, "2020"));
    writeFileSync(
      join(input, "2020", "nouvelle.txt"),
      "Zanzibar accueille une escale\n\nLes soldats de la mission ont fait escale à Zanzibar en mars 2020.\n",
    );
    const report = await buildIndex({ input, out: indexDir });
    expect(report.documents).toBe(6);

    await expect
      .poll(
        async () =>
          ((await (await fetch(`${base}/api/search?q=zanzibar`)).json()) as SearchResultJson).total,
        {
          timeout: 10_000,
          interval: 50,
        },
      )
      .toBe(1);
    // Let the clients run a little on the new index too.
    await new Promise((r) => setTimeout(r, 200));
    stop = true;
    await Promise.all(clients);

    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(20);
    const health = (await (await fetch(`${base}/api/health`)).json()) as {
      version: string;
      documents: number;
    };
    expect(health).toMatchObject({ documents: 6, version: report.generation });
    expect(health.version).not.toBe(firstVersion);
    expect(events).toContainEqual(
      expect.objectContaining({ type: "reloaded", generation: report.generation, documents: 6 }),
    );

    const doc = await fetch(`${base}/api/documents/2020/nouvelle?q=zanzibar`);
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as DocumentJson).bodyHighlighted).toContain("<mark>Zanzibar</mark>");
  });

  test("a damaged new generation keeps the old index served and says why", async () => {
    input = join(root, "damage-input");
    indexDir = join(root, "damage-index");
    cpSync("seeds", input, { recursive: true });
    await buildIndex({ input, out: indexDir });
    const events: ReloadEvent[] = [];
    source = await watchIndex(indexDir, {
      loader: diskIndexLoader,
      intervalMs: 60_000,
      onEvent: (e) => events.push(e),
    });
    const served = source.current();

    writeFileSync(join(input, "extra.txt"), "Un texte de plus sur la mission.\n");
    const report = await buildIndex({ input, out: indexDir });
    writeFileSync(join(indexDir, report.generation, "documents.bin"), "{ not json");
    await source.check();

    expect(source.current()).toBe(served);
    expect(events).toEqual([
      expect.objectContaining({
        type: "failed",
        generation: report.generation,
        error: expect.stringContaining("documents.bin"),
      }),
    ]);
    const app = createApp(source, { log: false });
    // Served on, and said: health was `ok` with nothing to alert on.
    const health = (await (await app.request("/api/health")).json()) as {
      status: string;
      problems: string[];
    };
    expect(health).toMatchObject({ documents: 5, status: "degraded" });
    expect(health.problems).toEqual([
      expect.stringMatching(
        new RegExp(`^index generation ${report.generation} could not be loaded .*documents\\.bin`),
      ),
    ]);
    expect(await (await app.request("/metrics")).text()).toContain("loupe_index_problems 1");
  });
});

describe("loupe serve and loupe start as processes", () => {
  let child: Child | undefined;
  afterEach(() => {
    if (child && child.proc.exitCode === null) child.proc.kill("SIGKILL");
    child = undefined;
  });

  test("serve: banner, answers, and SIGTERM → drained exit 0 with clients still asking", async () => {
    child = spawnTs("test/server/fixtures/loupe-cli.ts", [
      "serve",
      "--index",
      seedsIndex,
      "--port",
      "0",
    ]);
    const [, documents, url] = await child.waitFor(
      "stdout",
      /loupe: serving (\d+) documents from .* at (http:\/\/127\.0\.0\.1:\d+) \(ready in \d+ ms\)/,
    );
    expect(documents).toBe("5");
    const res = await fetch(`${url}/api/search?q=Parly`);
    expect(((await res.json()) as SearchResultJson).hits[0]?.id).toBe("004_35c4cf714ecaba77");

    // Requests keep coming while the server stops: each one either gets its whole answer or
    // finds the door closed (connection refused), never a cut-off response.
    let stop = false;
    const broken: string[] = [];
    const loop = (async () => {
      while (!stop) {
        try {
          const r = await fetch(`${url}/api/search?q=OTAN`);
          const body = (await r.json()) as SearchResultJson;
          if (r.status !== 200 || body.total < 1) broken.push(`status ${r.status}`);
        } catch (error) {
          const cause = (error as { cause?: { code?: string } }).cause?.code;
          if (cause === "ECONNREFUSED") break;
          broken.push(String(cause ?? error));
          break;
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    child.proc.kill("SIGTERM");
    expect(await child.exited).toBe(0);
    stop = true;
    await loop;
    // A keep-alive socket closed by the server between two requests is the one allowed hiccup.
    expect(broken.filter((b) => b !== "ECONNRESET" && b !== "UND_ERR_SOCKET")).toEqual([]);
    expect(child.stderr()).toContain("loupe: stopped");
    // The access log went to stdout, one JSON line per request.
    const logLines = child
      .stdout()
      .split("\n")
      .filter((l) => l.startsWith("{") && l.includes('"requestId"'));
    expect(logLines.length).toBeGreaterThan(1);
    expect(JSON.parse(logLines[0] ?? "{}")).toMatchObject({
      level: "info",
      method: "GET",
      path: "/api/search",
      status: 200,
      requestId: expect.any(String),
    });
    // The search threads said which generation they serve, on the same stream.
    expect(child.stdout()).toMatch(/"event":"worker ready","worker":0,"generation":"gen-/);
    // With a level, as the access log's lines, for a pipeline to filter them alike.
    expect(child.stdout()).toMatch(/\{"level":"info","time":"[^"]+","event":"worker ready"/);
    // Read by a program, stdout is JSON lines from the first: the banner too, its sentence as
    // `msg`. Sentences were mixed into the log's lines (QA).
    const lines = child
      .stdout()
      .split("\n")
      .filter((line) => line !== "");
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(JSON.parse(lines.find((l) => l.includes('"event":"serving"')) ?? "{}")).toMatchObject({
      level: "info",
      documents: 5,
      url,
      msg: expect.stringMatching(/^loupe: serving 5 documents from /),
    });
  });

  test("serve: a request's access-log line is written within seconds on a quiet server; process metrics", async () => {
    child = spawnTs("test/server/fixtures/loupe-cli.ts", [
      "serve",
      "--index",
      seedsIndex,
      "--port",
      "0",
      "--workers",
      "0",
    ]);
    const [, url] = await child.waitFor("stdout", /at (http:\/\/127\.0\.0\.1:\d+) /);
    await (await fetch(`${url}/api/search?q=Parly`)).text();
    // Held until 4 KB had built up, it came at shutdown, or never when the process was killed.
    await child.waitFor("stdout", /"path":"\/api\/search","status":200/, 5000);
    // A server's /metrics has the process's: the event loop's delay is what a request waits
    // before the app takes it, which the request histogram cannot see.
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain("nodejs_eventloop_lag_seconds");
    expect(metrics).toContain("process_resident_memory_bytes");
    // The HTTP thread's warm-up is logged, as a search thread's `worker ready` is (QA).
    expect(child.stdout()).toMatch(
      /"level":"info","time":"[^"]+","event":"http thread ready","generation":"gen-[^"]+","documents":5,"ms":\d+,"warmUpCalls":[1-9]\d*/,
    );
  });

  test("serve stops by itself when the process that started it ends without passing a signal on", async () => {
    // As `npm start` runs it: under a shell, which SIGTERM ends without telling its child.
    const command = `"${process.execPath}" --import tsx test/server/fixtures/loupe-cli.ts serve --index "${seedsIndex}" --port 0 --workers 0 & echo "pid $!"; wait`;
    const shell = spawn("sh", ["-c", command], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    shell.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    shell.stderr.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    // The pipes close when the last process holding them, loupe, has ended.
    const closed = new Promise<void>((resolve) => shell.stdout.on("close", () => resolve()));
    for (let i = 0; !/at http:\/\/127/.test(out); i++) {
      if (i > 400) throw new Error(`never served:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    shell.kill("SIGKILL");
    const ended = await Promise.race([
      closed.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 10_000)),
    ]);
    // Still serving after 10 s: ended here, by its pid, so that no test leaves it running.
    if (!ended) process.kill(Number(/pid (\d+)/.exec(out)?.[1]), "SIGKILL");
    expect(ended).toBe(true);
    expect(out).toContain("loupe: its parent process ended, stopping");
    expect(out).toContain("loupe: stopped");
  });

  test("serve refuses a missing index: exit 1, the message names the fix", async () => {
    child = spawnTs("test/server/fixtures/loupe-cli.ts", [
      "serve",
      "--index",
      join(root, "nothing"),
      "--port",
      "0",
    ]);
    expect(await child.exited).toBe(1);
    expect(child.stderr()).toMatch(/loupe: no index in '.*nothing': run `npm run index`/);
  });

  test("serve refuses a corrupt index, naming the file", async () => {
    const damaged = join(root, "corrupt-index");
    const report = await buildIndex({ input: "seeds", out: damaged });
    writeFileSync(join(damaged, report.generation, "documents.bin"), "garbage");
    child = spawnTs("test/server/fixtures/loupe-cli.ts", [
      "serve",
      "--index",
      damaged,
      "--port",
      "0",
    ]);
    expect(await child.exited).toBe(1);
    expect(child.stderr()).toMatch(/loupe: .*documents\.bin.*corrupt/);
  });

  test("start: builds a missing index, serves it, and next time finds it up to date", async () => {
    const indexDir = join(root, "start-index");
    for (const expected of [
      /index of seeds built in [\d.]+ s \(5 added/,
      /index of seeds is up to date: 5 documents/,
    ]) {
      child = spawnTs("test/server/fixtures/loupe-cli.ts", [
        "start",
        "--input",
        "seeds",
        "--index",
        indexDir,
        "--port",
        "0",
        "--quiet",
      ]);
      await child.waitFor("stdout", expected);
      const [, url] = await child.waitFor("stdout", /at (http:\/\/\S+) /);
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
      child.proc.kill("SIGINT");
      expect(await child.exited).toBe(0);
    }
  });
});
