import { z } from "zod";

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * Adapter names end up inside `<lora:name:weight>` prompt tokens, so the token's delimiters are refused;
 * experiment and run names too, since a trained adapter is named `{experiment}-{run}`.
 */
export const displayName = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "name must not be empty")
    .max(max, `name must be at most ${max} characters`)
    .refine((name) => !CONTROL_CHARS.test(name), "name must not contain control characters")
    .refine((name) => !/[<>:]/.test(name), "name must not contain <, > or :");

export const adapterName = displayName(100);

export const adapterVersion = z
  .string()
  .trim()
  .min(1, "version must not be empty")
  .max(50, "version must be at most 50 characters")
  .regex(/^[\w.+-]+$/, "version may hold letters, digits and . _ + - only");

const shortText = (what: string, max: number) =>
  z.string().trim().min(1, `${what} must not be empty`).max(max, `${what} must be at most ${max} characters`)
    .refine((s) => !CONTROL_CHARS.test(s), `${what} must not contain control characters`);

const textList = (what: string, maxItems: number) =>
  z.array(shortText(what, 200)).max(maxItems, `at most ${maxItems} ${what}s`).transform((items) => [...new Set(items)]);

export const adapterWeight = z.number().finite().min(0, "weight must be between 0 and 2").max(2, "weight must be between 0 and 2");
const description = z.string().max(20_000, "description must be at most 20000 characters");
const baseModelId = z.string().trim().min(1).max(200).nullish();

export const registerAdapterInput = z.object({
  name: adapterName,
  version: adapterVersion,
  filePath: z.string().min(1, "filePath must not be empty").max(4096),
  baseModelId,
  description: description.optional(),
  tags: textList("tag", 50).optional(),
  weight: adapterWeight.optional(),
  active: z.boolean().optional(),
});
export type RegisterAdapterInput = z.infer<typeof registerAdapterInput>;

export const uploadAdapterInput = registerAdapterInput.omit({ filePath: true });
export type UploadAdapterInput = z.infer<typeof uploadAdapterInput>;

export const ordinalInput = z
  .number()
  .int("ordinal must be a whole number")
  .min(0, "ordinal must be between 0 and 1000000")
  .max(1_000_000, "ordinal must be between 0 and 1000000")
  .nullish();

/** Fields that may be set to null to clear them: activation text, ordinal and preview sample. */
export const updateAdapterInput = z.object({
  description: description.optional(),
  tags: textList("tag", 50).optional(),
  weight: adapterWeight.optional(),
  trainedWords: textList("trained word", 200).optional(),
  triggers: textList("trigger", 50).optional(),
  activationText: z.string().max(2000, "activation text must be at most 2000 characters").nullish(),
  version: adapterVersion.optional(),
  notes: z.string().max(20_000, "notes must be at most 20000 characters").optional(),
  ordinal: ordinalInput,
  previewSampleId: z.string().trim().min(1, "previewSampleId must not be empty").max(64).nullish(),
});
export type UpdateAdapterInput = z.infer<typeof updateAdapterInput>;

export const importCivitaiInput = z.object({
  directory: z.string().min(1, "directory must not be empty").max(4096),
  dryRun: z.boolean().default(false),
  force: z.boolean().default(false),
});
export type ImportCivitaiInput = z.infer<typeof importCivitaiInput>;

export const ADAPTER_ORDERS = ["CREATED_AT_DESC", "CREATED_AT_ASC", "NAME_ASC", "NAME_DESC", "UPDATED_AT_DESC", "ORDINAL_ASC", "USAGE_DESC"] as const;
export type AdapterOrder = (typeof ADAPTER_ORDERS)[number];

export interface AdapterFilter {
  active?: boolean | null;
  tag?: string | null;
  baseModelId?: string | null;
  compatibleWith?: string | null;
  search?: string | null;
  name?: string | null;
}
