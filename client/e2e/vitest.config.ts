import { defineConfig } from "vitest/config";

export default defineConfig({
  // One graphql module for the server under test and its libraries (Pothos loads the CommonJS build), as in server/.
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  test: {
    name: "browser",
    environment: "node",
    include: ["**/*.browser.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: "forks",
    // each file runs a server, its sidecar and Chromium: one at a time keeps a small CI machine responsive
    fileParallelism: false,
    // a real browser on a busy machine: UI changes may take seconds, not vitest's default second
    expect: { poll: { timeout: 15_000 } },
  },
});
