/**
 * The documents of an index by id and by ordinal (their rank in id order, which posting lists
 * use). Ids, dates and the values of the filterable and sortable attributes are held for every
 * document (filters, facets and sort need them per match, and parsing every stored document
 * for them would make the first filtered search slow); the documents themselves come from the
 * store, parsed when asked for.
 */
import { getAttribute, isWithin } from "../corpus/attributes.js";
import type { AttributeValue, LoupeDocument } from "../corpus/types.js";
import type { BodyCheckpoints, BodySegment, DocumentStore } from "./document-store.js";

/**
 * One attribute of every document, by ordinal. JSON has no `undefined`, so a document without
 * the attribute holds `null` in `values` and is listed in `missing` (`IS NULL` and `EXISTS`
 * tell a null from an absence).
 */
export interface CatalogColumn {
  values: AttributeValue[];
  missing: number[];
}

/** `catalog.json`: what queries need of every document. */
export interface Catalog {
  ids: string[];
  dates: Array<string | null>;
  /** The filterable and sortable attributes the index was built with, by name. */
  attributes: Record<string, CatalogColumn>;
  /**
   * Whether `attributes` holds every field some document nests in them (`meta.author` for
   * `meta`). Absent in indexes built before it did: their nested fields are read from the
   * documents.
   */
  nested?: true;
  /**
   * Every document's title, and the ordinals of those with attributes (ascending): a hit's
   * heading (`DocumentTable.heading`) is read from here instead of parsing its stored record.
   * Absent in indexes built before they were: their hits parse the record.
   */
  titles?: string[];
  attributed?: number[];
}

/** What a search hit shows of its document besides its snippet. */
export type Heading = Pick<LoupeDocument, "id" | "title" | "date" | "attributes" | "record">;

/** An attribute's value in each document, by ordinal (`undefined`: the document has none). */
export type AttributeColumn = ReadonlyArray<AttributeValue | undefined>;

/**
 * The catalog of documents in ordinal order, with a column for each of `attributes` and for
 * each field any document nests in one of `nesting` (`meta.author` for `meta`): filters and
 * facets reach an object's fields, sort only the names it lists.
 */
export function catalogOf(
  documents: readonly LoupeDocument[],
  attributes: readonly string[],
  nesting: readonly string[] = attributes,
): Catalog {
  const columns: Record<string, CatalogColumn> = {};
  const names = new Set(attributes);
  for (const doc of documents) {
    for (const key of Object.keys(doc.attributes ?? {})) {
      if (!names.has(key) && isWithin(key, nesting)) names.add(key);
    }
  }
  for (const name of names) {
    const column: CatalogColumn = { values: [], missing: [] };
    documents.forEach((doc, ordinal) => {
      const value = getAttribute(doc, name);
      if (value === undefined) column.missing.push(ordinal);
      column.values.push(value ?? null);
    });
    columns[name] = column;
  }
  const attributed: number[] = [];
  documents.forEach((doc, ordinal) => {
    if (doc.attributes !== undefined) attributed.push(ordinal);
  });
  return {
    ids: documents.map((doc) => doc.id),
    dates: documents.map((doc) => doc.date ?? null),
    attributes: columns,
    nested: true,
    titles: documents.map((doc) => doc.title),
    attributed,
  };
}

export class DocumentTable implements ReadonlyMap<string, LoupeDocument> {
  private readonly ordinals: Map<string, number>;
  /** `dates[ordinal]`: the document's `YYYY-MM`, if any. */
  readonly dates: ReadonlyArray<string | undefined>;
  /** Whether any document has a date: without one, no month facet is counted. */
  readonly dated: boolean;
  private readonly columns = new Map<string, AttributeColumn>();
  private readonly nested = new Map<string, readonly string[]>();

  private constructor(
    readonly ids: readonly string[],
    dates: ReadonlyArray<string | null | undefined>,
    private readonly read: (ordinal: number) => LoupeDocument,
    /** A document's fields but its body, and a part of its body: what a search hit needs. */
    readonly meta: (ordinal: number) => Omit<LoupeDocument, "body">,
    readonly segment: (ordinal: number, from: number, to: number) => BodySegment,
    private readonly stored: Record<string, CatalogColumn> = {},
    private readonly storesNested = false,
    /** From the catalog: each document's title, and which have attributes (one byte each). */
    private readonly headings?: { titles: readonly string[]; attributed: Uint8Array },
  ) {
    this.ordinals = new Map(ids.map((id, ordinal) => [id, ordinal]));
    this.dates = dates.map((date) => date ?? undefined);
    this.dated = this.dates.some((date) => date !== undefined);
  }

  /** Documents held in memory, already in ordinal order. */
  static inMemory(
    documents: readonly LoupeDocument[],
    checkpoints: readonly BodyCheckpoints[] = [],
  ): DocumentTable {
    return new DocumentTable(
      documents.map((doc) => doc.id),
      documents.map((doc) => doc.date),
      (ordinal) => documents[ordinal]!,
      (ordinal) => documents[ordinal]!,
      (ordinal, from, to) => segmentOf(documents[ordinal]!.body, checkpoints[ordinal], from, to),
    );
  }

