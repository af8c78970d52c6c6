/**
 * Takes docs/screenshot.png: the search page with the results for "hélicoptères", 1200×800,
 * in Debian's Chromium (or the npm package's where Debian's is missing), against the real server over a temporary index of seeds/.
 *
 *   npx tsx test/e2e/screenshot.ts [out.png] [--dark]
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildSeedsIndex } from "../page/corpus.js";
import { launchChromium, serveIndex } from "./harness.js";

const args = process.argv.slice(2);
const out = args.find((arg) => !arg.startsWith("--")) ?? "docs/screenshot.png";
const colorScheme = args.includes("--dark") ? "dark" : "light";

const root = mkdtempSync(join(tmpdir(), "loupe-screenshot-"));
try {
  await buildSeedsIndex(join(root, "index"));
  const server = await serveIndex(join(root, "index"));
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({
      viewport: { width: 1200, height: 800 },
      locale: "fr-FR",
      colorScheme,
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    // Typed, as a user would: the results come from the script, live.
    await page.locator("#q").pressSequentially("hélicoptères", { delay: 20 });
    await page.locator(".hit mark").first().waitFor();
    // A locator wait, not a function: the page's CSP forbids evaluating strings.
    await page.locator("#results[aria-busy]").waitFor({ state: "detached" });
    await page.locator("#q").blur();
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
    await server.close(1000);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
