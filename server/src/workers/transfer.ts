import { move, transferableSymbol, valueSymbol } from "piscina";
import type { MetricSeries } from "../contracts/worker-tasks.js";

function ownsItsBuffer(array: ArrayBufferView): boolean {
  return array.buffer instanceof ArrayBuffer && array.byteOffset === 0 && array.byteLength === array.buffer.byteLength;
}

/**
 * The series with every array on an ArrayBuffer of its own. A view into a larger or shared
 * buffer is copied, since transferring that buffer would detach data the sender uses elsewhere.
 */
export function withOwnBuffers(series: MetricSeries): MetricSeries {
  return { steps: withOwnBuffer(series.steps), values: withOwnBuffer(series.values), times: withOwnBuffer(series.times) };
}

/** The array itself when it has its ArrayBuffer to itself, else a copy that has: see withOwnBuffers. */
export function withOwnBuffer<T extends Float64Array | Uint8Array>(array: T): T {
  return ownsItsBuffer(array) ? array : (array.slice() as T);
}

/**
 * Marks `value` so that Piscina transfers the series' buffers with it instead of cloning them
 * (Piscina's `Transferable`): the sender's arrays are detached afterwards. Give it a series
 * from `withOwnBuffers` or one built for the message.
 */
export function movedWithSeries(value: object, series: MetricSeries): unknown {
  return movedWith(value, [series.steps.buffer, series.values.buffer, series.times.buffer]);
}

/** Marks `value` so that Piscina transfers `buffers` with it instead of cloning them. */
export function movedWith(value: object, buffers: ArrayBufferLike[]): unknown {
  return move({ [transferableSymbol]: [...new Set(buffers)], [valueSymbol]: value });
}
