import { BookingFixture, bookingFixture, key, newUser } from '../../factories/bookings';
import { countRows } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';

describe('hold → confirm → cancel', () => {
  let t: TestApp;
  let f: BookingFixture;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    f = await bookingFixture(t);
  });

  const hold = (slotId: string, userToken = f.user.token) =>
    t.api.post('/v1/bookings', { token: userToken, body: { slotId }, headers: key() });

  it('holds an open slot, confirms it, and records every change', async () => {
    const held = await hold(f.slotIds[0]);
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ slotId: f.slotIds[0], userId: f.user.id, status: 'held', timezone: 'UTC', personId: f.personId });
    const ttl = (Date.parse(held.body.holdExpiresAt) - Date.parse(held.body.createdAt)) / 1000;
    expect(ttl).toBe(300);

    const confirmed = await t.api.post(`/v1/bookings/${held.body.id}/confirm`, { token: f.user.token, headers: key() });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ id: held.body.id, status: 'confirmed', confirmedAt: expect.any(String) });

    const cancelled = await t.api.post(`/v1/bookings/${held.body.id}/cancel`, {
      token: f.user.token,
      body: { reason: 'plans changed' },
      headers: key(),
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'plans changed', cancelledAt: expect.any(String) });

    const events = await t.db.query(
      `SELECT actor_sub, from_status, to_status, reason FROM scheduler.booking_events WHERE booking_id = $1 ORDER BY id`,
      [held.body.id],
    );
    expect(events).toEqual([
      { actor_sub: f.user.id, from_status: null, to_status: 'held', reason: null },
      { actor_sub: f.user.id, from_status: 'held', to_status: 'confirmed', reason: null },
      { actor_sub: f.user.id, from_status: 'confirmed', to_status: 'cancelled', reason: 'plans changed' },
    ]);
  });

  it('requires an Idempotency-Key on every public POST', async () => {
    const res = await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(await countRows(t.db, 'scheduler.bookings', 'user_id = $1', [f.user.id])).toBe(0);
  });

  it('refuses a full slot and a second hold of the same slot by the same user', async () => {
    expect((await hold(f.slotIds[0])).status).toBe(201);
    const again = await hold(f.slotIds[0]);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('SLOT_UNAVAILABLE');
    const other = await newUser(t);
    const full = await hold(f.slotIds[0], other.token);
    expect(full.status).toBe(409);
    expect(full.body).toMatchObject({ code: 'SLOT_UNAVAILABLE', detail: 'The slot is full.' });
  });

  it('limits live holds per user (429 HOLD_LIMIT_REACHED)', async () => {
    expect((await hold(f.slotIds[0])).status).toBe(201);
    expect((await hold(f.slotIds[1])).status).toBe(201);
    const third = await hold(f.slotIds[2]);
    expect(third.status).toBe(429);
    expect(third.body.code).toBe('HOLD_LIMIT_REACHED');
  });

  it('answers a second hold on a slot the user already holds with 409, before the hold limit (429)', async () => {
    expect((await hold(f.slotIds[0])).status).toBe(201);
    expect((await hold(f.slotIds[1])).status).toBe(201);
    // Two live holds: the limit is reached, but the repeat is the user's own conflict.
    const again = await hold(f.slotIds[0]);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'SLOT_UNAVAILABLE', detail: 'You already hold or booked this slot.' });
    expect((await hold(f.slotIds[2])).body.code).toBe('HOLD_LIMIT_REACHED');
  });

  it('shows a user only its own bookings: others are 404', async () => {
    const held = await hold(f.slotIds[0]);
    const stranger = await newUser(t);
    expect((await t.api.get(`/v1/bookings/${held.body.id}`, { token: stranger.token })).status).toBe(404);
    const confirm = await t.api.post(`/v1/bookings/${held.body.id}/confirm`, { token: stranger.token, headers: key() });
    expect(confirm.status).toBe(404);
    const mine = await t.api.get('/v1/bookings', { token: f.user.token });
    expect(mine.body.data.map((b: { id: string }) => b.id)).toEqual([held.body.id]);
    const theirs = await t.api.get('/v1/bookings', { token: stranger.token });
    expect(theirs.body.data).toEqual([]);
  });

  it('refuses transitions the state machine does not have', async () => {
    const held = await hold(f.slotIds[0]);
    await t.api.post(`/v1/bookings/${held.body.id}/cancel`, { token: f.user.token, headers: key() });
    const confirm = await t.api.post(`/v1/bookings/${held.body.id}/confirm`, { token: f.user.token, headers: key() });
    expect(confirm.status).toBe(409);
    expect(confirm.body).toMatchObject({ code: 'INVALID_TRANSITION', status: 409 });
  });

  it('answers 422 UNKNOWN_REFERENCE for a user missing from public.auth_user', async () => {
    const ghostToken = await token();
    const res = await hold(f.slotIds[0], ghostToken);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('UNKNOWN_REFERENCE');
  });
});
