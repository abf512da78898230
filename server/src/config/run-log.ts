import { z } from "zod";

/*
 * RUN_LOG_MAX_MB, read by the API (which refuses a run's log past it) and by each sidecar (which keeps a run's log
 * within it: its head, then a marker line, then its tail). Both ends count the UTF-8 bytes of the chunks' text.
 */

const DEFAULT_RUN_LOG_MAX_MB = 64;
const MIB = 1024 * 1024;

/** At most 1024: the stored byte count of a run's log is a 32-bit integer. */
export const runLogMaxMb = z.coerce.number().int().min(1).max(1024).default(DEFAULT_RUN_LOG_MAX_MB);

export const runLogMaxBytes = (megabytes: number) => megabytes * MIB;
