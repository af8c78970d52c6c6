/**
 * Completions in the context of the words typed before: `carte g` offered `carte glibc` (a
 * word no document puts after `carte`) and not `carte grise`, written 832 times; `permis de c`
 * offered `permis de cas` and not `permis de conduire` (QA). The vocabulary knows words, not
 * what follows what; the postings' positions do. Each candidate is counted in the documents
 * where it stands where the words typed put it: after the last content word typed, as many
 * words further as were typed since (stopwords count as the chain numbers them, so `permis de
 * c…` looks two words after `permis`). Candidates found so come first, by that count; the
 * others keep the vocabulary's order (most documents first) after them.
 *
 * Bounded: the 100 most frequent completions are weighed (suggest.ts), each counted up to
 * `MAX_PER_CANDIDATE` documents and read in at most `READ_PER_CANDIDATE` documents holding both
 * words, all of them in at most `MAX_DOCUMENTS`. Measured after a warm-up (.scratch/sugq.ts,
 * sugq2.ts): 2.5–6 ms a completion after a word, on the benchmark corpus and on the Littré,
 * against 0.05–0.25 ms for the vocabulary alone; with 3,000 documents read in all, `permis de
 * c` and `titre de s` lost `conduire` and `séjour`. A completion of a first word reads none.
 */
import type { AnalyzedToken } from "../analysis/index.js";
import { FIELD_COUNT, type Postings, stopwordKey } from "../index/index.js";

const MAX_PER_CANDIDATE = 50;
const READ_PER_CANDIDATE = 80;
const MAX_DOCUMENTS = 6_000;
/** What a cursor's `doc` is past its last posting. */
const END = 0xffffffff;

export interface Candidate {
  /** The term the candidate word indexes as. */
  term: string;
}

/**
 * `candidates` reordered by how often each follows `before` (the tokens typed before the word
 * being completed, stopwords included, as the chain numbers them) in the collection.
 */
export function inContext<T extends Candidate>(
  postings: Postings,
  before: readonly AnalyzedToken[],
  candidates: readonly T[],
  wanted = 8,
): T[] {
  // The last content word typed, and how many words after it the completed one stands.
  let anchor = -1;
  for (let i = before.length - 1; i >= 0; i--) {
    if (!before[i]!.stopword) {
      anchor = i;
      break;
    }
  }
  if (anchor < 0 || candidates.length < 2) return [...candidates];
  const last = before.at(-1)!;
  const gap = last.position - before[anchor]!.position + 1;
  const term = before[anchor]!.term;
  // A stopword typed just before is looked for too, from the stopwords' lists: `aide au l`
  // offered « aide au ligne », counted from « aide en ligne » (QA).
  const joiner = last.stopword ? stopwordKey(last.term) : undefined;
  const counts = new Map<T, number>();
  let budget = MAX_DOCUMENTS;
  // The `wanted`-th best count so far: a candidate in no more documents cannot pass it.
  const best: number[] = [];
  for (const candidate of candidates) {
    const floor = best.length >= wanted ? best[wanted - 1]! : 0;
    if (floor > 0 && postings.documentFrequency(candidate.term) <= floor) continue;
    let count = 0;
    let read = 0;
    for (let field = 0; field < FIELD_COUNT && count < MAX_PER_CANDIDATE && budget > 0; field++) {
      const anchors = postings.cursor(postings.list(term, field));
      const after = postings.cursor(postings.list(candidate.term, field));
      const joiners =
        joiner === undefined ? undefined : postings.cursor(postings.list(joiner, field));
      // Each document holding both, in document order.
      let doc = after.doc;
      while (doc !== END && count < MAX_PER_CANDIDATE && read < READ_PER_CANDIDATE && budget > 0) {
        const at = anchors.seek(doc);
        if (at === END) break;
        if (at !== doc) {
          doc = after.seek(at);
          continue;
        }
        budget--;
        read++;
        const places = after.positions();
        if (
          follows(anchors.positions(), places, gap) &&
          (joiners === undefined ||
            (joiners.seek(doc) === doc && follows(joiners.positions(), places, 1)))
        ) {
          count++;
        }
        doc = after.next();
      }
    }
    counts.set(candidate, count);
    if (count > 0) {
      best.push(count);
      best.sort((a, b) => b - a);
      if (best.length > wanted) best.length = wanted;
    }
  }
  // Stable: ties (zero included, and those never counted) keep the vocabulary's order.
  return [...candidates].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
}

/** Whether some position in `later` is `gap` after one in `earlier` (both ascending). */
function follows(earlier: readonly number[], later: readonly number[], gap: number): boolean {
  let j = 0;
  for (const position of earlier) {
    const wanted = position + gap;
    while (j < later.length && later[j]! < wanted) j++;
    if (j >= later.length) return false;
    if (later[j] === wanted) return true;
  }
  return false;
}
