/**
 * The query language, as a person types it:
 *   words             every word, through the analysis chain; the last one also as a prefix
 *   word*             a prefix, on words as written (`gouverneme*`)
 *   "a phrase"        the words in that order; "a phrase"~3 with up to 3 more words among them
 *   -word -"phrase"   exclusions
 *   date:2020-01      a month, or a range `date:2020-01..2020-03`
 *   a AND b, a OR b   AND and OR in capitals between two clauses are operators, not words:
 *                     every word is looked for anyway (documents holding them all first), so
 *                     they are dropped, and said so; `a NOT b` is `a -b`
 * Nothing here throws on what a user may type, except a query too long to be a query and a `date:`
 * filter that names no month (a QueryError saying how to write one): unbalanced quotes are closed,
 * stray operators dropped, each repair noted in `warnings`.
 */
import { type AnalyzedToken, analyze, analyzeWord, FRENCH_ELISIONS } from "../analysis/index.js";
import { type DateRange, intersect, parseDateRange } from "./dates.js";
import type { Notice } from "./notices.js";
import { type Clause, lexQuery } from "./query-lexer.js";
import { QueryError } from "./types.js";

export const MAX_QUERY_LENGTH = 500;
export const MAX_QUERY_WORDS = 32;

export interface QueryWord {
  /** As typed, for "did you mean" and messages. */
  text: string;
  term: string;
  /** Folded, lowercase: the key to the surface vocabulary. */
  folded: string;
  stopword: boolean;
  /** Match words starting with this one, too. */
  prefix: boolean;
  /** The prefix is only there because the query did not end with a space (still typing). */
  typing: boolean;
  /** Quoted alone: no prefix, no typo tolerance. */
  exact: boolean;
}

export interface QueryPhrase {
  text: string;
  /** The phrase's tokens, stopwords included, with their relative positions. */
  tokens: AnalyzedToken[];
  /** How many more words may stand between its words, in order (`"…"~3`); none when absent. */
  slop?: number;
}

export interface ParsedQuery {
  words: QueryWord[];
  phrases: QueryPhrase[];
  excludedWords: QueryWord[];
  excludedPhrases: QueryPhrase[];
  date?: DateRange;
  warnings: Notice[];
}

/**
 * Letters a prefix needs: `b*` would read the lists of a sixth of the vocabulary for words that
 * share one letter (expand.ts); it is searched as the word `b`, and said so.
 */
export const MIN_PREFIX_LETTERS = 2;

export function parseQuery(input: string): ParsedQuery {
  if (input.length > MAX_QUERY_LENGTH) {
    const length = charactersIn(input);
    if (length > MAX_QUERY_LENGTH)
      throw QueryError.of({ code: "query_too_long", length, max: MAX_QUERY_LENGTH });
  }
  const query: ParsedQuery = {
    words: [],
    phrases: [],
    excludedWords: [],
    excludedPhrases: [],
    warnings: [],
  };
  let lastBareWord: QueryWord | undefined;
  const clauses = [...lexQuery(input)];
  for (let i = 0; i < clauses.length; i++) {
    const clause = clauses[i]!;
    const operator = operatorOf(clause, i, clauses.length);
    if (operator !== undefined) {
      // `chat AND chien` searched the word `and`, unknown, and "did you mean" offered `ans`.
      if (operator === "NOT") clauses[i + 1] = { ...clauses[i + 1]!, negative: true };
      else query.warnings.push({ code: "operator_ignored", operator });
      lastBareWord = undefined;
      continue;
    }
    lastBareWord = addClause(query, clause);
  }
  starredStopwordsAlone(query);
  // French sets ? ! : ; apart with a space (« comment se pacser ? »): beside words, such a sign
  // is the sentence's punctuation, no clause to warn about; the page said « « ? » ne contient
  // aucun mot » under every question typed as French is written (QA). Alone, it is still said.
  if (query.words.length > 0 || query.phrases.length > 0) {
    query.warnings = query.warnings.filter(
      (notice) => !(notice.code === "no_word" && /^[?!:;«»…,.]+$/u.test(notice.clause)),
    );
  }
  // A query typed up to its last character is still being typed: its last word is a prefix.
  const typing = input.length > 0 && !/\s$/u.test(input);
  if (typing && lastBareWord !== undefined && input.trimEnd().endsWith(lastBareWord.text)) {
    lastBareWord.typing = !lastBareWord.prefix;
    lastBareWord.prefix = true;
  }
  if (cutToBudget(query, MAX_QUERY_WORDS)) {
    query.warnings.push({ code: "query_cut", max: MAX_QUERY_WORDS });
  }
  // Each notice once: `-a -b -a -b …` said the same thing at every repetition.
  const said = new Set<string>();
  query.warnings = query.warnings.filter((notice) => {
    const key = JSON.stringify(notice);
    if (said.has(key)) return false;
    said.add(key);
    return true;
  });
  return query;
}

