/**
 * The Littré scale corpus on disk: prepared by the shared `littre.sh` into an ignored folder,
 * and cut into nested slices (10 %, 25 %, … of the files in a fixed hash order, so a smaller
 * slice is a subset of a larger one). A slice is a folder of hard links to the full corpus's
 * files, so `loupe index --input SLICE` reads real files without copying 100 MB.
 */
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fnv1a } from "../corpus.js";

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const DATA_DIR = join(BENCH_DIR, ".data");
export const LITTRE_DIR = join(DATA_DIR, "littre");
/** Where the shared preparation script lives; `LOUPE_LITTRE_SH` points elsewhere. */
const LITTRE_SH = process.env.LOUPE_LITTRE_SH ?? "/work/shared/scale-corpus/littre.sh";

/** Writes the Littré into `bench/.data/littre/` unless it is complete (the script checks). */
export function ensureLittre(): string {
  if (existsSync(join(LITTRE_DIR, ".complete"))) return LITTRE_DIR;
  if (!existsSync(LITTRE_SH)) {
    throw new Error(
      `${LITTRE_SH} not found: set LOUPE_LITTRE_SH to the scale corpus's littre.sh ` +
        "(it needs Debian's apt-get, after `apt-get update`, and python3)",
    );
  }
  mkdirSync(DATA_DIR, { recursive: true });
  execFileSync("bash", [LITTRE_SH, LITTRE_DIR], { stdio: "inherit" });
  return LITTRE_DIR;
}

/** The corpus's `.txt` files in slice order: FNV-1a of the name, ties by name. */
export function sliceOrder(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".txt"))
    .map((name) => ({ name, h: fnv1a(`littre:${name}`) }))
    .sort((a, b) => a.h - b.h || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((x) => x.name);
}

export interface Slice {
  fraction: number;
  dir: string;
  /** File names in the slice, in slice order. */
  files: string[];
}

const pct = (fraction: number) => Math.round(fraction * 1000) / 10;

/** The slice folder for `fraction` of the corpus, made (or remade when incomplete) on demand. */
export function ensureSlice(order: readonly string[], fraction: number): Slice {
  const files = order.slice(0, Math.round(order.length * fraction));
  if (files.length === order.length) return { fraction, dir: LITTRE_DIR, files };
  const dir = join(DATA_DIR, "slices", `p${pct(fraction)}`);
  const marker = join(dir, ".complete");
  const expected = `${files.length} ${fnv1a(files.join("\n"))}\n`;
  if (existsSync(marker) && readFileSync(marker, "utf8") === expected) {
    return { fraction, dir, files };
  }
  // Built beside and renamed, so an interrupted run never leaves a slice that looks complete.
  const work = `${dir}.tmp-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const name of files) {
    try {
      linkSync(join(LITTRE_DIR, name), join(work, name));
    } catch {
      // Another file system (or no hard links): a copy reads the same.
      copyFileSync(join(LITTRE_DIR, name), join(work, name));
    }
  }
  writeFileSync(join(work, ".complete"), expected);
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
  return { fraction, dir, files };
}

/** Document id of a Littré file, as loupe derives it (the name without `.txt`). */
export const idOf = (file: string) => file.slice(0, -".txt".length);
