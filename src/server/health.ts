/**
 * What is wrong with the index being served, for `/api/health` and `/metrics`: a rebuild the
 * HTTP thread could not load, or one a search thread could not, which left it on another
 * generation than the HTTP thread's (the page and the API then answered from two indexes,
 * and health said `ok`: QA). Empty when all is well.
 */
import type { Engine } from "../search/types.js";
import type { SearcherStatus } from "./searcher.js";

export function healthProblems(
  engine: Engine,
  sourceProblem: string | undefined,
  status: SearcherStatus,
): string[] {
  const problems = sourceProblem === undefined ? [] : [sourceProblem];
  for (const worker of status.workers) {
    if (worker.reloadError === undefined) continue;
    problems.push(
      `search thread ${worker.id} could not load ${engine.info.version} (${worker.reloadError}): it serves ${worker.generation ?? "no index"}`,
    );
  }
  return problems;
}
