import { Client } from 'pg';
import { BookingFixture, bookingFixture, newUser } from '../../factories/bookings';
import { createLocation, createPerson, createRule, EVERY_DAY_NINE_TO_FIVE } from '../../factories/catalogue';
import { startIsolatedTestApp, TestApp } from '../../utils/test-app';
import {
  badAnswers,
  recovers,
  Exchange,
  HttpCaller,
  invariantViolations,
  reportFigures,
  sleep,
  startLoad,
  tally,
  terminateBackends,
} from './fault-kit';

/**
 * Issue "Survive faults", first case: PostgreSQL ends the service's connections again and again
 * (the 57P01 a fast shutdown or a failover sends) during a mixed burst of holds, confirms,
 * cancels, browses and admin writes. The process must live on, answer every request with a
 * 2xx, a 4xx or 503 UNAVAILABLE (never a 500), recover by itself, and leave rows that keep every
 * invariant.
 */
const BURST_MS = 4000;
const KILL_EVERY_MS = 200;
const HOLD_TTL_SECONDS = 2;
const SWEEP_SECONDS = 1;

describe('connections killed during a burst', () => {
  let t: TestApp & { database: string };
  let http: HttpCaller;
  let admin: Client;
  let f: BookingFixture;
  let users: { id: string; token: string }[];

  beforeAll(async () => {
    t = await startIsolatedTestApp({ DB_POOL_MAX: '6', HOLD_SWEEP_INTERVAL_SECONDS: String(SWEEP_SECONDS) });
    await t.app.listen(0, '127.0.0.1');
    http = new HttpCaller(`http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`);
    admin = new Client({ connectionString: process.env.SCHEDULER_TEST_SERVER_URL });
    await admin.connect();
    f = await bookingFixture(t, { slots: 12, capacity: 2, policy: { holdTtlSeconds: HOLD_TTL_SECONDS, maxActiveHoldsPerUser: 5 } });
    users = await Promise.all(Array.from({ length: 16 }, () => newUser(t)));
  });
  afterAll(async () => {
    await admin?.end();
    await t?.close();
  });

  it('lives, answers 2xx/4xx/503 only, recovers, and keeps every invariant', async () => {
    const bookingsOf = new Map<string, string[]>();
    let killed = 0;
    let burst = true;
    const killer = (async () => {
      while (burst) {
        killed += await terminateBackends(admin, t.database);
        await sleep(KILL_EVERY_MS);
      }
    })();

    const load = startLoad(12, async (worker, iteration): Promise<Exchange> => {
      const user = users[worker % users.length];
      const own = bookingsOf.get(user.id) ?? [];
      const step = worker + iteration;
      const key = `${user.id}:${iteration}`;
      switch (step % 7) {
        case 0:
          return http.call('browse', 'GET', `/v1/locations/${f.locationId}/slots`, { token: user.token });
        case 1:
        case 2: {
          const slotId = f.slotIds[step % f.slotIds.length];
          const hold = await http.call('hold', 'POST', '/v1/bookings', { token: user.token, body: { slotId }, key });
          if (hold.status === 201) bookingsOf.set(user.id, [...own, (hold.body as { id: string }).id]);
          return hold;
        }
        case 3:
          return own.length
            ? http.call('confirm', 'POST', `/v1/bookings/${own[own.length - 1]}/confirm`, { token: user.token, key })
            : http.call('list', 'GET', '/v1/bookings', { token: user.token });
        case 4:
          return own.length
            ? http.call('cancel', 'POST', `/v1/bookings/${own[0]}/cancel`, { token: user.token, body: {}, key })
            : http.call('list', 'GET', '/v1/bookings', { token: user.token });
        case 5:
          return http.call('admin-patch', 'PATCH', `/v1/admin/locations/${f.locationId}`, {
            token: f.admin,
            body: { name: `Renamed ${step}` },
            key,
          });
        default:
          return http.call('admin-list', 'GET', `/v1/admin/bookings?locationId=${f.locationId}`, { token: f.admin });
      }
    });
    await sleep(BURST_MS);
    burst = false;
    const [exchanges] = await Promise.all([load.stop(), killer]);

    const counts = tally(exchanges);
    expect(killed).toBeGreaterThan(0);
    expect(exchanges.filter((e) => e.transportError)).toEqual([]);
    expect(badAnswers(exchanges)).toEqual([]);
    // The faults reached requests in flight, so the test exercised what it claims to.
    expect(counts['503 UNAVAILABLE']).toBeGreaterThan(0);
    expect(exchanges.filter((e) => e.status >= 200 && e.status < 300).length).toBeGreaterThan(0);

    // Recovery by itself: no restart, the pool opens new connections.
    const recovered = await recovers(http, `/v1/locations/${f.locationId}/slots`, users[0].token, 10_000);
    expect(recovered).toBe(true);

    // Every hold's TTL has passed and the sweeper has had an interval to mark it.
    await sleep((HOLD_TTL_SECONDS + 2 * SWEEP_SECONDS) * 1000);
    const violations = await invariantViolations(t.db, { noStaleHolds: true });
    reportFigures('connection kills', { requests: exchanges.length, connectionsKilled: killed, answers: counts, violations: violations.length });
    expect(violations).toEqual([]);
  });
});

describe('a connection ended while a generation copies its slots in', () => {
  let t: TestApp & { database: string };
  let admin: Client;

  beforeAll(async () => {
    t = await startIsolatedTestApp();
    admin = new Client({ connectionString: process.env.SCHEDULER_TEST_SERVER_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await t?.close();
  });

  it('answers 503, writes none of the run\'s slots, and a retry makes them all', async () => {
    const f = await bookingFixture(t, { slots: 1 });
    const location = await createLocation(t, f.admin, f.bizEntityId, { timezone: 'Europe/London' });
    for (let i = 0; i < 12; i += 1) {
      const person = await createPerson(t, f.admin, { locationId: location.id, name: `P${i}` });
      await createRule(t, f.admin, { personId: person.id, ...EVERY_DAY_NINE_TO_FIVE, slotMinutes: 15 });
    }
    const body = { locationId: location.id, from: '2031-01-06', to: '2031-04-05' };

    const generation = t.api.post('/v1/admin/slot-generations', { token: f.admin, body });
    let ended = 0;
    for (let waited = 0; ended === 0 && waited < 20_000; waited += 5) {
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE datname = $1 AND query LIKE 'COPY scheduler.slot_instances%' AND state = 'active'`,
        [t.database],
      );
      ended = rows[0].n;
      if (ended === 0) await sleep(5);
    }
    const res = await generation;
    expect(ended).toBe(1);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'UNAVAILABLE' });
    const stored = async (): Promise<number> =>
      Number((await t.db.query(`SELECT count(*) AS n FROM scheduler.slot_instances WHERE location_id = $1`, [location.id]))[0].n);
    expect(await stored()).toBe(0);

    const retry = await t.api.post('/v1/admin/slot-generations', { token: f.admin, body });
    expect(retry.status).toBe(200);
    // 12 people × 90 days × 32 slots of 15 minutes, 09:00–17:00.
    expect(retry.body.created).toBe(12 * 90 * 32);
    expect(await stored()).toBe(12 * 90 * 32);
  });
});
