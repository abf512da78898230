// The API's event-loop delay (p99, max) and RSS while importDataset reads a 100,000-note MIDI file (chords of 25,
// whose top voice, 4,000 notes, fits one item), and while it refuses a 200,000-note one, beside the same figures with
// no load. `parse100kNotes` is the parse alone (worker pool), without the HTTP request and the stored item.
// Usage: pnpm bench:midi   (BENCH_IMPORTS to change the number of imports a scenario runs)
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { importedItems } from "../server/src/datasets/import.js";
import { denseMidi, importDatasetFiles } from "../server/test/datasets-fixtures.js";
import { startTestApp, type TestApp } from "../server/test/harness.js";

const IMPORTS = Number(process.env.BENCH_IMPORTS ?? 5);
const IDLE_MS = 3_000;
const RSS_EVERY_MS = 20;
const MB = 1024 * 1024;

interface Figures {
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  rssPeakMb: number;
  secondsPerImport?: number;
}

/** Event-loop delay and the RSS peak while `work` runs in this process, beside the API. */
async function measured(work: () => Promise<void>): Promise<Figures> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let rssPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), RSS_EVERY_MS);
  delay.enable();
  await work();
  delay.disable();
  clearInterval(sampler);
  return {
    eventLoopDelayP99Ms: +(delay.percentile(99) / 1e6).toFixed(2),
    eventLoopDelayMaxMs: +(delay.max / 1e6).toFixed(2),
    rssPeakMb: Math.round(Math.max(rssPeak, process.memoryUsage().rss) / MB),
  };
}

async function repeated(work: (index: number) => Promise<void>): Promise<Figures> {
  const started = performance.now();
  const figures = await measured(async () => {
    for (let index = 0; index < IMPORTS; index++) await work(index);
  });
  return { ...figures, secondsPerImport: +((performance.now() - started) / 1000 / IMPORTS).toFixed(3) };
}

function imports(app: TestApp, name: string, file: Uint8Array, expected: string): Promise<Figures> {
  return repeated(async (index) => {
    const result = await importDatasetFiles(app, [{ name, data: file }], { name: `${name} ${index}`, format: "MIDI" });
    const typename = result.data?.importDataset.__typename;
    if (typename !== expected) throw new Error(`${name}: expected ${expected}, got ${JSON.stringify(result)}`);
  });
}

function parses(app: TestApp, file: Uint8Array): Promise<Figures> {
  return repeated(async () => {
    await importedItems(app.deps.pool, "MIDI", [new File([Buffer.from(file)], "chords.mid")]);
  });
}

const app = await startTestApp();
try {
  const chords = denseMidi(100_000, 25);
  const dense = denseMidi(200_000);
  await imports(app, "warm-up.mid", denseMidi(1_000, 25), "ImportDatasetSuccess");
  const idle = await measured(() => new Promise((resolve) => setTimeout(resolve, IDLE_MS)));
  const parsing = await parses(app, chords);
  const importing = await imports(app, "chords.mid", chords, "ImportDatasetSuccess");
  const refusing = await imports(app, "dense.mid", dense, "BadUserInputError");
  process.stdout.write(`${JSON.stringify({
    benchmark: "importDataset of dense MIDI files: API event-loop delay and RSS, beside no load",
    imports: IMPORTS,
    noLoad: idle,
    parse100kNotes: { notes: 100_000, bytes: chords.length, ...parsing },
    import100kNotes: { notes: 100_000, bytes: chords.length, ...importing },
    refuse200kNotes: { notes: 200_000, bytes: dense.length, ...refusing },
  })}\n`);
} finally {
  await app.close();
}
