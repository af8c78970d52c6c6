/**
 * Anchored phrase search (analysing only the text around one word's spellings) must find
 * exactly what analysing the whole text finds.
 */
import { describe, expect, test } from "vitest";
import { analyze } from "../../src/analysis/index.js";
import { spellingsPattern } from "../../src/search/marks.js";
import { phraseIn } from "../../src/search/phrase.js";
import { seedsEngine } from "./helpers.js";

describe("anchored phrase search", async () => {
  const { engine } = await seedsEngine();
  const documents = [...engine.index.documents.values()];

  test("finds the same spans as a full analysis, for phrases taken from every seed", () => {
    let checked = 0;
    for (const doc of documents) {
      const tokens = analyze(doc.body, { keepStopwords: true });
      for (let i = 0; i + 3 <= tokens.length; i += 7) {
        for (const length of [2, 3]) {
          const text = doc.body.slice(tokens[i]!.start, tokens[i + length - 1]!.end);
          const phrase = analyze(text, { keepStopwords: true });
          const anchorToken = phrase.find((token) => !token.stopword);
          if (anchorToken === undefined) continue;
          const anchor = spellingsPattern([anchorToken.term], engine.index.vocabulary) ?? undefined;
          expect(anchor).toBeDefined();
          for (const other of documents) {
            expect(phraseIn(other.body, phrase, anchor)).toEqual(phraseIn(other.body, phrase));
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
