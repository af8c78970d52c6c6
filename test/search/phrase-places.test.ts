/**
 * A phrase is marked where it matched, by the index's positions: a hit's snippet is cut around
 * a place where the phrase stands (not where its words stand apart), a phrase with a slop is
 * marked too, and the whole-document marks equal a brute-force scan with loupe's own analysis.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { analyze } from "../../src/analysis/index.js";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import { parseQuery } from "../../src/search/index.js";
import { phrasePlaces } from "../../src/search/phrase-match.js";
import { testDocument as doc } from "./helpers.js";

const marked = (text: string, spans: readonly (readonly [number, number])[]) =>
  spans.map(([start, end]) => text.slice(start, end));

describe("phrases marked where they matched", () => {
  const apart = Array.from({ length: 30 }, () => "La mission continue ici. Et l’OTAN aussi.").join(
    " ",
  );
  const filler = Array.from({ length: 60 }, (_, i) => `mot${i}`).join(" ");
  const body = `${apart} ${filler} Ensuite la mission de l’OTAN en Irak reprendra. ${filler}`;
  const engine = new LoupeEngine(
    indexDocuments([doc(0, "Un titre sur la mission de l'OTAN", body), doc(1, "Autre", "rien")]),
  );

  test("the snippet is cut around the phrase, not where its words stand apart", () => {
    const [hit] = engine.search('"mission de l’OTAN"').hits;
    expect(marked(hit!.snippet.text, hit!.snippet.marks)).toEqual(["mission de l’OTAN"]);
    expect(marked("Un titre sur la mission de l'OTAN", hit!.titleMarks)).toEqual([
      "mission de l'OTAN",
    ]);
  });

  test("a phrase with a slop is marked, in the snippet, with highlights and in the document", () => {
    const [hit] = engine.search('"OTAN Irak"~1').hits;
    expect(marked(hit!.snippet.text, hit!.snippet.marks)).toEqual(["l’OTAN en Irak"]);
    const [whole] = engine.search('"OTAN Irak"~1', { highlights: true }).hits;
    expect(marked(body, whole!.highlights ?? [])).toEqual(["l’OTAN en Irak"]);
    const view = engine.getDocument("d000", '"OTAN Irak"~1');
    expect(marked(body, view!.highlights ?? [])).toEqual(["l’OTAN en Irak"]);
    // Two words further apart than the slop allows: no match, nothing marked.
    expect(engine.search('"mission Irak"~1').total).toBe(0);
  });
});

describe("a phrase's stopwords and elisions", () => {
  const text = "Le cœur de l’œuvre. Les fables d’Æsope. UNE ŒUVRE MAJEURE.";
  const engine = new LoupeEngine(
    indexDocuments([
      doc(0, "Ligatures", text),
      doc(1, "Élisions", "L’État a décidé qu’il fallait agir, jusqu’à Paris."),
    ]),
  );
  const marks = (q: string) =>
    engine.search(q, { highlights: true }).hits.map((hit) => {
      const body = engine.getDocument(hit.id)!.body;
      return marked(body, hit.highlights ?? []);
    });

  test("a stopword at a phrase's edge is marked only where it stands", () => {
    // « UNE » took the place of « de »: the phrase matches there, but only « ŒUVRE » is marked.
    expect(marks('"de l’oeuvre"')).toEqual([["de l’œuvre", "ŒUVRE"]]);
  });

  test("l, d, qu, jusqu typed without their apostrophe are the elisions they are", () => {
    expect(marks('"de l oeuvre"')).toEqual([["de l’œuvre", "ŒUVRE"]]);
    expect(marks('"coeur de l oeuvre"')).toEqual([["cœur de l’œuvre"]]);
    for (const q of ['"l etat a decide"', '"décidé qu il fallait"', '"fallait agir jusqu a Paris"'])
      expect(engine.search(q).total, q).toBe(1);
  });
});

const WORDS = ["la", "de", "des", "dossier", "État", "Etat", "islamique", "formation", "un"];

/** Each place of `phrase` in `text` as a span of the text, by matchPhrase's rule, from scratch. */
function places(text: string, phrase: string): Array<[number, number]> {
  const wanted = analyze(phrase, { keepStopwords: true });
  const tokens = analyze(text, { keepStopwords: true });
  if (wanted.length === 0 || tokens.length === 0) return [];
  const base = wanted[0]!.position;
  const span = wanted.at(-1)!.position - base;
  const content = wanted.filter((token) => !token.stopword);
  const required = content.length > 0 ? content : wanted;
  const at = new Map(tokens.map((token) => [token.position, token]));
  const found: Array<[number, number]> = [];
  for (const first of tokens) {
    const start = first.position;
    const last = at.get(start + span);
    if (last === undefined) continue;
    const all = required.every((token) => {
      const there = at.get(start + token.position - base);
      return there !== undefined && there.term === token.term && there.stopword === token.stopword;
    });
    if (!all) continue;
    // Stopwords at the phrase's ends match any word, and are marked only where they stand.
    const stands = (token: (typeof wanted)[number]) =>
      at.get(start + token.position - base)?.term === token.term;
    let from = 0;
    let to = wanted.length - 1;
    if (content.length > 0) {
      while (wanted[from]!.stopword && !stands(wanted[from]!)) from++;
      while (wanted[to]!.stopword && !stands(wanted[to]!)) to--;
    }
    const firstKept = at.get(start + wanted[from]!.position - base)!;
    const lastKept = at.get(start + wanted[to]!.position - base)!;
    found.push([firstKept.start, lastKept.end]);
  }
  return found;
}

/** Overlapping spans as one, as marks are shown. */
function merged(spans: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [start, end] of spans.sort((a, b) => a[0] - b[0])) {
    const last = out.at(-1);
    if (last !== undefined && start < last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

describe("phrase places", () => {
  test("a document's phrase marks equal a brute-force scan, stopwords and both fields included", () => {
    const text = fc
      .array(fc.constantFrom(...WORDS), { maxLength: 25 })
      .map((words) => words.join(" "));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom(...WORDS), { minLength: 2, maxLength: 3 }).map((w) => w.join(" ")),
        (texts, phrase) => {
          const documents = texts.map(([title, body], i) => doc(i, title, body));
          const engine = new LoupeEngine(indexDocuments(documents));
          const query = `"${phrase}"`;
          for (const d of documents) {
            const view = engine.getDocument(d.id, query);
            expect(view!.highlights ?? [], `${d.id} body`).toEqual(merged(places(d.body, phrase)));
            expect(view!.titleMarks ?? [], `${d.id} title`).toEqual(
              merged(places(d.title, phrase)),
            );
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  test("phrasePlaces gives the first and last word of each place, in order, up to max", () => {
    const index = indexDocuments([
      doc(0, "t", "de la formation de la formation un dossier de la formation"),
    ]);
    const [phrase] = parseQuery('"de la formation"').phrases;
    const all = phrasePlaces(index.postings, phrase!, 0, 1, 10);
    expect(all).toEqual([
      [0, 2],
      [3, 5],
      [8, 10],
    ]);
    expect(phrasePlaces(index.postings, phrase!, 0, 1, 2)).toEqual(all.slice(0, 2));
    expect(phrasePlaces(index.postings, phrase!, 0, 0, 10)).toEqual([]);
  });
});
