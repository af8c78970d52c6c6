/**
 * Attributes of documents: how a JSON record's nested fields become dot paths, and one way to
 * ask any document (file or record) for an attribute by name, for searchable attributes,
 * filters, facets, sort and displayed attributes alike.
 */
import type { AttributeScalar, AttributeValue, JsonValue, LoupeDocument } from "./types.js";

/**
 * `{ meta: { author: "A" }, tags: ["x"], authors: [{ name: "B" }, { name: "C" }] }` →
 * `{ "meta.author": "A", tags: ["x"], "authors.name": ["B", "C"] }`. Arrays of arrays are
 * flattened; an empty array stays `[]` (so `IS EMPTY` can tell it from a missing one), and so
 * does an empty object, which Meilisearch's `EXISTS` and `IS EMPTY` count as present and empty.
 * A non-empty object is its dot paths only; filters reach it through them (`isWithin`).
 * Strings are NFC, like every text loupe indexes.
 */
export function flattenRecord(record: Record<string, unknown>): Record<string, AttributeValue> {
  // A Map, made an object at the end: a `__proto__` field stays a field, and the lists it
  // makes are pushed to, not copied at each item (50,000 items took 10 s to flatten, and
  // records are flattened again as the store reads them, for every hit; QA).
  const out = new Map<string, AttributeValue>();
  const lists = new Set<string>();
  const put = (key: string, value: AttributeScalar, inArray: boolean) => {
    const existing = out.get(key);
    if (!inArray && existing === undefined) {
      out.set(key, value);
      return;
    }
    if (lists.has(key)) {
      (existing as AttributeScalar[]).push(value);
      return;
    }
    const list: AttributeScalar[] =
      existing === undefined ? [] : Array.isArray(existing) ? [...existing] : [existing];
    list.push(value);
    out.set(key, list);
    lists.add(key);
  };
  const visit = (value: unknown, key: string, inArray: boolean) => {
    if (Array.isArray(value)) {
      if (value.length === 0 && !out.has(key)) out.set(key, []);
      for (const item of value) visit(item, key, true);
      return;
    }
    if (typeof value === "object" && value !== null) {
      const entries = Object.entries(value);
      if (entries.length === 0 && key !== "" && !out.has(key)) out.set(key, []);
      for (const [k, v] of entries) visit(v, key === "" ? k : `${key}.${k}`, inArray);
      return;
    }
    const scalar = toScalar(value);
    if (scalar !== undefined) put(key, scalar, inArray);
  };
  for (const [k, v] of Object.entries(record)) visit(v, k, false);
  return Object.fromEntries(out);
}

/**
 * A parsed JSON record as loupe keeps it: its strings NFC, as every text it indexes (and as
 * flattenRecord makes its values), its keys defined as its own (a `__proto__` key stays a key).
 */
export function recordOf(record: Record<string, unknown>): { [key: string]: JsonValue } {
  const copy = (value: unknown): JsonValue => {
    if (typeof value === "string") return value.normalize("NFC");
    if (Array.isArray(value)) return value.map(copy);
    if (typeof value === "object" && value !== null)
      return recordOf(value as Record<string, unknown>);
    // JSON.parse gives nothing else than numbers, booleans and null here.
    return value as AttributeScalar;
  };
  // Keys as written, as flattenRecord names the attributes after them.
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, copy(value)]));
}

/**
 * What `displayed` shows of a record (Meilisearch's `displayedAttributes`): every attribute
 * with `["*"]`; else those listed, a dot path keeping the objects around its field (`pos.ville`
 * of `pos: [{ ville, cp }]` is `pos: [{ ville }]`), in the record's order.
 */
export function displayedPart(
  record: { [key: string]: JsonValue },
  displayed: readonly string[],
): { [key: string]: JsonValue } {
  if (isEveryAttribute(displayed)) return record;
  const deeper = (path: string) => displayed.some((name) => name.startsWith(`${path}.`));
  const part = (value: JsonValue, path: string): JsonValue | undefined => {
    if (isWithin(path, displayed)) return value;
    if (!deeper(path)) return undefined;
    if (Array.isArray(value)) {
      const items = value.flatMap((item) => {
        const kept = part(item, path);
        return kept === undefined ? [] : [kept];
      });
      return items.length > 0 ? items : undefined;
    }
    if (typeof value === "object" && value !== null) {
      const fields = fieldsOf(value, path);
      return fields.length > 0 ? Object.fromEntries(fields) : undefined;
    }
    // A scalar where a field inside it was asked for.
    return undefined;
  };
  const fieldsOf = (object: { [key: string]: JsonValue }, path: string) =>
    Object.entries(object).flatMap(([key, value]): Array<[string, JsonValue]> => {
      const kept = part(value, path === "" ? key : `${path}.${key}`);
      return kept === undefined ? [] : [[key, kept]];
    });
  return Object.fromEntries(fieldsOf(record, ""));
}

function toScalar(value: unknown): AttributeScalar | undefined {
  if (typeof value === "string") return value.normalize("NFC");
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "boolean" || value === null) return value;
  return undefined;
}

/**
 * An attribute of any document by name. The fields every document has answer under their own
 * names (`id`, `title`, `body`, `date`, `day`, `url`, `lang`, `description`, `source`), so
 * `filterableAttributes: ["date", "lang"]` works on HTML pages and `searchableAttributes:
 * ["title", "body"]` on every format; a record's own attributes win over them.
 */
export function getAttribute(
  doc: Omit<LoupeDocument, "body"> & Partial<Pick<LoupeDocument, "body">>,
  name: string,
): AttributeValue | undefined {
  const own = doc.attributes?.[name];
  if (own !== undefined) return own;
  switch (name) {
    case "id":
    case "title":
    case "body":
    case "source":
      return doc[name];
    case "date":
    case "day":
    case "url":
    case "lang":
    case "description":
      return doc[name];
    default:
      return undefined;
  }
}

/** The text of an attribute, for indexing it: strings and numbers, array items on their own lines. */
export function attributeText(value: AttributeValue | undefined): string {
  if (value === undefined || value === null || typeof value === "boolean") return "";
  if (Array.isArray(value)) {
    return value
      .map((v) => attributeText(v))
      .filter((t) => t !== "")
      .join("\n");
  }
  return String(value);
}

/**
 * Whether `name` is one of `names` or a field nested in one of them (`meta.author` in `meta`):
 * as in Meilisearch, declaring an object filterable declares its fields.
 */
export function isWithin(name: string, names: readonly string[]): boolean {
  return names.some((listed) => name === listed || name.startsWith(`${listed}.`));
}

/** `["*"]`: every attribute, as the settings' lists write it. */
export function isEveryAttribute(names: readonly string[]): boolean {
  return names.length === 1 && names[0] === "*";
}

/**
 * The names `searchableAttributes` stands for on a record's attributes, in order: `["*"]` is
 * the title, the body, then every other attribute holding text, in the record's order.
 */
export function searchableNames(
  attributes: Readonly<Record<string, AttributeValue>>,
  searchable: readonly string[],
): string[] {
  if (!isEveryAttribute(searchable)) return [...searchable];
  const names = ["title", "body"];
  for (const [name, value] of Object.entries(attributes)) {
    if (!names.includes(name) && attributeText(value) !== "") names.push(name);
  }
  return names;
}
