/** A document as loupe indexes, stores and returns it. */
export interface LoupeDocument {
  /** Path relative to the input folder, without extension, with "/" separators. */
  id: string;
  title: string;
  /** Year-month `YYYY-MM`, when the source gives one. */
  date?: string;
  body: string;
  /** Source file, relative to the input folder as given on disk. */
  source: string;
  /** Size of the source file in bytes. */
  bytes: number;
  /** Estimated reading time in minutes (from the header when present, else from the word count). */
  readingMinutes: number;
  /** The dateline found in the header, such as `(Bruxelles)`: metadata, not body text. */
  dateline?: string;
  /** sha256 hex of the raw file bytes, so the indexer can tell a changed file. */
  hash: string;
}

/** One file the reader could not use, and why, in words a user can act on. */
export interface SkippedFile {
  source: string;
  reason: string;
}
