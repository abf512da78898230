// What the log benches measure: each line a trainer writes carries its write time (t=<microseconds>), and a reader
// records, for every line a received piece of text completes, how long it took to arrive.

const STAMP = /t=(\d+)/g;
export const nowMicros = () => (performance.timeOrigin + performance.now()) * 1000;

export interface Measured {
  lines: number;
  bytes: number;
  seconds: number;
  latenciesMs: number[];
  /** the text after the last line end: a chunk may end inside a line */
  partial: string;
}

export function newMeasure(): Measured {
  return { lines: 0, bytes: 0, seconds: 0, latenciesMs: [], partial: "" };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Latency of every stamped line completed by a received piece of text; lines written before `sinceMicros` (read from
 * the history by a reader that subscribed late) count as delivered, without a latency.
 */
export function record(text: string, into: Measured, sinceMicros = 0): void {
  const received = nowMicros();
  into.bytes += Buffer.byteLength(text);
  const buffered = into.partial + text;
  const end = Math.max(buffered.lastIndexOf("\n"), buffered.lastIndexOf("\r"));
  into.partial = buffered.slice(end + 1);
  for (const match of buffered.slice(0, end + 1).matchAll(STAMP)) {
    const written = Number(match[1]);
    if (written >= sinceMicros) into.latenciesMs.push((received - written) / 1000);
    into.lines += 1;
  }
}

export function summary(measured: Measured) {
  const sorted = [...measured.latenciesMs].sort((a, b) => a - b);
  return {
    lines: measured.lines,
    megabytes: +(measured.bytes / 1e6).toFixed(2),
    seconds: +measured.seconds.toFixed(2),
    linesPerSecond: Math.round(measured.lines / measured.seconds),
    latencyP50Ms: +percentile(sorted, 50).toFixed(1),
    latencyP99Ms: +percentile(sorted, 99).toFixed(1),
  };
}
