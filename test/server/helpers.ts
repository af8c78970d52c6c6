import type { Engine } from "../../src/search/types.js";

export interface ErrorJson {
  error: { code: string; message: string; parameter?: string };
}

export async function errorOf(res: Response): Promise<ErrorJson["error"]> {
  const body = (await res.json()) as ErrorJson;
  return body.error;
}

/** Wraps an engine to count how often each method runs: a 304 must run none of them. */
export function counting(engine: Engine): {
  engine: Engine;
  calls: { search: number; suggest: number; getDocument: number };
} {
  const calls = { search: 0, suggest: 0, getDocument: 0 };
  return {
    calls,
    engine: {
      get info() {
        return engine.info;
      },
      search(q, o) {
        calls.search++;
        return engine.search(q, o);
      },
      suggest(p, l) {
        calls.suggest++;
        return engine.suggest(p, l);
      },
      getDocument(id, q) {
        calls.getDocument++;
        return engine.getDocument(id, q);
      },
    },
  };
}
