/**
 * The search engine over one loaded index: what the server and the CLI call.
 * Pure over the loaded index: no I/O after `openEngine`.
 */
import { type AnalyzedToken, withAnalyzer } from "../analysis/index.js";
import { displayedPart, isEveryAttribute } from "../corpus/attributes.js";
import type { AttributeValue, JsonValue, LoupeDocument } from "../corpus/types.js";
import { displayForm, type Heading, type LoadedIndex, loadIndex } from "../index/index.js";
import { inContext } from "./completion-context.js";
import { intersect, parseDateRange } from "./dates.js";
import {
  DEFAULT_RANKING,
  type Execution,
  execute,
  planWords,
  type RankedDocument,
  type RankingParams,
  type WordPlan,
} from "./execute.js";
import { facetDistribution } from "./facets.js";
import { DEFAULT_SNIPPET, type Mark, normalizeMarks, snippet, spansIn } from "./highlight.js";
import { settingsOf } from "./index-settings.js";
import { prepareModel } from "./learned.js";
import { createMarker, type Marker } from "./marks.js";
import {
  densestWindow,
  marksAt,
  matchPositions,
  placeSpans,
  withPlaces,
} from "./match-positions.js";
import { describeNotice, type Language } from "./notices.js";
import { type ParsedQuery, parseQuery, type QueryPhrase } from "./parse.js";
import { placesOf } from "./phrase-match.js";
import { rankingScore } from "./ranking-score.js";
import { refinements } from "./refine.js";
import { completions, didYouMean } from "./suggest.js";
import type {
  DocumentOptions,
  DocumentView,
  Engine,
  Hit,
  IndexInfo,
  SearchOptions,
  SearchProfile,
  SearchResult,
  Span,
} from "./types.js";
import { QueryError } from "./types.js";

export const MAX_LIMIT = 100;

/** The fields' ids in the postings. */
const TITLE = 0;
const BODY = 1;
/** Words a snippet of `DEFAULT_SNIPPET.length` characters holds, about (French: ~6 a word). */
const SNIPPET_WORDS = 30;
export const MAX_OFFSET = 10_000;

export interface EngineOptions {
  /** Load without blocking other work for long (see LoadOptions). */
  background?: boolean;
}

/**
 * The engine over a persisted index. It keeps no results: the server caches its answers at the
 * HTTP edge (server/answers.ts), where a repeated request costs least.
 */
export async function openEngine(
  indexDir: string,
  ranking?: RankingParams,
  options: EngineOptions = {},
): Promise<LoupeEngine> {
  const index = await loadIndex(indexDir, { background: options.background === true });
  const engine = new LoupeEngine(index, ranking);
  engine.prepare();
  return engine;
}

export class LoupeEngine implements Engine {
  readonly info: IndexInfo;

  constructor(
    readonly index: LoadedIndex,
    private readonly ranking: RankingParams = DEFAULT_RANKING,
  ) {
    this.info = {
      version: index.generation,
      builtAt: index.manifest.builtAt,
      documents: index.documents.size,
      filterable: [...settingsOf(index).filterableAttributes],
    };
  }

  /**
   * Builds now what the first searches would otherwise build: the vocabulary's trie (typo
   * look-ups) and the learned model's compiled trees (11.5 ms for the shipped model). A
   * server's first user should not wait for them; `openEngine` calls it.
   */
  prepare(): void {
    this.index.vocabulary.prepare();
    if (this.ranking.learned !== undefined) prepareModel(this.ranking.learned);
  }

  // Every call reads text with the index's own chain (its settings' stopWords included).
  search(query: string, options: SearchOptions = {}): SearchResult {
    const started = performance.now();
    return withAnalyzer(this.index.analyzer, () => this.run(query, options, started));
  }

  private run(query: string, options: SearchOptions, started: number): SearchResult {
    const language = options.language ?? "en";
    return inLanguage(language, () => this.answer(query, options, language, started));
  }

