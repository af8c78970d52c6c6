/** Where CLI commands write, so tests can capture it and colour can follow the terminal. */
export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether `out` is a terminal: colour and progress bars only then. */
  isTTY: boolean;
  /**
   * Whether a person reads `out` (a terminal, whatever NO_COLOR says): a server then says what
   * it does in sentences; otherwise as JSON lines, as its access log is written.
   */
  terminal?: boolean;
}

export const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTTY: process.stdout.isTTY === true && !process.env.NO_COLOR,
  terminal: process.stdout.isTTY === true,
};

/** An error the CLI reports as one line and an exit code, without a stack trace. */
export class UsageError extends Error {}
