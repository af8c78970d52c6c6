// Child-process entry: measures one engine on one slice (or the analysis chain) and posts the
// result to the runner. One process per engine keeps peak RSS (which only grows) and JIT state
// per engine; the analysis measure gets a fresh process so its first pass is really cold.
import type { AnalysisTask } from "./analysis.js";
import type { MeasureTask } from "./measure.js";

function parseTask(raw: string | undefined): MeasureTask | AnalysisTask {
  const task: unknown = JSON.parse(raw ?? "null");
  if (typeof task === "object" && task !== null && "kind" in task && task.kind === "analysis") {
    return task as AnalysisTask;
  }
  if (
    typeof task !== "object" ||
    task === null ||
    !("engine" in task) ||
    typeof task.engine !== "string"
  ) {
    throw new Error("worker: expected a JSON MeasureTask or AnalysisTask as the first argument");
  }
  return task as MeasureTask;
}

async function measure(task: MeasureTask | AnalysisTask): Promise<unknown> {
  if ("kind" in task) return (await import("./analysis.js")).measureAnalysis(task);
  return (await import("./measure.js")).measureEngine(task);
}

const send = (message: unknown) =>
  new Promise<void>((resolve) => {
    if (process.send) process.send(message, () => resolve());
    else {
      process.stdout.write(`${JSON.stringify(message, null, 2)}\n`);
      resolve();
    }
  });

try {
  const result = await measure(parseTask(process.argv[2]));
  await send({ ok: true, result });
} catch (error) {
  await send({
    ok: false,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exitCode = 1;
}
process.disconnect?.();
