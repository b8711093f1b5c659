import { connect } from 'node:net';
import { Client } from 'pg';
import { BookingFixture, bookingFixture } from '../../factories/bookings';
import { scratchDatabase, startTestApp, TEST_JWT_SECRET, TestApp } from '../../utils/test-app';
import { HttpCaller, ServerProcess, sleep } from './fault-kit';

/**
 * Issue "Survive faults": on SIGTERM, requests in flight finish, new ones get 503, and the
 * process exits within SHUTDOWN_TIMEOUT_MS even if a client or the database hangs.
 */
describe('SIGTERM', () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let t: TestApp;
  let blocker: Client;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    database = await scratchDatabase();
    t = await startTestApp({ DATABASE_URL: database.url });
    blocker = new Client({ connectionString: database.url });
    await blocker.connect();
  });
  afterEach(() => server?.kill('SIGKILL'));
  afterAll(async () => {
    await blocker?.end();
    await t?.close();
    await database?.drop();
  });

  /** A hold that stays in flight until the test rolls back its lock on the slot. */
  async function holdBlockedOnTheSlot(http: HttpCaller, f: BookingFixture) {
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM scheduler.slot_instances WHERE id = $1 FOR UPDATE', [f.slotIds[0]]);
    const hold = http.call('hold', 'POST', '/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, key: 'in-flight' });
    await sleep(300);
    return { hold, release: () => blocker.query('ROLLBACK') };
  }

  it('lets requests in flight finish, answers new ones 503, then exits 0', async () => {
    server = await ServerProcess.start({ DATABASE_URL: database.url, AUTH_JWT_SECRET: TEST_JWT_SECRET, SHUTDOWN_TIMEOUT_MS: '10000' });
    const http = new HttpCaller(server.base);
    const f = await bookingFixture(t, { slots: 1 });
    const { hold, release } = await holdBlockedOnTheSlot(http, f);

    server.kill('SIGTERM');
    await sleep(300);
    const [newcomer, ready] = await Promise.all([
      http.call('list', 'GET', '/v1/bookings', { token: f.user.token }),
      http.call('ready', 'GET', '/health/ready'),
    ]);
    expect({ status: newcomer.status, code: newcomer.code, retryAfter: newcomer.retryAfter }).toEqual({
      status: 503,
      code: 'UNAVAILABLE',
      retryAfter: '1',
    });
    expect(ready.status).toBe(503);

    const released = Date.now();
    await release();
    expect((await hold).status).toBe(201);
    const exit = await server.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - released).toBeLessThan(3000);
    expect(await t.db.query('SELECT status FROM scheduler.bookings WHERE slot_id = $1', [f.slotIds[0]])).toEqual([{ status: 'held' }]);
  });

  it('exits within SHUTDOWN_TIMEOUT_MS when a request waits on the database and a client never finishes its own', async () => {
    server = await ServerProcess.start({
      DATABASE_URL: database.url,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      SHUTDOWN_TIMEOUT_MS: '2000',
      // Longer than the shutdown, so only the shutdown can end the waiting request.
      REQUEST_TIMEOUT_MS: '60000',
      DB_STATEMENT_TIMEOUT_MS: '60000',
    });
    const http = new HttpCaller(server.base);
    const f = await bookingFixture(t, { slots: 1 });
    const { hold, release } = await holdBlockedOnTheSlot(http, f);
    // Headers sent, body promised but never sent.
    const slow = connect(server.port, '127.0.0.1');
    slow.on('error', () => undefined);
    slow.write('POST /v1/bookings HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    await sleep(200);

    const signalled = Date.now();
    server.kill('SIGTERM');
    const exit = await server.exited;
    slow.destroy();
    expect(exit.code).toBe(1);
    expect(exit.at - signalled).toBeGreaterThanOrEqual(1500);
    expect(exit.at - signalled).toBeLessThan(2000 + 1000);
    expect((await hold).status).toBe(-1);

    // Its transaction never committed: once the lock goes, nothing of the hold is left.
    await release();
    await sleep(200);
    expect(await t.db.query('SELECT id FROM scheduler.bookings WHERE slot_id = $1', [f.slotIds[0]])).toEqual([]);
  });
});
