/**
 * Turns an HTML page into a document: its title, its main content as paragraphs, and its
 * metadata. Pure, like parseDocument: no I/O.
 *
 * parse5 builds the tree with the HTML standard's algorithm, so misnested tags, implicit `</p>`,
 * tables and raw-text elements end up where a browser puts them, and what is indexed is what a
 * reader sees. Measured on a 57 KB news page (load average ~12, noisy): parse5 28 MB/s,
 * htmlparser2 66 MB/s, linkedom 4 MB/s; htmlparser2 keeps misnested and foster-parented
 * content elsewhere than a browser, linkedom dropped the body of pages without `<html>`. parse5
 * is fast enough that the analysis chain, not parsing, sets the indexing speed.
 */
import { type DefaultTreeAdapterTypes, parse } from "parse5";
import {
  countWords,
  DEFAULT_TITLE_MAX_LENGTH,
  DEFAULT_WORDS_PER_MINUTE,
  firstSentence,
  idFromSource,
  normalizeText,
  type ParsedDocument,
  type ParseOptions,
  parseDay,
  shortenTitle,
} from "./parse.js";

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

export interface ParsedHtml {
  document: ParsedDocument;
  /**
   * The page marks its content with `data-loupe-body`. As with Pagefind's data-pagefind-body,
   * once one page of a site does, pages that do not are left out (readCorpus applies it).
   */
  markedBody: boolean;
}

/** Removed wherever they are: never text a reader reads as the page's content. */
const NEVER_TEXT = new Set([
  "script",
  "style",
  "template",
  "noscript",
  "form",
  "button",
  "select",
  "textarea",
  "input",
  "option",
  "iframe",
  "object",
  "embed",
  "canvas",
  "svg",
  "math",
  "nav",
  "head",
]);

/** Removed too when no main region is found and the whole body is read. */
const CHROME = new Set(["header", "footer", "aside"]);

/** Elements whose start and end break a paragraph, so snippets do not run headings into text. */
const BLOCKS = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "body",
  "caption",
  "dd",
  "details",
  "dialog",
  "div",
  "dl",
  "dt",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hgroup",
  "hr",
  "legend",
  "li",
  "main",
  "menu",
  "ol",
  "p",
  "pre",
  "section",
  "summary",
  "table",
  "tbody",
  "tfoot",
  "thead",
  "ul",
]);

const LINE_BREAKS = new Set(["br", "tr"]);
const CELLS = new Set(["td", "th"]);

export function parseHtmlDocument(
  raw: string,
  source: string,
  opts: ParseOptions = {},
): ParsedHtml {
  const titleMax = opts.titleMaxLength ?? DEFAULT_TITLE_MAX_LENGTH;
  const wpm = opts.wordsPerMinute ?? DEFAULT_WORDS_PER_MINUTE;
  const tree = parse(normalizeText(raw));
  const html = childElements(tree).find((e) => e.tagName === "html");
  const head = html && childElements(html).find((e) => e.tagName === "head");
  const bodyElement = html && childElements(html).find((e) => e.tagName === "body");

  const meta = head ? readMeta(head) : new Map<string, string>();
  const isMarked = (e: Element) => hasAttr(e, "data-loupe-body");
  // Outermost marks only: a mark inside a mark would read its text twice.
  const marked = bodyElement ? findAll(bodyElement, isMarked, isMarked) : [];
  const regions = marked.length > 0 ? marked : bodyElement ? mainRegions(bodyElement) : [];
  const wholeBody = marked.length === 0 && regions.length === 1 && regions[0] === bodyElement;

  const paragraphs: string[] = [];
  for (const region of regions) collectText(region, wholeBody, paragraphs);
  // A site's logo is often an <h1> in the header: the content's own <h1> comes first.
  const isH1 = (e: Element) => e.tagName === "h1" && !isHidden(e);
  const firstH1 =
    regions.map((r) => (r.tagName === "h1" ? r : findFirst(r, isH1))).find((e) => e) ??
    (bodyElement && findFirst(bodyElement, isH1));

  const titleText =
    collapse((head && textOf(findFirst(head, (e) => e.tagName === "title"))) ?? "") ||
    collapse(meta.get("og:title") ?? "") ||
    collapse(firstH1 ? paragraphsOf(firstH1).join(" ") : "");
  // The title is not indexed twice: a page whose content opens with its own <h1> reads as a
  // text file whose first line is its title (parseDocument keeps that line out of the body).
  if (titleText !== "" && paragraphs[0] === titleText) paragraphs.shift();
  // Entities can spell a decomposed accent (e&#x301;): NFC, as for every text loupe reads.
  const body = paragraphs.join("\n\n").normalize("NFC");

  const id = idFromSource(source);
  const title = shortenTitle(
    titleText || firstSentence(paragraphs[0] ?? "") || id.slice(id.lastIndexOf("/") + 1),
    titleMax,
  );
  const doc: ParsedDocument = {
    id,
    title,
    body,
    source,
    format: "html",
    url: source.replace(/\\/g, "/").normalize("NFC"),
    readingMinutes: Math.max(1, Math.ceil(countWords(body) / wpm)),
  };
  const day = pageDate(meta, regions);
  if (day?.month) doc.date = day.month;
  if (day?.day) doc.day = day.day;
  const description = collapse(meta.get("description") ?? meta.get("og:description") ?? "");
  if (description) doc.description = description;
  const lang = html ? attr(html, "lang")?.trim() : undefined;
  if (lang) doc.lang = lang;
  return { document: doc, markedBody: marked.length > 0 };
}

