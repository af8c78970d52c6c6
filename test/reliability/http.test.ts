/**
 * Hostile requests against every endpoint of the real app over an index of seeds/ (plus one
 * document holding HTML): never a 500, never a stack trace or a path of ours in a body, errors of
 * /api/* always `{ error: { code, message } }`, no way out of the collection or the asset list,
 * and markup in a document always shown as text.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildIndex } from "../../src/index/index.js";
import { openEngine } from "../../src/search/engine.js";
import { createApp } from "../../src/server/app.js";
import { listen, type RunningServer } from "../../src/server/listen.js";
import type { DocumentJson, SearchResultJson } from "../../src/server/present.js";
import { markedText } from "./hostile.js";
import { type Answer, checkAnswer, expectNeverA500, leaksInternals } from "./requests.js";

const XSS_ID = "securite/alerte";
const SCRIPT = "<script>alert(1)</script>";
const IMG = "<img src=x onerror=alert(1)>";

let root: string;
let app: ReturnType<typeof createApp>;
const logged: unknown[] = [];
let requests = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "loupe-reliability-http-"));
  const input = join(root, "input");
  cpSync("seeds", input, { recursive: true });
  mkdirSync(join(input, "securite"));
  writeFileSync(
    join(input, "securite", "alerte.txt"),
    `Alerte ${SCRIPT} sur le site\n\nUn article qui contient ${IMG} et ${SCRIPT} au milieu de l’alerte, avec des <b>balises</b> & des "guillemets".\n`,
  );
  await buildIndex({ input, out: join(root, "index") });
  app = createApp(await openEngine(join(root, "index")), {
    log: false,
    logError: (error) => logged.push(error),
  });
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  console.log(`reliability http: ${requests} requests sent through app.request()`);
});

/** Every attribute name of every tag of `html`, quoted values skipped. */
function attributeNames(html: string): string[] {
  const names: string[] = [];
  for (const [, attributes = ""] of html.matchAll(
    /<[a-zA-Z][\w-]*((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/g,
  )) {
    for (const [, name = ""] of attributes.matchAll(
      /\s+([^\s=/>]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?/g,
    ))
      names.push(name.toLowerCase());
  }
  return names;
}

/** Sends `path` to the app, checked as every answer must be (see requests.ts). */
function check(path: string): Promise<Answer> {
  requests++;
  return checkAnswer(app, path, [root]);
}

describe("hostile strings on every endpoint", () => {
  test("a 200 or a 4xx (JSON errors for /api), never a 500, never a stack trace", async () => {
    requests += await expectNeverA500(app, {
      numRuns: 600 * Math.max(1, Number(process.env.LOUPE_FUZZ_SCALE) || 1),
      hidden: [root],
    });
    expect(logged).toEqual([]);
  });

  const bigQuery = "a".repeat(20_000);
  test.each([
    // Repeated parameters.
    "/api/search?q=a&q=b",
    "/api/search?q=otan&limit=1&limit=2",
    "/api/suggest?q=a&q=b",
    "/api/analyze?text=a&text=b",
    "/api/documents/004_35c4cf714ecaba77?q=a&q=b",
    "/?q=a&q=b",
    "/?q=otan&page=1&page=2",
    // Wrong types and out-of-range numbers.
    "/api/search?q=otan&limit=abc",
    "/api/search?q=otan&limit=1.5",
    "/api/search?q=otan&offset=-1",
    "/api/search?q=otan&limit=1e999",
    "/api/search?q=otan&offset=99999999999999999999",
    "/api/search?q=otan&limit=0x10",
    "/api/search?q=otan&limit=%201",
    "/api/search?q=otan&explain=maybe",
    "/api/search?q=otan&date=2020-13",
    "/api/suggest?q=sol&limit=-3",
    "/?q=otan&page=1e999&limit=abc",
    "/?q=otan&page=99999999999999999999",
    "/?q=otan&date=x",
    // Percent-encoding errors.
    "/api/search?q=%",
    "/api/search?q=%E0%A4%A",
    "/api/search?q=%ZZ",
    "/api/search?q=%ED%A0%80",
    "/api/search?q%ZZ=1",
    "/api/documents/%E0%A4%A",
    "/api/analyze?text=%",
    "/?q=%E0%A4%A",
    "/documents/%ZZ",
    "/assets/%",
    "/openapi.json?%",
    // Overlong.
    `/api/search?q=${bigQuery}`,
    `/api/search?${bigQuery}`,
    `/api/analyze?text=${bigQuery}`,
    `/api/documents/${bigQuery}`,
    `/?q=${bigQuery}`,
    `/documents/${bigQuery}`,
    `/assets/${bigQuery}`,
    // NUL bytes.
    "/api/search?q=%00",
    "/api/search?q=otan%00&limit=1%00",
    "/api/suggest?q=%00",
    "/api/analyze?text=%00",
    "/api/documents/%00",
    "/api/documents/004_35c4cf714ecaba77%00",
    "/?q=%00",
    "/documents/%00",
    "/assets/%00",
  ])("%.80s", async (path) => {
    const { status } = await check(path);
    expect(status).not.toBe(0);
    expect(logged).toEqual([]);
  });
});

describe("no way out of the collection or the asset list", () => {
  const TRAVERSALS = [
    "/api/documents/../../etc/passwd",
    "/api/documents/..%2F..%2Fetc%2Fpasswd",
    "/api/documents/%2e%2e/%2e%2e/etc/passwd",
    "/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/api/documents/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
    "/api/documents/..%252F..%252Fpackage.json",
    "/api/documents/..\\..\\etc\\passwd",
    "/api/documents/..%5C..%5Cetc%5Cpasswd",
    "/api/documents/%2Fetc%2Fpasswd",
    "/api/documents/....//....//etc/passwd",
    "/documents/..%2F..%2Fpackage.json",
    "/documents/%2e%2e/%2e%2e/package.json",
    "/documents/..%5C..%5Cpackage.json",
    "/assets/../package.json",
    "/assets/%2e%2e/%2e%2e/package.json",
    "/assets/..%2f..%2fpackage.json",
    "/assets/%252e%252e/%252e%252e/package.json",
    "/assets/..\\..\\package.json",
    "/assets/..%5C..%5Cpackage.json",
    "/assets/app.js/../../../package.json",
    "/assets/x/%2e%2e%2f%2e%2e%2fsrc%2fserver%2fapp.ts",
    "/package.json",
    "/src/server/app.ts",
    "/index/CURRENT",
    "/seeds/004_35c4cf714ecaba77.txt",
    "//etc/passwd",
  ];

  function expectNoFile(path: string, status: number, body: string): void {
    expect(body, path).not.toContain('"name": "loupe"');
    expect(body, path).not.toContain('"name":"loupe"');
    expect(body, path).not.toMatch(/root:[^\n]*:0:0:/);
    expect(body, path).not.toContain("root:");
    expect(body, path).not.toContain("createApp");
    expect(body, path).not.toMatch(/^gen-/);
    // Nothing found there: the seed is only ever served through its id.
    if (!path.startsWith("/api/documents/") && !path.startsWith("/documents/"))
      expect(status, path).not.toBe(200);
  }

  test.each(TRAVERSALS)("app.request %s", async (path) => {
    const { status, body } = await check(path);
    expectNoFile(path, status, body);
  });

  test("the same paths, sent raw over a socket (no URL normalisation by a client)", async () => {
    const running: RunningServer = await listen(app, { port: 0 });
    try {
      const raw = [
        ...TRAVERSALS,
        "/assets/../../../../etc/passwd",
        "/api/documents/a\u0000b",
        "/%00",
        "http://127.0.0.1/../package.json",
        "/api/search?q=a b",
      ];
      for (const path of raw) {
        const response = await rawRequest(
          running.port,
          `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
        );
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? "0");
        expect(
          status,
          `${JSON.stringify(path)} → ${response.slice(0, 200)}`,
        ).toBeGreaterThanOrEqual(200);
        expect(status, `${JSON.stringify(path)} → ${response.slice(0, 200)}`).toBeLessThan(500);
        expectNoFile(path, status, response);
        expect(leaksInternals(response), path).toBeUndefined();
      }
    } finally {
      await running.close(1000);
    }
    expect(logged).toEqual([]);
  });
});

function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      data += chunk;
    });
    socket.on("end", () => resolve(data));
    socket.on("error", (error) => (data ? resolve(data) : reject(error)));
    socket.setTimeout(5000, () => {
      socket.destroy();
      resolve(data);
    });
    socket.write(request, "latin1");
  });
}

describe("markup in a document is shown as text", () => {
  const RAW = /<script|<img|<b>/i;

  test("/api/search?q=alert: the hit's snippet and title are escaped text", async () => {
    const { status, body, type } = await check("/api/search?q=alert");
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    const result = JSON.parse(body) as SearchResultJson;
    const hit = result.hits.find((h) => h.id === XSS_ID);
    expect(hit, "the document with markup is found").toBeDefined();
    for (const html of [hit?.snippet ?? "", hit?.titleHighlighted ?? ""]) {
      expect(html).not.toMatch(RAW);
      expect(markedText(html)).toMatch(/<script>alert\(1\)<\/script>/);
    }
    expect(markedText(hit?.snippet ?? "")).toContain(IMG);
    // The only raw markup left in the answer is in the plain-text title and snippet text, which
    // no client may insert as HTML (and which JSON served with nosniff cannot be rendered as).
    expect(hit?.snippetText).toContain(IMG);
    const withoutText = JSON.stringify(
      result.hits.map(({ title: _t, snippetText: _s, ...rest }) => rest),
    );
    expect(withoutText).not.toMatch(RAW);
  });

  test("/api/documents/:id?q=alert: the highlighted body and title are escaped text", async () => {
    const res = await app.request(`/api/documents/${XSS_ID}?q=alert`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const view = (await res.json()) as DocumentJson;
    expect(view.bodyHighlighted).toBeDefined();
    expect(view.bodyHighlighted).not.toMatch(RAW);
    expect(view.titleHighlighted).not.toMatch(RAW);
    expect(markedText(view.bodyHighlighted ?? "")).toBe(view.body);
    expect(view.bodyHighlighted).toContain("<mark>");
    const { body: _b, title: _t, ...rest } = view;
    expect(JSON.stringify(rest)).not.toMatch(RAW);
  });

  test.each([
    "/?q=alert",
    `/?q=${encodeURIComponent(SCRIPT)}`,
    `/?q=${encodeURIComponent(IMG)}`,
    `/documents/${XSS_ID}`,
    `/documents/${XSS_ID}?q=alert`,
    `/documents/${XSS_ID}?q=${encodeURIComponent(IMG)}`,
    `/documents/${encodeURIComponent(SCRIPT)}`,
  ])("the page %s has no markup but its own", async (path) => {
    const { status, body } = await check(path);
    expect([200, 404]).toContain(status);
    expect(body).toMatch(/^<!doctype html>/i);
    const scripts = body.match(/<script\b[^>]*>/gi) ?? [];
    for (const tag of scripts) expect(tag).toMatch(/^<script src="\/assets\/[0-9a-f]+\/app\.js"/);
    expect(scripts.length).toBeLessThanOrEqual(1);
    expect(body).not.toMatch(/<img\b/i);
    expect(body).not.toMatch(/<b>/i);
    // No event handler attribute on any tag (escaped text inside a quoted value is fine).
    expect(attributeNames(body).filter((name) => name.startsWith("on"))).toEqual([]);
    expect(attributeNames(body)).toContain("href");
    if (path === "/?q=alert" || path.includes(XSS_ID))
      expect(body.replace(/<\/?mark[^>]*>/g, "")).toContain(
        "&lt;script&gt;alert(1)&lt;/script&gt;",
      );
  });
});

describe("a document holding one 40,000-character word (found while testing)", () => {
  // src/search/marks.ts builds one RegExp of every spelling of the matched terms; a spelling
  // this long makes V8 throw "Regular expression too large", and every query whose prefix or
  // typo expansion reaches the word answered 500.
  let longApp: ReturnType<typeof createApp>;
  const errors: unknown[] = [];
  beforeAll(async () => {
    const input = join(root, "long-input");
    mkdirSync(input);
    writeFileSync(
      join(input, "long.txt"),
      `Un titre\n\nUn texte avec un mot très long : ${"x".repeat(40_000)} et la fin.\n`,
    );
    await buildIndex({ input, out: join(root, "long-index") });
    longApp = createApp(await openEngine(join(root, "long-index")), {
      log: false,
      logError: (e) => errors.push(e),
    });
  });

  test("queries reaching it are answered, not a 500", async () => {
    const paths = [
      "/api/search?q=texte",
      "/api/search?q=xx",
      "/api/search?q=xxxx*",
      "/api/documents/long?q=xx",
      "/?q=xx",
      "/documents/long?q=xx",
    ];
    const statuses: Record<string, number> = {};
    for (const path of paths) statuses[path] = (await longApp.request(path)).status;
    expect(statuses).toEqual(Object.fromEntries(paths.map((path) => [path, 200])));
    expect(errors.map((e) => String(e).slice(0, 120))).toEqual([]);
  });
});

describe("the checks themselves", () => {
  test("a stack trace or a path of ours is caught", () => {
    const error = new Error("boom");
    expect(leaksInternals(String(error.stack))).toBeDefined();
    expect(
      leaksInternals(`{"error":"Error: ENOENT: no such file, open '/srv/loupe/index/CURRENT'"}`),
    ).toBeDefined();
    expect(leaksInternals(`{"message":"failed at ${process.cwd()}"}`)).toBeDefined();
    expect(
      leaksInternals(`{"message":"le retrait des troupes at Bagdad: 3 soldats"}`),
    ).toBeUndefined();
  });

  test("event handlers are found in tags, not in escaped values", () => {
    expect(attributeNames("<img src=x onerror=alert(1)>")).toContain("onerror");
    expect(attributeNames('<a href="/" ONCLICK="x()">')).toContain("onclick");
    expect(attributeNames('<input value="&lt;img src=x onerror=alert(1)&gt;">')).toEqual(["value"]);
  });
});
