import { setTimeout as sleep } from 'node:timers/promises';
import { BookingFixture, bookingFixture, key, newUser } from '../../factories/bookings';
import { startIsolatedTestApp, TestApp } from '../../utils/test-app';

/**
 * DOMAIN.md §Booking states: "A hold whose TTL has passed reads as `expired` everywhere at
 * once, even before the sweeper has written it", it stops counting against capacity at once,
 * and a confirm gets 409 HOLD_EXPIRED. The sweeper is kept from running (one-hour interval, on
 * a database no other instance sweeps), so everything here is the read side's doing.
 */
describe('a hold past its TTL, before any sweeper ran', () => {
  const TTL_SECONDS = 2;
  let t: TestApp;
  let f: BookingFixture;

  beforeAll(async () => {
    // A database of its own: every other instance on the run's shared database sweeps it every
    // 30 s, which would write these holds expired under the tests' feet.
    t = await startIsolatedTestApp({ HOLD_SWEEP_INTERVAL_SECONDS: '3600' });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    f = await bookingFixture(t, { slots: 3, capacity: 1, policy: { holdTtlSeconds: TTL_SECONDS, requireExposure: false } });
    expect(f.locationId).toEqual(expect.any(String));
  });

  const hold = (slotId: string, userToken = f.user.token) =>
    t.api.post('/v1/bookings', { token: userToken, body: { slotId }, headers: key() });

  /** Holds slot 0 and waits, by the database's clock, until the hold's TTL has passed. */
  async function expiredHold(): Promise<string> {
    const held = await hold(f.slotIds[0]);
    expect(held.status).toBe(201);
    expect((Date.parse(held.body.holdExpiresAt) - Date.parse(held.body.createdAt)) / 1000).toBe(TTL_SECONDS);
    await untilPast(held.body.id);
    return held.body.id;
  }

  async function untilPast(id: string): Promise<void> {
    const deadline = Date.now() + (TTL_SECONDS + 5) * 1000;
    for (;;) {
      const [row] = (await t.db.query(`SELECT hold_expires_at <= now() AS past FROM scheduler.bookings WHERE id = $1`, [id])) as {
        past: boolean;
      }[];
      if (row.past) return;
      if (Date.now() > deadline) throw new Error(`hold ${id} did not pass its TTL in time`);
      await sleep(100);
    }
  }

  /** For checks that must run while a hold is live: fails loudly if the TTL ran out first. */
  async function assertStillLive(id: string): Promise<void> {
    const [r] = (await t.db.query(`SELECT hold_expires_at > now() AS live FROM scheduler.bookings WHERE id = $1`, [id])) as { live: boolean }[];
    if (!r.live) throw new Error(`hold ${id} passed its ${TTL_SECONDS}s TTL before the in-TTL check finished: the machine is too slow for this test`);
  }

  async function row(id: string) {
    const [r] = (await t.db.query(
      `SELECT status, confirmed_at, cancelled_at, hold_expires_at <= now() AS past FROM scheduler.bookings WHERE id = $1`,
      [id],
    )) as { status: string; confirmed_at: Date | null; cancelled_at: Date | null; past: boolean }[];
    return r;
  }

  async function events(id: string) {
    return (await t.db.query(`SELECT actor_sub, from_status, to_status, reason FROM scheduler.booking_events WHERE booking_id = $1 ORDER BY id`, [
      id,
    ])) as { actor_sub: string | null; from_status: string | null; to_status: string; reason: string | null }[];
  }

  async function adminSlot(slotId: string) {
    const res = await t.api.get(`/v1/admin/slots?locationId=${f.locationId}`, { token: f.admin });
    expect(res.status).toBe(200);
    return res.body.data.find((s: { id: string }) => s.id === slotId);
  }

  it('reads as expired in the owner\'s views and the admin list, while the row still says held', async () => {
    const id = await expiredHold();

    const one = await t.api.get(`/v1/bookings/${id}`, { token: f.user.token });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id, status: 'expired', holdExpiresAt: expect.any(String) });

    const mine = await t.api.get('/v1/bookings', { token: f.user.token });
    expect(mine.body.data).toEqual([expect.objectContaining({ id, status: 'expired' })]);
    const mineExpired = await t.api.get('/v1/bookings?status=expired', { token: f.user.token });
    expect(mineExpired.body.data.map((b: { id: string }) => b.id)).toEqual([id]);
    const mineHeld = await t.api.get('/v1/bookings?status=held', { token: f.user.token });
    expect(mineHeld.body.data).toEqual([]);

    const admin = await t.api.get(`/v1/admin/bookings?locationId=${f.locationId}`, { token: f.admin });
    expect(admin.status).toBe(200);
    expect(admin.body.data).toEqual([expect.objectContaining({ id, status: 'expired' })]);
    const adminOne = await t.api.get(`/v1/admin/bookings/${id}`, { token: f.admin });
    expect(adminOne.body).toMatchObject({ id, status: 'expired' });
    const adminHeld = await t.api.get(`/v1/admin/bookings?locationId=${f.locationId}&status=held`, { token: f.admin });
    expect(adminHeld.body.data).toEqual([]);

    // Nothing wrote it: the stored row is still 'held' (past its TTL) and has only its creation event.
    expect(await row(id)).toMatchObject({ status: 'held', past: true, confirmed_at: null, cancelled_at: null });
    expect(await events(id)).toEqual([{ actor_sub: f.user.id, from_status: null, to_status: 'held', reason: null }]);
  });

  it('stops counting against capacity: the admin slot shows booked 0 and remaining = capacity', async () => {
    const held = await hold(f.slotIds[0]);
    expect(held.status).toBe(201);
    // While live it counts (the precondition that makes the next check mean something).
    const whileLive = await adminSlot(f.slotIds[0]);
    await assertStillLive(held.body.id);
    expect(whileLive).toMatchObject({ capacity: 1, booked: 1, remaining: 0 });
    await untilPast(held.body.id);
    expect(await adminSlot(f.slotIds[0])).toMatchObject({ capacity: 1, booked: 0, remaining: 1 });
    expect((await row(held.body.id)).status).toBe('held');
  });

  it('refuses a confirm with 409 HOLD_EXPIRED and changes nothing', async () => {
    const id = await expiredHold();
    const confirm = await t.api.post(`/v1/bookings/${id}/confirm`, { token: f.user.token, headers: key() });
    expect(confirm.status).toBe(409);
    expect(confirm.body.code).toBe('HOLD_EXPIRED');
    expect(await row(id)).toMatchObject({ status: 'held', confirmed_at: null });
    expect(await events(id)).toHaveLength(1);
    expect((await t.api.get(`/v1/bookings/${id}`, { token: f.user.token })).body.status).toBe('expired');
    expect(await adminSlot(f.slotIds[0])).toMatchObject({ booked: 0, remaining: 1 });
  });

  it('does not count towards the hold limit', async () => {
    await expiredHold();
    const patched = await t.api.patch(`/v1/admin/locations/${f.locationId}`, {
      token: f.admin,
      body: { policy: { maxActiveHoldsPerUser: 1 } },
      headers: key(),
    });
    expect(patched.status).toBe(200);
    expect(patched.body.policy.maxActiveHoldsPerUser).toBe(1);
    // The expired hold leaves room for one live hold under a limit of 1 …
    expect((await hold(f.slotIds[1])).status).toBe(201);
    // … and that one fills it.
    const third = await hold(f.slotIds[2]);
    expect(third.status).toBe(429);
    expect(third.body.code).toBe('HOLD_LIMIT_REACHED');
  });

  it('lets another user hold the slot (201), and that hold writes the old one expired exactly once', async () => {
    const held = await hold(f.slotIds[0]);
    expect(held.status).toBe(201);
    const other = await newUser(t);
    // While the hold is live the slot is full for anyone else.
    const early = await hold(f.slotIds[0], other.token);
    await assertStillLive(held.body.id);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('SLOT_UNAVAILABLE');
    await untilPast(held.body.id);

    const taken = await hold(f.slotIds[0], other.token);
    expect(taken.status).toBe(201);
    expect(taken.body).toMatchObject({ slotId: f.slotIds[0], userId: other.id, status: 'held' });

    expect(await row(held.body.id)).toMatchObject({ status: 'expired' });
    expect(await events(held.body.id)).toEqual([
      { actor_sub: f.user.id, from_status: null, to_status: 'held', reason: null },
      { actor_sub: null, from_status: 'held', to_status: 'expired', reason: 'hold TTL passed' },
    ]);
    expect((await t.api.get(`/v1/bookings/${held.body.id}`, { token: f.user.token })).body.status).toBe('expired');
    expect(await adminSlot(f.slotIds[0])).toMatchObject({ booked: 1, remaining: 0 });
    const [live] = (await t.db.query(
      `SELECT count(*)::int AS n FROM scheduler.bookings b
        WHERE b.slot_id = $1 AND (b.status = 'confirmed' OR (b.status = 'held' AND b.hold_expires_at > now()))`,
      [f.slotIds[0]],
    )) as { n: number }[];
    expect(live.n).toBe(1);
  });

  it('lets the same user hold the same slot again, and confirm the new hold', async () => {
    const id = await expiredHold();
    const again = await hold(f.slotIds[0]);
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(id);
    expect(await row(id)).toMatchObject({ status: 'expired' });
    expect((await events(id)).filter((e) => e.to_status === 'expired')).toHaveLength(1);

    const confirmed = await t.api.post(`/v1/bookings/${again.body.id}/confirm`, { token: f.user.token, headers: key() });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('confirmed');
    const rows = (await t.db.query(`SELECT id, status FROM scheduler.bookings WHERE slot_id = $1 ORDER BY created_at`, [f.slotIds[0]])) as {
      id: string;
      status: string;
    }[];
    expect(rows).toEqual([
      { id, status: 'expired' },
      { id: again.body.id, status: 'confirmed' },
    ]);
  });

  it('refuses to cancel an expired hold (it is no longer live) and leaves the row alone', async () => {
    const id = await expiredHold();
    const cancel = await t.api.post(`/v1/bookings/${id}/cancel`, { token: f.user.token, headers: key() });
    expect(cancel.status).toBe(409);
    expect(cancel.body.code).toBe('INVALID_TRANSITION');
    expect(await row(id)).toMatchObject({ status: 'held', cancelled_at: null });
    expect(await events(id)).toHaveLength(1);
  });
});