/** `<meta name|property=… content=…>` of the head, keys lowercased; the first of each wins. */
function readMeta(head: Element): Map<string, string> {
  const meta = new Map<string, string>();
  for (const e of findAll(head, (el) => el.tagName === "meta")) {
    const key = (attr(e, "name") ?? attr(e, "property"))?.trim().toLowerCase();
    const content = attr(e, "content");
    if (key && content !== undefined && !meta.has(key)) meta.set(key, content);
  }
  return meta;
}

/**
 * `article:published_time` says what the page is dated; failing it, the first `<time datetime>`
 * of the content (not of the footer's copyright line, which the regions leave out).
 */
function pageDate(
  meta: Map<string, string>,
  regions: Element[],
): { month: string; day?: string } | undefined {
  const published = parseDay(meta.get("article:published_time") ?? "");
  if (published) return published;
  for (const region of regions) {
    const time = findFirst(
      region,
      (e) => e.tagName === "time" && attr(e, "datetime") !== undefined && !isHidden(e),
    );
    const parsed = time && parseDay(attr(time, "datetime") ?? "");
    if (parsed) return parsed;
  }
  return undefined;
}

/** `<main>`, else the outermost `<article>`s, else `[role=main]`, else the whole body. */
function mainRegions(body: Element): Element[] {
  const visible = (test: (e: Element) => boolean) => (e: Element) => test(e) && !isHidden(e);
  const main = findFirst(
    body,
    visible((e) => e.tagName === "main"),
  );
  if (main) return [main];
  const articles = findAll(
    body,
    visible((e) => e.tagName === "article"),
    (e) => e.tagName === "article",
  );
  if (articles.length > 0) return articles;
  const roleMain = findFirst(
    body,
    visible((e) => attr(e, "role")?.trim() === "main"),
  );
  return [roleMain ?? body];
}

/** Appends the region's visible text as paragraphs (whitespace collapsed as a browser does). */
function collectText(region: Element, wholeBody: boolean, out: string[]): void {
  let current = "";
  const flush = () => {
    // Lines inside a paragraph (from <br>, table rows) stay lines; empty ones disappear.
    const text = current
      .split("\n")
      .map((l) => l.replace(/[ \t\n\r\f]+/g, " ").trim())
      .filter((l) => l !== "")
      .join("\n");
    if (text !== "") out.push(text);
    current = "";
  };
  const walk = (node: Node, pre: boolean) => {
    if (node.nodeName === "#text") {
      const value = (node as DefaultTreeAdapterTypes.TextNode).value;
      // In <pre> the line breaks are the text's; elsewhere they are only source layout.
      current += pre ? value : value.replace(/[\n\r\f]+/g, " ");
      return;
    }
    if (!("tagName" in node)) return;
    const el = node as Element;
    if (el !== region && skipElement(el, wholeBody)) return;
    const tag = el.tagName;
    if (LINE_BREAKS.has(tag)) current += "\n";
    const block = BLOCKS.has(tag);
    if (block) flush();
    const inPre = pre || tag === "pre";
    for (const child of el.childNodes) walk(child, inPre);
    if (CELLS.has(tag)) current += " ";
    if (block) flush();
  };
  walk(region, false);
  flush();
}

