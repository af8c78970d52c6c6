/**
 * The vocabulary's sorted keys as a trie in typed arrays, for the typo search.
 *
 * The typo search used to walk the sorted keys themselves as an implicit trie, finding each
 * child's range by a binary search over the strings. On the Littré (267,000 keys) that cost
 * 0.38–0.56 ms per rare query word (two timings of the same 147 words), 13 % of the short
 * queries' CPU profile: every step of each binary search read a character of another string,
 * far from the last one in memory. This trie: 0.20–0.29 ms. It is built once from the sorted
 * keys, its nodes laid out breadth first so that a node's children stand side by side, with
 * each subtree's shortest and longest key beside them.
 */
export class KeyTrie {
  /**
   * The nodes in breadth-first order, so that each node's children stand side by side:
   * `childStart[n]` to `childStart[n + 1]` are node `n`'s, in the order of their units. Linked
   * by first child and next sibling in the order the keys made them, as before, a typo search
   * read each child from another place of five arrays of 590,000 nodes (the Littré's): 2,000 to
   * 3,000 children looked at per two-typo look-up, most of its time waiting on memory.
   */
  private readonly childStart: Int32Array;
  /** The code unit on the edge into each node (the root's is unused). */
  private readonly unit: Uint16Array;
  /** The index in `keys` of the key that ends at each node, or −1. */
  private readonly keyAt: Int32Array;
  /**
   * The shortest and longest key (in units) at or below each node: a subtree whose keys are all
   * too short or too long for the rest of the target is not walked. Undefined when a key is
   * longer than 65,535 units (the typed arrays' bound): then no subtree is cut for its lengths.
   */
  private readonly shortest: Uint16Array | undefined;
  private readonly longest: Uint16Array | undefined;
  /** The longest key's units: how deep a walk goes. */
  private readonly deepest: number;