  private answer(
    query: string,
    options: SearchOptions,
    language: Language,
    started: number,
  ): SearchResult {
    const limit = checkInteger(options.limit ?? 10, 0, MAX_LIMIT, "limit");
    const offset = checkInteger(options.offset ?? 0, 0, MAX_OFFSET, "offset");
    const parsed = parseQuery(query);
    const date = intersect(
      parsed.date,
      options.date !== undefined ? parseDateRange(options.date, "date") : undefined,
    );
    const budget = options.budgetMs ?? 0;
    const refine = refinements(this.index, options);
    // Words typed that hold none to search (`🎉`, `€`, `""`) match nothing, as Elasticsearch's
    // zero_terms_query: they listed every document, as a query left out does, beside a notice
    // that they were ignored (QA). A query of exclusions or a date alone still lists.
    if (query.trim() !== "" && asksNothing(parsed)) refine.where = () => false;
    const matching: number[] = [];
    const profile = options.profile === true ? { expand: 0, retrieve: 0, rank: 0 } : undefined;
    // The clock is read only for a profile: a search asked without one pays nothing for it.
    const stamp = profile === undefined ? () => 0 : () => performance.now();
    const parsedAt = stamp();
    // No spread first: an object opening with one is slow to add properties to (execute.ts).
    const execution = execute(this.index, parsed, date, this.ranking, {
      wanted: offset + limit,
      ...(profile !== undefined && { profile }),
      deadline: budget > 0 ? started + budget : Number.POSITIVE_INFINITY,
      explain: options.explain === true,
      ...(refine.where !== undefined && { where: refine.where }),
      ...(refine.sort !== undefined && { sort: refine.sort }),
      ...(refine.facets.length > 0 && { onMatch: (doc: number) => matching.push(doc) }),
    });
    const executeEnded = stamp();
    // Counted here, with the matches, so that tookMs (and profile's retrieve) include it.
    const distribution =
      refine.facets.length > 0
        ? facetDistribution(this.index.documents, refine.facets, matching)
        : undefined;
    const executed = stamp();
    if (profile !== undefined) profile.retrieve += executed - executeEnded;
    const page = execution.ranked.slice(offset, offset + limit);
    let hits: Hit[];
    if (options.highlights === true) {
      const marker = this.markerFor(execution);
      hits = page.map((ranked) =>
        this.wholeHit(ranked, parsed.phrases, execution, marker, options),
      );
    } else {
      const lists = { title: execution.listsIn(TITLE), body: execution.listsIn(BODY) };
      hits = page.map((ranked) => this.hit(ranked, parsed.phrases, lists, execution, options));
    }
    const hitsMade = stamp();
    const suggestion = didYouMean(this.index.vocabulary, query, parsed);
    const suggested = stamp();
    return {
      query,
      total: execution.total,
      ...(execution.timedOut && { timedOut: true }),
      offset,
      limit,
      tookMs: Math.round((performance.now() - started) * 100) / 100,
      hits,
      facets: { date: sortedFacets(execution.facets) },
      ...(distribution !== undefined && { facetDistribution: distribution }),
      ...(suggestion !== undefined && { suggestion }),
      ...(parsed.warnings.length + execution.warnings.length + (execution.timedOut ? 1 : 0) > 0 && {
        warnings: [
          ...parsed.warnings,
          ...execution.warnings,
          ...(execution.timedOut ? [{ code: "timed_out", budgetMs: budget } as const] : []),
        ].map((notice) => describeNotice(notice, language)),
      }),
      ...(profile !== undefined && {
        profile: inMicroseconds({
          parse: parsedAt - started,
          ...profile,
          hits: hitsMade - executed,
          suggest: suggested - hitsMade,
        }),
      }),
    };
  }

  exampleWords(limit: number): string[] {
    const { vocabulary } = this.index;
    const documents = this.info.documents;
    // The most held words, past the ones most documents hold (a word in every page shows no
    // search at work); stopwords are not in the vocabulary. Digits and short words say little.
    const most = Math.max(2, Math.floor(documents * 0.3));
    const words: string[] = [];
    for (const entry of vocabulary.withPrefix("", 400)) {
      if (words.length >= limit) break;
      if (entry.documents < 2 || entry.documents > most) continue;
      if (entry.key.length < 5 || /\p{N}/u.test(entry.key)) continue;
      words.push(displayForm(entry));
    }
    return words;
  }

  analyze(text: string): AnalyzedToken[] {
    return this.index.analyzer.analyze(text, { keepStopwords: true });
  }

