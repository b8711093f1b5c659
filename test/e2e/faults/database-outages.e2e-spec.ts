import { Client } from 'pg';
import { BookingFixture, bookingFixture, key, newUser } from '../../factories/bookings';
import { scratchDatabase, startTestApp, TestApp } from '../../utils/test-app';
import {
  badAnswers,
  EmbeddedPostgresChild,
  recovers,
  Exchange,
  FreezableProxy,
  HttpCaller,
  invariantViolations,
  reportFigures,
  sleep,
  startLoad,
  tally,
} from './fault-kit';

/**
 * Issue "Survive faults": a database that goes away (stopped, then started again) and one that
 * stops answering (its host hangs) must give 503 UNAVAILABLE within the request deadline, a red
 * readiness probe, and recovery without a restart; pool waits and statements are bounded too.
 */
const REQUEST_TIMEOUT_MS = 1500;
/** A 503 may take the deadline plus the time to render and send it on a shared machine. */
const ANSWER_SLACK_MS = 1000;

function listen(t: TestApp): Promise<HttpCaller> {
  return t.app.listen(0, '127.0.0.1').then(() => new HttpCaller(`http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`));
}

/** Browses and holds, alternating, for one fixture. */
function browseAndHold(http: HttpCaller, f: BookingFixture, users: { token: string }[]) {
  return (worker: number, iteration: number): Promise<Exchange> => {
    const user = users[(worker + iteration) % users.length];
    return iteration % 2 === 0
      ? http.call('browse', 'GET', `/v1/locations/${f.locationId}/slots`, { token: user.token })
      : http.call('hold', 'POST', '/v1/bookings', {
          token: user.token,
          body: { slotId: f.slotIds[(worker * 7 + iteration) % f.slotIds.length] },
          key: `${worker}:${iteration}`,
        });
  };
}

describe('the database stopped and started again under load', () => {
  let pg: EmbeddedPostgresChild;
  let t: TestApp;
  let http: HttpCaller;

  beforeAll(async () => {
    pg = await EmbeddedPostgresChild.start();
    t = await startTestApp({
      DATABASE_URL: pg.url,
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      DB_CONNECT_TIMEOUT_MS: '1000',
      HOLD_SWEEP_INTERVAL_SECONDS: '1',
    });
    http = await listen(t);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await pg?.exit();
  });

  it('answers 503 within the deadline while it is down, is not ready, and recovers by itself', async () => {
    const f = await bookingFixture(t, { slots: 20, capacity: 3, policy: { holdTtlSeconds: 2, maxActiveHoldsPerUser: 20 } });
    const users = await Promise.all(Array.from({ length: 6 }, () => newUser(t)));
    const load = startLoad(6, browseAndHold(http, f, users));

    await sleep(700);
    const stoppedAt = Date.now();
    await pg.stop();
    await sleep(1000);
    const downReady = await http.call('ready', 'GET', '/health/ready');
    await sleep(1000);
    const restartedAt = Date.now();
    await pg.start();
    const recovered = await recovers(http, `/v1/locations/${f.locationId}/slots`, users[0].token, 15_000);
    const recoveredAt = Date.now();
    await sleep(700);
    const exchanges = await load.stop();

    const whileDown = exchanges.filter((e) => e.startedAt > stoppedAt + 200 && e.startedAt + e.ms < restartedAt);
    expect(exchanges.filter((e) => e.transportError)).toEqual([]);
    expect(badAnswers(exchanges)).toEqual([]);
    expect(whileDown.length).toBeGreaterThan(0);
    expect(whileDown.every((e) => e.status === 503 && e.ms <= REQUEST_TIMEOUT_MS + ANSWER_SLACK_MS)).toBe(true);
    expect(downReady.status).toBe(503);
    expect(recovered).toBe(true);
    expect(exchanges.some((e) => e.startedAt > recoveredAt && e.status >= 200 && e.status < 300)).toBe(true);

    await sleep(3000);
    const violations = await invariantViolations(t.db, { noStaleHolds: true });
    reportFigures('database stopped and started', {
      requests: exchanges.length,
      downForMs: restartedAt - stoppedAt,
      recoveredInMs: recoveredAt - restartedAt,
      answers: tally(exchanges),
      violations: violations.length,
    });
    expect(violations).toEqual([]);
  });
});

