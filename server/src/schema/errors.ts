import { AdapterDeletedError, BadUserInputError, BaseModelNotServedError, ConflictError, DomainError, IncompatibleAdapterError, NotFoundError, type FieldError } from "../errors/domain-errors.js";
import { builder } from "./builder.js";

export const ErrorInterface = builder.interfaceRef<DomainError>("Error").implement({
  description: "Every expected failure: a human message and a stable code",
  fields: (t) => ({
    message: t.exposeString("message"),
    code: t.exposeString("code"),
  }),
});

builder.objectType(NotFoundError, {
  name: "NotFoundError",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
});

builder.objectType(ConflictError, {
  name: "ConflictError",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ConflictError,
  fields: (t) => ({
    suggestedVersion: t.exposeString("suggestedVersion", { nullable: true, description: "the next free version for this name" }),
  }),
});

const FieldErrorRef = builder.objectRef<FieldError>("FieldError").implement({
  fields: (t) => ({ field: t.exposeString("field"), message: t.exposeString("message") }),
});

builder.objectType(BadUserInputError, {
  name: "BadUserInputError",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof BadUserInputError,
  fields: (t) => ({ fieldErrors: t.field({ type: [FieldErrorRef], resolve: (error) => error.fieldErrors }) }),
});

builder.objectType(AdapterDeletedError, {
  name: "AdapterDeletedError",
  description: "the adapter was soft-deleted: it stays readable by id but cannot be used",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof AdapterDeletedError,
  fields: (t) => ({ adapterId: t.exposeID("adapterId") }),
});

/** Its compatibleAdapters field is added where adapters are known (generation/types.ts), keeping this file free of domains. */
export const IncompatibleAdapterErrorRef = builder.objectType(IncompatibleAdapterError, {
  name: "IncompatibleAdapterError",
  description: "the adapter was made for another base model",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof IncompatibleAdapterError,
  fields: (t) => ({ adapterId: t.exposeID("adapterId") }),
});

builder.objectType(BaseModelNotServedError, {
  name: "BaseModelNotServedError",
  description: "nothing here generates with the base model: it is not built in, and no GENERATION_BACKENDS entry lists it",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof BaseModelNotServedError,
  fields: (t) => ({ baseModelId: t.exposeID("baseModelId") }),
});

export const COMMON_ERRORS = [NotFoundError, ConflictError, BadUserInputError];
/** What a mutation that generates (a job, an A/B test's jobs) may be refused with. */
export const GENERATION_ERRORS = [...COMMON_ERRORS, AdapterDeletedError, IncompatibleAdapterError, BaseModelNotServedError];