const OPERATORS = ["AND", "OR", "NOT"] as const;

/**
 * The operator a clause is: `AND`, `OR` or `NOT` written in capitals, neither negated nor
 * starred, with a clause after it (and before it, for AND and OR): as Lucene's and
 * Elasticsearch's query strings read them. Anywhere else it is a word (`or`, gold, is one).
 */
function operatorOf(
  clause: Clause,
  at: number,
  count: number,
): (typeof OPERATORS)[number] | undefined {
  if (clause.kind !== "words" || clause.negative || clause.prefix) return undefined;
  const operator = OPERATORS.find((name) => name === clause.raw);
  if (operator === undefined || at === count - 1) return undefined;
  return operator === "NOT" || at > 0 ? operator : undefined;
}

/**
 * Adds one clause's words, phrase or filter to the query; returns the last word of a bare
 * clause that is not negated (the one a user may still be typing), else undefined.
 */
function addClause(query: ParsedQuery, clause: Clause): QueryWord | undefined {
  switch (clause.kind) {
    case "phrase":
      if (!clause.closed) query.warnings.push({ code: "unclosed_quote" });
      // `""` asks for nothing: said, as `***` is, rather than silently browsing everything.
      if (clause.closed && clause.text.trim() === "") {
        query.warnings.push({ code: "phrase_no_word", phrase: excerpt(clause.text) });
        return undefined;
      }
      if (clause.badSlop !== undefined)
        query.warnings.push({
          code: "bad_slop",
          value: excerpt(clause.badSlop),
          used: clause.slop,
        });
      addPhrase(query, clause.text, clause.negative, clause.slop);
      return undefined;
    case "date":
      if (clause.negative) {
        // Not the words "date" and "2020-01" to exclude: a filter that cannot be negated.
        query.warnings.push({ code: "negated_date", clause: excerpt(clause.raw) });
      } else {
        const had = query.date !== undefined;
        query.date = intersect(query.date, parseDateRange(clause.value, "date", "q"));
        // `date:2020-01 date:2020-02` matched nothing, and said nothing of why.
        const { from, to } = query.date ?? {};
        if (had && from !== undefined && to !== undefined && from > to) {
          query.warnings.push({ code: "dates_disjoint", clause: excerpt(clause.raw) });
        }
      }
      return undefined;
    case "words": {
      const words = queryWords(clause.text, clause.prefix);
      if (words.length === 0) {
        if (clause.raw.trim() !== "") {
          query.warnings.push({ code: "no_word", clause: excerpt(clause.raw) });
        }
        return undefined;
      }
      if (clause.negative && words.every((word) => word.stopword)) {
        query.warnings.push({ code: "only_stopwords_excluded", clause: excerpt(clause.raw) });
        return undefined;
      }
      const last = words.at(-1)!;
      if (last.prefix && last.folded.length < MIN_PREFIX_LETTERS) {
        query.warnings.push({
          code: "prefix_too_short",
          clause: excerpt(clause.raw),
          word: last.text,
          min: MIN_PREFIX_LETTERS,
        });
      }
      if (clause.negative) {
        query.excludedWords.push(...words.filter((word) => !word.stopword));
        return undefined;
      }
      query.words.push(...words);
      return words.at(-1);
    }
  }
}

/**
 * Phrases keep their words first, then the words get what is left of `max`. True when
 * anything was cut.
 */
function cutToBudget(query: ParsedQuery, max: number): boolean {
  let budget = max;
  let cut = false;
  query.phrases = query.phrases.flatMap((phrase) => {
    if (phrase.tokens.length <= budget) {
      budget -= phrase.tokens.length;
      return [phrase];
    }
    cut = true;
    const tokens = phrase.tokens.slice(0, budget);
    budget = 0;
    return tokens.length > 0 ? [{ ...phrase, tokens }] : [];
  });
  if (query.words.length > budget) {
    query.words = query.words.slice(0, budget);
    cut = true;
  }
  return cut;
}

