import type { RequestIdVariables } from "hono/request-id";
import type { Engine } from "../search/types.js";
import type { Answers } from "./answers.js";

/** What middleware puts on the context for the API handlers. */
export interface AppEnv {
  Variables: RequestIdVariables & {
    /** The engine taken once at the start of the request: a hot swap never changes it mid-way. */
    engine: Engine;
    /** The answers already sent from that engine, when the app keeps them. */
    answers: Answers | undefined;
  };
}