  constructor(private readonly keys: readonly string[]) {
    this.deepest = longest(keys);
    let nodes = 1;
    for (let i = 0; i < keys.length; i++)
      nodes += keys[i]!.length - (i === 0 ? 0 : commonPrefix(keys[i - 1]!, keys[i]!));
    // First built linked, in one pass over the sorted keys (each key adds the nodes past its
    // common prefix with the key before it), then laid out breadth first.
    const linkedUnit = new Uint16Array(nodes);
    const firstChild = new Int32Array(nodes).fill(-1);
    const nextSibling = new Int32Array(nodes).fill(-1);
    const linkedKey = new Int32Array(nodes).fill(-1);
    // The path of the key before, node by depth, and each node's last child so far: keys come
    // sorted, so a new child always goes after its parent's last one.
    const path = new Int32Array(longest(keys) + 1);
    const lastChild = new Int32Array(nodes).fill(-1);
    let made = 1;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const shared = i === 0 ? 0 : commonPrefix(keys[i - 1]!, key);
      for (let depth = shared; depth < key.length; depth++) {
        const parent = path[depth]!;
        const node = made++;
        linkedUnit[node] = key.charCodeAt(depth);
        const last = lastChild[parent]!;
        if (last < 0) firstChild[parent] = node;
        else nextSibling[last] = node;
        lastChild[parent] = node;
        path[depth + 1] = node;
      }
      linkedKey[path[key.length]!] = i;
    }
    // Breadth first: the queue is the new order, and a node's children join it together.
    const order = new Int32Array(made);
    this.childStart = new Int32Array(made + 1);
    this.unit = new Uint16Array(made);
    this.keyAt = new Int32Array(made);
    const depth = new Uint16Array(made);
    let queued = 1;
    for (let n = 0; n < made; n++) {
      const old = order[n]!;
      this.unit[n] = linkedUnit[old]!;
      this.keyAt[n] = linkedKey[old]!;
      this.childStart[n] = queued;
      for (let child = firstChild[old]!; child >= 0; child = nextSibling[child]!) {
        depth[queued] = Math.min(0xffff, depth[n]! + 1);
        order[queued++] = child;
      }
    }
    this.childStart[made] = queued;
    if (longest(keys) > 0xffff) return;
    // Children come after their parent: read backwards, every node's subtree is done before
    // its parent reads it. A node's depth is the length of the key ending there.
    const shortest = new Uint16Array(made).fill(0xffff);
    const most = new Uint16Array(made);
    for (let node = made - 1; node >= 0; node--) {
      if (this.keyAt[node]! >= 0) {
        shortest[node] = Math.min(shortest[node]!, depth[node]!);
        most[node] = Math.max(most[node]!, depth[node]!);
      }
      for (let child = this.childStart[node]!; child < this.childStart[node + 1]!; child++) {
        shortest[node] = Math.min(shortest[node]!, shortest[child]!);
        most[node] = Math.max(most[node]!, most[child]!);
      }
    }
    this.shortest = shortest;
    this.longest = most;
  }

  /** Node `node`'s child on `code`, or −1. */
  private child(node: number, code: number): number {
    const end = this.childStart[node + 1]!;
    for (let child = this.childStart[node]!; child < end; child++)
      if (this.unit[child] === code) return child;
    return -1;
  }

  /**
   * The keys that differ from `key` by its first unit alone: without it, with another in its
   * place, or with one more before it; each found once per way, `key` itself never. Followed
   * from each first unit of the trie instead of spelt out: making the 2 × initials strings and
   * testing each, most of them no key, was a quarter of a two-typo look-up (Littré queries).
   */
  firstUnitEdits(key: string, found: (key: string, index: number) => void): void {
    if (key.length === 0) return;
    const { keyAt, keys, childStart, unit } = this;
    const report = (node: number) => {
      if (node >= 0 && keyAt[node]! >= 0) found(keys[keyAt[node]!]!, keyAt[node]!);
    };
    report(this.follow(0, key, 1));
    const first = key.charCodeAt(0);
    for (let child = childStart[0]!; child < childStart[1]!; child++) {
      if (unit[child] !== first) report(this.follow(child, key, 1));
      report(this.follow(child, key, 0));
    }
  }

  /** The node reached from `node` by `key`'s units from `from` on, or −1. */
  private follow(node: number, key: string, from: number): number {
    for (let i = from; i < key.length && node >= 0; i++) node = this.child(node, key.charCodeAt(i));
    return node;
  }

  /**
   * Every key starting with `first` (one code unit) whose rest is within `max` edits of
   * `target` (the searched word without its first unit), with its distance, in key order.
   */
  near(
    first: number,
    target: string,
    max: number,
    found: (key: string, distance: number, index: number) => void,
  ) {
    const start = this.child(0, first);
    if (start < 0) return;
    const n = target.length;
    if (n <= MASKED_UNITS) {
      this.nearByBits(start, target, max, found);
      return;
    }
    const row = new Int32Array(n + 1);
    for (let k = 0; k <= n; k++) row[k] = k;
    const search: Search = { target, n, max, rows: [], found };
    this.walk(search, start, 1, row, 0, undefined);
  }

  /**
   * `near` for targets up to 31 units, as a bit-parallel automaton (Wu & Manber 1992): for each
   * number of edits `e` up to `max`, one int whose bit `j` says that the target's first `j`
   * units are within `e` edits of the key's units read so far. A child's step is a few shifts
   * and masks per `e` instead of the band of cells of the dynamic programme (`walk`), and cuts
   * the same subtrees: the bits are the cells within `max`, the lengths' bound is read from
   * them. On the words of 6,000 Littré queries (`vocabulary.near`, memo emptied, best of 9,
   * two alternations): two typos 83–85 → 61–62 µs, one typo 16–18 → 13 µs, the same keys and
   * distances for each of their 6,361 words at 1, 2 and 3 edits.
   */
  private nearByBits(
    start: number,
    target: string,
    max: number,
    found: (key: string, distance: number, index: number) => void,
  ) {
    const n = target.length;
    // Where each unit stands in the target, shifted one up: bit j + 1 for the unit at j, the
    // step from j units matched to j + 1. Set for this search in a table kept across
    // searches, cleared after it.
    const bits = unitBits();
    for (let k = 0; k < n; k++) bits[target.charCodeAt(k)]! |= 1 << (k + 1);
    const width = max + 1;
    const states = stateSpace(width * (this.deepest + 2));
    // Before any unit past the first: the target's first e units deleted, e edits.
    for (let e = 0; e <= max; e++) states[e] = bitRange(0, Math.min(e, n));
    const search: BitSearch = { n, max, all: bitRange(0, n), bits, states, found };
    try {
      this.walkBits(search, start, 1, 0, 0);
    } finally {
      for (let k = 0; k < n; k++) bits[target.charCodeAt(k)] = 0;
    }
  }

  /**
   * The automaton's walk below `node`, whose states stand at `at` in `search.states`. A
   * method, not a closure made by each search: V8 keeps a closure's optimised code only while
   * a closure from that place is alive, so every full garbage collection sent the walk back
   * to baseline code.
   */
  private walkBits(search: BitSearch, node: number, depth: number, at: number, was: number) {
    const { n, max, all, bits, states, found } = search;
    const { shortest, longest, childStart, unit: units, keyAt } = this;
    const key = keyAt[node]!;
    if (key >= 0) {
      for (let e = 0; e <= max; e++) {
        if (((states[at + e]! >>> n) & 1) !== 0) {
          found(this.keys[key]!, e, key);
          break;
        }
      }
    }
    const next = at + max + 1;
    // The states before this node's unit, for transpositions: none at the walk's first node
    // (the searched word's first unit is not in the target).
    const above = at - max - 1;
    const end = childStart[node + 1]!;
    for (let child = childStart[node]!; child < end; child++) {
      const matches = bits[units[child]!]!;
      // Two units swapped: this node's unit `was` then the child's read the target's next two
      // in the other order, from a state of e − 1 edits two units back.
      const swapped = above >= 0 ? (matches << 1) & was : 0;
      // e edits: a unit matched with e, one substituted or inserted with e − 1 (before the
      // step), one of the target's deleted with e − 1 (after it), two swapped with e − 1.
      let before = 0;
      let after = 0;
      for (let e = 0; e <= max; e++) {
        const state = states[at + e]!;
        let now = (state << 1) & matches;
        if (e > 0) {
          now |= before | (before << 1) | (after << 1);
          if (swapped !== 0) now |= (states[above + e - 1]! << 2) & swapped;
        }
        now &= all;
        states[next + e] = now;
        before = state;
        after = now;
      }
      // Every state is within the last: none left, no key below is within `max`.
      if (after === 0) continue;
      if (shortest !== undefined && longest !== undefined) {
        // Past the child, its subtree's keys have `low` to `high` units left: a state of j
        // units matched with e edits needs |n − j − left| more, at most max − e.
        const low = shortest[child]! - depth - 1;
        const high = longest[child]! - depth - 1;
        let reachable = false;
        for (let e = 0; e <= max && !reachable; e++) {
          const slack = max - e;
          const from = Math.max(0, n - high - slack);
          const to = Math.min(n, n - low + slack);
          reachable = from <= to && (states[next + e]! & bitRange(from, to)) !== 0;
        }
        if (!reachable) continue;
      }
      this.walkBits(search, child, depth + 1, next, matches);
    }
  }

  /**
   * The typo search below `node`, whose row is `row`, for targets past 31 units (the dynamic
   * programme over a band of cells). A method, not a closure made by each search (as
   * `walkBits`).
   */
  private walk(
    search: Search,
    node: number,
    depth: number,
    row: Int32Array,
    least: number,
    above: Int32Array | undefined,
  ) {
    const { target, n, max, rows, found } = search;
    const { shortest, longest, childStart, unit: units, keyAt } = this;
    const key = keyAt[node]!;
    if (key >= 0 && row[n]! <= max) found(this.keys[key]!, row[n]!, key);
    let next = rows[depth];
    if (next === undefined) {
      // Cells off the band are never written: they stay "too far".
      next = new Int32Array(n + 1).fill(max + 1);
      rows[depth] = next;
    }
    // Only the cells within `max` of the diagonal can be within `max`. The child has read
    // `depth` units past the first letter, as `target` is the word without it.
    const from = Math.max(1, depth - max);
    const to = Math.min(n, depth + max);
    // This node's unit, which a transposition swaps with the child's: none at the first node.
    const previous = above === undefined ? -1 : units[node]!;
    const end = childStart[node + 1]!;
    for (let child = childStart[node]!; child < end; child++) {
      const unit = units[child]!;
      // A row at `max` everywhere stays within it only where the child's unit is the
      // target's at a cell of the band, or the one before it (a transposition): every other
      // cell of the next row is at least one more than a cell of this one.
      if (least >= max && !inBand(target, Math.max(1, from - 1), to, unit)) continue;
      next[0] = Math.min(row[0]! + 1, max + 1);
      let childLeast = next[0]!;
      // Past the child, its subtree's keys have `low` to `high` units left, the target
      // `target.length − k` after cell k: every key's distance is at least a cell's value
      // plus the gap between the two (1,918 typo look-ups of Littré queries: 51 µs each
      // against 70 without this bound, the same keys).
      const low = shortest === undefined ? 0 : shortest[child]! - depth - 1;
      const high = longest === undefined ? Number.POSITIVE_INFINITY : longest[child]! - depth - 1;
      let bound = next[0]! + gap(n, low, high);
      for (let k = from; k <= to; k++) {
        const substitute = row[k - 1]! + (target.charCodeAt(k - 1) === unit ? 0 : 1);
        let value = Math.min(row[k]! + 1, next[k - 1]! + 1, substitute, max + 1);
        if (
          above !== undefined &&
          k >= 2 &&
          target.charCodeAt(k - 1) === previous &&
          target.charCodeAt(k - 2) === unit
        )
          value = Math.min(value, above[k - 2]! + 1);
        next[k] = value;
        if (value < childLeast) childLeast = value;
        const reach = value + gap(n - k, low, high);
        if (reach < bound) bound = reach;
      }
      if (childLeast <= max && bound <= max)
        this.walk(search, child, depth + 1, next, childLeast, row);
    }
  }
}