/** A bare clause may hold several words (`l'OTAN-Irak`): each goes through the chain. */
/**
 * A dotted acronym (`S.N.C.F.`, `O.N.U`), whose letters the tokenizer reads apart: `S.N.C.F.`
 * searched the letters s, n, c and f and found 237 pages, marking every `f` (QA). Typed in a
 * query, it is the acronym written whole. (In a document it is still read letter by letter.)
 */
const DOTTED_ACRONYM = /(?<![\p{L}\p{N}.])(?:\p{Lu}\.){2,}\p{Lu}?\.?(?![\p{L}\p{N}])/gu;

function queryWords(raw: string, prefix: boolean): QueryWord[] {
  const text = raw.replace(DOTTED_ACRONYM, (acronym) => acronym.replaceAll(".", ""));
  const tokens = analyze(text, { keepStopwords: true });
  return tokens.map((token, i) => ({
    text: text.slice(token.start, token.end),
    term: token.term,
    folded: foldedOf(text.slice(token.start, token.end)),
    stopword: token.stopword,
    prefix: prefix && i === tokens.length - 1,
    typing: false,
    exact: false,
  }));
}

/**
 * A query of stopwords alone, some asked for with `*`: those are prefixes, the words starting
 * with their letters (`quel*`: quelque, quelquefois), since as stopwords they found nothing.
 * Beside other words they stay stopwords, unscored, as every stopword of a query is:
 * `la* le* de* … armée` expanded to 450 words and took 11.5 ms instead of 0.8.
 */
function starredStopwordsAlone(query: ParsedQuery): void {
  if (query.phrases.length > 0 || query.words.some((word) => !word.stopword)) return;
  for (const word of query.words) {
    // One letter is no prefix (`a*` is the word `a`, a stopword that finds what uses it).
    if (word.prefix && word.folded.length >= MIN_PREFIX_LETTERS) word.stopword = false;
  }
}

function addPhrase(query: ParsedQuery, text: string, negative: boolean, slop: number): void {
  const tokens = withoutBareElisions(text, analyze(text, { keepStopwords: true }));
  if (tokens.length === 0) {
    if (text.trim() !== "") query.warnings.push({ code: "phrase_no_word", phrase: excerpt(text) });
    return;
  }
  if (tokens.length === 1) {
    // A one-word phrase is that word, matched exactly (no prefix, no typo).
    const token = tokens[0]!;
    const word = text.slice(token.start, token.end);
    const queryWord = {
      text: word,
      term: token.term,
      folded: foldedOf(word),
      stopword: token.stopword,
      prefix: false,
      typing: false,
      exact: true,
    };
    (negative ? query.excludedWords : query.words).push(queryWord);
    return;
  }
  (negative ? query.excludedPhrases : query.phrases).push({
    text,
    tokens,
    ...(slop > 0 && { slop }),
  });
}

/**
 * A query's length as a person counts it: characters, composed (NFC), not UTF-16 units. An
 * emoji counted two, and an `é` typed as `e` and an accent two: 300 emoji were refused as 600
 * characters. A string far past the limit is not composed first: nothing brings it back under.
 */
function charactersIn(text: string): number {
  const composed = text.length > 8 * MAX_QUERY_LENGTH ? text : text.normalize("NFC");
  let n = 0;
  for (const _ of composed) n++;
  return n;
}

/**
 * A phrase's `l`, `d`, `qu`… typed without their apostrophe, before the next word (`"de l
 * oeuvre"`), as the elisions they are: dropped, the words after them one place back. As a word
 * of its own, `l` took a place the text's « l’œuvre » does not have (one word there), and the
 * phrase matched « cœur de l’œuvre », not « de l’œuvre ». A bare query drops them already
 * (stopwords); one standing last (`"vitamine d"`) stays a word.
 */
function withoutBareElisions(text: string, tokens: AnalyzedToken[]): AnalyzedToken[] {
  const out: AnalyzedToken[] = [];
  let shift = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    const written = text.slice(token.start, token.end).toLowerCase();
    if (next !== undefined && next.position === token.position + 1 && ELISIONS.has(written)) {
      shift++;
      continue;
    }
    out.push(shift === 0 ? token : { ...token, position: token.position - shift });
  }
  return out;
}

const ELISIONS: ReadonlySet<string> = new Set(FRENCH_ELISIONS);

function foldedOf(word: string): string {
  return analyzeWord(word).folded;
}

/** The first 40 characters of `text` for a message, never cutting an emoji's surrogate pair in two. */
function excerpt(text: string): string {
  const cut = text.slice(0, 40);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}
