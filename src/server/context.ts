import type { RequestIdVariables } from "hono/request-id";
import type { Engine } from "../search/types.js";

/** What middleware puts on the context for the API handlers. */
export interface AppEnv {
  Variables: RequestIdVariables & {
    /** The engine taken once at the start of the request: a hot swap never changes it mid-way. */
    engine: Engine;
  };
}