describe('a database that stops answering', () => {
  let proxy: FreezableProxy;
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let t: TestApp;
  let http: HttpCaller;

  beforeAll(async () => {
    database = await scratchDatabase();
    const server = new URL(database.url);
    proxy = new FreezableProxy(server.hostname, Number(server.port || 5432));
    const through = new URL(database.url);
    through.hostname = '127.0.0.1';
    through.port = String(await proxy.start());
    t = await startTestApp({
      DATABASE_URL: through.toString(),
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      DB_CONNECT_TIMEOUT_MS: '1000',
    });
    http = await listen(t);
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.stop();
    await database?.drop();
  });

  it('answers 503 within the deadline while frozen, then serves again without a restart', async () => {
    const f = await bookingFixture(t, { slots: 10, capacity: 5, policy: { maxActiveHoldsPerUser: 20 } });
    const users = await Promise.all(Array.from({ length: 4 }, () => newUser(t)));
    const load = startLoad(4, browseAndHold(http, f, users));
    await sleep(500);

    const frozenAt = Date.now();
    proxy.freeze();
    const ready = await http.call('ready', 'GET', '/health/ready');
    await sleep(REQUEST_TIMEOUT_MS + ANSWER_SLACK_MS);
    const thawedAt = Date.now();
    proxy.thaw();
    const recovered = await recovers(http, `/v1/locations/${f.locationId}/slots`, users[0].token, 10_000);
    const exchanges = await load.stop();

    const whileFrozen = exchanges.filter((e) => e.startedAt >= frozenAt && e.startedAt + e.ms <= thawedAt);
    expect(badAnswers(exchanges)).toEqual([]);
    expect(exchanges.filter((e) => e.transportError)).toEqual([]);
    expect(whileFrozen.length).toBeGreaterThan(0);
    expect(whileFrozen.every((e) => e.status === 503)).toBe(true);
    expect(Math.max(...exchanges.filter((e) => e.status === 503).map((e) => e.ms))).toBeLessThanOrEqual(REQUEST_TIMEOUT_MS + ANSWER_SLACK_MS);
    expect(ready.status).toBe(503);
    expect(recovered).toBe(true);
    const violations = await invariantViolations(t.db);
    reportFigures('database frozen', { requests: exchanges.length, answers: tally(exchanges), violations: violations.length });
    expect(violations).toEqual([]);
  });
});

/**
 * An app started with `env` for the enclosing describe block, and a connection of the test's
 * own: `lock` takes a row lock in a transaction of it, released by the returned function.
 */
function appWithLocker(env: Record<string, string>): { t: TestApp; lock(sql: string, params: unknown[]): Promise<() => Promise<void>> } {
  let blocker: Client;
  const started = {
    t: undefined as unknown as TestApp,
    async lock(sql: string, params: unknown[]) {
      await blocker.query('BEGIN');
      await blocker.query(sql, params);
      return async () => {
        await blocker.query('ROLLBACK');
      };
    },
  };
  beforeAll(async () => {
    started.t = await startTestApp(env);
    blocker = new Client({ connectionString: process.env.SCHEDULER_TEST_DATABASE_URL });
    await blocker.connect();
  });
  afterAll(async () => {
    await blocker?.end();
    await started.t?.close();
  });
  return started;
}

/** A slot generation for the fixture's location, waiting on a row lock of it the test holds until `release`. */
async function generationWaitingOnLocation(s: ReturnType<typeof appWithLocker>, f: BookingFixture) {
  const release = await s.lock('SELECT 1 FROM scheduler.locations WHERE id = $1 FOR UPDATE', [f.locationId]);
  const generation = s.t.api.post('/v1/admin/slot-generations', {
    token: f.admin,
    body: { locationId: f.locationId, from: '2031-03-03', to: '2031-03-04' },
  });
  return { generation, release };
}

