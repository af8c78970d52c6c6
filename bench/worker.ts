// Child-process entry: measures one engine on one slice and posts the result to the runner.
// One process per engine keeps peak RSS (which only grows) and JIT state per engine.
import { type MeasureTask, measureEngine } from "./measure.js";

function parseTask(raw: string | undefined): MeasureTask {
  const task: unknown = JSON.parse(raw ?? "null");
  if (
    typeof task !== "object" ||
    task === null ||
    !("engine" in task) ||
    typeof task.engine !== "string"
  ) {
    throw new Error("worker: expected a JSON MeasureTask as the first argument");
  }
  return task as MeasureTask;
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
  const result = await measureEngine(parseTask(process.argv[2]));
  await send({ ok: true, result });
} catch (error) {
  await send({
    ok: false,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exitCode = 1;
}
process.disconnect?.();
