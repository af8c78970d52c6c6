/**
 * The build's memoised hot loop (src/index/indexer.ts) makes exactly what the plain path
 * makes: `analyzeDocument` per document, `PostingsBuilder.add`, `Vocabulary.add`.
 */
import { describe, expect, it } from "vitest";
import { frenchAnalyzerWith, withAnalyzer } from "../../src/analysis/index.js";
import { readCorpus } from "../../src/corpus/index.js";
import type { LoupeDocument } from "../../src/corpus/types.js";
import { buildInMemory } from "../../src/index/build.js";
import { analyzeDocument } from "../../src/index/fields.js";
import type { PostingsData } from "../../src/index/postings.js";
import { compare, PostingsBuilder } from "../../src/index/postings-builder.js";
import { Vocabulary } from "../../src/index/vocabulary.js";
import { SEEDS } from "./helpers.js";

/** The plain path, one analysis per document: what the indexer must equal. */
function plainBuild(documents: readonly LoupeDocument[]) {
  const sorted = [...documents].sort((a, b) => compare(a.id, b.id));
  const builder = new PostingsBuilder();
  const vocabulary = Vocabulary.empty();
  const checkpoints: number[][] = [];
  for (const doc of sorted) {
    const analyzed = analyzeDocument(doc);
    builder.add(analyzed.fields);
    vocabulary.add(analyzed.words);
    checkpoints.push([...analyzed.checkpoints]);
  }
  return { postings: builder.finish(), vocabulary, checkpoints };
}

const plainArrays = (data: PostingsData) =>
  Object.fromEntries(
    Object.entries(data).map(([name, value]) => [
      name,
      Array.isArray(value) && name !== "terms"
        ? value.map((field: Uint32Array) => [...field])
        : ArrayBuffer.isView(value)
          ? [...(value as Uint32Array)]
          : value,
    ]),
  );

function expectSameBuild(documents: readonly LoupeDocument[]) {
  const memoised = buildInMemory(documents);
  const plain = plainBuild(documents);
  expect(plainArrays(memoised.postings)).toEqual(plainArrays(plain.postings));
  // Stopword pairs and body checkpoints too.
  expect(memoised.postings.terms.some((term) => term.includes(" "))).toBe(
    plain.postings.terms.some((term) => term.includes(" ")),
  );
  expect(memoised.checkpoints).toEqual(plain.checkpoints);
  expect(memoised.vocabulary.toText()).toBe(plain.vocabulary.toText());
  expect(memoised.vocabulary.toJSON()).toEqual(plain.vocabulary.toJSON());
  for (const term of ["otan", "etat", "_de", "helicopter"]) {
    expect(memoised.vocabulary.formsOf(term), term).toEqual(plain.vocabulary.formsOf(term));
  }
}

const doc = (id: string, title: string, body: string): LoupeDocument => ({
  id,
  title,
  body,
  hash: id,
  source: `${id}.txt`,
  bytes: 0,
  readingMinutes: 1,
});

// Words written several ways across and within documents, elided articles, hyphenated and
// numeric compounds, stopwords that stem like content words, a word with no term.
const TRICKY: LoupeDocument[] = [
  doc(
    "b",
    "L’OTAN et l'Otan",
    "Hélicoptères hélicoptères HÉLICOPTÈRES porte-parole 2020-01 son sons",
  ),
  doc("a", "otan", "l’État d'État état Etat qu’il a dit : « l’OTAN » de la de le 1870 1870"),
  doc("c", "", "Son son SON sons porte parole l’hélicoptère l'hélicoptère aujourd’hui"),
  doc("d", "Œuvre œuvres", "œuvre OEUVRE Œuvres l’Œuvre cœur Cœur ' - -- x"),
];

describe("the memoised indexer", () => {
  it("builds the seeds exactly as the plain path", async () => {
    expectSameBuild((await readCorpus(SEEDS)).documents);
  });

  it("builds tricky spellings exactly as the plain path", () => {
    expectSameBuild(TRICKY);
  });

  it("follows the chain in use (an index's own stopwords)", () => {
    withAnalyzer(frenchAnalyzerWith(["otan", "parole"]), () => expectSameBuild(TRICKY));
  });
});
