/**
 * Markdown files read as the text a reader of the rendered page sees: `**hélicoptères**` is
 * indexed, highlighted and shown as « hélicoptères », a link as its text, a code block as its
 * lines, a heading or list item as a paragraph of its own; an image is left out, as in a page.
 *
 * `marked` (CommonMark and GitHub's tables) renders the Markdown to HTML, and the HTML reader
 * takes its text, so entities, inline HTML and blocks read as in a page. Front matter, the date
 * header and the title come first, from parseDocument, as for a text file.
 */
import { Marked } from "marked";
import { fragmentParagraphs } from "./html.js";
import {
  DEFAULT_TITLE_MAX_LENGTH,
  type ParsedDocument,
  type ParseOptions,
  parseDocument,
  shortenTitle,
} from "./parse.js";

// An instance of its own: `marked.use()` elsewhere in a process must not change what is indexed.
const markdown = new Marked({ gfm: true, async: false });

/** The text of a Markdown text: its paragraphs, a blank line between two. */
export function markdownText(source: string): string {
  const html = markdown.parse(source, { async: false });
  return fragmentParagraphs(html).join("\n\n").normalize("NFC");
}

export function parseMarkdownDocument(
  raw: string,
  source: string,
  opts: ParseOptions = {},
): ParsedDocument {
  const doc = parseDocument(raw, source, opts);
  // The title's own markup (`# Les **hélicoptères**`), read inline: `1. Introduction` stays so,
  // not a list item.
  const inline = markdown.parseInline(doc.title.replace(/\n+/g, " "), { async: false });
  const title = fragmentParagraphs(inline).join(" ").replace(/\s+/g, " ").trim().normalize("NFC");
  return {
    ...doc,
    title: shortenTitle(title || doc.title, opts.titleMaxLength ?? DEFAULT_TITLE_MAX_LENGTH),
    body: markdownText(doc.body),
  };
}
