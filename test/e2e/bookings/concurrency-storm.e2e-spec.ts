import type { Response } from 'supertest';
import { BookingFixture, bookingFixture, key } from '../../factories/bookings';
import { startTestApp, TestApp, token } from '../../utils/test-app';

/**
 * Capacity under concurrency (DOMAIN.md §Booking states): "at every instant, for every slot,
 * confirmed + live holds <= capacity ... under any concurrency, any number of API instances".
 * Two instances of the production app share the run's database; requests alternate between
 * them and are all in flight at once, so the only thing that can serialise them is PostgreSQL.
 */
/** A storm takes a few seconds alone, but shares the CPU and the database with parallel suites. */
const STORM_TIMEOUT_MS = 180_000;

describe('hold storms on two instances sharing one database', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    // A larger pool than the default 5, so more transactions genuinely contend on the slot locks.
    // Hundreds of holds queue for ten connections: under the production limits some would
    // rightly get 503; this test is about capacity, so it waits them out.
    const overrides = {
      DB_POOL_MAX: '10',
      HOLD_SWEEP_INTERVAL_SECONDS: '3600',
      DB_CONNECT_TIMEOUT_MS: '120000',
      REQUEST_TIMEOUT_MS: '120000',
    };
    [a, b] = await Promise.all([startTestApp(overrides), startTestApp(overrides)]);
    // Listening up front: supertest would otherwise listen/close the server per request,
    // which races when hundreds of requests share one server.
    await Promise.all([a.app.listen(0, '127.0.0.1'), b.app.listen(0, '127.0.0.1')]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  /** Outcome of one request; a contract violation or transport error is kept, not thrown. */
  interface Outcome {
    instance: 'a' | 'b';
    userId: string;
    slotId: string;
    status: number;
    code?: string;
    bookingId?: string;
    error?: string;
  }

  async function fixture(slots: number, capacity: number, policy: Record<string, unknown> = {}): Promise<BookingFixture> {
    const f = await bookingFixture(a, { slots, capacity, policy: { requireExposure: false, ...policy } });
    expect(f.locationId).toEqual(expect.any(String));
    expect(f.slotIds).toHaveLength(slots);
    return f;
  }

  /** `count` users in public.auth_user, each with a token. */
  async function users(count: number): Promise<{ id: string; token: string }[]> {
    const rows = (await a.db.query(
      `INSERT INTO public.auth_user (id) SELECT gen_random_uuid() FROM generate_series(1, $1) RETURNING id`,
      [count],
    )) as { id: string }[];
    return Promise.all(rows.map(async ({ id }) => ({ id, token: await token({ sub: id }) })));
  }

  function hold(instance: 'a' | 'b', user: { id: string; token: string }, slotId: string): Promise<Outcome> {
    const t = instance === 'a' ? a : b;
    return t.api.post('/v1/bookings', { token: user.token, body: { slotId }, headers: key() }).then(
      (res: Response): Outcome => ({
        instance,
        userId: user.id,
        slotId,
        status: res.status,
        code: res.body?.code,
        bookingId: res.status === 201 ? res.body.id : undefined,
      }),
      (error: Error): Outcome => ({ instance, userId: user.id, slotId, status: -1, error: error.message }),
    );
  }

  /** Every request is started before any is awaited; alternating instances. */
  async function storm(requests: { user: { id: string; token: string }; slotId: string }[]): Promise<{ outcomes: Outcome[]; ms: number }> {
    const started = Date.now();
    const outcomes = await Promise.all(requests.map((r, i) => hold(i % 2 === 0 ? 'a' : 'b', r.user, r.slotId)));
    return { outcomes, ms: Date.now() - started };
  }

  function tally(outcomes: Outcome[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const o of outcomes) {
      const label = o.error ? `error:${o.error}` : `${o.status}${o.code ? ` ${o.code}` : ''}`;
      counts[label] = (counts[label] ?? 0) + 1;
    }
    return counts;
  }

  /** Slots (of the given ones) where live bookings exceed capacity, computed by SQL alone. */
  async function overbooked(slotIds: string[]): Promise<number> {
    const [row] = (await a.db.query(
      `SELECT count(*)::int AS n FROM (
         SELECT s.id
           FROM scheduler.slot_instances s
           JOIN scheduler.bookings b ON b.slot_id = s.id
          WHERE s.id = ANY($1::uuid[])
            AND (b.status = 'confirmed' OR (b.status = 'held' AND b.hold_expires_at > now()))
          GROUP BY s.id, s.capacity
         HAVING count(*) > s.capacity) over`,
      [slotIds],
    )) as { n: number }[];
    return row.n;
  }

  /** Live bookings per slot, for every given slot (0 included). */
  async function livePerSlot(slotIds: string[]): Promise<Map<string, number>> {
    const rows = (await a.db.query(
      `SELECT s.id, count(b.id)::int AS n
         FROM scheduler.slot_instances s
         LEFT JOIN scheduler.bookings b
           ON b.slot_id = s.id AND (b.status = 'confirmed' OR (b.status = 'held' AND b.hold_expires_at > now()))
        WHERE s.id = ANY($1::uuid[])
        GROUP BY s.id`,
      [slotIds],
    )) as { id: string; n: number }[];
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  async function bookingRows(slotIds: string[]): Promise<{ id: string; slot_id: string; user_id: string; status: string }[]> {
    return (await a.db.query(`SELECT id, slot_id, user_id, status FROM scheduler.bookings WHERE slot_id = ANY($1::uuid[])`, [
      slotIds,
    ])) as { id: string; slot_id: string; user_id: string; status: string }[];
  }

  /**
   * `attempts` requests per user. The contenders for one slot are sent back to back (request j
   * goes to slot floor(j / perSlot)), so they reach the database together rather than one
   * after another; user j mod userCount makes one user's attempts land on different slots.
   */
  async function runStorm(slotCount: number, capacity: number, userCount: number, attempts: number) {
    const f = await fixture(slotCount, capacity, { maxActiveHoldsPerUser: 100 });
    const crowd = await users(userCount);
    const total = userCount * attempts;
    const perSlot = total / slotCount;
    expect(Number.isInteger(perSlot) && perSlot > capacity).toBe(true);
    const requests = Array.from({ length: total }, (_, j) => ({
      user: crowd[j % userCount],
      slotId: f.slotIds[Math.floor(j / perSlot)],
    }));
    const { outcomes, ms } = await storm(requests);
    return { f, crowd, outcomes, ms };
  }

  async function assertStorm(slotCount: number, capacity: number, userCount: number, attempts: number, label: string) {
    const { f, crowd, outcomes, ms } = await runStorm(slotCount, capacity, userCount, attempts);
    const total = userCount * attempts;
    const winners = slotCount * capacity;
    const counts = tally(outcomes);
    const byInstance = (instance: 'a' | 'b') => JSON.stringify(tally(outcomes.filter((o) => o.instance === instance)));
    console.info(
      `${label}: ${total} concurrent holds on ${slotCount} slots of capacity ${capacity} in ${ms} ms → ${JSON.stringify(counts)}` +
        ` (instance A ${byInstance('a')}, instance B ${byInstance('b')})`,
    );

    // The invariant itself, in SQL: no slot has more live bookings than its capacity.
    expect(await overbooked(f.slotIds)).toBe(0);

    // Responses: exactly `winners` holds, every other request refused as unavailable — no 5xx, no transport errors.
    expect(counts).toEqual({ '201': winners, '409 SLOT_UNAVAILABLE': total - winners });
    // Both instances served their half (which of them wins a slot is up to scheduling, not asserted).
    expect(outcomes.filter((o) => o.instance === 'a')).toHaveLength(total / 2);

    // The database: exactly the winners' rows exist (refusals wrote nothing), all live holds.
    const rows = await bookingRows(f.slotIds);
    expect(rows).toHaveLength(winners);
    expect(rows.every((r) => r.status === 'held')).toBe(true);
    const won = outcomes.filter((o) => o.status === 201);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(won.map((o) => o.bookingId)));
    for (const o of won) expect(rows.find((r) => r.id === o.bookingId)).toMatchObject({ slot_id: o.slotId, user_id: o.userId });
    const crowdIds = new Set(crowd.map((u) => u.id));
    expect(rows.every((r) => crowdIds.has(r.user_id))).toBe(true);
    // No user holds one slot twice.
    expect(new Set(rows.map((r) => `${r.slot_id}/${r.user_id}`)).size).toBe(winners);

    // Every slot exactly full, none over: computed in SQL.
    const live = await livePerSlot(f.slotIds);
    expect([...live.values()]).toEqual(Array(slotCount).fill(capacity));
    expect(await overbooked(f.slotIds)).toBe(0);

    // One 'held' event per booking, nothing else.
    const [events] = (await a.db.query(
      `SELECT count(*)::int AS n, count(DISTINCT booking_id)::int AS bookings,
              count(*) FILTER (WHERE to_status <> 'held' OR from_status IS NOT NULL)::int AS other
         FROM scheduler.booking_events WHERE booking_id = ANY($1::uuid[])`,
      [rows.map((r) => r.id)],
    )) as { n: number; bookings: number; other: number }[];
    expect(events).toEqual({ n: winners, bookings: winners, other: 0 });

    // The admin view agrees: every slot shows booked = capacity, remaining 0.
    const slots = await b.api.get(`/v1/admin/slots?locationId=${f.locationId}&limit=200`, { token: f.admin });
    expect(slots.status).toBe(200);
    expect(slots.body.data).toHaveLength(slotCount);
    for (const slot of slots.body.data) expect(slot).toMatchObject({ capacity, booked: capacity, remaining: 0 });
  }

  it('500 holds on 50 slots of capacity 1 by 250 users (2 attempts each): exactly 50 live, the rest 409, none overbooked', async () => {
    await assertStorm(50, 1, 250, 2, 'capacity 1');
  }, STORM_TIMEOUT_MS);

  it('300 holds on 20 slots of capacity 3 by 150 users (2 attempts each): exactly 60 live, the rest 409, none overbooked', async () => {
    await assertStorm(20, 3, 150, 2, 'capacity 3');
  }, STORM_TIMEOUT_MS);

  it('one user storming one roomy slot with distinct keys gets exactly one hold', async () => {
    const f = await fixture(1, 5, { maxActiveHoldsPerUser: 100 });
    const { outcomes } = await storm(Array.from({ length: 20 }, () => ({ user: f.user, slotId: f.slotIds[0] })));
    expect(tally(outcomes)).toEqual({ '201': 1, '409 SLOT_UNAVAILABLE': 19 });
    const rows = await bookingRows(f.slotIds);
    expect(rows).toEqual([expect.objectContaining({ user_id: f.user.id, status: 'held' })]);
    expect((await livePerSlot(f.slotIds)).get(f.slotIds[0])).toBe(1);
  });

  it('20 concurrent holds by one user on 20 slots never exceed maxActiveHoldsPerUser (2): the rest 429', async () => {
    const f = await fixture(20, 1, { maxActiveHoldsPerUser: 2 });
    const { outcomes } = await storm(f.slotIds.map((slotId) => ({ user: f.user, slotId })));
    expect(tally(outcomes)).toEqual({ '201': 2, '429 HOLD_LIMIT_REACHED': 18 });

    const rows = await bookingRows(f.slotIds);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.user_id === f.user.id && r.status === 'held')).toBe(true);
    const [live] = (await a.db.query(
      `SELECT count(*)::int AS n FROM scheduler.bookings b
        WHERE b.user_id = $1 AND b.location_id = $2 AND b.status = 'held' AND b.hold_expires_at > now()`,
      [f.user.id, f.locationId],
    )) as { n: number }[];
    expect(live.n).toBe(2);
    expect(await overbooked(f.slotIds)).toBe(0);

    // The limit counts live holds, not attempts: the user is still at the limit afterwards.
    const another = await hold('b', f.user, f.slotIds.find((id) => !rows.some((r) => r.slot_id === id))!);
    expect(another).toMatchObject({ status: 429, code: 'HOLD_LIMIT_REACHED' });
  });
});
