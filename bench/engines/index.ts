import type { EngineEntry } from "./types.js";

export type { BenchEngine, EngineEntry } from "./types.js";

/**
 * Engines the runner knows, in report order. Each is imported lazily so that a child process
 * measuring one engine never loads the others' libraries.
 */
export const engines: EngineEntry[] = [
  { name: "loupe", create: async () => (await import("./loupe.js")).createLoupe() },
  {
    name: "minisearch-defaults",
    create: async () => (await import("./minisearch-defaults.js")).createMiniSearchDefaults(),
  },
  {
    name: "minisearch-french",
    create: async () => (await import("./minisearch-french.js")).createMiniSearchFrench(),
  },
  { name: "orama", create: async () => (await import("./orama.js")).createOrama() },
  { name: "lunr", create: async () => (await import("./lunr.js")).createLunr() },
  { name: "flexsearch", create: async () => (await import("./flexsearch.js")).createFlexSearch() },
];

export function findEngine(name: string): EngineEntry {
  const entry = engines.find((e) => e.name === name);
  if (!entry) {
    throw new Error(`unknown engine "${name}"; known: ${engines.map((e) => e.name).join(", ")}`);
  }
  return entry;
}
