import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { DatabaseUnavailableError } from '../../database/guarded-pg';
import { translateDatabaseError } from './database-errors';

/** A driver error as pg reports it, wrapped by TypeORM as it wraps every failed query. */
const failed = (code: string, constraint?: string): QueryFailedError =>
  new QueryFailedError('SELECT 1', [], Object.assign(new Error('driver'), { code, constraint }));

describe('translateDatabaseError', () => {
  it.each([
    ['a lost or refused connection', new DatabaseUnavailableError('gone')],
    ['a lost connection under a failed query', new QueryFailedError('SELECT 1', [], new DatabaseUnavailableError('gone'))],
    ['a runner its broken connection released', new QueryRunnerAlreadyReleasedError()],
    ['a manager whose runner was released', new QueryRunnerProviderAlreadyReleasedError()],
    ['admin shutdown (57P01)', failed('57P01')],
    ['statement timeout (57014)', failed('57014')],
    ['connection failure (08006)', failed('08006')],
    ['too many connections (53300)', failed('53300')],
    ['a read-only standby after failover (25006)', failed('25006')],
    ['idle-in-transaction timeout (25P03)', failed('25P03')],
    ['an I/O error (58030)', failed('58030')],
  ])('%s is 503 UNAVAILABLE with Retry-After 5', (_, error) => {
    const translated = translateDatabaseError(error);
    expect({ code: translated?.code, headers: translated?.headers }).toEqual({ code: 'UNAVAILABLE', headers: { 'Retry-After': '5' } });
  });

  it.each(['40001', '40P01', '55P03'])('a collision (%s) is 503 with Retry-After 1', (code) => {
    expect(translateDatabaseError(failed(code))?.headers).toEqual({ 'Retry-After': '1' });
  });

  it('keeps the domain meaning of constraint errors', () => {
    expect(translateDatabaseError(failed('23505', 'bookings_one_live_per_user_and_slot'))?.code).toBe('SLOT_UNAVAILABLE');
    expect(translateDatabaseError(failed('23503'))?.code).toBe('UNKNOWN_REFERENCE');
  });

  it('answers a metadata merge past 50 keys as 400 naming metadata', () => {
    const translated = translateDatabaseError(failed('23514', 'people_metadata_keys'));
    expect({ code: translated?.code, errors: translated?.errors }).toEqual({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'metadata', message: 'must have at most 50 keys once the change is merged' }],
    });
  });

  it('leaves everything else to the 500 path', () => {
    expect(translateDatabaseError(failed('XX000'))).toBeUndefined();
    expect(translateDatabaseError(failed('42P01'))).toBeUndefined();
    expect(translateDatabaseError(new TypeError('a bug'))).toBeUndefined();
  });
});
