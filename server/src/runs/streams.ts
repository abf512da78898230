import type { Skipped } from "../pubsub/live-buffer.js";
import type { LogChunkEvent, MetricPointEvent } from "../contracts/events.js";
import type { ResumableSource } from "../pubsub/resumable.js";

/*
 * What a run's log and metric subscribers cost (DESIGN §10): database reads in pages small enough to hold, and what
 * may wait in memory for a subscriber that reads slower than the trainer writes (a paused socket holds nothing more).
 */

/** Items held besides their text: the object, its seq or step, its time. */
const ITEM_OVERHEAD = 100;

type Limits<T> = Pick<ResumableSource<T>, "pageSize" | "maxBufferedBytes" | "positionOf" | "weightOf" | "measure">;

/** A log chunk holds up to 256 K characters, so a page of 64 stays a few MB even then. */
export const LOG_STREAM_LIMITS: Limits<LogChunkEvent> = {
  pageSize: 64,
  maxBufferedBytes: 4 * 1024 * 1024,
  positionOf: (chunk) => chunk.seq,
  weightOf: (chunk) => chunk.data.length + ITEM_OVERHEAD,
  measure: (chunk) => ({ bytes: Buffer.byteLength(chunk.data), lines: lineEnds(chunk.data) }),
};

export const METRIC_STREAM_LIMITS: Limits<MetricPointEvent> = {
  pageSize: 1000,
  maxBufferedBytes: 1024 * 1024,
  positionOf: (point) => point.step,
  weightOf: (point) => point.name.length + ITEM_OVERHEAD,
};

function lineEnds(text: string): number {
  let count = 0;
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) count += 1;
  return count;
}

/**
 * What a log subscriber that fell too far behind gets instead of the chunks it missed: one chunk, at the seq of the
 * last one skipped (so seqs still rise), whose text is a line a terminal prints, naming what was skipped and the
 * afterSeq that reads it again.
 */
export function skippedLogMarker({ from, through, lines, bytes }: Skipped): LogChunkEvent {
  const what = `${lines} lines skipped (chunks ${from}–${through}, ${bytes} bytes)`;
  return {
    seq: through,
    stream: "STDERR",
    data: `\r\n\x1b[33m[lora-studio] ${what}: this reader fell behind the trainer; reconnect with afterSeq ${from - 1} to catch up\x1b[0m\r\n`,
    time: new Date(),
  };
}
