/**
 * Snippets, title highlighting and match offsets: the words marked are the words as written,
 * snippets are a readable window cut at word boundaries, the engine returns text and spans (no
 * HTML), and the server's rendering of them lets nothing from the text through unescaped.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { analyze } from "../../src/analysis/index.js";
import { readCorpus } from "../../src/corpus/index.js";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";
import {
  asHtml,
  markedWords,
  removeTemps,
  SEED,
  type SeedsEngine,
  seedsEngine,
  seedsWith,
  termOf,
  termsIn,
  testDocument,
  visibleText,
} from "./helpers.js";

let seeds: SeedsEngine;
beforeAll(async () => {
  seeds = await seedsEngine();
});
afterAll(removeTemps);

const QUERIES = [
  "Parly",
  "Stoltenberg",
  "Bagdad",
  "Soleimani",
  "Hutchison",
  "Sajjan",
  "helicoptere",
  "Etat islamique",
  "oeuvre",
  '"formation des formateurs"',
  '"État islamique"',
  "OTAN -Canada",
  "hutch",
  "gouverneme",
  "Stoltemberg",
  "l'été",
  "le la les",
  "OTAN Irak",
  "mission formation Irak suspendue",
  "date:2020-01..2020-02",
  "xyzzyq",
];

describe("marked words", () => {
  test("helicoptere marks hélicoptères as written, never the stem or the query", () => {
    const result = seeds.engine.search("helicoptere");
    expect(result.hits.length).toBe(2);
    for (const hit of result.hits) {
      const marked = markedWords(hit.snippet);
      expect(marked.length).toBeGreaterThan(0);
      for (const word of marked) expect(["hélicoptères", "Hélicoptères"]).toContain(word);
    }
  });

  test("OTAN marks L’OTAN with its curly apostrophe, in the title and the snippet", () => {
    const hit = seeds.engine.search("OTAN").hits.find((h) => h.id === SEED.suspension)!;
    expect(hit.titleMarks[0]).toEqual([0, "L’OTAN".length]);
    expect(hit.title.startsWith("L’OTAN a suspendu")).toBe(true);
    expect(markedWords(hit.snippet)).toContainEqual(expect.stringMatching(/^[Ll]’OTAN$/));
    // The straight apostrophe of another article, escaped inside the mark as the API sends it.
    const anadolu = seeds.engine.search("OTAN").hits.find((h) => h.id === SEED.anadolu)!;
    expect(markedWords(anadolu.snippet)).toContain("L'OTAN");
    expect(asHtml(anadolu.snippet)).toContain("<mark>L&#39;OTAN</mark>");
  });

  test("every marked word of every snippet analyses to a term the query asked for", () => {
    for (const query of ["Soleimani Bagdad hélicoptères ", "OTAN Irak ", "Parly Hutchison "]) {
      const terms = new Set(termsIn(query));
      for (const hit of seeds.engine.search(query, { limit: 10 }).hits) {
        for (const word of markedWords(hit.snippet)) {
          const wordTerms = termsIn(word);
          expect(wordTerms.length, word).toBe(1);
          expect(terms.has(wordTerms[0]!), `${query}: ${word}`).toBe(true);
        }
      }
    }
  });

  test("titleMarks mark the title words that matched, and only them", () => {
    const hit = seeds.engine
      .search("Soleimani assassinat")
      .hits.find((h) => h.id === SEED.anadolu)!;
    expect(markedWords({ text: hit.title, marks: hit.titleMarks })).toEqual([
      "l'assassinat",
      "Soleimani",
    ]);
    expect(asHtml(hit.title, hit.titleMarks)).toBe(
      "A la suite de <mark>l&#39;assassinat</mark> de Qassem <mark>Soleimani</mark> dans un raid américain",
    );
  });

  test("a title without any query word has no mark", () => {
    const hit = seeds.engine.search("Parly").hits[0]!;
    expect(hit.titleMarks).toEqual([]);
  });

  test("the snippet's marks are the body's highlights that fall in it, at the snippet's offsets", () => {
    for (const query of QUERIES) {
      // The snippet comes from a part of the body, cut around the positions matched; the
      // highlights from the whole body, marked: they must agree.
      const whole = new Map(
        seeds.engine.search(query, { limit: 10, highlights: true }).hits.map((h) => [h.id, h]),
      );
      for (const hit of seeds.engine.search(query, { limit: 10 }).hits) {
        expect(hit.highlights).toBeUndefined();
        const highlights = whole.get(hit.id)?.highlights ?? [];
        const body = seeds.byId.get(hit.id)!.body;
        const { text, marks } = hit.snippet;
        const lead = text.startsWith("…") ? 1 : 0;
        const core = text.slice(lead, text.endsWith("…") ? -1 : undefined);
        const at = body.indexOf(core);
        const where = `${query} → ${hit.id}`;
        expect(at, where).toBeGreaterThanOrEqual(0);
        const inside = highlights
          .filter(([start, end]) => start < at + core.length && end > at)
          .map(([start, end]) => [
            Math.max(start, at) - at + lead,
            Math.min(end, at + core.length) - at + lead,
          ]);
        expect(marks, where).toEqual(inside);
      }
    }
  });
});

describe("snippet window", () => {
  test("160 to 240 characters of visible text for every hit of every judged query", () => {
    let checked = 0;
    for (const query of QUERIES) {
      for (const hit of seeds.engine.search(query, { limit: 10 }).hits) {
        const body = seeds.byId.get(hit.id)!.body;
        expect(body.length).toBeGreaterThan(240);
        const length = [...visibleText(hit.snippet)].length;
        expect(length, `${query} → ${hit.id}`).toBeGreaterThanOrEqual(160);
        expect(length, `${query} → ${hit.id}`).toBeLessThanOrEqual(240);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  test("a matched word longer than the snippet is in it, marked and cut at the snippet's length", () => {
    const word = "x".repeat(300);
    const engine = new LoupeEngine(
      indexDocuments([
        { ...testDocument("d", "Long", `Avant ${word} après. Un autre texte ici pour voir.`) },
      ]),
    );
    const [hit] = engine.search("xxxxxxxx").hits;
    // It showed « Avant… » with no mark: no window of 200 characters held the word.
    expect(hit!.snippet.text).toBe(`…${"x".repeat(200)}…`);
    expect(hit!.snippet.marks).toEqual([[1, 201]]);
  });

  test("cut at word boundaries, with … exactly where the body is cut", () => {
    for (const query of QUERIES) {
      for (const hit of seeds.engine.search(query, { limit: 10 }).hits) {
        const body = seeds.byId.get(hit.id)!.body;
        const visible = visibleText(hit.snippet);
        const core = visible.replace(/^…/, "").replace(/…$/, "");
        const start = body.indexOf(core);
        const where = `${query} → ${hit.id}: ${visible.slice(0, 60)}`;
        expect(start, where).toBeGreaterThanOrEqual(0);
        const end = start + core.length;
        expect(visible.startsWith("…"), where).toBe(start > 0);
        expect(visible.endsWith("…"), where).toBe(end < body.length);
        if (start > 0) expect(body[start - 1], where).toMatch(/\s/);
        if (end < body.length) expect(body[end], where).toMatch(/\s/);
      }
    }
  });

  test("the snippet holds the matches: the window is where the query words are", () => {
    for (const query of ["Hutchison", "Sajjan", "oeuvre", "Parly", "Stoltemberg"]) {
      for (const hit of seeds.engine.search(query).hits) {
        expect(hit.snippet.marks.length, `${query} → ${hit.id}`).toBeGreaterThan(0);
      }
    }
  });

  test("a query matching no body word (a date filter alone) gives the start of the body", () => {
    const hit = seeds.engine.search("date:2020-01").hits[0]!;
    expect(hit.snippet.marks).toEqual([]);
    expect(hit.snippet.text.startsWith("L’OTAN a suspendu")).toBe(true);
    expect(hit.highlights).toBeUndefined();
    expect(seeds.engine.search("date:2020-01", { highlights: true }).hits[0]!.highlights).toEqual(
      [],
    );
  });
});

describe("highlights offsets", () => {
  test("each slice of the body is a word whose term the query asked for, and all of them are there", () => {
    for (const query of ["Soleimani Bagdad hélicoptères ", "OTAN Irak ", "Canada "]) {
      const words = query.trim().split(" ");
      const terms = new Set(words.map(termOf));
      for (const hit of seeds.engine.search(query, { limit: 10, highlights: true }).hits) {
        const body = seeds.byId.get(hit.id)!.body;
        const expected = analyze(body, { keepStopwords: true }).filter((token) =>
          terms.has(token.term),
        );
        const highlights = hit.highlights ?? [];
        expect(highlights.length, `${query} → ${hit.id}`).toBe(expected.length);
        for (const [start, end] of highlights) {
          const slice = body.slice(start, end);
          const sliceTerms = termsIn(slice);
          expect(sliceTerms.length, slice).toBe(1);
          expect(terms.has(sliceTerms[0]!), slice).toBe(true);
        }
        // Sorted and disjoint.
        for (let i = 1; i < highlights.length; i++) {
          expect(highlights[i]![0]).toBeGreaterThanOrEqual(highlights[i - 1]![1]);
        }
      }
    }
  });

  test("a prefix highlights whole words that start with it", () => {
    for (const hit of seeds.engine.search("gouverneme", { highlights: true }).hits) {
      const body = seeds.byId.get(hit.id)!.body;
      expect(hit.highlights?.length).toBeGreaterThan(0);
      for (const [start, end] of hit.highlights ?? [])
        expect(body.slice(start, end)).toBe("gouvernement");
    }
  });

  test("a phrase highlights the span of the phrase", () => {
    const hit = seeds.engine.search('"formation des formateurs"', { highlights: true }).hits[0]!;
    const body = seeds.byId.get(hit.id)!.body;
    expect((hit.highlights ?? []).map(([start, end]) => body.slice(start, end))).toContain(
      "formation des formateurs",
    );
  });
});

describe("escaping", () => {
  const TRAP = [
    "Piège <script>alert(1)</script> à l'OTAN",
    "",
    "Le texte <img src=x onerror=alert(1)> contient &amp; et <b>Stoltenberg</b> & \"guillemets\" 'simples' <mark>faux</mark> alert <script>alert(2)</script> fin.",
    "",
  ].join("\n");

  let engine: LoupeEngine;
  beforeAll(async () => {
    const dir = await seedsWith({ "piege.txt": TRAP });
    const { documents } = await readCorpus(dir);
    expect(documents.map((doc) => doc.id)).toContain("piege");
    engine = new LoupeEngine(indexDocuments(documents));
  });

  /** The HTML with our own `<mark>` tags taken out must have no tag left. */
  function expectOnlyMarks(html: string): void {
    const rest = html.replace(/<\/?mark>/g, "");
    expect(rest).not.toMatch(/[<>]/);
    // Balanced marks, never nested.
    expect(html.match(/<mark>/g)?.length ?? 0).toBe(html.match(/<\/mark>/g)?.length ?? 0);
    expect(html).not.toMatch(/<mark>[^<]*<mark>/);
  }

  test.each([
    "alert",
    "script",
    "img onerror",
    "amp",
    "Stoltenberg",
    "OTAN",
    "mark faux",
    '"alert 1"',
    "b",
    "Piège",
    "guillemets simples",
  ])("%s: no unescaped < or > from the text in the snippet's or the title's HTML", (query) => {
    const result = engine.search(query, { limit: 10 });
    for (const hit of result.hits) {
      expectOnlyMarks(asHtml(hit.snippet));
      expectOnlyMarks(asHtml(hit.title, hit.titleMarks));
    }
    const trap = result.hits.find((hit) => hit.id === "piege");
    if (trap !== undefined) {
      // A short document's snippet is the whole body, as it is (the engine escapes nothing),
      // and its HTML decodes back to exactly that text.
      expect(trap.snippet.text).toBe(engine.getDocument("piege")!.body);
      expect(visibleText(asHtml(trap.snippet))).toBe(trap.snippet.text);
      expect(visibleText(asHtml(trap.title, trap.titleMarks))).toBe(trap.title);
    }
  });

  test("the text's own &amp; and <mark> are shown as text, not markup", () => {
    const hit = engine.search("alert").hits.find((h) => h.id === "piege")!;
    const snippet = asHtml(hit.snippet);
    expect(snippet).toContain("contient &amp;amp; et");
    expect(snippet).toContain("&lt;mark&gt;faux&lt;/mark&gt;");
    expect(snippet).toContain("&lt;img src=x onerror=<mark>alert</mark>(1)&gt;");
    expect(asHtml(hit.title, hit.titleMarks)).toContain(
      "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;",
    );
    expect(markedWords(hit.snippet)).toEqual(["alert", "alert", "alert"]);
    expect(markedWords(snippet)).toEqual(["alert", "alert", "alert"]);
  });

  test("getDocument's body and title, as HTML, are escaped the same way", () => {
    const view = engine.getDocument("piege", "alert script")!;
    const body = asHtml(view.body, view.highlights);
    const title = asHtml(view.title, view.titleMarks);
    expectOnlyMarks(body);
    expectOnlyMarks(title);
    expect(visibleText(body)).toBe(view.body);
    expect(visibleText(title)).toBe(view.title);
    expect(markedWords(title)).toEqual(["script", "alert", "script"]);
  });
});

