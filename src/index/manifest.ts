/**
 * The manifest: what makes loading an index safe. MiniSearch stores none of its options in its
 * JSON, so the manifest records them, with the analysis chain that made the terms and checksums
 * of every data file (to refuse a corrupt one rather than serve wrong answers). What went in
 * (document id → sha256 of its source, which tells a new build what changed) is a data file of
 * its own, `sources.json`: in the manifest it was 9.7 MB on the Littré, parsed at every load
 * (150 of its 1,500 ms) though only the indexer reads it.
 */
import { z } from "zod";

/**
 * Bumped when the files of an index generation change shape. 8: a record's stored document
 * holds the record as written, not its flattened attributes.
 */
export const FORMAT_VERSION = 8;

/**
 * What a generation holds: loupe's posting lists with positions, score bounds and each common
 * term's champion list (all in `postings.bin`), its document store and catalog (ids, dates,
 * titles, filterable and sortable attributes), the surface vocabulary, a MiniSearch index of
 * the same terms for MiniSearch users (never loaded by loupe itself), and the sources it was
 * built from (read by the indexer only).
 */
export const DATA_FILES = [
  "postings.bin",
  "documents.bin",
  "catalog.json",
  "vocabulary.txt",
  "minisearch.json",
  "sources.json",
] as const;
/** What `loadIndex` reads and checks; `minisearch.json` is checked when it is opened. */
export const LOADED_FILES = [
  "postings.bin",
  "documents.bin",
  "catalog.json",
  "vocabulary.txt",
] as const;
export type DataFile = (typeof DATA_FILES)[number];

const checksum = z.object({ bytes: z.number().int().nonnegative(), sha256: z.string().length(64) });

export const manifestSchema = z.object({
  format: z.number().int(),
  loupeVersion: z.string(),
  generation: z.string(),
  builtAt: z.string(),
  analysis: z.object({ version: z.string(), fingerprint: z.string() }),
  minisearch: z.object({ version: z.string(), options: z.record(z.string(), z.unknown()) }),
  documents: z.number().int().nonnegative(),
  input: z.string(),
  /** The index settings it was built with, in canonical form (corpus/settings.ts). */
  settings: z.string(),
  data: z.object({
    "postings.bin": checksum,
    "documents.bin": checksum,
    "catalog.json": checksum,
    "vocabulary.txt": checksum,
    "minisearch.json": checksum,
    "sources.json": checksum,
  }),
});

export type Manifest = z.infer<typeof manifestSchema>;

/** `sources.json`: document id → sha256 of its source (a file's bytes; a record's own text). */
export type Sources = Record<string, string>;

/** Checked by a loop rather than `z.record`: zod took 160 ms over the Littré's 108,891 entries. */
export function isSources(value: unknown): value is Sources {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  for (const key in value) {
    if (typeof (value as Record<string, unknown>)[key] !== "string") return false;
  }
  return true;
}
