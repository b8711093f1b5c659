import { Logger } from '@nestjs/common';
import { GuardedPool } from '../../../src/database/guarded-pg';
import { UNLIMITED } from '../../../src/database/query-limits';
import { testDatabaseUrl } from '../../utils/test-app';

/**
 * A server that stops right after the pool ended (the embedded database on Ctrl-C) cuts the
 * connections the pool is still closing: that is the shutdown going as planned, not a failure
 * to warn about. An idle connection the server cuts at any other time is still reported.
 */
describe('connection errors while the pool closes', () => {
  const cut = (): Error => new Error('terminating connection due to administrator command');
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  async function poolWithIdleClient(): Promise<{ pool: GuardedPool; idle: NodeJS.EventEmitter }> {
    const pool = new GuardedPool({ connectionString: testDatabaseUrl(), max: 1, queryLimits: UNLIMITED });
    const client = await pool.connect();
    client.release();
    return { pool, idle: client };
  }

  it('says nothing of a connection cut while the pool is ending it', async () => {
    const { pool, idle } = await poolWithIdleClient();
    const ended = pool.end();
    idle.emit('error', cut());
    await ended;
    expect(warn).not.toHaveBeenCalled();
  });

  it('warns of an idle connection cut while the pool is open', async () => {
    const { pool, idle } = await poolWithIdleClient();
    idle.emit('error', cut());
    expect(warn.mock.calls.map(([message]) => message)).toEqual([
      'database connection failed: terminating connection due to administrator command',
      'idle database connection failed: terminating connection due to administrator command',
    ]);
    await pool.end();
  });
});
