/** The stable `code` of every problem document: the one table of them (docs/errors.md is generated from it). */
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
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  HEADERS_TOO_LARGE = 'HEADERS_TOO_LARGE',
  PRECONDITION_FAILED = 'PRECONDITION_FAILED',
  PRECONDITION_REQUIRED = 'PRECONDITION_REQUIRED',
  SLOT_IN_PAST = 'SLOT_IN_PAST',
  OUTSIDE_BOOKING_WINDOW = 'OUTSIDE_BOOKING_WINDOW',
  TOO_LATE_TO_CANCEL = 'TOO_LATE_TO_CANCEL',
  TOO_MANY_SEATS = 'TOO_MANY_SEATS',
  RULE_CONFLICT = 'RULE_CONFLICT',
  UNKNOWN_REFERENCE = 'UNKNOWN_REFERENCE',
  HOLD_LIMIT_REACHED = 'HOLD_LIMIT_REACHED',
  RATE_LIMITED = 'RATE_LIMITED',
  INTERNAL = 'INTERNAL',
  UNAVAILABLE = 'UNAVAILABLE',
}

/**
 * Which operations can answer a code, besides those that declare it: every `/v1` operation,
 * those that read a body (POST, PUT, PATCH), admin operations, writes that take an
 * Idempotency-Key, the public POSTs that require one, or the writes that honour If-Match. The
 * contract is generated from it.
 */
export type ErrorScope = 'every' | 'body' | 'admin' | 'keyed' | 'keyRequired' | 'conditional';

export interface ErrorCodeDefinition {
  status: number;
  /** The fixed `title` of every problem document with this code. */
  title: string;
  /** When it happens, as integrators read it (the contract and docs/errors.md). */
  when: string;
  /** Operations that can answer it whatever they declare; absent: only those that declare it. */
  scope?: ErrorScope;
  /** Response headers that come with it. */
  headers?: readonly ('Retry-After' | 'WWW-Authenticate')[];
}

/**
 * Everything about each code. An exhaustive switch: adding a code without a definition fails
 * to compile.
 */
