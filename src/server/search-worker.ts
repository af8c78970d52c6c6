/**
 * A search thread: opens its own engine with the loader it is given and answers one call at a
 * time for the HTTP thread (worker-pool.ts). A search's answer leaves as the API's JSON
 * (search-answer.ts); nothing here touches HTTP.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type Engine, QueryError } from "../search/types.js";
import type { IndexLoader } from "./reload.js";
import { searchAnswer } from "./search-answer.js";
import { warmUp } from "./warm-up.js";
import type { Call, FromWorker, ToWorker, WireError, WorkerData } from "./worker-protocol.js";

const port = parentPort;
if (port === null) throw new Error("search-worker.ts runs as a worker thread only");
const data = workerData as WorkerData;
const send = (message: FromWorker) => port.postMessage(message);

function wire(error: unknown): WireError {
  if (error instanceof QueryError)
    return {
      kind: "query",
      message: error.message,
      parameter: error.parameter,
      notice: error.notice,
    };
  if (error instanceof Error) return { kind: "other", message: error.message, stack: error.stack };
  return { kind: "other", message: String(error), stack: undefined };
}

/** The call's answer. */
function run(engine: Engine, call: Call): unknown {
  switch (call.kind) {
    case "search":
      return searchAnswer(engine.search(call.query, call.options));
    case "suggest":
      return engine.suggest(call.prefix, call.limit);
    case "getDocument":
      return engine.getDocument(call.id, call.query, call.options);
  }
}

const loaderModule = (await import(data.loaderUrl)) as Record<string, IndexLoader | undefined>;
const exported = loaderModule[data.loaderExport];
if (exported === undefined) throw new Error(`${data.loaderUrl} exports no '${data.loaderExport}'`);
const loader: IndexLoader = exported;
// This thread searches: each engine it opens is warmed up before it answers (warm-up.ts).
const warm = (engine: Engine) => warmUp(engine, { budgetMs: data.budgetMs });

let engine: Engine;
let warmUpCalls: number;
try {
  engine = await loader.open(data.indexDir);
  warmUpCalls = await warm(engine);
} catch (error) {
  send({ type: "open-failed", error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
let reloading = false;

async function reload(): Promise<void> {
  if (reloading) return;
  reloading = true;
  try {
    const next = await loader.open(data.indexDir, { background: true });
    const previous = engine.info.version;
    // Answered even when nothing changed: the pool waits for this to ask again.
    if (next.info.version !== previous) {
      await warm(next);
      engine = next;
    }
    send({ type: "reloaded", info: engine.info, previous });
  } catch (error) {
    send({ type: "reload-failed", error: error instanceof Error ? error.message : String(error) });
  } finally {
    reloading = false;
  }
}

port.on("message", (message: ToWorker) => {
  if (message.type === "reload") {
    void reload();
    return;
  }
  const used = engine;
  const started = performance.now();
  try {
    const value = run(used, message.call);
    const ms = performance.now() - started;
    send({ type: "done", task: message.task, generation: used.info.version, ms, ok: true, value });
  } catch (error) {
    const ms = performance.now() - started;
    send({
      type: "done",
      task: message.task,
      generation: used.info.version,
      ms,
      ok: false,
      error: wire(error),
    });
  }
});
send({ type: "ready", info: engine.info, warmUpCalls });
