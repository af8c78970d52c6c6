/**
 * The tokens of a filter expression, in Meilisearch's syntax: words (attributes, values and
 * keywords alike: which one a word is depends on where it stands, so the parser decides),
 * quoted strings, comparison operators and punctuation. Positions are 1-based characters, as
 * a person counts them in the expression they wrote.
 */
import type { FilterProblem } from "./problem.js";

export type TokenKind =
  | "word"
  | "string"
  | "operator"
  | "open"
  | "close"
  | "openBracket"
  | "closeBracket"
  | "comma"
  | "end";

export interface Token {
  kind: TokenKind;
  /** A string's text without its quotes and escapes; anything else as written. */
  text: string;
  /** 1-based position of its first character. */
  position: number;
}

const PUNCTUATION: Record<string, TokenKind> = {
  "(": "open",
  ")": "close",
  "[": "openBracket",
  "]": "closeBracket",
  ",": "comma",
};
const OPERATORS = ["!=", ">=", "<=", "=", ">", "<"] as const;
const WORD_END = /[\s()[\],'"=!<>]/u;

export type LexResult = { ok: true; tokens: Token[] } | { ok: false; problem: FilterProblem };

export function lex(input: string): LexResult {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const char = input[i]!;
    if (/\s/u.test(char)) {
      i++;
      continue;
    }
    const position = i + 1;
    const punctuation = PUNCTUATION[char];
    if (punctuation !== undefined) {
      tokens.push({ kind: punctuation, text: char, position });
      i++;
      continue;
    }
    const operator = OPERATORS.find((op) => input.startsWith(op, i));
    if (operator !== undefined) {
      tokens.push({ kind: "operator", text: operator, position });
      i += operator.length;
      continue;
    }
    if (char === "!") {
      return { ok: false, problem: { kind: "syntax", position, expected: "operator", found: "!" } };
    }
    if (char === "'" || char === '"') {
      let text = "";
      let j = i + 1;
      for (; j < input.length && input[j] !== char; j++) {
        // A backslash lets a quote of the same kind stand inside (`'l\'OTAN'`).
        if (input[j] === "\\" && j + 1 < input.length) j++;
        text += input[j];
      }
      if (j >= input.length) return { ok: false, problem: { kind: "unclosed_quote", position } };
      tokens.push({ kind: "string", text, position });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < input.length && !WORD_END.test(input[j]!)) j++;
    tokens.push({ kind: "word", text: input.slice(i, j), position });
    i = j;
  }
  tokens.push({ kind: "end", text: "", position: input.length + 1 });
  return { ok: true, tokens };
}
