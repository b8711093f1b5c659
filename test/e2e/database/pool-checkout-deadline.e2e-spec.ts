import type { PoolClient } from 'pg';
import { DatabaseUnavailableError, GuardedPool } from '../../../src/database/guarded-pg';
import { runWithQueryLimits, UNLIMITED } from '../../../src/database/query-limits';
import { testDatabaseUrl } from '../../utils/test-app';

/**
 * A checkout from the pool ends at the unit's deadline, whatever DB_CONNECT_TIMEOUT_MS says,
 * and the checkouts given up that way never cost the pool a connection.
 */
describe('a pool checkout bounded by the deadline', () => {
  let pool: GuardedPool;
  beforeEach(() => {
    pool = new GuardedPool({ connectionString: testDatabaseUrl(), max: 1, connectionTimeoutMillis: 60_000, queryLimits: UNLIMITED });
  });
  afterEach(() => pool.end());

  const checkoutBy = (deadline: number): Promise<PoolClient> => runWithQueryLimits({ ...UNLIMITED, deadline }, () => pool.connect());

  it('fails at the deadline while the only connection is held, and at once when it has passed', async () => {
    const held = await pool.connect();
    const started = Date.now();
    await expect(checkoutBy(started + 300)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    await expect(checkoutBy(Date.now() - 1)).rejects.toThrow('No database connection came free before the deadline.');
    held.release();
  });

  it('hands a connection freed after thousands of given-up checkouts to the next live one', async () => {
    const held = await pool.connect();
    const abandoned = Array.from({ length: 3000 }, () => checkoutBy(Date.now() + 50).catch((error: unknown) => error));
    expect((await Promise.all(abandoned)).every((error) => error instanceof DatabaseUnavailableError)).toBe(true);
    const live = checkoutBy(Date.now() + 10_000);
    expect(() => held.release()).not.toThrow();
    const client = await live;
    expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    client.release();
    expect(pool.totalCount).toBe(1);
  });
});
