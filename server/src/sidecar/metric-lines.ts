import { StringDecoder } from "node:string_decoder";
import { MAX_STEP, METRIC_NAME, METRIC_NAME_RULE, metricLine } from "../contracts/trainer.js";

/*
 * A trainer's metrics (DESIGN §6): JSON lines on file descriptor 3, `{"step": 10, "loss": 2.31, "lr": 0.0003}`.
 * Every numeric field but step becomes a point; other fields are ignored. A line that is not such an object, or a
 * field the API would refuse, is reported as a problem and skipped, so one bad line never costs the others.
 */

export interface MetricPoint {
  name: string;
  step: number;
  value: number;
  /** ISO 8601 */
  time: string;
}

export interface MetricRead {
  points: MetricPoint[];
  problems: string[];
}

/** A "line" longer than this without a newline is not metrics; it is dropped rather than held. */
const MAX_LINE_CHARS = 64 * 1024;

export class MetricLines {
  private readonly decoder = new StringDecoder("utf8");
  private partial = "";
  private overlong = false;

  write(bytes: Buffer, time = new Date()): MetricRead {
    return this.lines(this.decoder.write(bytes), time, false);
  }

  /** The channel closed: a last line without its newline still counts. */
  end(time = new Date()): MetricRead {
    return this.lines(this.decoder.end(), time, true);
  }

  private lines(text: string, time: Date, ended: boolean): MetricRead {
    const parts = (this.partial + text).split("\n");
    this.partial = ended ? "" : parts.pop()!;
    const read: MetricRead = { points: [], problems: [] };
    for (const line of parts) {
      if (this.overlong) {
        this.overlong = false;
        continue;
      }
      const parsed = parseMetricLine(line, time);
      for (const point of parsed.points) read.points.push(point);
      for (const problem of parsed.problems) read.problems.push(problem);
    }
    if (this.partial.length > MAX_LINE_CHARS) {
      if (!this.overlong) read.problems.push(`a metrics line grew past ${MAX_LINE_CHARS} characters without a newline; it is skipped`);
      this.partial = "";
      this.overlong = true;
    }
    return read;
  }
}

export function parseMetricLine(line: string, time: Date): MetricRead {
  const text = line.trim();
  if (text === "") return { points: [], problems: [] };
  const quoted = JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { points: [], problems: [`metrics line ${quoted} is not JSON`] };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { points: [], problems: [`metrics line ${quoted} is not a JSON object`] };
  const parsed = metricLine.safeParse(value);
  if (!parsed.success) return { points: [], problems: [`metrics line ${quoted} needs "step", a whole number from 0 to ${MAX_STEP}`] };
  const { step, ...fields } = parsed.data;
  const read: MetricRead = { points: [], problems: [] };
  for (const [name, fieldValue] of Object.entries(fields)) {
    if (typeof fieldValue !== "number") continue;
    if (!METRIC_NAME.test(name)) read.problems.push(`metric name ${JSON.stringify(name)} at step ${step} is skipped: ${METRIC_NAME_RULE}`);
    else if (!Number.isFinite(fieldValue)) read.problems.push(`metric ${name} at step ${step} is skipped: ${fieldValue} is not a finite number`);
    else read.points.push({ name, step, value: fieldValue, time: time.toISOString() });
  }
  return read;
}
