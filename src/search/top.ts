/**
 * The first `k` items in `order`, sorted. A page needs ten documents and a common word matches
 * thousands: keeping the best in a small sorted buffer avoids sorting them all.
 */
export function firstInOrder<T>(items: T[], k: number, order: (a: T, b: T) => number): T[] {
  if (items.length <= k * 8) return items.sort(order).slice(0, k);
  const best: T[] = [];
  for (const item of items) {
    if (best.length === k && order(item, best[k - 1]!) >= 0) continue;
    let at = best.length;
    while (at > 0 && order(item, best[at - 1]!) < 0) at--;
    best.splice(at, 0, item);
    if (best.length > k) best.pop();
  }
  return best;
}

/**
 * Sorts `items` in place by score, highest first, then by ordinal: the order of `b.score -
 * a.score || a.ordinal - b.ordinal`, without a comparator's call per pair. The learned model's
 * window (100 documents by default) went through `Array.prototype.sort` with that comparator
 * in about a tenth of the ranking step's own time (CPU profile of two-word Littré queries); an
 * insertion sort over typed copies makes no call at all. Its cost grows with the square of the
 * window, which the ranking's settings may widen: past `INSERTION_UP_TO` the comparator sorts.
 * Ordinals are distinct, so the order is total and any correct sort gives this one.
 */
export function sortByScore<T extends { score: number; ordinal: number }>(items: T[]): void {
  const n = items.length;
  if (n < 2) return;
  if (n > INSERTION_UP_TO) {
    items.sort((a, b) => b.score - a.score || a.ordinal - b.ordinal);
    return;
  }
  const scores = new Float64Array(n);
  const ordinals = new Float64Array(n);
  const at = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    scores[i] = items[i]!.score;
    ordinals[i] = items[i]!.ordinal;
    at[i] = i;
  }
  for (let i = 1; i < n; i++) {
    const moving = at[i]!;
    const score = scores[moving]!;
    const ordinal = ordinals[moving]!;
    let j = i - 1;
    for (; j >= 0; j--) {
      const other = at[j]!;
      const before =
        scores[other]! > score || (scores[other] === score && ordinals[other]! < ordinal);
      if (before) break;
      at[j + 1] = other;
    }
    at[j + 1] = moving;
  }
  const copy = items.slice();
  for (let i = 0; i < n; i++) items[i] = copy[at[i]!]!;
}

const INSERTION_UP_TO = 256;
