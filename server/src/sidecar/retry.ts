import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { ApiError, backoffMs, describe } from "./api-client.js";

export interface RetryOptions {
  logger: Logger;
  /** stops the retries: the last error is thrown */
  signal?: AbortSignal;
}

/** About two minutes of backoff: an API that fails unexpectedly for longer will go on failing. */
const MAX_UNEXPECTED_FAILURES = 16;

/**
 * Calls `attempt` until it succeeds, waiting longer after each transient failure: for as long as it takes while the
 * API is unreachable, MAX_UNEXPECTED_FAILURES times while it fails unexpectedly. A refusal, or any failure once
 * `signal` has aborted, is thrown at once.
 */
export async function retrying<T>(what: string, attempt: () => Promise<T>, { logger, signal }: RetryOptions): Promise<T> {
  let unexpected = 0;
  for (let failures = 0; ; failures += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ApiError) || !error.transient || signal?.aborted) throw error;
      if (error.failure === "unexpected" && ++unexpected >= MAX_UNEXPECTED_FAILURES) throw error;
      const delay = backoffMs(failures);
      const log = failures === 0 || failures % 10 === 9 ? logger.warn.bind(logger) : logger.debug.bind(logger);
      log({ attempt: failures + 1, retryInMs: delay }, `${what} failed, retrying: ${describe(error)}`);
      await sleep(delay, undefined, { signal }).catch(() => undefined);
      if (signal?.aborted) throw error;
    }
  }
}
