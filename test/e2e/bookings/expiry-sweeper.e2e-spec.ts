import type { Response } from 'supertest';
import { BookingFixture, bookingFixture, key } from '../../factories/bookings';
import { HoldSweeperJob } from '../../../src/bookings/hold-sweeper.job';
import { startIsolatedTestApp, startTestApp, TestApp, token } from '../../utils/test-app';

/**
 * The hold sweeper (DOMAIN.md §Booking states: "marks expired holds in batches; it is safe to
 * run on many instances at once"). It sweeps every row, so it runs on a database of its own,
 * with a second instance on that same database; neither runs it on its own timer here.
 */
describe('the hold sweeper on two instances at once', () => {
  let t: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    t = await startIsolatedTestApp({ HOLD_SWEEP_INTERVAL_SECONDS: '3600' });
    second = await startTestApp({ DATABASE_URL: (t.db.options as { url: string }).url, HOLD_SWEEP_INTERVAL_SECONDS: '3600' });
    await Promise.all([t.app.listen(0, '127.0.0.1'), second.app.listen(0, '127.0.0.1')]);
  });
  afterAll(async () => {
    await second?.app.close();
    await t?.close();
  });

  interface Seeded {
    f: BookingFixture;
    /** Holds past their TTL, still stored as 'held'. */
    expired: string[];
    /** Holds whose TTL is an hour away. */
    live: string[];
    /** Confirmed and cancelled bookings, which no sweep may touch. */
    settled: string[];
  }

  async function newUsers(count: number): Promise<string[]> {
    const rows = (await t.db.query(`INSERT INTO public.auth_user (id) SELECT gen_random_uuid() FROM generate_series(1, $1) RETURNING id`, [
      count,
    ])) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * `slots × usersPerSlot` expired holds inserted directly (each with its 'held' event, as the
   * API would have written), plus live holds and settled bookings on other slots.
   */
  async function seed(slots: number, usersPerSlot: number): Promise<Seeded> {
    const f = await bookingFixture(t, { slots: slots + 2, capacity: 1, policy: { requireExposure: false, maxActiveHoldsPerUser: 100 } });
    expect(f.locationId).toEqual(expect.any(String));
    const crowd = await newUsers(usersPerSlot);
    const insert = async (slotIds: string[], userIds: string[], status: string, expiresSql: string): Promise<string[]> => {
      const rows = (await t.db.query(
        `WITH ins AS (
           INSERT INTO scheduler.bookings (biz_entity_id, location_id, person_id, slot_id, user_id, status, hold_expires_at,
                                           confirmed_at, cancelled_at, created_at, updated_at)
           SELECT $1, $2, $3, s.id, u.id, $6,
                  ${expiresSql},
                  CASE WHEN $6 = 'confirmed' THEN now() - interval '2 hours' END,
                  CASE WHEN $6 = 'cancelled' THEN now() - interval '2 hours' END,
                  now() - interval '3 hours', now() - interval '3 hours'
             FROM unnest($4::uuid[]) AS s(id) CROSS JOIN unnest($5::uuid[]) AS u(id)
           RETURNING id, biz_entity_id, status),
         ev AS (
           INSERT INTO scheduler.booking_events (booking_id, biz_entity_id, actor_sub, actor_kind, from_status, to_status)
           SELECT id, biz_entity_id, NULL, 'system', NULL, status FROM ins)
         SELECT id FROM ins`,
        [f.bizEntityId, f.locationId, f.personId, slotIds, userIds, status],
      )) as { id: string }[];
      return rows.map((r) => r.id);
    };
    // Expiries spread over the last hour, so batches are taken in a mixed order.
    const expired = await insert(f.slotIds.slice(0, slots), crowd, 'held', `now() - interval '1 second' - random() * interval '1 hour'`);
    const [liveSlot, settledSlot] = f.slotIds.slice(slots);
    const live = await insert([liveSlot], crowd.slice(0, 25), 'held', `now() + interval '1 hour'`);
    const settled = [
      ...(await insert([settledSlot], crowd.slice(0, 1), 'confirmed', 'NULL')),
      ...(await insert([settledSlot], crowd.slice(1, 10), 'cancelled', 'NULL')),
    ];
    expect(expired).toHaveLength(slots * usersPerSlot);
    return { f, expired, live, settled };
  }

  async function heldAndPastAnywhere(): Promise<number> {
    const [row] = (await t.db.query(`SELECT count(*)::int AS n FROM scheduler.bookings WHERE status = 'held' AND hold_expires_at <= now()`, [])) as {
      n: number;
    }[];
    return row.n;
  }

  async function snapshot(ids: string[]): Promise<Map<string, string>> {
    const rows = (await t.db.query(
      `SELECT b.id, row_to_json(b)::text AS json,
              (SELECT count(*) FROM scheduler.booking_events e WHERE e.booking_id = b.id)::int AS events
         FROM scheduler.bookings b WHERE b.id = ANY($1::uuid[])`,
      [ids],
    )) as { id: string; json: string; events: number }[];
    return new Map(rows.map((r) => [r.id, `${r.json}|${r.events}`]));
  }

  /** Per booking: its status and how many 'expired' events it has. */
  async function expiryRecord(ids: string[]) {
    return (await t.db.query(
      `SELECT b.id, b.status,
              (SELECT count(*) FROM scheduler.booking_events e WHERE e.booking_id = b.id AND e.to_status = 'expired')::int AS expired_events,
              (SELECT count(*) FROM scheduler.booking_events e
                WHERE e.booking_id = b.id AND e.to_status = 'expired'
                  AND e.from_status = 'held' AND e.actor_sub IS NULL AND e.reason = 'hold TTL passed')::int AS well_formed,
              -- Its outbox event, timed when the hold lapsed rather than when the expiry was written.
              (SELECT count(*) FROM scheduler.outbox_events o
                WHERE o.booking_id = b.id AND o.type = 'booking.expired' AND o.occurred_at = b.hold_expires_at
                  AND o.data->'booking'->>'status' = 'expired')::int AS outbox_events
         FROM scheduler.bookings b WHERE b.id = ANY($1::uuid[])`,
      [ids],
    )) as { id: string; status: string; expired_events: number; well_formed: number; outbox_events: number }[];
  }

  function expectSweptExactlyOnce(records: { status: string; expired_events: number; well_formed: number; outbox_events: number }[], count: number) {
    expect(records).toHaveLength(count);
    const wrong = records.filter((r) => r.status !== 'expired' || r.expired_events !== 1 || r.well_formed !== 1 || r.outbox_events !== 1);
    expect(wrong).toEqual([]);
  }

  it('marks 1,200 expired holds expired exactly once across both instances, and touches nothing else', async () => {
    const { expired, live, settled } = await seed(40, 30);
    const before = await snapshot([...live, ...settled]);
    const pending = await heldAndPastAnywhere();
    expect(pending).toBeGreaterThanOrEqual(1200);

    const started = Date.now();
    const [first, other] = await Promise.all([t.app.get(HoldSweeperJob).run(100), second.app.get(HoldSweeperJob).run(100)]);
    console.info(`sweep: ${pending} expired holds in ${Date.now() - started} ms — instance A ${first}, instance B ${other}`);

    // Each row counted by exactly one instance, and every one of them swept.
    expect(first + other).toBe(pending);
    expect(await heldAndPastAnywhere()).toBe(0);
    expectSweptExactlyOnce(await expiryRecord(expired), 1200);
    const [events] = (await t.db.query(
      `SELECT count(*)::int AS n, count(DISTINCT booking_id)::int AS bookings FROM scheduler.booking_events
        WHERE to_status = 'expired' AND booking_id = ANY($1::uuid[])`,
      [expired],
    )) as { n: number; bookings: number }[];
    expect(events).toEqual({ n: 1200, bookings: 1200 });

    // Live holds and settled bookings: byte-for-byte as before, no events added.
    expect(await snapshot([...live, ...settled])).toEqual(before);

    // A second pass finds nothing.
    expect(await Promise.all([t.app.get(HoldSweeperJob).run(100), second.app.get(HoldSweeperJob).run(100)])).toEqual([0, 0]);
    expect(await snapshot([...live, ...settled])).toEqual(before);
  });

  it('still records each expiry once when holds on the same slots race the sweepers', async () => {
    const { f, expired, live, settled } = await seed(40, 30);
    const before = await snapshot([...live, ...settled]);
    const pending = await heldAndPastAnywhere();
    // New users grab 20 of the slots through both instances while both sweep: a hold expires
    // the slot's stale holds itself (under the slot lock), competing with the sweepers' batches.
    const grabbers = await newUsers(20);
    const tokens = await Promise.all(grabbers.map((sub) => token({ sub })));
    const holds = tokens.map((userToken, i) =>
      (i % 2 === 0 ? t : second).api
        .post('/v1/bookings', { token: userToken, body: { slotId: f.slotIds[i] }, headers: key() })
        .catch((error: Error) => ({ status: -1, body: { error: error.message } }) as unknown as Response),
    );
    const [[first, other], responses] = await Promise.all([
      Promise.all([t.app.get(HoldSweeperJob).run(100), second.app.get(HoldSweeperJob).run(100)]),
      Promise.all(holds),
    ]);

    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(await heldAndPastAnywhere()).toBe(0);
    // Whoever wrote each expiry — a sweeper or a hold — wrote it once.
    expectSweptExactlyOnce(await expiryRecord(expired), 1200);
    const [byHolds] = (await t.db.query(
      `SELECT count(*)::int AS n FROM scheduler.booking_events WHERE to_status = 'expired' AND booking_id = ANY($1::uuid[])`,
      [expired],
    )) as { n: number }[];
    expect(byHolds.n).toBe(1200);
    expect(first + other).toBeLessThanOrEqual(pending);
    expect(first + other).toBeGreaterThanOrEqual(pending - 20 * 30);

    // The new holds are live, one per grabbed slot, nothing overbooked.
    const [counts] = (await t.db.query(
      `SELECT count(*) FILTER (WHERE status = 'held' AND hold_expires_at > now())::int AS live,
              count(*) FILTER (WHERE status = 'held')::int AS held
         FROM scheduler.bookings WHERE slot_id = ANY($1::uuid[])`,
      [f.slotIds.slice(0, 40)],
    )) as { live: number; held: number }[];
    expect(counts).toEqual({ live: 20, held: 20 });
    expect(await snapshot([...live, ...settled])).toEqual(before);
  });
});
