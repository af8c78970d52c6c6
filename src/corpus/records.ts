/**
 * JSON records: `.json` (an array of objects, or one object) and `.ndjson` / `.jsonl` (one
 * object per line). Each record is a document whose id is its primary key; every attribute is
 * kept, flattened to dot paths, for filters, facets, sort and displayed attributes. Pure: the
 * reader hands in the decoded text.
 *
 * A bad record (no id, a duplicate id, not an object, invalid JSON on its line) is skipped with
 * its line; the others are kept. Only a `.json` file that does not parse at all is lost whole,
 * since then no record boundary can be trusted.
 */
import {
  attributeText,
  flattenRecord,
  isEveryAttribute,
  isWithin,
  recordOf,
  searchableNames,
} from "./attributes.js";
import { hashBytes } from "./hash.js";
import { countWords, DEFAULT_WORDS_PER_MINUTE, parseDay, shortenTitle } from "./parse.js";
import { DEFAULT_SETTINGS, type LoupeSettings } from "./settings.js";
import type { AttributeValue, JsonValue, LoupeDocument, SkippedFile } from "./types.js";

export type RecordSettings = Pick<LoupeSettings, "primaryKey" | "searchableAttributes"> &
  Partial<Pick<LoupeSettings, "displayedAttributes">>;

export interface RecordsResult {
  documents: LoupeDocument[];
  skipped: SkippedFile[];
}

/** Longest id kept, as Meilisearch's 511 bytes: ids go in URLs. */
const MAX_ID_BYTES = 511;

export function isRecordsSource(source: string): boolean {
  return /\.(json|ndjson|jsonl)$/i.test(source);
}

export function parseRecords(
  text: string,
  source: string,
  settings: RecordSettings = DEFAULT_SETTINGS,
): RecordsResult {
  return /\.json$/i.test(source)
    ? parseJsonArray(text, source, settings)
    : parseJsonLines(text, source, settings);
}

function parseJsonLines(text: string, source: string, settings: RecordSettings): RecordsResult {
  const out = new Collector(source, settings);
  const lines = text.split("\n");
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      out.skip(i + 1, `invalid JSON (${jsonMessage(err)}): fix this line, one object per line`);
      continue;
    }
    out.add(value, i + 1, line);
  }
  return out.result();
}

function parseJsonArray(text: string, source: string, settings: RecordSettings): RecordsResult {
  const out = new Collector(source, settings);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const line = lineOfError(text, err);
    out.skip(
      line,
      `invalid JSON (${jsonMessage(err)}): fix the syntax; no record of this file is indexed`,
    );
    return out.result();
  }
  if (!Array.isArray(value)) {
    if (typeof value === "object" && value !== null) {
      out.add(value, 1, text);
      return out.result();
    }
    out.skip(1, "not an array of objects: write [ {…}, {…} ], or one object per line in .ndjson");
    return out.result();
  }
  const spans = topLevelSpans(text);
  for (const [i, record] of value.entries()) {
    const span = spans[i];
    const recordText = span ? text.slice(span.start, span.end) : JSON.stringify(record);
    out.add(record, span?.line ?? 1, recordText);
  }
  return out.result();
}

class Collector {
  private readonly documents: LoupeDocument[] = [];
  private readonly skipped: SkippedFile[] = [];
  private readonly firstLineOfId = new Map<string, number>();

  constructor(
    private readonly source: string,
    private readonly settings: RecordSettings,
  ) {}

  skip(line: number, reason: string): void {
    this.skipped.push({ source: this.source, line, reason: `line ${line}: ${reason}` });
  }

  add(value: unknown, line: number, recordText: string): void {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.skip(line, "not a JSON object: each record must be { … }");
      return;
    }
    const record = recordOf(value as Record<string, unknown>);
    const attributes = flattenRecord(record);
    const key = this.settings.primaryKey;
    const id = recordId(attributes[key]);
    if (!id.ok) {
      this.skip(line, id.reason.replace("KEY", key));
      return;
    }
    const first = this.firstLineOfId.get(id.id);
    if (first !== undefined) {
      this.skip(
        line,
        `duplicate id '${id.id}' (first at line ${first}): give each record its own "${key}"`,
      );
      return;
    }
    this.firstLineOfId.set(id.id, line);
    this.documents.push(
      recordDocument(id.id, record, attributes, this.source, line, recordText, this.settings),
    );
  }

  result(): RecordsResult {
    return { documents: this.documents, skipped: this.skipped };
  }
}

