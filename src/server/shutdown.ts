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
    const handler = (signal: NodeJS.Signals) => {
      if (stopping) {
        log(`loupe: ${signal} again, exiting without waiting`);
        exitNow(1);
        return;
      }
      stopping = true;
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
