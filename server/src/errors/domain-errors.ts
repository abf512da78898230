import type { Adapter } from "../generated/prisma/client.js";

/** Expected failures of the domain; the GraphQL layer turns each into a typed result. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export class NotFoundError extends DomainError {
  readonly code = "NOT_FOUND";
}

export class ConflictError extends DomainError {
  readonly code = "CONFLICT";
  constructor(message: string, readonly suggestedVersion: string | null = null) {
    super(message);
  }
}

export interface FieldError {
  field: string;
  message: string;
}

export class BadUserInputError extends DomainError {
  readonly code = "BAD_USER_INPUT";
  constructor(message: string, readonly fieldErrors: FieldError[] = []) {
    super(message);
  }

  static forField(field: string, message: string): BadUserInputError {
    return new BadUserInputError(message, [{ field, message }]);
  }
}

/** A soft-deleted adapter was asked for where only live ones may be used (a generation). */
export class AdapterDeletedError extends DomainError {
  readonly code = "ADAPTER_DELETED";
  constructor(message: string, readonly adapterId: string) {
    super(message);
  }
}

/** An adapter made for another base model; `compatibleAdapters` are live, active ones that fit the model asked for. */
export class IncompatibleAdapterError extends DomainError {
  readonly code = "INCOMPATIBLE_ADAPTER";
  constructor(message: string, readonly adapterId: string, readonly compatibleAdapters: Adapter[]) {
    super(message);
  }
}

/** A base model that neither our sidecar nor a configured generation backend generates with. */
export class BaseModelNotServedError extends DomainError {
  readonly code = "BASE_MODEL_NOT_SERVED";
  constructor(message: string, readonly baseModelId: string) {
    super(message);
  }
}
