import type { Engine } from "../search/types.js";

/**
 * Where a request gets its engine. The index can be swapped under a running
 * server, so a handler calls `current()` once at its start and keeps that
 * engine to the end: an in-flight request finishes on the index it began with.
 */
export interface EngineSource {
  current(): Engine;
  /**
   * Why the index served is not the one on disk, when it is not: a rebuild that could not be
   * loaded (the one before it is still served), or an index folder emptied. Health says it.
   */
  readonly problem?: string | undefined;
}

/** A source that always serves the same engine (tests, one-shot tools). */
export function fixedSource(engine: Engine): EngineSource {
  return { current: () => engine };
}

/** Accepts either an engine or a source, so callers with a plain engine need no wrapper. */
export function toSource(engine: Engine | EngineSource): EngineSource {
  return "current" in engine && typeof engine.current === "function"
    ? engine
    : fixedSource(engine as Engine);
}
