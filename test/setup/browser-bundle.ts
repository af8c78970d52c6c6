/**
 * Vitest's global setup: the page's script bundled from the current sources before any test
 * serves it, so an edit under src/server/page/ never leaves the tests on a stale dist/.
 */
import { buildBrowser } from "../../scripts/build-browser.mjs";

export default async function setup(): Promise<void> {
  await buildBrowser();
}
