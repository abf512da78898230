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
