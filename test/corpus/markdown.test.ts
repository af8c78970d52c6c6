import { describe, expect, it } from "vitest";
import { markdownText, parseMarkdownDocument } from "../../src/corpus/markdown.js";
import { indexDocuments } from "../../src/index/index.js";
import { LoupeEngine } from "../../src/search/engine.js";

const PAGE = `---
date: 2020-02
---
# Les **hélicoptères** de l’armée

Les **hélicoptères** _survolent_ [Paris](https://example.org/paris) ; Dupont &amp; fils.

## Équipement

- un \`treuil\`
- deux ![rotors](rotors.png)

\`\`\`
ls -l /srv
cd /tmp
\`\`\`

| Modèle | Nombre |
|---|---|
| Caracal | 8 |

> Une <abbr title="citation">cit.</abbr> encadrée.
`;

describe("Markdown read as the text a reader sees", () => {
  it("drops the markup, keeps the words, one paragraph per block", () => {
    const doc = parseMarkdownDocument(PAGE, "armee/helicos.md");
    expect(doc.title).toBe("Les hélicoptères de l’armée");
    expect(doc.date).toBe("2020-02");
    expect(doc.body).toBe(
      [
        "Les hélicoptères survolent Paris ; Dupont & fils.",
        "Équipement",
        "un treuil",
        // An image is left out, as in an HTML page.
        "deux",
        "ls -l /srv\ncd /tmp",
        "Modèle Nombre",
        "Caracal 8",
        "Une cit. encadrée.",
      ].join("\n\n"),
    );
  });

  it("reads a title inline: a number and a dot stay, no list is made of it", () => {
    expect(parseMarkdownDocument("# 1. Introduction\n\nTexte.", "a.md").title).toBe(
      "1. Introduction",
    );
    expect(parseMarkdownDocument("Premier **mot** du texte. Suite.", "b.md").title).toBe(
      "Premier mot du texte",
    );
    expect(markdownText("Rien à *enlever* ici")).toBe("Rien à enlever ici");
  });

  it("indexes and highlights the words, never the asterisks", () => {
    const doc = parseMarkdownDocument(PAGE, "armee/helicos.md");
    const engine = new LoupeEngine(indexDocuments([{ ...doc, bytes: PAGE.length, hash: "h" }]));
    const hit = engine.search("hélicoptères Paris").hits[0]!;
    expect(hit.snippet.text).not.toMatch(/[*_[\]]/);
    const marked = hit.snippet.marks.map(([s, e]) => hit.snippet.text.slice(s, e));
    expect(marked).toEqual(["hélicoptères", "Paris"]);
    expect(engine.search("treuil").total).toBe(1);
    expect(engine.search("https").total).toBe(0);
  });
});
