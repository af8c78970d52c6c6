/**
 * The search page in a real browser (Debian's Chromium, or the npm package's where Debian's is
 * not installed, through playwright-core), against the real server over an index of seeds/ plus
 * one hostile document. Never skipped: every machine that ran `npm ci` has a browser.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { RunningServer } from "../../src/server/listen.js";
import {
  buildHostileIndex,
  HOSTILE_WORD,
  IMG_PAYLOAD,
  SCRIPT_PAYLOAD,
  seedFiles,
} from "../page/corpus.js";
import { launchChromium, serveIndex } from "./harness.js";

describe("the search page in a real browser", () => {
  let root: string;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext | undefined;
  /** Console errors (CSP violations included) and uncaught exceptions, per test. */
  let problems: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "loupe-e2e-"));
    const index = join(root, "index");
    const [launched] = await Promise.all([
      launchChromium(),
      buildHostileIndex(root, index, seedFiles()),
    ]);
    browser = launched;
    server = await serveIndex(index);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close(1000);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
    expect(problems).toEqual([]);
    problems = [];
  });

  async function open(path: string, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    context = await browser.newContext({
      viewport: { width: 1000, height: 700 },
      locale: "fr-FR",
      ...options,
    });
    // Fail in seconds, not at the test's 30 s limit, when something never shows up.
    context.setDefaultTimeout(8000);
    const page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("dialog", (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.goto(server.url + path);
    return page;
  }

  /** Waits until no search is in flight and the URL has settled. */
  async function settled(page: Page): Promise<void> {
    // A locator wait, not a function: the page's CSP forbids evaluating strings.
    await page.locator("#results[aria-busy]").waitFor({ state: "detached" });
  }

  const hitTitles = (page: Page) => page.locator(".hit-title").allTextContents();

  test("typing shows marked results without submitting, and the URL follows", async () => {
    const page = await open("/");
    await page.evaluate("window.stayed = true");
    await page.locator("#q").pressSequentially("hélicoptères", { delay: 15 });
    await page.locator(".hit mark").first().waitFor();
    await expect.poll(() => page.url()).toContain("/?q=h%C3%A9licopt%C3%A8res");
    await settled(page);
    const marks = await page.locator(".hit mark").allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    for (const mark of marks) expect(mark.toLowerCase()).toBe("hélicoptères");
    expect(await page.locator("#status").textContent()).toMatch(
      /^\d+ résultats? \((< 1|\d+) ms\)$/,
    );
    expect(await page.locator("#intro").isHidden()).toBe(true);
    expect(await page.title()).toBe("hélicoptères · loupe");
    // No page load happened: the window is the same one.
    expect(await page.evaluate("window.stayed")).toBe(true);

    // The client renders exactly what the server renders for the same URL.
    const clientHtml = await page.locator("#results").innerHTML();
    const other = await context!.newPage();
    await other.goto(page.url());
    expect(await other.locator("#results").innerHTML()).toBe(clientHtml);

    // Back returns to the empty state; Forward (and reload) to the results.
    await page.goBack();
    await expect.poll(() => page.url()).toBe(`${server.url}/`);
    await page.locator("#intro").waitFor();
    expect(await page.locator(".hit").count()).toBe(0);
    expect(await page.locator("#q").inputValue()).toBe("");
    await page.goForward();
    await page.locator(".hit mark").first().waitFor();
    await page.reload();
    expect(await page.locator(".hit mark").count()).toBeGreaterThan(0);
  });

  test("typing again after reading a search keeps it in history: Back returns to it", async () => {
    const page = await open("/");
    const q = page.locator("#q");
    await q.pressSequentially("OTAN", { delay: 15 });
    await expect.poll(() => page.url()).toContain("q=OTAN");
    await settled(page);
    // Read for a while, then typed over: the new search was a replacement of this one.
    await page.waitForTimeout(3300);
    await q.fill("");
    await q.pressSequentially("Bagdad", { delay: 15 });
    await expect.poll(() => page.url()).toContain("q=Bagdad");
    await settled(page);
    await page.goBack();
    await expect.poll(() => page.url()).toContain("q=OTAN");
    await settled(page);
    expect(await q.inputValue()).toBe("OTAN");
    // Typed without a pause, the words on the way (`B`, `Ba`…) made no entries of their own.
    await page.goBack();
    await expect.poll(() => page.url()).toBe(`${server.url}/`);
  });

  test("the engine's warnings show in French as you type, as the server renders them", async () => {
    const page = await open("/");
    await page.locator("#q").pressSequentially('"Alliance atl', { delay: 15 });
    // Every partial query carries the same warning: wait for the last one's answer.
    await expect.poll(() => page.url()).toContain("atl");
    await page.locator(".warnings li").first().waitFor();
    await settled(page);
    expect(await page.locator(".warnings li").allTextContents()).toEqual([
      "Un guillemet ouvert n’a pas été fermé\u202f: l’expression va jusqu’à la fin de la requête.",
    ]);
    const clientHtml = await page.locator("#results").innerHTML();
    const other = await context!.newPage();
    await other.goto(page.url());
    expect(await other.locator("#results").innerHTML()).toBe(clientHtml);
  });

  test("a slow answer to an older query is aborted and never replaces the newer one", async () => {
    const page = await open("/");
    const aborted: string[] = [];
    page.on("requestfailed", (request) => aborted.push(new URL(request.url()).search));
    // The answer for "otan" is held back; the one for "otan irak" is not.
    let released = false;
    await page.route(/\/api\/search\?q=otan&/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 600));
      await route.continue().catch(() => undefined);
      released = true;
    });
    const box = page.locator("#q");
    await box.pressSequentially("otan", { delay: 10 });
    await page.waitForRequest(/\/api\/search\?q=otan&/);
    await box.pressSequentially(" irak", { delay: 10 });
    await expect.poll(() => page.url()).toContain("q=otan+irak");
    await settled(page);
    // Waits for events, not a time: the older request failed (aborted), and its held answer
    // was let go, after which it could have replaced the newer one.
    await expect.poll(() => aborted.some((search) => search.startsWith("?q=otan&"))).toBe(true);
    await expect.poll(() => released, { timeout: 5000 }).toBe(true);
    await settled(page);
    expect(await page.locator("h1.visually-hidden").textContent()).toBe(
      "Résultats pour «\u00a0otan irak\u00a0»",
    );
  });

  test("a busy server (429) says so in French, then the search runs again by itself", async () => {
    const page = await open("/");
    let refused = 0;
    await page.route(/\/api\/search\?q=otan&/, async (route) => {
      if (refused++ > 0) return route.continue();
      await route.fulfill({
        status: 429,
        headers: { "Retry-After": "1", "Content-Type": "application/json" },
        body: JSON.stringify({ error: { code: "rate_limited", message: "too many requests" } }),
      });
    });
    await page.locator("#q").pressSequentially("otan", { delay: 10 });
    await page.getByRole("heading", { name: "Le serveur est occupé" }).waitFor();
    expect(await page.locator("#results").textContent()).not.toContain("n’est pas valide");
    // Retry-After: 1 s later the same query is asked again, and answered.
    await page.locator(".hit-title").first().waitFor({ timeout: 5000 });
    expect(refused).toBe(2);
    // The browser logs the refused request itself: that is the point of the test, not a fault.
    problems = problems.filter((problem) => !problem.includes("429"));
  });

  test("a server that fails (500) is said to have failed, not the query, and is asked again", async () => {
    const page = await open("/");
    let failed = 0;
    await page.route(/\/api\/search\?q=otan&/, async (route) => {
      if (failed++ > 0) return route.continue();
      await route.fulfill({
        status: 500,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ error: { code: "internal", message: "the server failed" } }),
      });
    });
    await page.locator("#q").pressSequentially("otan", { delay: 10 });
    // It said « Cette recherche n’est pas valide », with the API's English.
    await page.getByRole("heading", { name: "La recherche n’a pas abouti" }).waitFor();
    const shown = await page.locator("#results").textContent();
    expect(shown).not.toContain("n’est pas valide");
    expect(shown).not.toContain("the server failed");
    await page.locator(".hit-title").first().waitFor({ timeout: 8000 });
    expect(failed).toBe(2);
    problems = problems.filter((problem) => !problem.includes("500"));
  });

  test("an accent composed with a dead key is not searched before it is done", async () => {
    const page = await open("/");
    const asked: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/search"))
        asked.push(new URL(request.url()).searchParams.get("q") ?? "");
    });
    const box = page.locator("#q");
    await box.focus();
    await box.pressSequentially("f", { delay: 10 });
    await page.waitForTimeout(400);
    // As a French keyboard's ^ does: a composition, then the letter it makes.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Input.imeSetComposition", { text: "^", selectionStart: 1, selectionEnd: 1 });
    await page.waitForTimeout(500);
    await cdp.send("Input.insertText", { text: "ê" });
    await page.waitForTimeout(400);
    // `f^` was searched, and showed « Aucun résultat » until the letter came.
    expect(asked).not.toContain("f^");
    expect(asked.at(-1)).toBe("fê");
  });

  test("a refused filter is not sent again with the next query typed", async () => {
    const page = await open(`/?q=otan&filter=${encodeURIComponent("prix > 3")}`);
    await page.getByRole("link", { name: "Chercher sans le filtre" }).waitFor();
    const asked: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/search")) asked.push(new URL(request.url()).search);
    });
    const box = page.locator("#q");
    await box.focus();
    await box.press("End");
    await box.pressSequentially(" irak", { delay: 10 });
    await page.locator(".hit-title").first().waitFor();
    expect(asked.length).toBeGreaterThan(0);
    for (const search of asked) expect(search).not.toContain("filter=");
    // The 400 the server gave to the first page load is the browser's to log, not a fault.
    problems = problems.filter((problem) => !problem.includes("400"));
  });

  test("with JavaScript off, the form submits and the results come from the server", async () => {
    const page = await open("/", { javaScriptEnabled: false });
    await page.locator("#q").fill("hélicoptères");
    await Promise.all([
      page.waitForURL(/\?q=/),
      page.getByRole("button", { name: "Rechercher" }).click(),
    ]);
    expect(page.url()).toBe(`${server.url}/?q=h%C3%A9licopt%C3%A8res`);
    expect(await page.locator(".hit mark").count()).toBeGreaterThan(0);
    expect(await page.locator("#status").textContent()).toMatch(/résultats? \(/);
    // Pages and months are plain links.
    await page.goto(`${server.url}/?q=OTAN&limit=2`);
    const first = await hitTitles(page);
    await Promise.all([
      page.waitForURL(/page=2/),
      page.getByRole("link", { name: "Suivante" }).click(),
    ]);
    const second = await hitTitles(page);
    expect(second).toHaveLength(2);
    expect(second.filter((title) => first.includes(title))).toEqual([]);
    await Promise.all([
      page.waitForURL(/date=2020-01/),
      page.getByRole("link", { name: /janvier 2020/ }).click(),
    ]);
    expect(await page.locator(".hit").count()).toBe(1);
  });

  test("suggestions: ↓ then Enter puts the word in the box and searches it; Escape closes", async () => {
    const page = await open("/");
    const box = page.getByRole("combobox", { name: "Rechercher dans les documents" });
    expect(await box.getAttribute("aria-controls")).toBe("suggestions");
    expect(await box.getAttribute("aria-expanded")).toBe("false");

    // "/" from anywhere focuses the box.
    await page.locator("h1").click();
    await page.keyboard.press("/");
    expect(await page.evaluate("document.activeElement?.id")).toBe("q");

    await page.keyboard.type("hél");
    const listbox = page.getByRole("listbox", { name: "Suggestions" });
    await listbox.getByRole("option", { name: "hélicoptères" }).waitFor();
    expect(await box.getAttribute("aria-expanded")).toBe("true");
    await page.keyboard.press("ArrowDown");
    const activeId = await box.getAttribute("aria-activedescendant");
    expect(activeId).toBe("suggestion-0");
    expect(await page.locator(`#${activeId}`).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("Enter");
    expect(await box.inputValue()).toBe("hélicoptères");
    expect(await box.getAttribute("aria-expanded")).toBe("false");
    expect(await listbox.isHidden()).toBe(true);
    await expect.poll(() => page.url()).toContain("/?q=h%C3%A9licopt%C3%A8res");
    await page.locator(".hit mark").first().waitFor();
    await settled(page);
    expect((await page.locator(".hit mark").first().textContent())?.toLowerCase()).toBe(
      "hélicoptères",
    );

    // The last word is the one completed, weighed by the words before it, which are sent
    // with it (the page sent `sol` alone, QA); Escape closes the list and keeps the text.
    const asked = page.waitForRequest((request) => request.url().includes("/api/suggest"));
    await page.keyboard.type(" sol");
    expect(new URL((await asked).url()).searchParams.get("q")).toBe("hélicoptères sol");
    await listbox.getByRole("option").first().waitFor();
    const options = await listbox.getByRole("option").allTextContents();
    expect(options.every((option) => option.startsWith("hélicoptères "))).toBe(true);
    expect(options.some((option) => option.startsWith("hélicoptères hélicoptères"))).toBe(false);
    await page.keyboard.press("Escape");
    expect(await listbox.isHidden()).toBe(true);
    expect(await box.inputValue()).toBe("hélicoptères sol");
    // Escape right after a keystroke: the completion asked for then does not open it again.
    await page.keyboard.type("d");
    await page.keyboard.press("Escape");
    await settled(page);
    await page.waitForTimeout(600);
    expect(await listbox.isHidden()).toBe(true);
    expect(await box.getAttribute("aria-expanded")).toBe("false");
  });

  test("a search read, then a completion chosen: Back returns to the search read", async () => {
    const page = await open("/");
    await page.locator("#q").pressSequentially("hél", { delay: 15 });
    const listbox = page.getByRole("listbox", { name: "Suggestions" });
    await listbox.getByRole("option").first().waitFor();
    await expect.poll(() => page.url()).toContain("q=h%C3%A9l");
    await settled(page);
    // Read for a while, then a completion of the list chosen: it replaced the search read (QA).
    await page.waitForTimeout(3300);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.url()).toContain("q=h%C3%A9licopt%C3%A8res");
    await settled(page);
    await page.goBack();
    await expect.poll(() => page.url()).toMatch(/q=h%C3%A9l$/);
  });

  test("following « Vouliez-vous dire » keeps the keyboard's focus in the results", async () => {
    const page = await open("/?q=Bagdda");
    const link = page.locator(".did-you-mean a");
    await link.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.url()).toContain("q=Bagdad");
    await settled(page);
    // It fell to the page's body, and Tab started again from the top (QA).
    expect(await page.evaluate("document.activeElement?.id")).toBe("contenu");
  });

  test("pagination: the next page shows other results, Back the first ones", async () => {
    const page = await open("/?q=OTAN&limit=2");
    const first = await hitTitles(page);
    expect(first).toHaveLength(2);
    await page.getByRole("link", { name: "Suivante" }).click();
    await page.getByText("Page 2 sur 3").waitFor();
    await settled(page);
    expect(page.url()).toContain("page=2");
    const second = await hitTitles(page);
    expect(second).toHaveLength(2);
    expect(second.filter((title) => first.includes(title))).toEqual([]);
    // Rendered by the script (pager, month filter, hits): the same markup as the server's.
    const other = await context!.newPage();
    await other.goto(page.url());
    expect(await other.locator("#results").innerHTML()).toBe(
      await page.locator("#results").innerHTML(),
    );
    await page.goBack();
    await page.getByText("Page 1 sur 3").waitFor();
    await settled(page);
    expect(await hitTitles(page)).toEqual(first);
  });

  test("a result opens the whole article, every match marked, the first in view, with a way back", async () => {
    const page = await open("/?q=Bagdad");
    const firstHit = page.locator(".hit-title a").first();
    const title = await firstHit.textContent();
    await Promise.all([page.waitForURL(/\/documents\//), firstHit.click()]);
    expect(page.url()).toMatch(/\/documents\/[^?]+\?q=Bagdad#premier$/);
    expect(await page.locator("h1").textContent()).toBe(title);
    const marks = await page.locator(".document-body mark").allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    for (const mark of marks) expect(mark).toMatch(/bagdad/i);
    // boundingBox() is relative to the viewport (700 px high).
    const box = await page.locator("#premier").boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(700);
    await Promise.all([
      page.waitForURL(`${server.url}/?q=Bagdad`),
      page.getByRole("link", { name: "Retour aux résultats" }).click(),
    ]);
    expect(await page.locator(".hit").count()).toBeGreaterThan(0);
  });

  test("a document holding HTML shows it as text, in results and in the article", async () => {
    const page = await open("/");
    await page.locator("#q").pressSequentially(HOSTILE_WORD, { delay: 10 });
    const hit = page.locator(".hit", { hasText: IMG_PAYLOAD });
    await hit.waitFor();
    await settled(page);
    expect(await hit.locator(".hit-title").textContent()).toContain(
      `Le piège ${IMG_PAYLOAD} du titre`,
    );
    expect(await hit.locator(".hit-snippet").textContent()).toContain(SCRIPT_PAYLOAD);
    expect(await page.locator("main img, main script, main b").count()).toBe(0);

    await Promise.all([
      page.waitForURL(/\/documents\/dossier\/pi%C3%A8ge/),
      hit.locator("a").click(),
    ]);
    const body = page.locator(".document-body");
    expect(await body.textContent()).toContain(SCRIPT_PAYLOAD);
    expect(await body.textContent()).toContain(IMG_PAYLOAD);
    expect(await page.locator("h1").textContent()).toContain(IMG_PAYLOAD);
    await page.getByText(IMG_PAYLOAD).first().waitFor({ state: "visible" });
    expect(await page.locator("main img, main script, main b").count()).toBe(0);
    expect(await page.evaluate("document.scripts.length")).toBe(1);
    // The dialog listener records any alert(); afterEach checks none fired.
  });

  test("at 360 px the page fits without sideways scrolling, in the dark scheme too", async () => {
    context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      colorScheme: "dark",
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/?q=${encodeURIComponent("OTAN Irak")}`);
    const overflow = await page.evaluate(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await page.getByRole("button", { name: "Rechercher" }).isVisible()).toBe(true);
    const background = await page.evaluate("getComputedStyle(document.body).backgroundColor");
    expect(background).not.toBe("rgb(248, 247, 244)");
  });
});
