import { bookingFixture, BookingFixture, insertSlots, key, newUser } from '../../factories/bookings';
import { startTestApp, TestApp } from '../../utils/test-app';
import { snapshot } from './matrix-helpers';
import { expectProblem } from '../../utils/problem';

/**
 * POST /v1/bookings/{id}/reschedule (issue 16, item 3): the user moves their own held or
 * confirmed booking into a slot they were offered, under the rules of a hold (except the hold
 * limit) and the cancel cutoff, in one transaction that keeps the booking's id and status.
 */
describe('POST /v1/bookings/{id}/reschedule', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  type User = { id: string; token: string };
  const hold = (slotId: string, user: User, seats = 1) => t.api.post('/v1/bookings', { token: user.token, body: { slotId, seats }, headers: key() });
  const confirm = (id: string, user: User) => t.api.post(`/v1/bookings/${id}/confirm`, { token: user.token, headers: key() });
  const move = (id: string, slotId: string, user: User, headers: Record<string, string> = key()) =>
    t.api.post(`/v1/bookings/${id}/reschedule`, { token: user.token, body: { slotId }, headers });
  const booked = async (f: BookingFixture): Promise<number[]> => {
    const res = await t.api.get(`/v1/admin/slots?personId=${f.personId}&limit=200`, { token: f.admin });
    const byId = new Map((res.body.data as { id: string; booked: number }[]).map((slot) => [slot.id, slot.booked]));
    return f.slotIds.map((id) => byId.get(id)!);
  };
  const confirmedParty = async (f: BookingFixture, slotId: string, seats: number): Promise<string> => {
    const held = await hold(slotId, f.user, seats);
    expect(held.status).toBe(201);
    expect((await confirm(held.body.id, f.user)).status).toBe(200);
    return held.body.id as string;
  };

  it('moves a confirmed party: same id and status, the old seats freed and the new ones taken, recorded with both slots', async () => {
    const f = await bookingFixture(t, { capacity: 3 });
    const id = await confirmedParty(f, f.slotIds[0], 2);

    const moved = await move(id, f.slotIds[1], f.user);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id, slotId: f.slotIds[1], status: 'confirmed', seats: 2, rescheduledAt: expect.any(String) });
    expect(await booked(f)).toEqual([0, 2, 0]);

    const history = await t.api.get(`/v1/bookings/${id}/history`, { token: f.user.token });
    expect(history.status).toBe(200);
    expect(history.body.data[history.body.data.length - 1]).toEqual({
      at: moved.body.rescheduledAt,
      actor: 'user',
      fromStatus: 'confirmed',
      toStatus: 'confirmed',
      reason: 'rescheduled',
      fromSlotId: f.slotIds[0],
      toSlotId: f.slotIds[1],
    });
    const outbox = (await t.db.query(
      `SELECT type, data -> 'previousSlot' ->> 'id' AS "previousSlotId", data -> 'booking' ->> 'slotId' AS "slotId"
         FROM scheduler.outbox_events WHERE booking_id = $1 ORDER BY sequence DESC LIMIT 1`,
      [id],
    )) as unknown[];
    expect(outbox).toEqual([{ type: 'booking.rescheduled', previousSlotId: f.slotIds[0], slotId: f.slotIds[1] }]);
  });

  it('moves a hold with its holdExpiresAt, and the hold limit does not stand in the way', async () => {
    const f = await bookingFixture(t, { policy: { maxActiveHoldsPerUser: 1 } });
    const held = await hold(f.slotIds[0], f.user);
    const moved = await move(held.body.id, f.slotIds[2], f.user);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: held.body.id, status: 'held', slotId: f.slotIds[2], holdExpiresAt: held.body.holdExpiresAt });
    expect(await booked(f)).toEqual([0, 0, 1]);
  });

  it('needs room for the whole party on the new slot; refused, nothing changes', async () => {
    const f = await bookingFixture(t, { capacity: 2 });
    const id = await confirmedParty(f, f.slotIds[0], 2);
    expect((await hold(f.slotIds[1], await newUser(t))).status).toBe(201);
    const before = await snapshot(t, [f.bizEntityId]);

    const full = await move(id, f.slotIds[1], f.user);
    expectProblem(full, 'SLOT_UNAVAILABLE');
    expect(full.body.detail).toBe('The slot has no room left for 2 seats.');
    expect(await snapshot(t, [f.bizEntityId])).toEqual(before);
  });

  it("holds a party to the location's maxSeatsPerBooking on the new slot", async () => {
    const f = await bookingFixture(t, { capacity: 4 });
    const id = await confirmedParty(f, f.slotIds[0], 3);
    await t.api.patch(`/v1/admin/locations/${f.locationId}`, { token: f.admin, body: { policy: { maxSeatsPerBooking: 2 } } });
    const capped = await move(id, f.slotIds[1], f.user);
    expectProblem(capped, 'TOO_MANY_SEATS');
    expect(capped.body.maxSeats).toBe(2);
  });

  it('within the cancel cutoff a confirmed booking stays where it is; a hold may still move', async () => {
    // Every slot starts a day or more ahead: a cutoff of two days covers them all.
    const f = await bookingFixture(t, { policy: { cancelCutoffMinutes: 2 * 24 * 60 } });
    const id = await confirmedParty(f, f.slotIds[0], 1);
    const late = await move(id, f.slotIds[1], f.user);
    expectProblem(late, 'TOO_LATE_TO_CANCEL');
    expect(late.body.detail).toBe('Bookings can be moved to another slot up to 2880 minute(s) before they start.');

    const other = await newUser(t);
    const held = await hold(f.slotIds[2], other);
    expect((await move(held.body.id, f.slotIds[1], other)).status).toBe(200);
    expect(await booked(f)).toEqual([1, 1, 0]);
  });

  it('honours min notice and horizon on the new slot', async () => {
    const f = await bookingFixture(t, { policy: { minNoticeMinutes: 120, bookingHorizonDays: 2 } });
    const at = { bizEntityId: f.bizEntityId, locationId: f.locationId, personId: f.personId, count: 1, capacity: 1 };
    const [soon] = await insertSlots(t, { ...at, startInMinutes: 60 });
    const [far] = await insertSlots(t, { ...at, startInMinutes: 5 * 24 * 60 });
    const held = await hold(f.slotIds[0], f.user);

    expectProblem(await move(held.body.id, soon, f.user), 'OUTSIDE_BOOKING_WINDOW');
    expectProblem(await move(held.body.id, far, f.user), 'OUTSIDE_BOOKING_WINDOW');
    expect((await t.api.get(`/v1/bookings/${held.body.id}`, { token: f.user.token })).body.slotId).toBe(f.slotIds[0]);
  });

  it('moves only into a slot of one of the caller\'s live offers when the location requires one', async () => {
    const f = await bookingFixture(t, { slots: 4, policy: { requireExposure: true } });
    const starts = (await t.db.query(`SELECT id, starts_at FROM scheduler.slot_instances WHERE person_id = $1 ORDER BY starts_at`, [
      f.personId,
    ])) as { id: string; starts_at: Date }[];
    // An offer of the first two slots only.
    const window = `from=${starts[0].starts_at.toISOString()}&to=${new Date(starts[1].starts_at.getTime() + 60_000).toISOString()}`;
    const offer = await t.api.get(`/v1/people/${f.personId}/slots?${window}`, { token: f.user.token });
    expect((offer.body.slots as { id: string }[]).map((slot) => slot.id)).toEqual([f.slotIds[0], f.slotIds[1]]);
    const held = await hold(f.slotIds[0], f.user);
    expect(held.status).toBe(201);

    expectProblem(await move(held.body.id, f.slotIds[3], f.user), 'SLOT_NOT_OFFERED');
    expect((await move(held.body.id, f.slotIds[1], f.user)).status).toBe(200);
  });

  it("answers 404 for another user's booking and leaves it where it is", async () => {
    const f = await bookingFixture(t);
    const held = await hold(f.slotIds[0], f.user);
    const stranger = await newUser(t);
    expectProblem(await move(held.body.id, f.slotIds[1], stranger), 'NOT_FOUND');
    expect(await booked(f)).toEqual([1, 0, 0]);
  });

  it("answers 404 for a slot of another business, even one the user could book there", async () => {
    const f = await bookingFixture(t);
    const elsewhere = await bookingFixture(t);
    const held = await hold(f.slotIds[0], f.user);
    expect((await hold(elsewhere.slotIds[1], f.user)).status).toBe(201);
    expectProblem(await move(held.body.id, elsewhere.slotIds[0], f.user), 'NOT_FOUND');
    expect(await booked(f)).toEqual([1, 0, 0]);
    expect(await booked(elsewhere)).toEqual([0, 1, 0]);
  });

  it('refuses a cancelled booking (409 INVALID_TRANSITION) and the slot it is already on (409 SLOT_UNAVAILABLE)', async () => {
    const f = await bookingFixture(t);
    const held = await hold(f.slotIds[0], f.user);
    expectProblem(await move(held.body.id, f.slotIds[0], f.user), 'SLOT_UNAVAILABLE');
    await t.api.post(`/v1/bookings/${held.body.id}/cancel`, { token: f.user.token, headers: key() });
    const cancelled = await move(held.body.id, f.slotIds[1], f.user);
    expectProblem(cancelled, 'INVALID_TRANSITION');
    expect(cancelled.body.bookingStatus).toBe('cancelled');
  });

  it('replays a retry with the same Idempotency-Key instead of moving again', async () => {
    const f = await bookingFixture(t);
    const held = await hold(f.slotIds[0], f.user);
    const headers = key();
    const first = await move(held.body.id, f.slotIds[1], f.user, headers);
    const again = await move(held.body.id, f.slotIds[1], f.user, headers);
    expect(first.status).toBe(200);
    expect({ status: again.status, body: again.body, replayed: again.headers['idempotent-replayed'] }).toEqual({
      status: 200,
      body: first.body,
      replayed: 'true',
    });
    const [{ moves }] = (await t.db.query(
      `SELECT count(*)::int AS moves FROM scheduler.booking_events WHERE booking_id = $1 AND details ? 'toSlotId'`,
      [held.body.id],
    )) as { moves: number }[];
    expect(moves).toBe(1);
  });

  it('shares its rules with the admin move, which records the operator as the actor', async () => {
    const f = await bookingFixture(t, { capacity: 2 });
    const id = await confirmedParty(f, f.slotIds[0], 2);
    const moved = await t.api.post(`/v1/admin/bookings/${id}/reschedule`, { token: f.admin, body: { slotId: f.slotIds[2] }, headers: key() });
    expect(moved.body).toMatchObject({ id, slotId: f.slotIds[2], seats: 2, status: 'confirmed' });
    const history = await t.api.get(`/v1/admin/bookings/${id}/history`, { token: f.admin });
    expect(history.body.data[history.body.data.length - 1]).toMatchObject({ actor: 'admin', actorId: expect.any(String), toSlotId: f.slotIds[2] });
    expect(await booked(f)).toEqual([0, 0, 2]);
  });
});
