// The API's event-loop delay (p99, max) and RSS while four 400 MB chunked multipart uploads (no Content-Length) stream
// in at once from another process, beside the same figures with no load. The files are not valid adapters: each is
// received whole (spooled to disk) and then refused by validation, so the figures are those of receiving.
// Usage: pnpm bench:uploads   (BENCH_UPLOADS, BENCH_UPLOAD_MB to change the load)
import { execFile } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startTestApp } from "../server/test/harness.js";

const UPLOADS = process.env.BENCH_UPLOADS ?? "4";
const SIZE_MB = process.env.BENCH_UPLOAD_MB ?? "400";
const MB = 1024 * 1024;
const LOAD = fileURLToPath(new URL("./fixtures/chunked-uploads.mjs", import.meta.url));

async function measured<T>(work: () => Promise<T>): Promise<{ result: T; eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number; rssPeakMb: number; seconds: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let rssPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  delay.enable();
  const result = await work();
  delay.disable();
  clearInterval(sampler);
  return {
    result,
    eventLoopDelayP99Ms: +(delay.percentile(99) / 1e6).toFixed(2),
    eventLoopDelayMaxMs: +(delay.max / 1e6).toFixed(2),
    rssPeakMb: Math.round(rssPeak / MB),
    seconds: +((performance.now() - started) / 1000).toFixed(1),
  };
}

const app = await startTestApp();
try {
  const idle = await measured(() => new Promise((resolve) => setTimeout(resolve, 3_000)));
  const load = await measured(async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [LOAD], {
      env: { ...process.env, URL: app.url, AUTHORIZATION: app.headers.authorization, COUNT: UPLOADS, SIZE_MB },
    });
    return JSON.parse(stdout) as unknown[];
  });
  process.stdout.write(`${JSON.stringify({
    benchmark: `${UPLOADS} chunked multipart uploads of ${SIZE_MB} MB at once, API in this process`,
    noLoad: { eventLoopDelayP99Ms: idle.eventLoopDelayP99Ms, eventLoopDelayMaxMs: idle.eventLoopDelayMaxMs, rssPeakMb: idle.rssPeakMb },
    uploads: { statuses: load.result, eventLoopDelayP99Ms: load.eventLoopDelayP99Ms, eventLoopDelayMaxMs: load.eventLoopDelayMaxMs, rssPeakMb: load.rssPeakMb, seconds: load.seconds },
    mbPerSecond: Math.round((Number(UPLOADS) * Number(SIZE_MB)) / load.seconds),
  })}\n`);
} finally {
  await app.close();
}