/** One typo search's target and what its walk reuses (targets past 31 units). */
interface Search {
  target: string;
  n: number;
  max: number;
  rows: Int32Array[];
  found: (key: string, distance: number, index: number) => void;
}

/** One search of the automaton (`nearByBits`). */
interface BitSearch {
  n: number;
  max: number;
  /** Bits 0 to n. */
  all: number;
  /** Each code unit's bits (`nearByBits`). */
  bits: Int32Array;
  /** `max + 1` states per depth of the walk. */
  states: Int32Array;
  found: (key: string, distance: number, index: number) => void;
}

/** Targets up to this many units are searched by the automaton: bits 0 to 31 of an int. */
const MASKED_UNITS = 31;
let bitsOfUnits: Int32Array | undefined;

/** The table of each code unit's bits, all 0 between searches (256 KB, made once). */
function unitBits(): Int32Array {
  bitsOfUnits ??= new Int32Array(0x10000);
  return bitsOfUnits;
}

let states = new Int32Array(256);

/** Room for the automaton's states, kept from search to search. */
function stateSpace(size: number): Int32Array {
  if (states.length < size) states = new Int32Array(Math.max(size, 2 * states.length));
  return states;
}

/** An int with bits `from` to `to` set (0 ≤ from ≤ to ≤ 31). */
function bitRange(from: number, to: number): number {
  const upTo = to >= 31 ? -1 : (1 << (to + 1)) - 1;
  return upTo & ~((1 << from) - 1);
}

/** How far `rest` is from the range `[low, high]`: 0 inside it. */
function gap(rest: number, low: number, high: number): number {
  return rest < low ? low - rest : rest > high ? rest - high : 0;
}

/** Whether `unit` is the target's at one of the cells `from` to `to` (cell k reads unit k − 1). */
function inBand(target: string, from: number, to: number, unit: number): boolean {
  for (let k = from; k <= to; k++) if (target.charCodeAt(k - 1) === unit) return true;
  return false;
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function longest(keys: readonly string[]): number {
  let most = 0;
  for (const key of keys) if (key.length > most) most = key.length;
  return most;
}
