/**
 * Speed of loupe's French stemmer against snowball-stemmer.jsx, the fastest npm Snowball French
 * stemmer, over the Snowball reference vocabulary (21,655 words); also how far that package
 * agrees with the current algorithm's reference output.
 *
 *   npx tsx bench/stemmer-speed.ts
 *
 * snowball-stemmer.jsx memoises every word it has stemmed (an object keyed by the word), so a
 * second pass over the same list measures hash lookups, not stemming. loupe's stem() does not
 * cache (the analysis chain does, separately), so the figure compared is the peer's stemming work
 * with its cache bypassed; the CLI also prints the peer's speed as shipped, cold and warm.
 */
import { readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { stem } from "../src/analysis/stemmer.js";

/** The parts of snowball-stemmer.jsx's generated FrenchStemmer used here (it ships no types). */
interface JsxFrenchStemmer {
  stemWord(word: string): string;
  // Internal state of the generated Snowball runtime, set directly to stem without the cache.
  current: string;
  cursor: number;
  limit: number;
  limit_backward: number;
  bra: number;
  ket: number;
  stem$(): boolean;
}

interface JsxFrenchModule {
  FrenchStemmer: new () => JsxFrenchStemmer;
}

const require = createRequire(import.meta.url);
const { FrenchStemmer } =
  require("snowball-stemmer.jsx/dest/french-stemmer.common.js") as JsxFrenchModule;

function readLines(name: string): string[] {
  const url = new URL(`../test/fixtures/snowball-fr/${name}`, import.meta.url);
  const lines = readFileSync(url, "utf8").split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Snowball stemming with snowball-stemmer.jsx's memo table bypassed (what stemWord does on a miss). */
function peerStemUncached(stemmer: JsxFrenchStemmer, word: string): string {
  stemmer.current = word;
  stemmer.cursor = 0;
  stemmer.limit = word.length;
  stemmer.limit_backward = 0;
  stemmer.bra = 0;
  stemmer.ket = word.length;
  stemmer.stem$();
  return stemmer.current;
}

type PassFn = (words: readonly string[]) => number;

const WARMUP_ROUNDS = 5;
const ROUNDS = 15;
const PASSES_PER_ROUND = 10; // ~216k words a round, long enough for the timer

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Median words/s of each pass function. Rounds alternate between the functions so that drift in
 * machine load (thermal, other processes) hits all of them alike. The returned checksums keep the
 * results alive so the JIT cannot drop the calls.
 */
function measure(
  words: readonly string[],
  passes: readonly PassFn[],
  warmupRounds = WARMUP_ROUNDS,
  rounds = ROUNDS,
): number[] {
  const rates: number[][] = passes.map(() => []);
  let checksum = 0;
  for (let round = 0; round < warmupRounds + rounds; round++) {
    passes.forEach((pass, i) => {
      const start = process.hrtime.bigint();
      for (let p = 0; p < PASSES_PER_ROUND; p++) checksum += pass(words);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (round >= warmupRounds) rates[i]!.push((words.length * PASSES_PER_ROUND) / seconds);
    });
  }
  if (checksum === 0) throw new Error("stemmers produced nothing");
  return rates.map(median);
}

const loupePass: PassFn = (words) => {
  let total = 0;
  for (const word of words) total += stem(word).length;
  return total;
};

const peer = new FrenchStemmer();
const peerUncachedPass: PassFn = (words) => {
  let total = 0;
  for (const word of words) total += peerStemUncached(peer, word).length;
  return total;
};

export interface StemmerMeasurement {
  /** Median words/s of loupe's stem() over the reference vocabulary. */
  loupeWordsPerSec: number;
  /** Median words/s of snowball-stemmer.jsx stemming the same words, its memo table bypassed. */
  peerWordsPerSec: number;
  /** Share of the reference vocabulary (0..1) on which snowball-stemmer.jsx gives the expected stem. */
  peerAgreement: number;
}

export interface StemmerOptions {
  /** Untimed rounds first (default 5). */
  warmupRounds?: number;
  /** Timed rounds, the median is reported (default 15); fewer for a smoke test. */
  rounds?: number;
}

export async function measureStemmers(options: StemmerOptions = {}): Promise<StemmerMeasurement> {
  const words = readLines("voc.txt");
  const expected = readLines("output.txt");
  let agree = 0;
  const check = new FrenchStemmer();
  words.forEach((word, i) => {
    if (check.stemWord(word) === expected[i]) agree++;
  });
  const [loupeWordsPerSec, peerWordsPerSec] = measure(
    words,
    [loupePass, peerUncachedPass],
    options.warmupRounds,
    options.rounds,
  );
  return {
    loupeWordsPerSec: loupeWordsPerSec!,
    peerWordsPerSec: peerWordsPerSec!,
    peerAgreement: agree / words.length,
  };
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const words = readLines("voc.txt");
  const expected = readLines("output.txt");
  const loupeAgree = words.filter((word, i) => stem(word) === expected[i]).length;
  const result = await measureStemmers();

  // The peer as shipped: a fresh instance per pass stems every word (plus filling its memo table);
  // a reused instance only looks words up after the first pass.
  const peerColdPass: PassFn = (list) => {
    const fresh = new FrenchStemmer();
    let total = 0;
    for (const word of list) total += fresh.stemWord(word).length;
    return total;
  };
  const warm = new FrenchStemmer();
  const peerWarmPass: PassFn = (list) => {
    let total = 0;
    for (const word of list) total += warm.stemWord(word).length;
    return total;
  };
  const [cold, memo] = measure(words, [peerColdPass, peerWarmPass]);

  const mps = (rate: number) => `${(rate / 1e6).toFixed(2)} M words/s`;
  const pct = (share: number) => `${(share * 100).toFixed(2)} %`;
  console.log(`reference vocabulary: ${words.length} words, Node ${process.version}`);
  console.log(
    `loupe stem():                      ${mps(result.loupeWordsPerSec)}, agreement ${pct(loupeAgree / words.length)}`,
  );
  console.log(
    `snowball-stemmer.jsx (no memo):    ${mps(result.peerWordsPerSec)}, agreement ${pct(result.peerAgreement)}`,
  );
  console.log(`snowball-stemmer.jsx stemWord, cold memo: ${mps(cold!)}`);
  console.log(`snowball-stemmer.jsx stemWord, warm memo: ${mps(memo!)} (lookups only)`);
  console.log(
    `loupe / peer (no memo): ${(result.loupeWordsPerSec / result.peerWordsPerSec).toFixed(2)}x`,
  );
}
