import { bookingFixture, BookingFixture, insertSlots, key, newUser } from '../../factories/bookings';
import { startTestApp, TestApp } from '../../utils/test-app';
import { expectProblem } from '../../utils/problem';

/**
 * Party size (issue 16, item 1): a booking takes `seats` places of its slot's capacity, and
 * everything that counts places counts seats — what a slot shows as booked and remaining, the
 * holds it still takes, resizing, the offers and the fairness shares.
 */
describe('party size: bookings take seats', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const hold = (slotId: string, user: { token: string }, seats?: number) =>
    t.api.post('/v1/bookings', { token: user.token, body: { slotId, ...(seats === undefined ? {} : { seats }) }, headers: key() });
  const book = (f: BookingFixture, slotId: string, userId: string, seats?: number) =>
    t.api.post('/v1/admin/bookings', { token: f.admin, body: { slotId, userId, ...(seats === undefined ? {} : { seats }) }, headers: key() });
  const slotView = async (f: BookingFixture, slotId: string): Promise<{ capacity: number; booked: number; remaining: number }> => {
    const res = await t.api.get(`/v1/admin/slots?personId=${f.personId}&limit=200`, { token: f.admin });
    return (res.body.data as { id: string; capacity: number; booked: number; remaining: number }[]).find((slot) => slot.id === slotId)!;
  };
  const liveSeats = async (slotId: string): Promise<number> => {
    const [row] = (await t.db.query(
      `SELECT COALESCE(sum(seats), 0)::int AS seats FROM scheduler.bookings
        WHERE slot_id = $1 AND (status = 'confirmed' OR (status = 'held' AND hold_expires_at > now()))`,
      [slotId],
    )) as { seats: number }[];
    return row.seats;
  };

  it('takes 1 seat by default and `seats` when given; booked and remaining count seats, and a party that no longer fits is refused', async () => {
    const f = await bookingFixture(t, { capacity: 5 });
    const party = await hold(f.slotIds[0], f.user, 3);
    expect(party.status).toBe(201);
    expect(party.body).toMatchObject({ slotId: f.slotIds[0], status: 'held', seats: 3 });
    const single = await hold(f.slotIds[0], await newUser(t));
    expect(single.status).toBe(201);
    expect(single.body.seats).toBe(1);
    expect(await slotView(f, f.slotIds[0])).toMatchObject({ capacity: 5, booked: 4, remaining: 1 });

    const pair = await hold(f.slotIds[0], await newUser(t), 2);
    expectProblem(pair, 'SLOT_UNAVAILABLE');
    expect(pair.body.detail).toBe('The slot has no room left for 2 seats.');
    const last = await book(f, f.slotIds[0], (await newUser(t)).id, 1);
    expect(last.status).toBe(201);
    expect(await liveSeats(f.slotIds[0])).toBe(5);
    expect(await slotView(f, f.slotIds[0])).toMatchObject({ booked: 5, remaining: 0 });
  });

  it('refuses a party larger than the slot with 422 TOO_MANY_SEATS and maxSeats, for users and operators alike', async () => {
    const f = await bookingFixture(t, { capacity: 3 });
    const mine = await hold(f.slotIds[0], f.user, 4);
    expectProblem(mine, 'TOO_MANY_SEATS');
    expect(mine.body).toMatchObject({ maxSeats: 3, detail: 'A party of 4 is more than the 3 seat(s) the slot takes.' });
    const theirs = await book(f, f.slotIds[0], f.user.id, 4);
    expectProblem(theirs, 'TOO_MANY_SEATS');
    expect(theirs.body.maxSeats).toBe(3);
    expect(await liveSeats(f.slotIds[0])).toBe(0);
  });

  it('caps users at the location\'s maxSeatsPerBooking, not operators; null lifts the cap', async () => {
    const f = await bookingFixture(t, { capacity: 6, policy: { maxSeatsPerBooking: 2 } });
    const capped = await hold(f.slotIds[0], f.user, 3);
    expectProblem(capped, 'TOO_MANY_SEATS');
    expect(capped.body).toMatchObject({ maxSeats: 2, detail: 'A party of 3 is more than the 2 seat(s) this location takes per booking.' });
    expect((await hold(f.slotIds[0], f.user, 2)).status).toBe(201);
    expect((await book(f, f.slotIds[0], (await newUser(t)).id, 3)).status).toBe(201);

    const lifted = await t.api.patch(`/v1/admin/locations/${f.locationId}`, { token: f.admin, body: { policy: { maxSeatsPerBooking: null } }, headers: key() });
    expect(lifted.status).toBe(200);
    expect(lifted.body.policy).toMatchObject({ maxSeatsPerBooking: null, requireCancellationReason: false });
    expect((await hold(f.slotIds[1], await newUser(t), 6)).status).toBe(201);
  });

  it('will not shrink a slot below the seats its live bookings take', async () => {
    const f = await bookingFixture(t, { capacity: 4 });
    expect((await hold(f.slotIds[0], f.user, 3)).status).toBe(201);
    const below = await t.api.patch(`/v1/admin/slots/${f.slotIds[0]}`, { token: f.admin, body: { capacity: 2 }, headers: key() });
    expectProblem(below, 'HAS_LIVE_BOOKINGS');
    expect(below.body.booked).toBe(3);
    const exact = await t.api.patch(`/v1/admin/slots/${f.slotIds[0]}`, { token: f.admin, body: { capacity: 3 }, headers: key() });
    expect(exact.status).toBe(200);
    expect(exact.body).toMatchObject({ capacity: 3, booked: 3, remaining: 0 });
  });

  it('offers only slots with room for the party, and the party is part of the offer\'s identity', async () => {
    const f = await bookingFixture(t, { capacity: 4 });
    // Slot 0 keeps one seat; slots 1 and 2 keep all four.
    expect((await book(f, f.slotIds[0], f.user.id, 3)).status).toBe(201);
    const browser = await newUser(t);
    const browse = (query: string) => t.api.get(`/v1/people/${f.personId}/slots${query}`, { token: browser.token });

    const pair = await browse('?seats=2');
    expect(pair.status).toBe(200);
    expect(pair.body.seats).toBe(2);
    expect((pair.body.slots as { id: string }[]).map((slot) => slot.id)).toEqual([f.slotIds[1], f.slotIds[2]]);

    const anyone = await browse('');
    expect(anyone.body.seats).toBe(1);
    expect((anyone.body.slots as { id: string }[]).map((slot) => slot.id)).toEqual(f.slotIds);
    expect(anyone.body.exposureId).not.toBe(pair.body.exposureId);
    // Absent is 1; the same party asked again within the TTL gets the same offer.
    expect((await browse('?seats=1')).body.exposureId).toBe(anyone.body.exposureId);
    expect((await browse('?seats=2')).body.exposureId).toBe(pair.body.exposureId);

    const tooMany = await browse('?seats=5');
    expect(tooMany.status).toBe(200);
    expect(tooMany.body).toMatchObject({ seats: 5, slots: [] });
  });

  it('offers no slot to a party over the location\'s maxSeatsPerBooking', async () => {
    const f = await bookingFixture(t, { capacity: 4, policy: { maxSeatsPerBooking: 2 } });
    const browser = await newUser(t);
    const three = await t.api.get(`/v1/people/${f.personId}/slots?seats=3`, { token: browser.token });
    expect(three.body.slots).toEqual([]);
    const two = await t.api.get(`/v1/people/${f.personId}/slots?seats=2`, { token: browser.token });
    expect((two.body.slots as unknown[]).length).toBe(3);
  });

  it('weighs crowding by the seats other users\' live offers are for, per remaining seat', async () => {
    const f = await bookingFixture(t, { slots: 1, capacity: 4 });
    const other = await newUser(t);
    expect((await t.api.get(`/v1/people/${f.personId}/slots?seats=3`, { token: other.token })).body.slots).toHaveLength(1);
    const mine = await t.api.get(`/v1/people/${f.personId}/slots`, { token: f.user.token });
    const stored = await t.api.get(`/v1/admin/exposures/${mine.body.exposureId}`, { token: f.admin });
    expect(stored.status).toBe(200);
    expect(stored.body.seats).toBe(1);
    // WEIGHTS.crowd 0.5 × 3 seats shown elsewhere / 4 seats left.
    expect(stored.body.slots[0].components.crowd).toBeCloseTo(-0.375, 6);
  });

  it('gives staff fairness shares in seats: a party of 3 weighs three times one seat', async () => {
    const f = await bookingFixture(t, { slots: 1, capacity: 4 });
    const second = await t.api.post('/v1/admin/people', { token: f.admin, body: { locationId: f.locationId, name: 'Omar' } });
    const [otherSlot] = await insertSlots(t, { bizEntityId: f.bizEntityId, locationId: f.locationId, personId: second.body.id, count: 1, capacity: 4 });
    expect((await book(f, f.slotIds[0], f.user.id, 3)).status).toBe(201);
    expect((await book(f, otherSlot, (await newUser(t)).id, 1)).status).toBe(201);

    const offer = await t.api.get(`/v1/locations/${f.locationId}/slots`, { token: (await newUser(t)).token });
    const stored = await t.api.get(`/v1/admin/exposures/${offer.body.exposureId}`, { token: f.admin });
    const staffOf = (slotId: string): number =>
      (stored.body.slots as { slotId: string; components: { staff: number } }[]).find((slot) => slot.slotId === slotId)!.components.staff;
    // Equal open capacity (4 each): target shares 1/2; booked shares 3/4 and 1/4; WEIGHTS.staff 10.
    expect(staffOf(f.slotIds[0])).toBeCloseTo(-2.5, 6);
    expect(staffOf(otherSlot)).toBeCloseTo(2.5, 6);
  });
});
