import { ErrorCode } from './error-code';
import { DomainError } from './domain-error';

/**
 * PostgreSQL errors are translated here and nowhere else. Constraint names are part of the
 * schema (see migrations/), so each one a client can trigger gets its own sentence.
 */
const constraintDetails: Record<string, { code: ErrorCode; detail: string }> = {
  locations_biz_entity_id_fkey: {
    code: ErrorCode.UNKNOWN_REFERENCE,
    detail: 'bizEntityId does not refer to an existing business.',
  },
  bookings_user_id_fkey: {
    code: ErrorCode.UNKNOWN_REFERENCE,
    detail: 'The user is not known to the host application (public.auth_user).',
  },
  bookings_one_live_per_user_and_slot: {
    code: ErrorCode.SLOT_UNAVAILABLE,
    detail: 'This user already holds or booked this slot.',
  },
  slot_instances_no_overlap: {
    code: ErrorCode.SLOT_UNAVAILABLE,
    detail: 'The change would make two live slots of one person overlap.',
  },
  people_location_id_fkey: {
    code: ErrorCode.UNKNOWN_REFERENCE,
    detail: 'locationId does not refer to an existing location.',
  },
};

interface PgLikeError {
  code?: unknown;
  constraint?: unknown;
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

export function translateDatabaseError(error: unknown): DomainError | undefined {
  const pg = databaseCause(error);
  if (!pg || typeof pg.code !== 'string') return undefined;
  const code = pg.code;
  const known = typeof pg.constraint === 'string' ? constraintDetails[pg.constraint] : undefined;
  if (known) return new DomainError(known.code, known.detail);

  if (code === '23503') return new DomainError(ErrorCode.UNKNOWN_REFERENCE, 'A referenced record does not exist.');
  if (code === '23514' || code === '23502' || code.startsWith('22')) {
    // The DTOs should have refused this already; the database is the last line.
    return new DomainError(ErrorCode.VALIDATION_FAILED, 'A value is out of range or malformed.');
  }
  if (code === '40001' || code === '40P01' || code === '55P03') {
    return new DomainError(ErrorCode.UNAVAILABLE, 'The request collided with a concurrent one; retry it.', {}, undefined, {
      'Retry-After': '1',
    });
  }
  if (code.startsWith('08') || code === '57P01' || code === '57P03' || code === '53300' || CONNECTION_ERRORS.has(code)) {
    return new DomainError(ErrorCode.UNAVAILABLE, 'The database is unreachable.', {}, undefined, { 'Retry-After': '5' });
  }
  return undefined;
}

/** TypeORM wraps driver errors in QueryFailedError with the driver error as `driverError`. */
function databaseCause(error: unknown): PgLikeError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const wrapped = (error as { driverError?: unknown }).driverError;
  if (typeof wrapped === 'object' && wrapped !== null) return wrapped as PgLikeError;
  return error as PgLikeError;
}
