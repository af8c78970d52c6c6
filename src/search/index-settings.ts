/**
 * The settings an index was built with, as the engine needs them at query time: read once per
 * loaded index from its manifest (the canonical JSON `corpus/settings.ts` wrote), so searches
 * always use the settings of the generation they run on, even across a hot swap.
 */
import { defaultSettings, type LoupeSettings } from "../corpus/index.js";
import type { LoadedIndex } from "../index/index.js";

const cache = new WeakMap<LoadedIndex, LoupeSettings>();

export function settingsOf(index: LoadedIndex): LoupeSettings {
  let settings = cache.get(index);
  if (settings === undefined) {
    // The manifest's checksum-verified canonical form: keys left out keep their defaults.
    settings = {
      ...defaultSettings(),
      ...(JSON.parse(index.manifest.settings) as Partial<LoupeSettings>),
    };
    cache.set(index, settings);
  }
  return settings;
}