export function describeErrorCode(code: ErrorCode): ErrorCodeDefinition {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
      return {
        status: 400,
        title: 'The request is not valid.',
        when: 'A malformed body, query or path: unknown property, missing field, wrong type, bad UUID, date, instant or time zone. `errors` names each field.',
        scope: 'every',
      };
    case ErrorCode.IDEMPOTENCY_KEY_REQUIRED:
      return { status: 400, title: 'An Idempotency-Key header is required.', when: 'A public POST sent without an `Idempotency-Key` header.', scope: 'keyRequired' };
    case ErrorCode.IDEMPOTENCY_KEY_INVALID:
      return { status: 400, title: 'The Idempotency-Key header is malformed.', when: 'The `Idempotency-Key` is not 1–255 printable ASCII characters.', scope: 'keyed' };
    case ErrorCode.UNAUTHENTICATED:
      return {
        status: 401,
        title: 'Authentication is required.',
        when: 'No bearer token, or one that is malformed, badly signed, expired, or fails the issuer or audience check.',
        scope: 'every',
        headers: ['WWW-Authenticate'],
      };
    case ErrorCode.FORBIDDEN:
      return {
        status: 403,
        title: 'The caller may not perform this action.',
        when: 'A valid token whose roles do not allow the call (a viewer writing, a user on the admin API), or a new location for a business outside `biz`.',
        scope: 'admin',
      };
    case ErrorCode.SLOT_NOT_OFFERED:
      return { status: 403, title: 'The slot is not in one of your live offers.', when: 'A hold on a slot that none of the caller\'s live exposures offers (location policy `requireExposure`).' };
    case ErrorCode.NOT_FOUND:
      return { status: 404, title: 'The resource was not found.', when: 'The resource does not exist, or belongs to another business or user (existence is not revealed); also an unknown path.' };
    case ErrorCode.SLOT_UNAVAILABLE:
      return { status: 409, title: 'The slot is not available.', when: 'The slot is full, blocked or retired, or the caller already holds or booked it.' };
    case ErrorCode.HOLD_EXPIRED:
      return { status: 409, title: 'The hold has expired.', when: 'A confirm after the hold\'s time to live, even before the sweeper marked it expired.' };
    case ErrorCode.INVALID_TRANSITION:
      return {
        status: 409,
        title: 'The booking cannot make this transition.',
        when: 'The booking\'s status does not allow it: confirming a cancelled booking, cancelling a completed one, completing one whose slot has not started. `bookingStatus` says the status.',
      };
    case ErrorCode.HAS_LIVE_BOOKINGS:
      return { status: 409, title: 'The resource still has live bookings.', when: 'A delete, deactivation, time zone change or capacity cut that live future bookings depend on.' };
    case ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS:
      return {
        status: 409,
        title: 'A request with this Idempotency-Key is still in progress.',
        when: 'The same key while the first request with it is still running; retry after `Retry-After` seconds.',
        scope: 'keyed',
        headers: ['Retry-After'],
      };
    case ErrorCode.IDEMPOTENCY_KEY_REUSED:
      return { status: 422, title: 'The Idempotency-Key was used for a different request.', when: 'The same key with another method, path or body within 24 hours.', scope: 'keyed' };
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return { status: 413, title: 'The request body is too large.', when: 'A body over 1 MB.', scope: 'body' };
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return {
        status: 415,
        title: 'The request body is not JSON.',
        when: 'A body sent with a `Content-Type` other than `application/json` (or another `+json` type), with none, or in a charset other than UTF-8; `detail` names the type.',
        scope: 'body',
      };
    case ErrorCode.HEADERS_TOO_LARGE:
      return {
        status: 431,
        title: 'The request headers are too large.',
        when: "Request headers over the server's limit (16 KB), answered before any route runs.",
        scope: 'every',
      };
    case ErrorCode.PRECONDITION_FAILED:
      return {
        status: 412,
        title: 'The resource has changed since you read it.',
        when: "An `If-Match` that does not name the resource's current `ETag`: someone changed it since you read it. Read it again, reapply your change, and send the new ETag. Nothing was changed, and the outcome is not recorded against an Idempotency-Key.",
        scope: 'conditional',
      };
    case ErrorCode.PRECONDITION_REQUIRED:
      return {
        status: 428,
        title: 'An If-Match header is required.',
        when: 'An admin `PATCH` without `If-Match` while the server requires one (`REQUIRE_IF_MATCH=true`): send the `ETag` of your last read.',
        scope: 'conditional',
      };
    case ErrorCode.SLOT_IN_PAST:
      return { status: 422, title: 'The slot has already started.', when: 'A hold, booking or move onto a slot whose start has passed.' };
    case ErrorCode.OUTSIDE_BOOKING_WINDOW:
      return { status: 422, title: 'The slot is outside the booking window.', when: 'The slot starts within the location\'s `minNoticeMinutes` or beyond its `bookingHorizonDays`.' };
    case ErrorCode.TOO_LATE_TO_CANCEL:
      return { status: 422, title: 'It is too late to cancel this booking.', when: 'A user cancels, or moves to another slot, a confirmed booking within the location\'s `cancelCutoffMinutes` of its start.' };
    case ErrorCode.TOO_MANY_SEATS:
      return {
        status: 422,
        title: 'The party is too large for this slot.',
        when: "A hold, booking or move whose `seats` exceed the slot's capacity, or (for users) the location's `maxSeatsPerBooking`; `maxSeats` says the most it takes.",
      };
    case ErrorCode.RULE_CONFLICT:
      return { status: 422, title: 'The availability rule overlaps another rule.', when: 'A weekly or override window overlaps another of the same person and kind on a shared date; `conflictingRuleIds` lists them.' };
    case ErrorCode.UNKNOWN_REFERENCE:
      return { status: 422, title: 'A referenced record does not exist.', when: 'A host row the write refers to does not exist: the `bizEntityId` in `public.biz_entity`, or the user (token `sub`, `userId`) in `public.auth_user`.' };
    case ErrorCode.HOLD_LIMIT_REACHED:
      return { status: 429, title: 'The limit of live holds has been reached.', when: 'The caller already has the location\'s `maxActiveHoldsPerUser` live holds; confirm or release one first.' };
    case ErrorCode.RATE_LIMITED:
      return { status: 429, title: 'Too many requests.', when: 'Too many requests from this caller (its token, or its address without one), or too many new offers for one user in a minute; retry after `Retry-After` seconds.', scope: 'every', headers: ['Retry-After'] };
    case ErrorCode.INTERNAL:
      return { status: 500, title: 'Internal server error.', when: 'Anything unexpected. The body says only this; the server logs it with the request id.', scope: 'every' };
    case ErrorCode.UNAVAILABLE:
      return {
        status: 503,
        title: 'The service is temporarily unavailable.',
        when: 'The database is unreachable or the request collided with a concurrent one, or the token signing keys cannot be fetched; retry after `Retry-After` seconds.',
        scope: 'every',
        headers: ['Retry-After'],
      };
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
