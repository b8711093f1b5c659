import type { Response } from 'supertest';
import { bookingFixture, key } from '../../factories/bookings';
import { startTestApp, TestApp, token } from '../../utils/test-app';

/**
 * Capacity counts seats under concurrency (issue 16, item 1): "at every instant confirmed +
 * live held seats ≤ capacity". Parties of 1–4 seats, from users holding and operators booking
 * on their behalf, all in flight at once on one slot through two instances of the app sharing
 * the database, so only PostgreSQL can serialise them. Afterwards the rows must hold exactly the
 * parties that were told yes, and no refused party would have fitted in what is left.
 */
const STORM_TIMEOUT_MS = 180_000;
const CAPACITY = 20;
const REQUESTS = 64;

describe('a storm of mixed party sizes on one slot, on two instances', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const overrides = { DB_POOL_MAX: '10', DB_CONNECT_TIMEOUT_MS: '120000', REQUEST_TIMEOUT_MS: '120000' };
    [a, b] = await Promise.all([startTestApp(overrides), startTestApp(overrides)]);
    await Promise.all([a.app.listen(0, '127.0.0.1'), b.app.listen(0, '127.0.0.1')]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  interface Attempt {
    userId: string;
    seats: number;
    status: number;
    code?: string;
    bookingId?: string;
  }

  it(`${REQUESTS} parties of 1–4 seats on a slot of ${CAPACITY}: the rows hold exactly the seats that fit`, async () => {
    const f = await bookingFixture(a, { slots: 1, capacity: CAPACITY, policy: { maxActiveHoldsPerUser: 100 } });
    const [slotId] = f.slotIds;
    const userIds = ((await a.db.query(`INSERT INTO public.auth_user (id) SELECT gen_random_uuid() FROM generate_series(1, $1) RETURNING id`, [
      REQUESTS,
    ])) as { id: string }[]).map((row) => row.id);

    const attempts = await Promise.all(
      userIds.map(async (userId, i): Promise<Attempt> => {
        const t = i % 2 === 0 ? a : b;
        const seats = (i % 4) + 1;
        // Every fifth party is booked by an operator on the user's behalf: capacity binds them too.
        const res: Response =
          i % 5 === 0
            ? await t.api.post('/v1/admin/bookings', { token: f.admin, body: { slotId, userId, seats }, headers: key() })
            : await t.api.post('/v1/bookings', { token: await token({ sub: userId }), body: { slotId, seats }, headers: key() });
        return { userId, seats, status: res.status, code: res.body?.code, bookingId: res.status === 201 ? res.body.id : undefined };
      }),
    );

    const won = attempts.filter((attempt) => attempt.status === 201);
    const refused = attempts.filter((attempt) => attempt.status !== 201);
    expect(refused.every((attempt) => attempt.status === 409 && attempt.code === 'SLOT_UNAVAILABLE')).toBe(true);

    const rows = (await a.db.query(
      `SELECT id, user_id AS "userId", seats, status FROM scheduler.bookings WHERE slot_id = $1 ORDER BY id`,
      [slotId],
    )) as { id: string; userId: string; seats: number; status: string }[];
    // Exactly the parties told yes, each with its own seats; refusals wrote nothing.
    expect(rows.map((row) => ({ id: row.id, userId: row.userId, seats: row.seats })).sort((x, y) => x.id.localeCompare(y.id))).toEqual(
      won.map((attempt) => ({ id: attempt.bookingId, userId: attempt.userId, seats: attempt.seats })).sort((x, y) => x.id!.localeCompare(y.id!)),
    );
    expect(rows.every((row) => row.status === 'held' || row.status === 'confirmed')).toBe(true);

    const [{ seats: taken }] = (await a.db.query(
      `SELECT COALESCE(sum(seats), 0)::int AS seats FROM scheduler.bookings
        WHERE slot_id = $1 AND (status = 'confirmed' OR (status = 'held' AND hold_expires_at > now()))`,
      [slotId],
    )) as { seats: number }[];
    expect(taken).toBeLessThanOrEqual(CAPACITY);
    // Seats only ever went down during the storm: a party refused then would not fit now either.
    for (const attempt of refused) expect(attempt.seats).toBeGreaterThan(CAPACITY - taken);
    expect(refused.length).toBeGreaterThan(0);

    const slot = await b.api.get(`/v1/admin/slots?personId=${f.personId}`, { token: f.admin });
    expect(slot.body.data).toEqual([expect.objectContaining({ id: slotId, capacity: CAPACITY, booked: taken, remaining: CAPACITY - taken })]);
  }, STORM_TIMEOUT_MS);
});
