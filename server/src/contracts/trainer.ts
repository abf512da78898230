import { z } from "zod";

/*
 * The trainer's output that travels as data (DESIGN §6): metric lines on file descriptor 3, such as
 * `{"step": 10, "loss": 2.31, "lr": 0.0003}`. A metric point anywhere after that (the sidecar's reports, the API's
 * store, the subscriptions) keeps the name and step rules written here.
 */

export const METRIC_NAME = /^[A-Za-z][\w./-]{0,99}$/;
export const METRIC_NAME_RULE = "metric names start with a letter and hold letters, digits and _ . / - (at most 100)";
export const MAX_STEP = 2_000_000_000;

export const metricName = z.string().regex(METRIC_NAME, METRIC_NAME_RULE);
export const metricStep = z.number().int().min(0).max(MAX_STEP);

/** One metric line: a step and any other fields; each numeric field but step is a point. */
export const metricLine = z.looseObject({ step: metricStep });
