import { z } from "zod";

/*
 * What an attempt left behind, kept in Delivery.result: the answer of the last attempt, and one line per
 * failed attempt before it.
 */

const storedImage = z.object({
  index: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
});
export type StoredImage = z.infer<typeof storedImage>;

export const deliveryResult = z.object({
  durationMs: z.number(),
  httpStatus: z.number().int().nullish(),
  body: z.string().nullish(),
  bodyTruncated: z.boolean().nullish(),
  images: z.array(storedImage).nullish(),
  info: z.string().nullish(),
  exitCode: z.number().int().nullish(),
  signal: z.string().nullish(),
  timedOut: z.boolean().nullish(),
  stdout: z.string().nullish(),
  stderr: z.string().nullish(),
  stdoutTruncated: z.boolean().nullish(),
  stderrTruncated: z.boolean().nullish(),
  history: z.array(z.object({ attempt: z.number().int(), at: z.string(), error: z.string() })).nullish(),
});
export type DeliveryResult = z.infer<typeof deliveryResult>;

/** The stored result, or null when there is none (or it is not one we wrote). */
export function readResult(value: unknown): DeliveryResult | null {
  const parsed = deliveryResult.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * An attempt that did not succeed. Transient ones (connection refused, timeouts, 408/425/429/5xx) are retried
 * with backoff up to maxAttempts; permanent ones (other 4xx, a bad PNG, a non-zero exit) fail the delivery at once.
 */
export class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly result: DeliveryResult | null = null,
    /** the receiver's Retry-After, when it sent one */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** The API is shutting down: the attempt is put back, not counted. */
export class DeliveryInterrupted extends Error {}
