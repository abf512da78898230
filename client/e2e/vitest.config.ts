import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "browser",
    environment: "node",
    include: ["**/*.browser.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: "forks",
  },
});
