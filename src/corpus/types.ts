/** A scalar attribute value of a record, as JSON has them. */
export type AttributeScalar = string | number | boolean | null;

/**
 * One attribute of a document, addressed by its dot path (`meta.author`). Nested objects are
 * flattened into dot paths; an array of objects becomes one array per leaf path
 * (`authors.name: ["A", "B"]`), as Meilisearch flattens them for filters and facets.
 */
export type AttributeValue = AttributeScalar | AttributeScalar[];

/** A value as JSON holds it: what a record is before it is flattened. */
export type JsonValue = AttributeScalar | JsonValue[] | { [key: string]: JsonValue };

/** Which reader made the document, from the file's extension. */
export type SourceFormat = "text" | "markdown" | "html" | "json" | "ndjson";

/** A document as loupe indexes, stores and returns it. */
export interface LoupeDocument {
  /**
   * Files: path relative to the input folder, without extension, with "/" separators.
   * JSON records: the record's primary key, as a string.
   */
  id: string;
  title: string;
  /** Year-month `YYYY-MM`, when the source gives one. */
  date?: string;
  /** The full day `YYYY-MM-DD`, when the source gives one (`date` is always its month). */
  day?: string;
  body: string;
  /** Source file, relative to the input folder as given on disk. */
  source: string;
  /** Size in bytes of the source file; for a JSON record, of the record's own text. */
  bytes: number;
  /** Estimated reading time in minutes (from the header when present, else from the word count). */
  readingMinutes: number;
  /** The dateline found in the header, such as `(Bruxelles)`: metadata, not body text. */
  dateline?: string;
  /**
   * sha256 hex of the raw file bytes, so the indexer can tell a changed file. For a JSON record,
   * of the record's own text, so an edit to one record changes only that document's hash.
   */
  hash: string;
  /** Which reader made it. Absent on documents stored before formats existed: text/markdown. */
  format?: SourceFormat;
  /** HTML: the page's path relative to the input folder, extension kept, "/" separators. */
  url?: string;
  /** HTML: `<meta name="description">` (or `og:description`). */
  description?: string;
  /** HTML: `<html lang>`, as written (`fr`, `fr-CA`). */
  lang?: string;
  /** JSON records: the 1-based line of the source where the record starts. */
  line?: number;
  /** JSON records: every attribute of the record, flattened to dot paths. */
  attributes?: Record<string, AttributeValue>;
  /**
   * JSON records: the record as written (its strings NFC), what a hit and the document show
   * of it. Flattened, an array of objects lost which fields went together and `{}` read `[]`.
   * Stored instead of `attributes`, which the store makes from it again. Absent in indexes
   * built before it was kept.
   */
  record?: { [key: string]: JsonValue };
}

/** One file (or one record of a file) the reader could not use, and why, in words a user can act on. */
export interface SkippedFile {
  source: string;
  reason: string;
  /** For a record or a line of a JSON file: its 1-based line (the reason starts `line N: `). */
  line?: number;
}
