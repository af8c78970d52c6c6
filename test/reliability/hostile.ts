/**
 * Hostile input for the reliability tests: arbitraries of strings nobody should type but someone
 * will (lone surrogates, NUL and control characters, combining marks, right-to-left text, emoji
 * joined with ZWJ, French mixed with query syntax, 100 KB), and the checks that go with them.
 */
import fc from "fast-check";
import type { LoupeDocument } from "../../src/corpus/types.js";

/** Any UTF-16 code unit sequence of one code point, lone surrogates included. */
const anyCodePoint = fc
  .integer({ min: 0, max: 0x10ffff })
  .map((cp) => (cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp)));

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const control = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  fc.constantFrom("\u007f", "\u0085", "\u00a0", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff"),
);
const combining = fc.constantFrom(
  "\u0300",
  "\u0301",
  "\u0302",
  "\u0308",
  "\u0327",
  "\u20dd",
  "\u0345",
  "\u0e31",
);
const bidi = fc.constantFrom(
  "مرحبا بالعالم",
  "الْعَرَبِيَّة",
  "שָׁלוֹם עולם",
  "\u200f",
  "\u200e",
  "\u202e",
  "\u2066",
  "\u2069",
  "OTAN \u202eNATO\u202c",
);
const emoji = fc.constantFrom(
  "👩‍👩‍👧‍👦",
  "👨🏽‍💻",
  "🏳️‍🌈",
  "\u200d",
  "\ufe0f",
  "🇫🇷",
  "😀",
  "𝒜𝒷𝒸",
  "a\u200db",
);
export const FRENCH = [
  "l’OTAN",
  "L'Alliance atlantique",
  "d’entraînement",
  "soldats canadiens",
  "Irak",
  "Bagdad",
  "Soleimani",
  "Parly",
  "sécurité",
  "securite",
  "œuvre",
  "aujourd’hui",
  "porte-parole",
  "2020-01",
  "jusqu’à",
  "être ou ne pas être",
  "qu’elles",
  "Ça",
  "ÉTAT",
  "e\u0301te\u0301",
  "mission",
  "retrait",
  "troupes",
];
const syntax = fc.constantFrom(
  '"',
  "-",
  "*",
  "**",
  "date:",
  "date:2020-01",
  "date:2020-01..2020-03",
  "date:..",
  "date:2020-13",
  "-date:2020-01",
  '-"',
  "'",
  "’",
  "--",
  "..",
  "(",
  ")",
  "~",
  ":",
  "+",
  "&",
  "<",
  ">",
  "<mark>",
  "</mark>",
  "&amp;",
  "&lt;",
  "$&",
  "$'",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
);
const space = fc.constantFrom(" ", "  ", "\t", "\n", "\r\n", "\u3000", "\u00a0");

/** One piece of hostile text. */
const piece = fc.oneof(
  { arbitrary: fc.constantFrom(...FRENCH), weight: 4 },
  { arbitrary: syntax, weight: 3 },
  { arbitrary: space, weight: 4 },
  { arbitrary: anyCodePoint, weight: 2 },
  { arbitrary: loneSurrogate, weight: 1 },
  { arbitrary: control, weight: 1 },
  { arbitrary: combining, weight: 1 },
  { arbitrary: bidi, weight: 1 },
  { arbitrary: emoji, weight: 1 },
);

/** A few 100 KB strings: one word, words without spaces, emoji, text with markup. */
export const HUGE = [
  "a".repeat(100_000),
  "l’OTAN ".repeat(14_300),
  "😀".repeat(50_000),
  `${"mot-".repeat(25_000)}fin`,
  `${"<mark>Irak</mark> &amp; ".repeat(4_000)}`.slice(0, 100_000),
  Array.from({ length: 100_000 }, (_, i) => String.fromCharCode(0xd800 + (i % 0x800))).join(""),
];

/** A hostile string of up to a few hundred characters (and now and then 100 KB). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.array(piece, { maxLength: 40 }).map((parts) => parts.join("")), weight: 8 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 200 }), weight: 3 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 80 }), weight: 2 },
  { arbitrary: fc.array(anyCodePoint, { maxLength: 60 }).map((cps) => cps.join("")), weight: 2 },
  { arbitrary: fc.constantFrom(...HUGE), weight: 1 },
);

/** Well-formed UTF-16: no surrogate without its pair. */
export function isWellFormed(text: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

const ENTITY: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};

/**
 * Checks that `html` is text escaped with the five entities and nothing else, plus balanced,
 * non-nested, non-empty `<mark>…</mark>` pairs; returns the text it shows (tags removed,
 * entities decoded). Throws, saying where, otherwise.
 */
export function markedText(html: string): string {
  let text = "";
  let open = -1;
  const token = /<mark>|<\/mark>|&(?:amp|lt|gt|quot|#39);|[<>&]/g;
  let at = 0;
  for (const match of html.matchAll(token)) {
    text += html.slice(at, match.index);
    at = match.index + match[0].length;
    const where = () => `at ${match.index} of ${JSON.stringify(html.slice(0, 300))}`;
    if (match[0] === "<mark>") {
      if (open !== -1) throw new Error(`nested <mark> ${where()}`);
      open = text.length;
    } else if (match[0] === "</mark>") {
      if (open === -1) throw new Error(`</mark> without <mark> ${where()}`);
      if (text.length === open) throw new Error(`empty <mark></mark> ${where()}`);
      open = -1;
    } else if (match[0].length > 1) {
      text += ENTITY[match[0]];
    } else {
      throw new Error(`unescaped '${match[0]}' ${where()}`);
    }
  }
  if (open !== -1) throw new Error(`<mark> never closed in ${JSON.stringify(html.slice(0, 300))}`);
  return text + html.slice(at);
}

/** Documents made of hostile text, deterministic, plus a few chosen ones. */
export function hostileDocuments(count: number, seed = 8): LoupeDocument[] {
  const texts = fc.sample(fc.tuple(hostileString, hostileString, hostileString), {
    numRuns: count,
    seed,
  });
  const doc = (id: string, title: string, body: string): LoupeDocument => ({
    id,
    title,
    body,
    source: `${id}.txt`,
    bytes: body.length,
    readingMinutes: 1,
    hash: "0".repeat(64),
  });
  return [
    ...texts.map(([title, a, b], i) =>
      doc(`hostile/${i}`, title.slice(0, 200), `${a} ${FRENCH[i % FRENCH.length]} ${b}`),
    ),
    doc(
      "xss",
      "<script>alert(1)</script> Irak",
      "Texte <img src=x onerror=alert(1)> et <script>alert(1)</script> sur l’Irak.",
    ),
    doc("emoji", "😀 OTAN 😀", `${"😀".repeat(301)}OTAN${"😀".repeat(301)}`),
    doc("rtl", "مرحبا OTAN", "שָׁלוֹם \u202eOTAN\u202c مرحبا بالعالم Irak"),
    doc("nul", "\u0000titre\u0000", "\u0000OTAN\u0000\u0007Irak\u001b[31m\ud800 mission\udc00"),
    ...HUGE.map((body, i) => doc(`huge/${i}`, body.slice(0, 100), `${body} OTAN mission`)),
  ];
}
