/**
 * A small honest Engine over three in-memory documents, so the HTTP layer can be tested
 * without an index on disk. Matching is real (case-insensitive substrings of every query word),
 * offsets are real, and refusals and warnings are the real ones: the query goes through the real
 * parser, so what it refuses (a query too long, a `date:` naming no month) is refused here too,
 * in the language asked for, and what it repairs (an unclosed quote) is answered with a warning.
 */
import {
  type DateRange,
  type DocumentOptions,
  type DocumentView,
  describeNotice,
  type Engine,
  type Explain,
  type Hit,
  type IndexInfo,
  type Language,
  parseDateRange,
  parseQuery,
  QueryError,
  type SearchOptions,
  type SearchResult,
} from "../../src/search/index.js";

export interface FakeDoc {
  id: string;
  title: string;
  date?: string;
  body: string;
}

export const FAKE_DOCS: FakeDoc[] = [
  {
    id: "2020/otan-irak",
    title: "L’OTAN suspend sa mission en Irak",
    date: "2020-01",
    body: "L’OTAN a suspendu ses opérations d’entraînement en Irak, a indiqué le porte-parole de l’Alliance. La mission continue.",
  },
  {
    id: "parly-soldats",
    title: "Florence Parly et les soldats français",
    date: "2020-02",
    body: "Florence Parly a expliqué que Paris avait renforcé la sécurité des soldats déployés en Irak. <Rien> n’est décidé & tout reste ouvert.",
  },
  {
    id: "sans-date",
    title: "Une note sans date",
    body: "Cette note parle de la mission de formation, sans dire quand elle a été écrite.",
  },
];

export interface FakeEngineOptions {
  version?: string;
  docs?: FakeDoc[];
  /** A query that makes `search` throw a plain Error, to test the server's 500 path. */
  explodeOn?: string;
}

function findAll(text: string, words: string[]): Array<[number, number]> {
  const lower = text.toLowerCase();
  const spans: Array<[number, number]> = [];
  for (const word of words) {
    for (let at = lower.indexOf(word); at !== -1; at = lower.indexOf(word, at + word.length)) {
      spans.push([at, at + word.length]);
    }
  }
  return spans.sort((a, b) => a[0] - b[0]);
}

/** Sorted, non-overlapping, as the real engine gives its spans. */
function disjoint(spans: Array<[number, number]>): Array<[number, number]> {
  const kept: Array<[number, number]> = [];
  for (const span of spans) if (span[0] >= (kept.at(-1)?.[1] ?? 0)) kept.push(span);
  return kept;
}

/** The fake's score (title matches twice, body matches once) in the real engine's terms. */
function explainOf(score: number, wanted: string[], titlePart: number): Explain {
  return {
    score,
    allWords: true,
    wordsMatched: wanted.length,
    words: [
      { word: "title", score: titlePart },
      { word: "body", score: score - titlePart },
    ],
    phrases: 0,
    proximity: { score: 0, adjacentPairs: 0, window: 0 },
    strategy: "exhaustive",
    coordination: 1,
    bm25: { k1: 1, delta: 0, fields: [] },
  };
}

function inRange(date: string | undefined, range: DateRange | undefined): boolean {
  if (range === undefined) return true;
  if (date === undefined) return false;
  return (!range.from || date >= range.from) && (!range.to || date <= range.to);
}

interface ReadQuery {
  /** The real parser's warnings, worded in the language asked for. */
  warnings: string[];
  /** The months both the query's `date:` and the `date` option allow. */
  dates: Array<DateRange | undefined>;
}

/** What the real engine reads first; its refusals worded in `language`. */
function readQuery(query: string, date?: string, language: Language = "en"): ReadQuery {
  try {
    const parsed = parseQuery(query);
    return {
      warnings: parsed.warnings.map((notice) => describeNotice(notice, language)),
      dates: [parsed.date, date === undefined ? undefined : parseDateRange(date, "date")],
    };
  } catch (error) {
    throw error instanceof QueryError ? error.in(language) : error;
  }
}

