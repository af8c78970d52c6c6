import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { escapeHtml, markHtml } from "../../src/server/marked-html.js";

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

describe("escapeHtml", () => {
  test("turns the five characters HTML gives a meaning into entities, and nothing else", () => {
    expect(escapeHtml(`l'<b>"État" & co</b>`)).toBe(
      "l&#39;&lt;b&gt;&quot;État&quot; &amp; co&lt;/b&gt;",
    );
    expect(escapeHtml("")).toBe("");
    expect(escapeHtml("rien à échapper’")).toBe("rien à échapper’");
    expect(escapeHtml("&")).toBe("&amp;");
  });

  test("is the character-by-character replacement, whatever the text", () => {
    const text = fc.string({
      unit: fc.constantFrom("a", "é", "&", "<", ">", '"', "'", "’", "\ud83d", " "),
    });
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: "binary" })), (s) => {
        expect(escapeHtml(s)).toBe([...s].map((c) => ENTITIES[c] ?? c).join(""));
      }),
      { numRuns: 500 },
    );
  });

  test("leaves no character a browser would read as markup in marked text", () => {
    const html = markHtml(`<script>alert("l'OTAN")</script>`, [[17, 21]]);
    expect(html).toBe("&lt;script&gt;alert(&quot;l&#39;<mark>OTAN</mark>&quot;)&lt;/script&gt;");
  });
});
