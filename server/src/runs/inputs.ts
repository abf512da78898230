import { z } from "zod";

export const metricsQueryInput = z
  .object({
    names: z.array(z.string().max(100)).max(50).nullish(),
    maxPoints: z.number().int().min(2, "maxPoints must be at least 2").max(10_000, "maxPoints must be at most 10000").default(1000),
    fromStep: z.number().int().nullish(),
    toStep: z.number().int().nullish(),
  })
  .refine((args) => args.fromStep == null || args.toStep == null || args.fromStep <= args.toStep, { message: "fromStep must not exceed toStep", path: ["fromStep"] });
