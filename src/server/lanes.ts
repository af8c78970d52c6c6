/**
 * Two lanes of waiting searches, so that costly queries cannot delay cheap ones without bound.
 * The cost is guessed from the query's text alone, before any search: what makes the engine
 * slow is long posting lists (stopwords, one- and two-letter words, short prefixes) and phrase
 * checks, and the costly queries (`quelles ayant elle sont`, `la* le* de*`, 26 one-letter
 * words, eight phrases) all show it in their words. A wrong guess costs little: every search is
 * cut at its time budget anyway, and the lanes only order the waiting.
 */
import { fold, isStopword } from "../analysis/index.js";

export type Lane = "cheap" | "costly";

const COSTLY_SCORE = 6;
const WORD = /[^\s"()]+/g;

/** The lane of a search query. */
export function laneOf(query: string): Lane {
  let score = 0;
  let words = 0;
  let stopwords = 0;
  for (const [raw] of query.matchAll(WORD)) {
    const prefix = raw.endsWith("*");
    const word = fold(raw.replace(/^[-+]|\*$/g, "").toLowerCase());
    if (word === "") continue;
    words++;
    if (prefix) score += word.length <= 3 ? 4 : 2;
    else if (isStopword(word)) {
      stopwords++;
      score += 3;
    } else score += word.length <= 2 ? 2 : 1;
  }
  score += Math.floor((query.match(/"/g)?.length ?? 0) / 2) * 2;
  return score >= COSTLY_SCORE || (words > 0 && stopwords === words) ? "costly" : "cheap";
}

interface Waiting<T> {
  item: T;
  since: number;
}

/**
 * Waiting items by lane, each lane bounded. Cheap items go first; a costly one goes first once
 * it has waited `agingMs`, so a stream of cheap queries cannot starve the costly lane either.
 */
export class LaneQueue<T> {
  private readonly lanes: Record<Lane, Waiting<T>[]> = { cheap: [], costly: [] };

  constructor(
    readonly limits: Record<Lane, number>,
    private readonly agingMs = 250,
  ) {}

  /** False when the lane is full. */
  push(lane: Lane, item: T, now = performance.now()): boolean {
    const queue = this.lanes[lane];
    if (queue.length >= this.limits[lane]) return false;
    queue.push({ item, since: now });
    return true;
  }

  /** The next item to run; with `costlyAllowed` false the costly lane waits. */
  shift(costlyAllowed: boolean, now = performance.now()): T | undefined {
    const { cheap, costly } = this.lanes;
    const oldCostly = costly[0];
    if (costlyAllowed && oldCostly !== undefined) {
      if (cheap.length === 0 || now - oldCostly.since >= this.agingMs) return costly.shift()?.item;
    }
    return cheap.shift()?.item;
  }

  /** Whether the lane's oldest item has waited `agingMs`: a costly one then goes before cheap ones. */
  overdue(lane: Lane, now = performance.now()): boolean {
    const first = this.lanes[lane][0];
    return first !== undefined && now - first.since >= this.agingMs;
  }

  /** Removes an item that stopped waiting (its request gave up). */
  remove(lane: Lane, item: T): void {
    const queue = this.lanes[lane];
    const at = queue.findIndex((w) => w.item === item);
    if (at !== -1) queue.splice(at, 1);
  }

  size(lane: Lane): number {
    return this.lanes[lane].length;
  }

  /** Everything still waiting, emptied: for a shutdown. */
  drain(): T[] {
    const all = [...this.lanes.cheap, ...this.lanes.costly].map((w) => w.item);
    this.lanes.cheap = [];
    this.lanes.costly = [];
    return all;
  }
}