  suggest(prefix: string, limit = 8): string[] {
    const { analyzer, postings, vocabulary } = this.index;
    return withAnalyzer(analyzer, () =>
      completions(
        vocabulary,
        prefix.slice(0, 100),
        Math.min(Math.max(1, limit), 20),
        (head, candidates, wanted) =>
          inContext(
            postings,
            // An operator in capitals (`carte AND g`) is no word the completion follows (QA),
            // nor is a word excluded.
            analyzer.analyze(head.replace(/(^|\s)(?:AND|OR|NOT|-\S*)(?=\s|$)/gu, "$1"), {
              keepStopwords: true,
            }),
            candidates,
            wanted,
          ),
      ),
    );
  }

  getDocument(id: string, query?: string, options: DocumentOptions = {}): DocumentView | undefined {
    return withAnalyzer(this.index.analyzer, () => this.documentView(id, query, options));
  }

  private documentView(
    id: string,
    query: string | undefined,
    options: DocumentOptions,
  ): DocumentView | undefined {
    const doc = this.index.documents.get(id);
    if (doc === undefined) return undefined;
    const view: DocumentView = {
      id: doc.id,
      title: doc.title,
      ...(doc.date !== undefined && { date: doc.date }),
      body: doc.body,
      source: doc.source,
      bytes: doc.bytes,
      readingMinutes: doc.readingMinutes,
      ...(doc.dateline !== undefined && { dateline: doc.dateline }),
      ...displayedOf(doc, settingsOf(this.index).displayedAttributes),
    };
    if (query === undefined || query.trim() === "") return view;
    const parsed = inLanguage(options.language ?? "en", () => parseQuery(query));
    const plan = planWords(this.index, parsed, this.ranking);
    const ordinal = this.index.documents.ordinal(id);
    const marked = this.wholeMarks(doc, ordinal, parsed.phrases, plan, this.markerFor(plan));
    return {
      ...view,
      titleMarks: spansIn(marked.title),
      highlights: spansIn(marked.body),
      ...(marked.truncated && { highlightsTruncated: true }),
    };
  }

  /**
   * A hit from the part of its body around the words matched: their positions (from the
   * postings) and the places of the query's phrases choose a window of words, the document
   * store decodes the words around it, and the words standing at those positions and places
   * are marked (in the title too), then cut into the snippet.
   */
  private hit(
    ranked: RankedDocument,
    phrases: readonly QueryPhrase[],
    lists: FieldLists,
    execution: Execution,
    options: SearchOptions,
  ): Hit {
    const { documents, postings } = this.index;
    const { ordinal } = ranked;
    const heading = documents.heading(ordinal);
    const words = execution.scoredWords.length;
    const inBody = placesOf(postings, phrases, ordinal, BODY, MAX_PLACES);
    const found = withPlaces(matchPositions(postings, lists.body, ordinal), inBody, words);
    const [first, last] = densestWindow(found.matches, SNIPPET_WORDS);
    // Room before the first word matched and after the last for the snippet to choose from.
    const segment = documents.segment(ordinal, Math.max(0, first - 10), last + 20);
    // Every place of the query's words in the segment (the window was chosen from each list's
    // first places only).
    const inSegment = found.capped
      ? matchPositions(postings, lists.body, ordinal, [segment.position, segment.endPosition])
      : found;
    const inTitle = matchPositions(postings, lists.title, ordinal, [0, Infinity]);
    const titlePlaces = placesOf(postings, phrases, ordinal, TITLE, MAX_PLACES);
    const marks = {
      title: withPhrases(
        marksAt(heading.title, 0, inTitle.matches, words),
        placeSpans(heading.title, 0, titlePlaces.flat()),
        words,
      ),
      body: withPhrases(
        marksAt(segment.text, segment.position, inSegment.matches, words),
        placeSpans(segment.text, segment.position, inBody.flat()),
        words,
      ),
    };
    return this.hitOf(ranked, heading, execution, options, {
      snippet: snippet(segment.text, marks.body, DEFAULT_SNIPPET, segment),
      titleMarks: spansIn(marks.title),
    });
  }

