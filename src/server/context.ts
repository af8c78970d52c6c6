import type { RequestIdVariables } from "hono/request-id";
import type { Engine } from "../search/types.js";
import type { Answers } from "./answers.js";
import type { AnswerBody } from "./json-answer.js";
import type { ServerMetrics } from "./metrics.js";
import type { Searcher } from "./searcher.js";

/** What middleware puts on the context for the API handlers. */
export interface AppEnv {
  Variables: RequestIdVariables & {
    /** The engine taken once at the start of the request: a hot swap never changes it mid-way. */
    engine: Engine;
    /** The answers already sent from that engine, when the app keeps them. */
    answers: Answers | undefined;
    /** Where searches run: this thread, or a pool of search threads. */
    searcher: Searcher;
    metrics: ServerMetrics;
    /** Why the index served is not the one on disk, when it is not (engine-source.ts). */
    indexProblem: string | undefined;
    /**
     * Set by a handler whose answer must not be remembered or revalidated: a search cut short,
     * or one answered by a search thread still on another index generation than `engine`.
     */
    uncacheable: boolean | undefined;
    /** The JSON a handler answered with and the Response carrying it (json-answer.ts). */
    answer: { body: AnswerBody; res: Response } | undefined;
  };
}
