// Preloaded (`node --import`) into the `loupe index` child: writes the process's peak RSS (KiB)
// to the file named by LOUPE_BENCH_RSS when it exits, so the runner gets the CLI's own figure
// without /usr/bin/time (not on every machine) and without changing the CLI.
import { writeFileSync } from "node:fs";

const target = process.env.LOUPE_BENCH_RSS;
if (target) {
  process.on("exit", () => {
    writeFileSync(target, `${process.resourceUsage().maxRSS}\n`);
  });
}
