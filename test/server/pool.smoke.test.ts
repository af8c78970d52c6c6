import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { WorkerPool } from "../../src/server/worker-pool.js";
import { FILE_LOADER_REF, writeGeneration } from "./fixtures/pool-loader.js";

test("smoke", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pool-"));
  writeGeneration(dir, "gen-1");
  const pool = await WorkerPool.start({ workers: 2, indexDir: dir, loader: FILE_LOADER_REF });
  const r = await pool.search(undefined, "mission", {});
  expect(r.value.total).toBeGreaterThan(0);
  console.log(pool.status());
  await pool.close();
});
