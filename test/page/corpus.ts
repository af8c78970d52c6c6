/**
 * Indexes for the page tests and the browser tests: seeds/ as it is, and a small collection
 * holding a hostile document (HTML in its title and body) next to one seed.
 */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildIndex } from "../../src/index/index.js";

export const SEEDS = "seeds";

/** The markup the hostile document holds, as text. */
export const IMG_PAYLOAD = "<img src=x onerror=alert(1)>";
export const SCRIPT_PAYLOAD = "<script>alert(1)</script>";
/** Its id: in a folder, with an accent, so links must encode each segment. */
export const HOSTILE_ID = "dossier/piège";
/** A word only the hostile document contains. */
export const HOSTILE_WORD = "chausse-trappe";

export const HOSTILE_TEXT = [
  ` date 2020-03 Le piège ${IMG_PAYLOAD} du titre`,
  "",
  `Une chausse-trappe dans le texte : ${SCRIPT_PAYLOAD} puis ${IMG_PAYLOAD} au milieu des mots.`,
  "",
  `La chausse-trappe revient, avec des <b>balises</b> & des "guillemets" et des 'apostrophes'.`,
  "",
].join("\n");

/** Builds an index of seeds/ into `out`. */
export async function buildSeedsIndex(out: string): Promise<void> {
  await buildIndex({ input: SEEDS, out });
}

/**
 * Writes the hostile document under `root`/hostile-corpus, next to the given seeds (file names
 * of seeds/; default: just one), and indexes that folder into `out`.
 */
export async function buildHostileIndex(
  root: string,
  out: string,
  seeds: string[] = ["000_40aae3a910703884.txt"],
): Promise<void> {
  const input = join(root, "hostile-corpus");
  mkdirSync(join(input, "dossier"), { recursive: true });
  writeFileSync(join(input, "dossier", "piège.txt"), HOSTILE_TEXT);
  for (const seed of seeds) copyFileSync(join(SEEDS, seed), join(input, seed));
  await buildIndex({ input, out });
}

/** Every seed's file name. */
export function seedFiles(): string[] {
  return readdirSync(SEEDS).filter((name) => name.endsWith(".txt"));
}