describe('a pool with no connection free', () => {
  const s = appWithLocker({ DB_POOL_MAX: '1', DB_CONNECT_TIMEOUT_MS: '400' });

  it('answers 503 once DB_CONNECT_TIMEOUT_MS has passed, and serves the waiting request afterwards', async () => {
    const f = await bookingFixture(s.t, { slots: 1 });
    const release = await s.lock('SELECT 1 FROM scheduler.slot_instances WHERE id = $1 FOR UPDATE', [f.slotIds[0]]);
    // The hold takes the pool's only connection and waits on the slot's lock.
    const hold = s.t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
    await sleep(200);
    const started = Date.now();
    const starved = await s.t.api.get('/v1/bookings', { token: f.user.token });
    const waited = Date.now() - started;
    await release();
    expect(starved.status).toBe(503);
    expect(starved.body).toMatchObject({ code: 'UNAVAILABLE' });
    expect(starved.headers['retry-after']).toBe('5');
    expect(waited).toBeGreaterThanOrEqual(350);
    expect(waited).toBeLessThan(400 + ANSWER_SLACK_MS);
    expect((await hold).status).toBe(201);
  });
});

describe('a pool with no connection free before the request deadline', () => {
  const s = appWithLocker({ DB_POOL_MAX: '1', DB_CONNECT_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '600', LONG_REQUEST_TIMEOUT_MS: '30000' });

  it('answers 503 at REQUEST_TIMEOUT_MS when that comes before DB_CONNECT_TIMEOUT_MS', async () => {
    const f = await bookingFixture(s.t, { slots: 1 });
    // Generation runs under the long limit: it keeps the pool's only connection while it waits on the location.
    const { generation, release } = await generationWaitingOnLocation(s, f);
    await sleep(200);
    const started = Date.now();
    const starved = await s.t.api.get('/v1/bookings', { token: f.user.token });
    const waited = Date.now() - started;
    await release();
    expect(starved.status).toBe(503);
    expect(starved.body).toMatchObject({ code: 'UNAVAILABLE' });
    expect(waited).toBeGreaterThanOrEqual(550);
    expect(waited).toBeLessThan(600 + ANSWER_SLACK_MS);
    expect((await generation).status).toBe(200);
    // The connection the starved request gave up on serves the next one.
    expect((await s.t.api.get('/v1/bookings', { token: f.user.token })).status).toBe(200);
  });
});

describe('statement timeouts, and the longer limit of generation and bulk cancel', () => {
  const s = appWithLocker({ DB_STATEMENT_TIMEOUT_MS: '500', LONG_REQUEST_TIMEOUT_MS: '30000' });

  it('ends the statement of an ordinary request at DB_STATEMENT_TIMEOUT_MS (503), and writes nothing', async () => {
    const f = await bookingFixture(s.t, { slots: 1 });
    const release = await s.lock('SELECT 1 FROM scheduler.slot_instances WHERE id = $1 FOR UPDATE', [f.slotIds[0]]);
    const started = Date.now();
    const hold = await s.t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
    const waited = Date.now() - started;
    await release();
    expect(hold.status).toBe(503);
    expect(hold.body).toMatchObject({ code: 'UNAVAILABLE' });
    expect(waited).toBeGreaterThanOrEqual(450);
    expect(waited).toBeLessThan(500 + ANSWER_SLACK_MS);
    expect(await s.t.db.query('SELECT id FROM scheduler.bookings WHERE slot_id = $1', [f.slotIds[0]])).toEqual([]);
  });

  it('lets slot generation wait past it, within its own limit', async () => {
    const f = await bookingFixture(s.t, { slots: 1 });
    const { generation, release } = await generationWaitingOnLocation(s, f);
    await sleep(1200);
    await release();
    expect((await generation).status).toBe(200);
  });

  it('lets bulk cancel wait past it, within its own limit', async () => {
    const f = await bookingFixture(s.t, { slots: 1 });
    const held = await s.t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
    expect(held.status).toBe(201);
    const release = await s.lock('SELECT 1 FROM scheduler.bookings WHERE id = $1 FOR UPDATE', [held.body.id]);
    const bulk = s.t.api.post('/v1/admin/bookings/bulk-cancel', {
      token: f.admin,
      body: { locationId: f.locationId, from: new Date().toISOString(), to: '2100-01-01T00:00:00.000Z', reason: 'closed' },
    });
    await sleep(1200);
    await release();
    expect((await bulk).body).toEqual({ cancelled: 1 });
  });
});
