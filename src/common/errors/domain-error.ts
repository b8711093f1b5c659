import { ErrorCode } from './error-code';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * The one error type services throw. The problem filter renders it; `extensions` become
 * extra members of the problem document (e.g. `conflictingRuleIds`).
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly errors?: FieldError[],
    /** Response headers that belong to this error, such as `Retry-After`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string): DomainError => new DomainError(ErrorCode.NOT_FOUND, `${what} was not found.`);

export const validationFailed = (errors: FieldError[]): DomainError =>
  new DomainError(
    ErrorCode.VALIDATION_FAILED,
    errors.length === 1 ? `${errors[0].field}: ${errors[0].message}` : `${errors.length} fields are invalid.`,
    {},
    errors,
  );