  /**
   * A hit's heading: its id, title, date and attributes. From the catalog where it holds them,
   * else the stored record, parsed (JSON of its every field but the body, a 64-digit hash
   * among them): 26 µs of a page's 10 hits, a twentieth of a distinct benchmark query.
   */
  heading(ordinal: number): Heading {
    const { headings } = this;
    if (headings === undefined || headings.attributed[ordinal] === 1) return this.meta(ordinal);
    const date = this.dates[ordinal];
    return {
      id: this.ids[ordinal]!,
      title: headings.titles[ordinal]!,
      ...(date !== undefined && { date }),
    };
  }

  static stored(catalog: Catalog, store: DocumentStore): DocumentTable {
    const columns = Object.entries(catalog.attributes ?? {});
    if (
      catalog.ids.length !== store.size ||
      catalog.dates.length !== store.size ||
      (catalog.titles !== undefined && catalog.titles.length !== store.size) ||
      (catalog.attributed ?? []).some((o) => !(Number.isInteger(o) && o >= 0 && o < store.size)) ||
      columns.some(([, column]) => column.values.length !== store.size)
    ) {
      throw new Error(
        `the catalog lists ${catalog.ids.length} documents, the store holds ${store.size}`,
      );
    }
    return new DocumentTable(
      catalog.ids,
      catalog.dates,
      (ordinal) => store.get(ordinal),
      (ordinal) => store.meta(ordinal),
      (ordinal, from, to) => store.segment(ordinal, from, to),
      catalog.attributes,
      catalog.nested === true,
      catalog.titles === undefined ? undefined : headingsOf(catalog.titles, catalog.attributed),
    );
  }

  /**
   * The attribute `name` of every document: from the catalog when the index was built with it
   * filterable or sortable, else read from every document once (in-memory indexes, tests).
   */
  column(name: string): AttributeColumn {
    let column = this.columns.get(name);
    if (column === undefined) {
      const stored = Object.hasOwn(this.stored, name) ? this.stored[name] : undefined;
      if (
        stored === undefined &&
        this.storesNested &&
        name.includes(".") &&
        isWithin(name, Object.keys(this.stored))
      ) {
        // A field nested in a stored attribute that no document has: the catalog holds every
        // one some document has.
        column = this.ids.map(() => undefined);
      } else if (stored !== undefined) {
        const values: Array<AttributeValue | undefined> = [...stored.values];
        for (const ordinal of stored.missing) values[ordinal] = undefined;
        column = values;
      } else {
        // A nested field is a record attribute: no need to read the body.
        const read = name.includes(".") ? this.meta : this.read;
        column = this.ids.map((_, ordinal) => getAttribute(read(ordinal), name));
      }
      this.columns.set(name, column);
    }
    return column;
  }

  /** The attributes with a column in the catalog that are nested in `name` (`meta.author`). */
  nestedIn(name: string): readonly string[] {
    let nested = this.nested.get(name);
    if (nested === undefined) {
      const prefix = `${name}.`;
      const names = new Set<string>();
      if (this.storesNested) {
        for (const key of Object.keys(this.stored)) if (key.startsWith(prefix)) names.add(key);
      } else {
        // Read from the documents, once: an index built before the catalog held nested
        // fields, or one in memory.
        for (let ordinal = 0; ordinal < this.ids.length; ordinal++) {
          for (const key of Object.keys(this.meta(ordinal).attributes ?? {})) {
            if (key.startsWith(prefix)) names.add(key);
          }
        }
      }
      nested = [...names];
      this.nested.set(name, nested);
    }
    return nested;
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

function headingsOf(titles: readonly string[], attributed: readonly number[] = []) {
  const marks = new Uint8Array(titles.length);
  for (const ordinal of attributed) marks[ordinal] = 1;
  return { titles, attributed: marks };
}

/**
 * The part of `body` a stored document's `segment` would decode (`DocumentStore.segment`), from
 * the body in memory; without checkpoints, the whole body.
 */
function segmentOf(
  body: string,
  checkpoints: BodyCheckpoints | undefined,
  from: number,
  to: number,
): BodySegment {
  const whole = {
    text: body,
    start: 0,
    end: body.length,
    length: body.length,
    position: 0,
    endPosition: Number.POSITIVE_INFINITY,
  };
  if (checkpoints === undefined) return whole;
  let first = -1;
  let last = checkpoints.length / 2;
  for (let i = 0; i < checkpoints.length / 2; i++) {
    const position = checkpoints[2 * i]!;
    if (position <= from) first = i;
    if (position > to) {
      last = i;
      break;
    }
  }
  const start = first < 0 ? 0 : checkpoints[2 * first + 1]!;
  const end = last >= checkpoints.length / 2 ? body.length : checkpoints[2 * last + 1]!;
  return {
    text: body.slice(start, end),
    start,
    end,
    length: body.length,
    position: first < 0 ? 0 : checkpoints[2 * first]!,
    endPosition: last >= checkpoints.length / 2 ? Number.POSITIVE_INFINITY : checkpoints[2 * last]!,
  };
}
