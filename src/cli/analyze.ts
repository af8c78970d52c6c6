import { analyze } from "../analysis/index.js";
import type { CliIO } from "./output.js";

/** `loupe analyze "texte"`: the token stream, like Elasticsearch's `_analyze`. */
export function analyzeCommand(text: string, json: boolean, io: CliIO): number {
  const tokens = analyze(text, { keepStopwords: true }).map((token) => ({
    word: text.slice(token.start, token.end),
    ...token,
  }));
  if (json) {
    io.out(JSON.stringify({ text, tokens }, null, 2));
    return 0;
  }
  const rows = tokens.map((t) => [
    String(t.position),
    t.word,
    t.stopword ? `(${t.term}: stopword)` : t.term,
    `${t.start}-${t.end}`,
  ]);
  const header = ["pos", "word", "term", "offsets"];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  io.out(line(header));
  for (const row of rows) io.out(line(row));
  if (rows.length === 0) io.out("(no words)");
  return 0;
}
