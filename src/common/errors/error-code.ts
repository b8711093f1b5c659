/** The stable `code` of every problem document (API.md §Error codes). */
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  IDEMPOTENCY_KEY_REQUIRED = 'IDEMPOTENCY_KEY_REQUIRED',
  IDEMPOTENCY_KEY_INVALID = 'IDEMPOTENCY_KEY_INVALID',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  SLOT_NOT_OFFERED = 'SLOT_NOT_OFFERED',
  NOT_FOUND = 'NOT_FOUND',
  SLOT_UNAVAILABLE = 'SLOT_UNAVAILABLE',
  HOLD_EXPIRED = 'HOLD_EXPIRED',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  HAS_LIVE_BOOKINGS = 'HAS_LIVE_BOOKINGS',
  IDEMPOTENCY_KEY_IN_PROGRESS = 'IDEMPOTENCY_KEY_IN_PROGRESS',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  HEADERS_TOO_LARGE = 'HEADERS_TOO_LARGE',
  SLOT_IN_PAST = 'SLOT_IN_PAST',
  OUTSIDE_BOOKING_WINDOW = 'OUTSIDE_BOOKING_WINDOW',
  TOO_LATE_TO_CANCEL = 'TOO_LATE_TO_CANCEL',
  RULE_CONFLICT = 'RULE_CONFLICT',
  UNKNOWN_REFERENCE = 'UNKNOWN_REFERENCE',
  HOLD_LIMIT_REACHED = 'HOLD_LIMIT_REACHED',
  RATE_LIMITED = 'RATE_LIMITED',
  INTERNAL = 'INTERNAL',
  UNAVAILABLE = 'UNAVAILABLE',
}

export interface ErrorCodeDefinition {
  status: number;
  title: string;
}

/**
 * Status and fixed title per code. An exhaustive switch: adding a code without a mapping
 * fails to compile.
 */
export function describeErrorCode(code: ErrorCode): ErrorCodeDefinition {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
      return { status: 400, title: 'The request is not valid.' };
    case ErrorCode.IDEMPOTENCY_KEY_REQUIRED:
      return { status: 400, title: 'An Idempotency-Key header is required.' };
    case ErrorCode.IDEMPOTENCY_KEY_INVALID:
      return { status: 400, title: 'The Idempotency-Key header is malformed.' };
    case ErrorCode.UNAUTHENTICATED:
      return { status: 401, title: 'Authentication is required.' };
    case ErrorCode.FORBIDDEN:
      return { status: 403, title: 'The caller may not perform this action.' };
    case ErrorCode.SLOT_NOT_OFFERED:
      return { status: 403, title: 'The slot is not in one of your live offers.' };
    case ErrorCode.NOT_FOUND:
      return { status: 404, title: 'The resource was not found.' };
    case ErrorCode.SLOT_UNAVAILABLE:
      return { status: 409, title: 'The slot is not available.' };
    case ErrorCode.HOLD_EXPIRED:
      return { status: 409, title: 'The hold has expired.' };
    case ErrorCode.INVALID_TRANSITION:
      return { status: 409, title: 'The booking cannot make this transition.' };
    case ErrorCode.HAS_LIVE_BOOKINGS:
      return { status: 409, title: 'The resource still has live bookings.' };
    case ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS:
      return { status: 409, title: 'A request with this Idempotency-Key is still in progress.' };
    case ErrorCode.IDEMPOTENCY_KEY_REUSED:
      return { status: 422, title: 'The Idempotency-Key was used for a different request.' };
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return { status: 413, title: 'The request body is too large.' };
    case ErrorCode.HEADERS_TOO_LARGE:
      return { status: 431, title: 'The request headers are too large.' };
    case ErrorCode.SLOT_IN_PAST:
      return { status: 422, title: 'The slot has already started.' };
    case ErrorCode.OUTSIDE_BOOKING_WINDOW:
      return { status: 422, title: 'The slot is outside the booking window.' };
    case ErrorCode.TOO_LATE_TO_CANCEL:
      return { status: 422, title: 'It is too late to cancel this booking.' };
    case ErrorCode.RULE_CONFLICT:
      return { status: 422, title: 'The availability rule overlaps another rule.' };
    case ErrorCode.UNKNOWN_REFERENCE:
      return { status: 422, title: 'A referenced record does not exist.' };
    case ErrorCode.HOLD_LIMIT_REACHED:
      return { status: 429, title: 'The limit of live holds has been reached.' };
    case ErrorCode.RATE_LIMITED:
      return { status: 429, title: 'Too many requests.' };
    case ErrorCode.INTERNAL:
      return { status: 500, title: 'Internal server error.' };
    case ErrorCode.UNAVAILABLE:
      return { status: 503, title: 'The service is temporarily unavailable.' };
    default:
      return assertNever(code);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unmapped error code ${String(value)}`);
}

/** `urn:problem-type:scheduler:<code in kebab-case>` */
export function problemType(code: ErrorCode): string {
  return `urn:problem-type:scheduler:${code.toLowerCase().replace(/_/g, '-')}`;
}
