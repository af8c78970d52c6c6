import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    environment: "node",
    globalSetup: ["test/setup/browser-bundle.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