describe("a mark longer than the snippet", () => {
  test("the window never counts a word outside it", async () => {
    const { bestWindow } = await import("../../src/search/highlight.js");
    const text = `${"mot ".repeat(5)}${"longue phrase ".repeat(30)}${"fin ".repeat(40)}alpha beta ${"x ".repeat(100)}`;
    const phraseStart = 20;
    const marks = [
      { start: 0, end: 3, word: 0 },
      { start: phraseStart, end: phraseStart + 420, word: 1 },
      { start: text.indexOf("alpha"), end: text.indexOf("alpha") + 5, word: 2 },
      { start: text.indexOf("beta"), end: text.indexOf("beta") + 4, word: 3 },
    ];
    const [from, to] = bestWindow(text, marks, 200);
    expect(from).toBeLessThanOrEqual(marks[2]!.start);
    expect(to).toBeGreaterThanOrEqual(marks[3]!.end);
  });
});

describe("the ends of a snippet", () => {
  test("a full stop before the ellipsis is left out: « marché… », not « marché.… »", async () => {
    const { snippet } = await import("../../src/search/highlight.js");
    // Each sentence ends with a full stop; the window ends at one of them.
    const text = Array.from({ length: 30 }, (_, i) => `Phrase ${i} du marché.`).join(" ");
    const at = text.indexOf("marché");
    const cut = snippet(text, [{ start: at, end: at + 6, word: 0 }], { length: 40 });
    expect(cut.text.endsWith("…")).toBe(true);
    expect(cut.text).not.toMatch(/\.…$/);
    // Three dots of the text itself stay.
    const dots = snippet(
      `Il hésita... ${"et repartit ".repeat(40)}`,
      [{ start: 3, end: 9, word: 0 }],
      {
        length: 12,
      },
    );
    expect(dots.text).toContain("hésita...");
  });
});
