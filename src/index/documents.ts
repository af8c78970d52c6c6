/**
 * The documents of an index by id and by ordinal (their rank in id order, which posting lists
 * use). Ids and dates are held for every document (filters and facets need them per match);
 * the documents themselves come from the store, parsed when asked for.
 */
import type { LoupeDocument } from "../corpus/types.js";
import type { DocumentStore } from "./document-store.js";

/** `catalog.json`: what queries need of every document. */
export interface Catalog {
  ids: string[];
  dates: Array<string | null>;
}

export class DocumentTable implements ReadonlyMap<string, LoupeDocument> {
  private readonly ordinals: Map<string, number>;
  /** `dates[ordinal]`: the document's `YYYY-MM`, if any. */
  readonly dates: ReadonlyArray<string | undefined>;

  private constructor(
    readonly ids: readonly string[],
    dates: ReadonlyArray<string | null | undefined>,
    private readonly read: (ordinal: number) => LoupeDocument,
  ) {
    this.ordinals = new Map(ids.map((id, ordinal) => [id, ordinal]));
    this.dates = dates.map((date) => date ?? undefined);
  }

  /** Documents held in memory, already in ordinal order. */
  static inMemory(documents: readonly LoupeDocument[]): DocumentTable {
    return new DocumentTable(
      documents.map((doc) => doc.id),
      documents.map((doc) => doc.date),
      (ordinal) => documents[ordinal]!,
    );
  }

  static stored(catalog: Catalog, store: DocumentStore): DocumentTable {
    if (catalog.ids.length !== store.size || catalog.dates.length !== store.size) {
      throw new Error(
        `the catalog lists ${catalog.ids.length} documents, the store holds ${store.size}`,
      );
    }
    return new DocumentTable(catalog.ids, catalog.dates, (ordinal) => store.get(ordinal));
  }

  get size(): number {
    return this.ids.length;
  }

  ordinal(id: string): number | undefined {
    return this.ordinals.get(id);
  }

  at(ordinal: number): LoupeDocument {
    return this.read(ordinal);
  }

  get(id: string): LoupeDocument | undefined {
    const ordinal = this.ordinals.get(id);
    return ordinal === undefined ? undefined : this.read(ordinal);
  }

  has(id: string): boolean {
    return this.ordinals.has(id);
  }

  *entries(): MapIterator<[string, LoupeDocument]> {
    for (let i = 0; i < this.ids.length; i++) yield [this.ids[i]!, this.read(i)];
  }

  keys(): MapIterator<string> {
    return this.ids.values();
  }

  *values(): MapIterator<LoupeDocument> {
    for (let i = 0; i < this.ids.length; i++) yield this.read(i);
  }

  forEach(
    visit: (value: LoupeDocument, key: string, map: ReadonlyMap<string, LoupeDocument>) => void,
  ): void {
    for (const [id, doc] of this.entries()) visit(doc, id, this);
  }

  [Symbol.iterator](): MapIterator<[string, LoupeDocument]> {
    return this.entries();
  }
}