function recordId(
  value: AttributeValue | undefined,
): { ok: true; id: string } | { ok: false; reason: string } {
  if (value === undefined || value === null) {
    return { ok: false, reason: 'no id: add a "KEY" attribute, or set primaryKey in loupe.json' };
  }
  // Past 2^53 a JSON number is rounded as it is read: 9007199254740993 became …992, and the
  // record holding …992 was then dropped as its duplicate (QA).
  if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return {
      ok: false,
      reason: `the id "KEY" is an integer past 2^53 (read as ${value}), which a JSON number cannot hold exactly: write it as a string ("${value}" in quotes, with its own digits)`,
    };
  }
  const id =
    typeof value === "string" ? value.trim() : Number.isInteger(value) ? String(value) : undefined;
  if (id === undefined || id === "") {
    return {
      ok: false,
      reason: `the id "KEY" is ${JSON.stringify(value)}: use a non-empty string or an integer`,
    };
  }
  if (Buffer.byteLength(id) > MAX_ID_BYTES) {
    return { ok: false, reason: `the id "KEY" is longer than ${MAX_ID_BYTES} bytes: shorten it` };
  }
  // What a document's address refuses (server/schemas.ts): such a record was found by searches
  // and its page was a 400 (QA).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  const unaddressable = /[\u0000-\u001f\u007f]/.test(id)
    ? "a control character"
    : id.split("/").some((part) => part === "" || part === "." || part === "..")
      ? "an empty, '.' or '..' part between its slashes"
      : undefined;
  if (unaddressable !== undefined) {
    return {
      ok: false,
      reason: `the id "KEY" is ${JSON.stringify(id)}, with ${unaddressable}, which no document address can hold: give it another`,
    };
  }
  return { ok: true, id: id.normalize("NFC") };
}

/**
 * Title and body are what a result list shows, and what is searched: the index has these two
 * fields. The title is the `title` attribute; failing it, the first text attribute (in
 * searchableAttributes' order when they are listed). It is always searched, since a hit shows
 * it. The body holds what else searchableAttributes names, one paragraph each:
 * - as by default (`["title", "body"]`): the `body` attribute; failing it, every other text
 *   attribute, so a record of `{ titre, résumé, texte }` reads and snippets as a page would;
 * - `["*"]`: the `body` attribute, then every other text attribute, in the record's order;
 * - a list: the attributes listed, in its order (`body` only if listed), so that an attribute
 *   left out is not searched and one listed is, as in Meilisearch. (Meilisearch also weighs
 *   the earlier ones more; here the title weighs apart and the body as one.)
 *
 * `title` and `body` are the document's own text, always shown. Any other attribute makes the
 * title or the body only when displayed (`displayedAttributes`): a snippet, a highlighted title
 * and the document route show them, so an attribute left out of the displayed ones (an e-mail,
 * internal notes) must not be in them; it stays a filter and sort value. (The settings refuse
 * such an attribute listed as searchable.)
 */
