/** Where CLI commands write, so tests can capture it and colour can follow the terminal. */
export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether `out` is a terminal: colour and progress bars only then. */
  isTTY: boolean;
}

export const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTTY: process.stdout.isTTY === true && !process.env.NO_COLOR,
};

/** An error the CLI reports as one line and an exit code, without a stack trace. */
export class UsageError extends Error {}
