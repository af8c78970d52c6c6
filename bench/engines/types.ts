import type { BenchDoc } from "../corpus.js";

export type { BenchDoc };

/**
 * What the runner needs from a search engine. Every adapter gets the same documents (title +
 * body) and the same raw query text, and returns ids ranked best first.
 */
export interface BenchEngine {
  readonly name: string;
  /** What was configured, in words, so the report says what was actually compared. */
  readonly config: string;
  build(docs: readonly BenchDoc[]): Promise<void> | void;
  /** Ids, best first, at most `limit`. May be async (Orama); the runner awaits only promises. */
  search(query: string, limit: number): string[] | Promise<string[]>;
  /**
   * Optional persistence, timed by the runner: the index as one string, or a handle to what was
   * written (e.g. a folder path) when `persistedBytes` says how big it is.
   */
  serialize?(): string | Promise<string>;
  /** Bytes persisted for `serialize()`'s result; defaults to the UTF-8 length of the string. */
  persistedBytes?(data: string): number;
  /** Replaces the current index with one read back from `serialize()`. */
  load?(data: string): Promise<void> | void;
  /** Removes what `serialize()` left on disk (a folder); called after the persistence check. */
  dispose?(): Promise<void> | void;
}

export interface EngineEntry {
  /** Short name used on the command line (`--engines a,b`). */
  name: string;
  /** Imported lazily, so a child process only loads the library it measures. */
  create(): Promise<BenchEngine>;
}
