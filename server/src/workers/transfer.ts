import { move, transferableSymbol, valueSymbol } from "piscina";
import type { MetricSeries } from "./downsample.js";

function ownsItsBuffer(array: Float64Array): boolean {
  return array.buffer instanceof ArrayBuffer && array.byteOffset === 0 && array.byteLength === array.buffer.byteLength;
}

/**
 * The series with every array on an ArrayBuffer of its own. A view into a larger or shared
 * buffer is copied, since transferring that buffer would detach data the sender uses elsewhere.
 */
export function withOwnBuffers(series: MetricSeries): MetricSeries {
  const own = (array: Float64Array) => (ownsItsBuffer(array) ? array : array.slice());
  return { steps: own(series.steps), values: own(series.values), times: own(series.times) };
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