function recordDocument(
  id: string,
  record: { [key: string]: JsonValue },
  attributes: Record<string, AttributeValue>,
  source: string,
  line: number,
  recordText: string,
  settings: RecordSettings,
): LoupeDocument {
  const every = isEveryAttribute(settings.searchableAttributes);
  const defaults =
    !every && sameList(settings.searchableAttributes, DEFAULT_SETTINGS.searchableAttributes);
  const listed = !every && !defaults;
  const displayed = settings.displayedAttributes ?? ["*"];
  const shown = (name: string) =>
    name === "title" || name === "body" || isEveryAttribute(displayed) || isWithin(name, displayed);
  // Numbers and booleans are for filters and sort: a price is no title, a count no paragraph.
  const textual = (names: readonly string[]) =>
    names.filter(
      (name) => name !== settings.primaryKey && shown(name) && hasWords(attributes[name]),
    );
  // The title's stand-in is the first text attribute: in the list's order, else the record's.
  // A listed object stands for its fields (`pos` for `pos.ville`, `pos.cp`), as in Meilisearch.
  const order = listed
    ? settings.searchableAttributes.flatMap((name) =>
        Object.hasOwn(attributes, name)
          ? [name]
          : Object.keys(attributes).filter((key) => isWithin(key, [name])),
      )
    : Object.keys(attributes);
  const titleName =
    typeof attributes.title === "string" && attributes.title.trim() !== ""
      ? "title"
      : textual(order)[0];
  const title = titleName ? attributeText(attributes[titleName]) : id;
  const rest = textual(
    every ? searchableNames(attributes, settings.searchableAttributes) : order,
  ).filter((name) => name !== titleName);
  // By default a body of text stands alone; any other body (an array, none) is the rest.
  const bodyNames = !listed && !every && typeof attributes.body === "string" ? ["body"] : rest;
  const body = bodyNames.map((name) => attributeText(attributes[name])).join("\n\n");

  const doc: LoupeDocument = {
    id,
    title: shortenTitle(title),
    body: body.trim(),
    source,
    format: /\.json$/i.test(source) ? "json" : "ndjson",
    bytes: Buffer.byteLength(recordText),
    hash: hashBytes(Buffer.from(recordText)),
    readingMinutes: Math.max(
      1,
      Math.ceil(countWords(`${title} ${body}`) / DEFAULT_WORDS_PER_MINUTE),
    ),
    line,
    attributes,
    record,
  };
  const date = typeof attributes.date === "string" ? parseDay(attributes.date) : undefined;
  if (date) doc.date = date.month;
  if (date?.day) doc.day = date.day;
  return doc;
}

function hasWords(value: AttributeValue | undefined): boolean {
  const strings = Array.isArray(value) ? value : [value];
  return strings.some((v) => typeof v === "string" && v.trim() !== "");
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// ---------------------------------------------------------------------------------------------
// Positions in the text, for messages and per-record hashes

/**
 * Where each element of a top-level JSON array starts and ends, by one scan that tracks strings
 * and nesting. JSON.parse gives no positions, and without them a bad record could not be named
 * by its line nor an edited record told from the others.
 */
export function topLevelSpans(text: string): Array<{ start: number; end: number; line: number }> {
  const spans: Array<{ start: number; end: number; line: number }> = [];
  let line = 1;
  let startLine = 1;
  let depth = 0;
  let inString = false;
  let start = -1;
  let lastNonSpace = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) {
        inString = false;
        lastNonSpace = i;
      }
      continue;
    }
    if (c === 0x0a) line++;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (depth === 1 && start < 0 && c !== 0x5d && c !== 0x2c) {
      start = i;
      startLine = line;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) {
      depth--;
      if (depth === 0 && start >= 0) {
        spans.push({ start, end: lastNonSpace + 1, line: startLine });
        start = -1;
      }
    } else if (c === 0x2c && depth === 1 && start >= 0) {
      spans.push({ start, end: lastNonSpace + 1, line: startLine });
      start = -1;
    }
    if (!inString) lastNonSpace = i;
  }
  return spans;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** V8 says `… at position 123` (Node 20) or `(line 4 column 2)` (newer): the line either way. */
function lineOfError(text: string, err: unknown): number {
  const message = err instanceof Error ? err.message : "";
  const line = /line (\d+)/.exec(message)?.[1];
  if (line) return Number(line);
  const position = /position (\d+)/.exec(message)?.[1];
  if (position) return lineAt(text, Number(position));
  return lineAt(text, text.length);
}

function jsonMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // V8 quotes the whole input after the reason; a line of JSON is enough noise as it is.
  // Node 20 then shows the text around the error over several lines: one line is the reason.
  return (message.split("\n")[0] ?? "")
    .replace(/, "[\s\S]*" is not valid JSON$/, "")
    .replace(/ in JSON at position \d+.*$/, "");
}
