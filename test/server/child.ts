import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";

export interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout line matching `pattern`. */
  waitFor(
    stream: "stdout" | "stderr",
    pattern: RegExp,
    timeoutMs?: number,
  ): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

/** Runs a TypeScript file under tsx in its own process. */
export function spawnTs(file: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Child {
  const proc = spawn(process.execPath, ["--import", "tsx", file, ...args], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { stdout: "", stderr: "" };
  proc.stdout?.setEncoding("utf8").on("data", (d: string) => {
    out.stdout += d;
  });
  proc.stderr?.setEncoding("utf8").on("data", (d: string) => {
    out.stderr += d;
  });
  const exited = once(proc, "exit").then(([code]) => code as number | null);
  return {
    proc,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exited,
    async waitFor(stream, pattern, timeoutMs = 20_000) {
      const started = Date.now();
      for (;;) {
        const match = out[stream].match(pattern);
        if (match) return match;
        if (proc.exitCode !== null)
          throw new Error(
            `child exited (${proc.exitCode}) before ${pattern}:\n${out.stdout}\n${out.stderr}`,
          );
        if (Date.now() - started > timeoutMs)
          throw new Error(`timed out waiting for ${pattern}:\n${out.stdout}\n${out.stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