function skipElement(el: Element, wholeBody: boolean): boolean {
  if (el.tagName === "form") return !wrapsPage(el);
  if (NEVER_TEXT.has(el.tagName)) return true;
  if (wholeBody && CHROME.has(el.tagName)) return true;
  if (hasAttr(el, "data-loupe-ignore")) return true;
  return isHidden(el) || isDateLine(el);
}

/**
 * A block holding nothing but a `<time>` (`<p><time datetime="2020-01-07">7 janvier</time></p>`)
 * is the page's date shown as a line: metadata, as the date header of a text file is, and the
 * same page as text and as HTML then reads the same. A `<time>` inside a sentence stays.
 */
function isDateLine(el: Element): boolean {
  if (!BLOCKS.has(el.tagName)) return false;
  const content = el.childNodes.filter(
    (c) =>
      !(
        c.nodeName === "#text" &&
        /^[ \t\n\r\f]*$/.test((c as DefaultTreeAdapterTypes.TextNode).value)
      ) && c.nodeName !== "#comment",
  );
  const only = content[0];
  return content.length === 1 && only !== undefined && "tagName" in only && only.tagName === "time";
}

/**
 * ASP.NET Web Forms and some CMSs wrap the whole page in one `<form>`: a form holding headings
 * or sections is the page, not a search box or a newsletter sign-up, and its content is read.
 */
function wrapsPage(form: Element): boolean {
  return findFirst(form, (e) => PAGE_PARTS.has(e.tagName)) !== undefined;
}
const PAGE_PARTS = new Set(["main", "article", "section", "h1", "h2"]);

/**
 * Hidden from every reader: `hidden` (but not `hidden="until-found"`, which find-in-page
 * reveals), `aria-hidden="true"`, a `<dialog>` not open, an inline `display: none` or
 * `visibility: hidden`.
 */
function isHidden(el: Element): boolean {
  const hidden = attr(el, "hidden");
  if (hidden !== undefined && hidden.trim().toLowerCase() !== "until-found") return true;
  if (attr(el, "aria-hidden")?.trim().toLowerCase() === "true") return true;
  if (el.tagName === "dialog" && !hasAttr(el, "open")) return true;
  const style = attr(el, "style");
  return (
    style !== undefined && /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b/i.test(style)
  );
}

// ---------------------------------------------------------------------------------------------
// Tree helpers

function childElements(node: ParentNode): Element[] {
  return node.childNodes.filter((c): c is Element => "tagName" in c);
}

function attr(el: Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

function hasAttr(el: Element, name: string): boolean {
  return el.attrs.some((a) => a.name === name);
}

/** Depth-first, document order; `stopBelow` keeps the walk out of a match's descendants. */
function findAll(
  root: ParentNode,
  test: (e: Element) => boolean,
  stopBelow: (e: Element) => boolean = () => false,
): Element[] {
  const found: Element[] = [];
  const walk = (node: ParentNode) => {
    for (const child of childElements(node)) {
      if (test(child)) found.push(child);
      if (!(test(child) && stopBelow(child))) walk(child);
    }
  };
  walk(root);
  return found;
}

function findFirst(root: ParentNode, test: (e: Element) => boolean): Element | undefined {
  for (const child of childElements(root)) {
    if (test(child)) return child;
    const inner = findFirst(child, test);
    if (inner) return inner;
  }
  return undefined;
}

function textOf(el: Element | undefined): string | undefined {
  if (!el) return undefined;
  let text = "";
  const walk = (node: Node) => {
    if (node.nodeName === "#text") text += (node as DefaultTreeAdapterTypes.TextNode).value;
    else if ("childNodes" in node) for (const c of node.childNodes) walk(c);
  };
  walk(el);
  return text;
}

/**
 * The paragraphs a reader sees in an HTML fragment (no page around it: every element is
 * content), as for a page's main region: entities decoded, blocks apart, `<pre>` lines kept.
 */
export function fragmentParagraphs(html: string): string[] {
  const tree = parse(`<!doctype html><body>${html}`);
  const body = childElements(childElements(tree).find((e) => e.tagName === "html")!).find(
    (e) => e.tagName === "body",
  )!;
  return paragraphsOf(body);
}

function paragraphsOf(el: Element): string[] {
  const out: string[] = [];
  collectText(el, false, out);
  return out;
}

function collapse(text: string): string {
  return text.replace(/[ \t\n\r\f]+/g, " ").trim();
}