export function fakeEngine(options: FakeEngineOptions = {}): Engine {
  const docs = options.docs ?? FAKE_DOCS;
  const info: IndexInfo = {
    version: options.version ?? "fake-1",
    builtAt: "2024-01-01T00:00:00.000Z",
    documents: docs.length,
  };
  const words = (q: string) =>
    q
      .toLowerCase()
      .replaceAll('"', " ")
      .split(/\s+/)
      .filter((w) => w.length > 0 && !w.startsWith("date:"));

  return {
    info,
    search(query: string, opts: SearchOptions = {}): SearchResult {
      const started = performance.now();
      if (options.explodeOn !== undefined && query === options.explodeOn) {
        throw new Error("fake engine exploded on purpose");
      }
      const { warnings, dates } = readQuery(query, opts.date, opts.language);
      const limit = opts.limit ?? 10;
      const offset = opts.offset ?? 0;
      const wanted = words(query);
      const matched = docs
        .map((doc) => ({
          doc,
          title: findAll(doc.title, wanted),
          body: findAll(doc.body, wanted),
        }))
        .filter(
          (m) =>
            wanted.length > 0 &&
            wanted.every((w) => `${m.doc.title}\n${m.doc.body}`.toLowerCase().includes(w)),
        );
      const facets: Record<string, number> = {};
      for (const m of matched) if (m.doc.date) facets[m.doc.date] = (facets[m.doc.date] ?? 0) + 1;
      const filtered = matched
        .filter((m) => dates.every((range) => inRange(m.doc.date, range)))
        .map((m) => ({ ...m, score: m.title.length * 2 + m.body.length }))
        .sort((a, b) => b.score - a.score || a.doc.id.localeCompare(b.doc.id));
      const hits: Hit[] = filtered.slice(offset, offset + limit).map((m) => ({
        id: m.doc.id,
        score: m.score,
        rankingScore: m.score / (m.score + 1),
        title: m.doc.title,
        ...(m.doc.date ? { date: m.doc.date } : {}),
        snippet: { text: m.doc.body, marks: disjoint(m.body) },
        titleMarks: disjoint(m.title),
        ...(opts.highlights ? { highlights: disjoint(m.body) } : {}),
        ...(opts.explain ? { explain: explainOf(m.score, wanted, m.title.length * 2) } : {}),
      }));
      return {
        query,
        total: filtered.length,
        offset,
        limit,
        tookMs: performance.now() - started,
        hits,
        facets: { date: facets },
        ...(warnings.length > 0 && { warnings }),
      };
    },
    suggest(prefix: string, limit = 8): string[] {
      const p = prefix.toLowerCase();
      if (p.length === 0) return [];
      const all = new Set<string>();
      for (const doc of docs) {
        for (const w of `${doc.title} ${doc.body}`.toLowerCase().match(/[\p{L}’']+/gu) ?? []) {
          if (w.startsWith(p)) all.add(w);
        }
      }
      return [...all].sort().slice(0, limit);
    },
    getDocument(id: string, query?: string, opts: DocumentOptions = {}): DocumentView | undefined {
      const doc = docs.find((d) => d.id === id);
      if (!doc) return undefined;
      const view: DocumentView = {
        id: doc.id,
        title: doc.title,
        ...(doc.date ? { date: doc.date } : {}),
        body: doc.body,
        source: `${doc.id}.txt`,
        bytes: Buffer.byteLength(doc.body),
        readingMinutes: 1,
      };
      if (query !== undefined) {
        readQuery(query, undefined, opts.language);
        const wanted = words(query);
        const spans = findAll(doc.body, wanted);
        view.titleMarks = disjoint(findAll(doc.title, wanted));
        view.highlights = disjoint(spans);
      }
      return view;
    },
  };
}
