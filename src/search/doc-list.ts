/**
 * Documents a query met, in the order met, in a typed buffer kept from query to query (one per
 * index, as the scratch space). A plain array grown push by push cost 16–22 ns a document
 * against about 1 for a typed store (a common word's 46,000 documents on the Littré, .scratch
 * micro-benchmark, 2026-12-07): the growth copies and the large-object allocations were a third
 * of such a query's retrieval.
 */
export class DocList {
  private docs: Uint32Array;
  length = 0;

  constructor(capacity: number) {
    this.docs = new Uint32Array(Math.max(16, capacity));
  }

  push(doc: number): void {
    if (this.length === this.docs.length) this.grow();
    this.docs[this.length++] = doc;
  }

  /** The documents, as a view: valid until the list is emptied or grows. */
  view(): Uint32Array {
    return this.docs.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }

  private grow(): void {
    const grown = new Uint32Array(this.docs.length * 2);
    grown.set(this.docs);
    this.docs = grown;
  }
}