  /** A hit with every match of its body (`highlights`): the whole body is read and marked. */
  private wholeHit(
    ranked: RankedDocument,
    phrases: readonly QueryPhrase[],
    execution: Execution,
    marker: Marker,
    options: SearchOptions,
  ): Hit {
    const doc = this.index.documents.at(ranked.ordinal);
    const marks = this.wholeMarks(doc, ranked.ordinal, phrases, execution, marker);
    return this.hitOf(ranked, doc, execution, options, {
      snippet: snippet(doc.body, marks.body, DEFAULT_SNIPPET),
      titleMarks: spansIn(marks.title),
      highlights: spansIn(marks.body),
      ...(marks.truncated && { highlightsTruncated: true }),
    });
  }

  private hitOf(
    ranked: RankedDocument,
    doc: Heading,
    execution: Execution,
    options: SearchOptions,
    marked: Pick<Hit, "snippet" | "titleMarks" | "highlights" | "highlightsTruncated">,
  ): Hit {
    return {
      id: doc.id,
      score: Math.round(ranked.score * 1000) / 1000,
      rankingScore: rankingScore(ranked, execution.allWordsFirst, execution.windowByScore),
      title: doc.title,
      ...(doc.date !== undefined && { date: doc.date }),
      snippet: marked.snippet,
      ...displayedOf(doc, settingsOf(this.index).displayedAttributes),
      titleMarks: marked.titleMarks,
      ...(marked.highlights !== undefined && { highlights: marked.highlights }),
      ...(marked.highlightsTruncated === true && { highlightsTruncated: true }),
      ...(options.explain === true && {
        explain: {
          score: ranked.score,
          allWords: ranked.allWords,
          wordsMatched: ranked.wordsMatched,
          words: execution.explain(ranked),
          phrases: ranked.phraseScore,
          proximity: ranked.proximity ?? { score: 0, adjacentPairs: 0, window: 0 },
          strategy: execution.strategy,
          coordination: this.ranking.coordination ? ranked.wordsMatched : 1,
          bm25: this.ranking.bm25,
          ...(ranked.learned !== undefined && { learned: ranked.learned }),
        },
      }),
    };
  }

  /** Finds, in any text, the words the query matched; built once per query. */
  private markerFor(plan: WordPlan): Marker {
    const wordOfTerm = new Map<string, number>();
    plan.scoredWords.forEach(({ alternatives }, w) => {
      for (const alternative of alternatives)
        if (!wordOfTerm.has(alternative.term)) wordOfTerm.set(alternative.term, w);
    });
    return createMarker(
      wordOfTerm,
      this.index.vocabulary,
      plan.stopwordsOnly,
      plan.stopwordsOnly ? plan.scoredWords.map(({ word }) => word.folded) : [],
    );
  }

  /**
   * The marks of a whole document (the document route, hits with `highlights`): the first
   * MAX_HIGHLIGHTS of each field, and whether the body had more (one more is looked for).
   */
  private wholeMarks(
    doc: { title: string; body: string },
    ordinal: number | undefined,
    phrases: readonly QueryPhrase[],
    plan: WordPlan,
    marker: Marker,
  ): { title: Mark[]; body: Mark[]; truncated: boolean } {
    const { postings } = this.index;
    const spansOf = (text: string, field: number) =>
      ordinal === undefined
        ? []
        : placeSpans(
            text,
            0,
            placesOf(postings, phrases, ordinal, field, MAX_HIGHLIGHTS + 1).flat(),
          );
    const phraseSpans = { title: spansOf(doc.title, TITLE), body: spansOf(doc.body, BODY) };
    const marks = this.marksOf(doc, phraseSpans, plan, marker, MAX_HIGHLIGHTS + 1);
    const truncated = marks.body.length > MAX_HIGHLIGHTS;
    return {
      title: marks.title.slice(0, MAX_HIGHLIGHTS),
      body: truncated ? marks.body.slice(0, MAX_HIGHLIGHTS) : marks.body,
      truncated,
    };
  }

