/**
 * "Nothing a client sends produces a 500", once: the check every answer must pass and the one
 * fuzzer of the HTTP layer. It sends hostile strings wherever a string can go in a URL, random
 * soups of parameters, and queries written in the query language, to one app.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { hostileString } from "./hostile.js";

/** Anything with Hono's `request` (what createApp returns). */
export interface RequestableApp {
  request(path: string): Response | Promise<Response>;
}

export interface Answer {
  /** 0 when the fetch API itself refused the URL: such a request never reaches a server. */
  status: number;
  body: string;
  type: string;
}

export const SEED_ID = "004_35c4cf714ecaba77";

/**
 * Percent-encodes every code unit that is not unreserved: UTF-8 for characters, and the
 * three bytes a lone surrogate would take (WTF-8, invalid UTF-8) so the server sees those too.
 */
export function percentEncode(text: string): string {
  let out = "";
  for (const char of text) {
    if (/^[A-Za-z0-9\-_.~]$/.test(char)) {
      out += char;
      continue;
    }
    const cp = char.codePointAt(0) ?? 0;
    const bytes =
      cp >= 0xd800 && cp <= 0xdfff
        ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
        : [...Buffer.from(char, "utf8")];
    for (const byte of bytes) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * A stack frame, a path of this checkout (or one of `hidden`) or of node_modules, an `Error:`
 * naming a file: what it found, or `undefined`.
 */
export function leaksInternals(body: string, hidden: string[] = []): string | undefined {
  const patterns: RegExp[] = [
    /\bat [^\n]{0,200}?\(?(?:file:\/\/|\/)[^\s()]+:\d+:\d+\)?/,
    /node_modules/,
    /\b\w*Error: [^\n"]{0,200}\/[\w.-]+\/[\w./-]+/,
    /\.ts:\d+/,
  ];
  for (const path of [process.cwd(), ...hidden]) {
    if (body.includes(path)) return `the path ${path}`;
  }
  return patterns.find((pattern) => pattern.test(body))?.source;
}

/** Whether the path, once dot segments are resolved as any URL parser does, is the API's. */
function isApi(path: string): boolean {
  let pathname: string;
  try {
    pathname = new URL(path, "http://localhost").pathname;
  } catch {
    return false;
  }
  return pathname.startsWith("/api/") || pathname === "/openapi.json";
}

/**
 * Sends `path` and checks what every answer must be: a 200 or a 4xx, never a 500; no stack trace
 * or path of ours (nor of `hidden`) in the body; JSON `{ error: { code, message } }` for the
 * API's errors; HTML, CSS or JavaScript elsewhere.
 */
export async function checkAnswer(
  app: RequestableApp,
  path: string,
  hidden: string[] = [],
): Promise<Answer> {
  let res: Response;
  try {
    res = await app.request(path);
  } catch (error) {
    // Only a URL the fetch API itself refuses may throw here; it could never reach a server.
    expect(String(error), path).toMatch(/Invalid URL|URL/);
    return { status: 0, body: "", type: "" };
  }
  const body = await res.text();
  const type = res.headers.get("Content-Type") ?? "";
  const shortPath = path.length > 120 ? `${path.slice(0, 120)}…` : path;
  if (!(res.status === 200 || (res.status >= 400 && res.status < 500))) {
    expect.fail(`${shortPath} → ${res.status}: ${body.slice(0, 300)}`);
  }
  const leak = leaksInternals(body, hidden);
  if (leak !== undefined)
    expect.fail(`${shortPath} → ${res.status} leaks ${leak}: ${body.slice(0, 300)}`);
  if (isApi(path) || type.startsWith("application/json")) {
    expect(type, shortPath).toMatch(/^application\/json/);
    const json = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    if (res.status >= 400) {
      expect(typeof json.error?.code, shortPath).toBe("string");
      expect(typeof json.error?.message, shortPath).toBe("string");
      expect(String(json.error?.message ?? "").length, shortPath).toBeGreaterThan(0);
    }
  } else {
    expect(type, shortPath).toMatch(/^text\/(html|css|javascript)/);
  }
  return { status: res.status, body, type };
}

/** Every endpoint, with `s` (already percent-encoded) wherever it can go. */
function everywhere(s: string): string[] {
  return [
    `/api/search?q=${s}`,
    `/api/search?q=otan&date=${s}&limit=${s}`,
    `/api/suggest?q=${s}`,
    `/api/documents/${s}`,
    `/api/documents/${SEED_ID}?q=${s}`,
    `/api/analyze?text=${s}`,
    `/api/health?${s}=${s}`,
    `/openapi.json?x=${s}`,
    `/?q=${s}&page=${s}`,
    `/documents/${s}`,
    `/documents/${SEED_ID}?q=${s}`,
    `/assets/${s}`,
  ];
}

/** A piece of a query string as a careless or hostile client writes it, raw or encoded. */
const rawPiece = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom(
    "%",
    "%%",
    "%E0%A4%A",
    "%00",
    "%FF",
    "+",
    "&",
    "=",
    "..",
    "/",
    "%2F",
    "\u2028",
    "1e9",
    "-0",
  ),
  fc.integer({ min: -5, max: 20000 }).map(String),
);
const piece = fc
  .tuple(rawPiece, fc.boolean())
  .map(([s, encode]) => (encode ? encodeURIComponent(s) : s));

/** Any endpoint, any parameters (known or not, repeated or not), any tail on an id. */
const parameterSoup = fc
  .tuple(
    fc.constantFrom(
      "/api/search",
      "/api/suggest",
      "/api/analyze",
      "/api/documents/",
      "/api/documents/2020/",
      "/api/health",
      "/",
    ),
    fc.array(
      fc.tuple(
        fc.constantFrom(
          "q",
          "limit",
          "offset",
          "date",
          "explain",
          "text",
          "page",
          "x",
          "filter",
          "facets",
          "sort",
        ),
        piece,
      ),
      { maxLength: 5 },
    ),
    piece,
  )
  .map(([path, pairs, tail]) => {
    const query = pairs.map(([k, v]) => `${k}=${v}`).join("&");
    return [`${path}${path.endsWith("/") ? tail.replace(/[?#]/g, "") : ""}?${query}`];
  });

/** Queries in the query language, operators and all, with a date range and an offset. */
const queryLanguage = fc
  .tuple(
    fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc
        .array(
          fc.constantFrom(
            '"',
            "(",
            ")",
            "-",
            "+",
            "*",
            "~",
            ":",
            "date:",
            "OR",
            "AND",
            "NOT",
            "Parly",
            "otan",
            "l’",
            " ",
            "2020-01",
            "\u0000",
            "é",
          ),
          { maxLength: 12 },
        )
        .map((parts) => parts.join("")),
    ),
    fc.option(fc.constantFrom("2020-01", "..2020-02", "2020-01..", "2019-12..2020-01"), {
      nil: undefined,
    }),
    fc.integer({ min: 0, max: 10_000 }),
  )
  .map(([q, date, offset]) => {
    const params = new URLSearchParams({ q, offset: String(offset), ...(date && { date }) });
    return [
      `/api/search?${params}`,
      `/api/suggest?q=${encodeURIComponent(q.slice(0, 100))}`,
      `/api/documents/${SEED_ID}?q=${encodeURIComponent(q)}`,
      `/?${params}`,
    ];
  });

/** Filter expressions made of the filter language's own pieces, with facets and a sort. */
export const filterLanguage: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc
    .array(
      fc.constantFrom(
        "date",
        "year",
        "meta.author",
        "=",
        "!=",
        ">=",
        "<",
        "TO",
        "IN",
        "NOT",
        "AND",
        "OR",
        "EXISTS",
        "IS",
        "NULL",
        "EMPTY",
        "(",
        ")",
        "[",
        "]",
        ",",
        "'",
        '"',
        "\\",
        "!",
        "2020-01",
        "2020-02-30",
        "1e999",
        "-0",
        "x",
        " ",
        "é",
        "\u0000",
      ),
      { maxLength: 16 },
    )
    .map((parts) => parts.join(" ")),
);

const filterRequests = fc
  .tuple(
    filterLanguage,
    fc.constantFrom("", "date", "date,x", ",", "q"),
    fc.constantFrom("", "date:asc", "date", "x:desc", ":", "date:asc,,"),
  )
  .map(([filter, facets, sort]) => {
    const params = new URLSearchParams({ filter, facets, sort });
    return [`/api/search?${params}`, `/api/search?q=otan&${params}`, `/?${params}`];
  });

/** Groups of request paths: each group is sent in order. */
export const hostileRequests: fc.Arbitrary<string[]> = fc.oneof(
  hostileString.map((text) => everywhere(percentEncode(text))),
  parameterSoup,
  queryLanguage,
  filterRequests,
);

/**
 * Sends `numRuns` groups of hostile requests to `app`, each answer checked by `checkAnswer`.
 * Returns how many requests were sent. The caller checks that the app logged no error.
 */
export async function expectNeverA500(
  app: RequestableApp,
  options: { numRuns: number; hidden?: string[] },
): Promise<number> {
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(hostileRequests, async (paths) => {
      for (const path of paths) {
        sent++;
        await checkAnswer(app, path, options.hidden);
      }
    }),
    { numRuns: options.numRuns },
  );
  return sent;
}
