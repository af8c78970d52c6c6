/**
 * The query language's lexer: a query as typed → clause objects, before any analysis. The
 * parser (`parse.ts`) turns each clause into words, phrases or filters; keeping the two apart
 * lets the grammar be read (and tested) without the analysis chain, as Lunr's query lexer does.
 *
 *   -?"a phrase"~N   a phrase, maybe negated, maybe unclosed, maybe with a slop (up to 99)
 *   -?date:VALUE     the date filter
 *   -?word*          a run of non-spaces: one or more words, the last maybe a prefix
 */

export type Clause =
  | { kind: "phrase"; raw: string; negative: boolean; text: string; closed: boolean; slop: number }
  | { kind: "date"; raw: string; negative: boolean; value: string }
  | { kind: "words"; raw: string; negative: boolean; text: string; prefix: boolean };

// Optional minus, then a quoted phrase (maybe unclosed, maybe `"…"~3` as in Lucene) or a bare
// run of non-spaces.
const CLAUSE = /(-?)(?:"([^"]*)("?)(?:~(\d{1,2})(?![^\s"]))?|([^\s"]+))/gu;
const DATE_FILTER = /^date:(.*)$/iu;

export function* lexQuery(input: string): Generator<Clause> {
  for (const match of input.matchAll(CLAUSE)) {
    const [raw, minus, phraseText, closing, slop, bare] = match;
    const negative = minus === "-";
    if (phraseText !== undefined) {
      yield {
        kind: "phrase",
        raw,
        negative,
        text: phraseText,
        closed: closing === '"',
        slop: slop === undefined ? 0 : Number(slop),
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