  /**
   * Every word of the title and body a query word matched, plus phrase spans: the first `max`
   * of each field.
   */
  private marksOf(
    doc: { title: string; body: string },
    phraseSpans: { title: Span[]; body: Span[] } | undefined,
    plan: WordPlan,
    marker: Marker,
    max = Number.POSITIVE_INFINITY,
  ): { title: Mark[]; body: Mark[] } {
    const phraseWord = plan.scoredWords.length;
    const marksIn = (text: string, spans: Span[] = []): Mark[] => {
      const marks = withPhrases(marker(text, max), spans, phraseWord);
      return marks.length > max ? marks.slice(0, max) : marks;
    };
    return {
      title: marksIn(doc.title, phraseSpans?.title),
      body: marksIn(doc.body, phraseSpans?.body),
    };
  }
}

/**
 * The most matches marked in one field of a whole document (the document route, and hits with
 * `highlights`), as Elasticsearch bounds what its highlighter analyses. A 3.3 MB body holding
 * one word 140,000 times took 140–220 ms to mark, past the server's answer limit, and a phrase
 * in it overflowed the stack; with the bound, 3–8 ms and a phrase 27–31 ms (warm, .scratch
 * timing). Past the bound, `highlightsTruncated` says so.
 */
export const MAX_HIGHLIGHTS = 2_000;

/**
 * The places of each phrase read for a hit, per field: enough to choose its snippet's window
 * and to mark them there (as `matchPositions` reads 256 places of each word).
 */
const MAX_PLACES = 256;

/**
 * Per query word, its posting lists in the title and in the body: the fields the ranking
 * scores (`bm25.fields`), so a field it leaves out is not marked either.
 */
interface FieldLists {
  title: readonly (readonly number[])[];
  body: readonly (readonly number[])[];
}

/** The words' marks and the phrases' spans (each phrase a word after the query's), merged. */
function withPhrases(marks: Mark[], spans: readonly Span[], phraseWord: number): Mark[] {
  // Without phrases, the marks of `marksAt` (new, in text order, apart) are normal already:
  // sorted and copied again, with snippets' spaces found by regular expression (highlight.ts),
  // a page's hits took 100 µs against 93 (8,000 distinct benchmark queries, .scratch).
  if (spans.length === 0 && apart(marks)) return marks;
  return normalizeMarks([
    ...spans.map(([start, end], i) => ({ start, end, word: phraseWord + i })),
    ...marks,
  ]);
}

/** Whether each mark starts past the end of the one before (what `normalizeMarks` gives). */
function apart(marks: readonly Mark[]): boolean {
  for (let i = 1; i < marks.length; i++) if (marks[i]!.start <= marks[i - 1]!.end) return false;
  return true;
}

/** Milliseconds to the microsecond: finer than that, the clock's own cost shows. */
function inMicroseconds(profile: SearchProfile): SearchProfile {
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    parse: round(profile.parse),
    expand: round(profile.expand),
    retrieve: round(profile.retrieve),
    rank: round(profile.rank),
    hits: round(profile.hits),
    suggest: round(profile.suggest),
  };
}

/** Runs `work`, its refusal (a QueryError) worded in `language`. */
function inLanguage<T>(language: Language, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw error instanceof QueryError ? error.in(language) : error;
  }
}

function checkInteger(value: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw QueryError.of({ code: "bad_integer", parameter: name, min, max }, name);
  }
  return value;
}

function sortedFacets(facets: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(facets).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * A record's displayed attributes: all with `["*"]`, else those listed that it has, as the
 * record holds them (nested objects and arrays kept). A document made with flattened
 * attributes alone (by code, as tests make them; every reader keeps the record) shows those.
 */
function displayedOf(
  doc: Pick<LoupeDocument, "attributes" | "record">,
  displayed: readonly string[],
): { attributes?: Record<string, JsonValue> } {
  if (doc.record !== undefined) return { attributes: displayedPart(doc.record, displayed) };
  const own = doc.attributes;
  if (own === undefined) return {};
  if (isEveryAttribute(displayed)) return { attributes: own };
  const attributes: Record<string, AttributeValue> = {};
  for (const name of displayed) if (Object.hasOwn(own, name)) attributes[name] = own[name]!;
  return { attributes };
}

/** Whether a parsed query holds nothing to search: no word, phrase, exclusion or date. */
function asksNothing(parsed: ParsedQuery): boolean {
  return (
    parsed.words.length === 0 &&
    parsed.phrases.length === 0 &&
    parsed.excludedWords.length === 0 &&
    parsed.excludedPhrases.length === 0 &&
    parsed.date === undefined
  );
}
