/**
 * An index file this user may not read is said to be so, with the fix (its permissions), not
 * called missing or corrupt with a rebuild as the fix: a rebuild would not mend it. Tests run
 * as root, whom modes do not stop, so the refusal is injected into `readFile`.
 */
import path from "node:path";
import { afterAll, afterEach, describe, expect, test, vi } from "vitest";
import { buildIndex } from "../../src/index/build.js";
import { loadIndex } from "../../src/index/load.js";
import { removeTemps, SEEDS, tempDir } from "./helpers.js";

const denied = vi.hoisted(() => ({
  match: undefined as RegExp | undefined,
  folder: undefined as RegExp | undefined,
  access: undefined as RegExp | undefined,
}));

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  const readFile = ((file: Parameters<typeof actual.readFile>[0], ...rest: unknown[]) => {
    if (denied.match?.test(String(file))) {
      return Promise.reject(
        Object.assign(new Error(`EACCES: permission denied, open '${String(file)}'`), {
          code: "EACCES",
        }),
      );
    }
    return (actual.readFile as (...args: unknown[]) => Promise<unknown>)(file, ...rest);
  }) as typeof actual.readFile;
  const access = ((file: Parameters<typeof actual.access>[0], mode?: number) =>
    denied.access?.test(String(file))
      ? Promise.reject(Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" }))
      : actual.access(file, mode)) as typeof actual.access;
  return { ...actual, readFile, access, default: { ...actual, readFile, access } };
});

// A folder this user may not enter: what is in it cannot even be seen to exist.
vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>();
  const existsSync = ((file: Parameters<typeof actual.existsSync>[0]) =>
    denied.folder?.test(String(file))
      ? false
      : actual.existsSync(file)) as typeof actual.existsSync;
  return { ...actual, existsSync, default: { ...actual, existsSync } };
});

afterEach(() => {
  denied.match = undefined;
  denied.folder = undefined;
  denied.access = undefined;
});
afterAll(removeTemps);

describe("an index file that cannot be read for its permissions", () => {
  test.each([
    ["postings.bin", /gen-[^/]+\/postings\.bin$/],
    ["manifest.json", /gen-[^/]+\/manifest\.json$/],
    ["CURRENT", /CURRENT$/],
  ])("%s is said to be denied, with the fix", async (name, match) => {
    const out = path.join(await tempDir(), "index");
    await buildIndex({ input: SEEDS, out });
    denied.match = match;
    const error = await loadIndex(out).then(
      () => new Error("loaded"),
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(
      new RegExp(`${name.replace(".", "\\.")}' cannot be read \\(permission denied\\): give`),
    );
    expect(error.message).not.toMatch(/missing|corrupt|--force/);
  });
});

test("an index folder this user may not enter is said to be so, not to hold no index", async () => {
  const out = path.join(await tempDir(), "index");
  await buildIndex({ input: SEEDS, out });
  denied.match = /\/index\//;
  denied.folder = /\/index\//;
  const error = await loadIndex(out).then(
    () => new Error("loaded"),
    (e: unknown) => e as Error,
  );
  expect(error.message).toMatch(/CURRENT' cannot be read \(permission denied\): give/);
  expect(error.message).not.toMatch(/no index|npm run index/);
});

test("an input folder this user may not read is said to be so, not its loupe.json", async () => {
  const input = await tempDir();
  denied.access = new RegExp(`^${input.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
  const error = await buildIndex({ input, out: path.join(await tempDir(), "index") }).then(
    () => new Error("built"),
    (e: unknown) => e as Error,
  );
  expect(error.message).toMatch(
    /input folder '.*' cannot be read \(EACCES\): check its permissions/,
  );
  expect(error.message).not.toMatch(/loupe\.json/);
});
