/** An index problem a user can fix; the message says what and how. */
export class IndexError extends Error {
  override name = "IndexError";
}
