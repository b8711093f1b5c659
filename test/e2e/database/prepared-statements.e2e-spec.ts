import { GuardedPool } from '../../../src/database/guarded-pg';
import { UNLIMITED } from '../../../src/database/query-limits';
import { testDatabaseUrl } from '../../utils/test-app';

/**
 * DB_PREPARED_STATEMENTS: parameterised statements go out as named prepared statements, one
 * per distinct text and connection, at most 256 per connection; with the setting off (behind
 * PgBouncer < 1.21 in transaction mode) nothing is prepared. A connection's own
 * pg_prepared_statements shows what it holds.
 */
describe('named prepared statements', () => {
  const pools: GuardedPool[] = [];
  afterAll(() => Promise.all(pools.map((pool) => pool.end())));

  function poolOf(preparedStatements: boolean): GuardedPool {
    const pool = new GuardedPool({ connectionString: testDatabaseUrl(), max: 1, queryLimits: UNLIMITED, preparedStatements });
    pools.push(pool);
    return pool;
  }

  const preparedOf = async (pool: GuardedPool): Promise<string[]> =>
    (await pool.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY statement')).rows.map((row) => row.statement);

  it('prepares a parameterised statement once per connection and answers it each time', async () => {
    const pool = poolOf(true);
    for (const n of [1, 2, 3]) {
      expect((await pool.query<{ n: number }>('SELECT $1::int + 1 AS n', [n])).rows).toEqual([{ n: n + 1 }]);
    }
    expect(await preparedOf(pool)).toEqual(['SELECT $1::int + 1 AS n']);
  });

  it('leaves statements without parameters unnamed', async () => {
    const pool = poolOf(true);
    await pool.query('SELECT 1');
    expect(await preparedOf(pool)).toEqual([]);
  });

  it('keeps at most 256 per connection, and answers the ones past that unnamed', async () => {
    const pool = poolOf(true);
    for (let i = 0; i < 300; i += 1) {
      expect((await pool.query<{ n: number }>(`SELECT $1::int + ${i} AS n`, [1])).rows).toEqual([{ n: 1 + i }]);
    }
    expect(await preparedOf(pool)).toHaveLength(256);
    // A prepared one is still used after the cap is reached.
    expect((await pool.query<{ n: number }>('SELECT $1::int + 0 AS n', [7])).rows).toEqual([{ n: 7 }]);
  });

  it('prepares nothing when the setting is off', async () => {
    const pool = poolOf(false);
    await pool.query('SELECT $1::int AS n', [1]);
    expect(await preparedOf(pool)).toEqual([]);
  });

  it('keeps a statement that failed on its parameters usable on the same connection', async () => {
    const pool = poolOf(true);
    await expect(pool.query('SELECT $1::uuid AS id', ['not-a-uuid'])).rejects.toMatchObject({ code: '22P02' });
    const id = '018f0000-0000-7000-8000-000000000000';
    expect((await pool.query<{ id: string }>('SELECT $1::uuid AS id', [id])).rows).toEqual([{ id }]);
  });
});
