import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { DatabaseUnavailableError } from '../../database/guarded-pg';
import { ErrorCode } from './error-code';
import { DomainError, FieldError, validationFailed } from './domain-error';

/**
 * PostgreSQL errors are translated here and nowhere else. Constraint names are part of the
 * schema (see migrations/), so each one a client can trigger gets its own sentence.
 */
const constraintDetails: Record<string, { code: ErrorCode; detail: string } | { errors: FieldError[] }> = {
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
  // A metadata change is merged in its UPDATE; a result over the limit is the request's fault.
  ...Object.fromEntries(
    ['bookings', 'locations', 'people'].map((table) => [`${table}_metadata_keys`, { errors: [{ field: 'metadata', message: 'must have at most 50 keys once the change is merged' }] }]),
  ),
};

interface PgLikeError {
  code?: unknown;
  constraint?: unknown;
}

/**
 * SQLSTATEs that say the database cannot serve right now, whatever the request: connection
 * exceptions (08), insufficient resources (53), operator intervention — shutdown, statement
 * timeout, cancel (57), system errors (58); a read-only transaction (25006: a failover left us on
 * a standby); idle-in-transaction timeout (25P03).
 */
const UNAVAILABLE_CLASSES = ['08', '53', '57', '58'];
const UNAVAILABLE_CODES = new Set(['25006', '25P03']);
/** Transient collisions with a concurrent transaction: a retry of the same request can succeed. */
const COLLISION_CODES = new Set(['40001', '40P01', '55P03']);

export function translateDatabaseError(error: unknown): DomainError | undefined {
  // The connection itself failed (our pg layer says so), or TypeORM refuses a query runner that
  // a broken connection released (its 'error' handler releases it): the database is unreachable,
  // not the request wrong.
  if (error instanceof DatabaseUnavailableError || databaseCause(error) instanceof DatabaseUnavailableError) return unavailable();
  if (error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError) return unavailable();
  const pg = databaseCause(error);
  if (!pg || typeof pg.code !== 'string') return undefined;
  const code = pg.code;
  const known = typeof pg.constraint === 'string' ? constraintDetails[pg.constraint] : undefined;
  if (known) return 'errors' in known ? validationFailed(known.errors) : new DomainError(known.code, known.detail);

  if (code === '23503') return new DomainError(ErrorCode.UNKNOWN_REFERENCE, 'A referenced record does not exist.');
  if (code === '23514' || code === '23502' || code.startsWith('22')) {
    // The DTOs should have refused this already; the database is the last line.
    return new DomainError(ErrorCode.VALIDATION_FAILED, 'A value is out of range or malformed.');
  }
  if (COLLISION_CODES.has(code)) {
    return new DomainError(ErrorCode.UNAVAILABLE, 'The request collided with a concurrent one; retry it.', {}, undefined, {
      'Retry-After': '1',
    });
  }
  if (UNAVAILABLE_CLASSES.includes(code.slice(0, 2)) || UNAVAILABLE_CODES.has(code)) return unavailable();
  return undefined;
}

function unavailable(): DomainError {
  return new DomainError(ErrorCode.UNAVAILABLE, 'The database is unreachable or did not answer in time.', {}, undefined, {
    'Retry-After': '5',
  });
}

/** TypeORM wraps driver errors in QueryFailedError with the driver error as `driverError`. */
function databaseCause(error: unknown): PgLikeError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const wrapped = (error as { driverError?: unknown }).driverError;
  if (typeof wrapped === 'object' && wrapped !== null) return wrapped as PgLikeError;
  return error as PgLikeError;
}
