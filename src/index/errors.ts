import type { SkippedFile } from "../corpus/types.js";

/** An index problem a user can fix; the message says what and how. */
export class IndexError extends Error {
  override name = "IndexError";
  /** When nothing could be indexed: every file set aside, and why, for the user to see. */
  readonly skipped: readonly SkippedFile[];

  constructor(message: string, skipped: readonly SkippedFile[] = []) {
    super(message);
    this.skipped = skipped;
  }
}
