import { DEFAULT_DRAIN_MS, type RunningServer } from "./listen.js";

export interface ShutdownOptions {
  timeoutMs?: number;
  log?: (line: string) => void;
  /** Runs as shutdown begins, before the server drains: stop watching the index and the like. */
  onStop?: () => void;
  /** Called on a second signal, when the user will not wait for the drain. */
  exitNow?: (code: number) => void;
}

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
/** How often the parent process is looked for. */
const PARENT_POLL_MS = 1000;

/**
 * Resolves with an exit code once SIGINT or SIGTERM has stopped the server: 0 after a full
 * drain and also after the time limit cut requests off (that is logged), since the shutdown
 * itself was asked for. A second signal exits at once with 1.
 */
export function stopOnSignals(
  running: RunningServer,
  options: ShutdownOptions = {},
): Promise<number> {
  const {
    timeoutMs = DEFAULT_DRAIN_MS,
    log = () => {},
    onStop = () => {},
    exitNow = (code) => process.exit(code),
  } = options;
  return new Promise((resolve) => {
    let stopping = false;
    // The process that started this one gone: `npm start` and `npx loupe` run loupe under a
    // shell, which a SIGTERM ends without passing it on, and loupe went on serving, orphaned,
    // holding its port (QA). Polled (no event says so); a drain already under way goes on.
    const parent = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid !== parent && !stopping) handler("its parent process ended");
    }, PARENT_POLL_MS);
    watch.unref();
    const handler = (signal: string) => {
      if (stopping) {
        log(`loupe: ${signal} again, exiting without waiting`);
        exitNow(1);
        return;
      }
      stopping = true;
      clearInterval(watch);
      const pending = running.inFlight();
      log(
        `loupe: ${signal}, stopping${pending > 0 ? `: finishing ${pending} request(s) in flight (at most ${timeoutMs / 1000} s)` : ""}`,
      );
      onStop();
      running.close(timeoutMs).then(({ cutOff }) => {
        for (const s of SIGNALS) process.off(s, handler);
        log(
          cutOff > 0
            ? `loupe: stopped, ${cutOff} request(s) cut off after ${timeoutMs / 1000} s`
            : "loupe: stopped",
        );
        resolve(0);
      });
    };
    for (const s of SIGNALS) process.on(s, handler);
  });
}
