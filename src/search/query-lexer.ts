/**
 * The query language's lexer: a query as typed → clause objects, before any analysis. The
 * parser (`parse.ts`) turns each clause into words, phrases or filters; keeping the two apart
 * lets the grammar be read (and tested) without the analysis chain, as Lunr's query lexer does.
 *
 *   -?"a phrase"~N   a phrase, maybe negated, maybe unclosed, maybe with a slop (up to 99;
 *                    a bad one is flagged, a larger number taken as 99)
 *   -?date:VALUE     the date filter
 *   -?word*          a run of non-spaces: one or more words, the last maybe a prefix
 */

export type Clause =
  | {
      kind: "phrase";
      raw: string;
      negative: boolean;
      text: string;
      closed: boolean;
      slop: number;
      /** What followed `~` when it was no slop from 0 to 99 (`~abc`, `~-1`, `~100`). */
      badSlop?: string;
    }
  | { kind: "date"; raw: string; negative: boolean; value: string }
  | { kind: "words"; raw: string; negative: boolean; text: string; prefix: boolean };

// Optional minus, then a quoted phrase (maybe unclosed, maybe `"…"~3` as in Lucene) or a bare
// run of non-spaces. Whatever is glued to a closing quote after `~` is the slop, good or bad:
// read as a word, `~100` ran another query without a word of warning.
const CLAUSE = /(-?)(?:"([^"]*)("?)(?:~([^\s"]*))?|([^\s"]+))/gu;
const MAX_SLOP = 99;
const DATE_FILTER = /^date:(.*)$/iu;

export function* lexQuery(input: string): Generator<Clause> {
  for (const match of input.matchAll(CLAUSE)) {
    const [raw, minus, phraseText, closing, slop, bare] = match;
    const negative = minus === "-";
    if (phraseText !== undefined) {
      const valid = slop !== undefined && /^\d{1,2}$/u.test(slop);
      // A number past the bound is taken as the bound; anything else as no slop.
      const capped = slop !== undefined && /^\d+$/u.test(slop) && !valid ? MAX_SLOP : 0;
      yield {
        kind: "phrase",
        raw,
        negative,
        text: phraseText,
        closed: closing === '"',
        slop: valid ? Number(slop) : capped,
        ...(slop !== undefined && !valid && { badSlop: slop }),
      };
      continue;
    }
    if (bare === undefined) continue;
    const date = DATE_FILTER.exec(bare);
    if (date) {
      yield { kind: "date", raw, negative, value: date[1] ?? "" };
      continue;
    }
    yield {
      kind: "words",
      raw,
      negative,
      text: bare.replace(/\*+$/u, ""),
      prefix: bare.endsWith("*"),
    };
  }
}
