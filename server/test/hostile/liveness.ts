import { expect } from "vitest";
import type { TestApp } from "../harness.js";

/** Generous, so that a loaded CI machine does not flake: the tight figures belong to bench/. */
const HEALTHZ_WITHIN_MS = 2000;
/** The test process holds the API, its database and the test itself. */
const MAX_RSS_BYTES = 1536 * 1024 * 1024;

/** The API still answers /healthz in time, and the process has not grown past its bound. */
export async function expectLive(app: TestApp): Promise<void> {
  const response = await fetch(`${app.url}/healthz`, { headers: app.headers, signal: AbortSignal.timeout(HEALTHZ_WITHIN_MS) });
  expect(response.status).toBe(200);
  expect(process.memoryUsage().rss).toBeLessThan(MAX_RSS_BYTES);
}
