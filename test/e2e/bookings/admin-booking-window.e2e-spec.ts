import { BookingFixture, bookingFixture, insertSlots, key } from '../../factories/bookings';
import { countRows } from '../../factories/factories';
import { startTestApp, TestApp } from '../../utils/test-app';

/**
 * The window rules a user's hold must pass (DOMAIN.md §Booking states) — the ones operators
 * skip in part (notice, horizon) and never (started, blocked). Each refusal writes nothing.
 */
describe('booking window rules: users versus operators', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const hold = (f: BookingFixture, slotId: string) =>
    t.api.post('/v1/bookings', { token: f.user.token, body: { slotId }, headers: key() });
  const adminBook = (f: BookingFixture, slotId: string) =>
    t.api.post('/v1/admin/bookings', { token: f.admin, body: { slotId, userId: f.user.id } });
  const bookingsOn = (slotId: string) => countRows(t.db, 'scheduler.bookings', 'slot_id = $1', [slotId]);

  it('a slot that has already started is 422 SLOT_IN_PAST, for the user and the operator alike', async () => {
    const f = await bookingFixture(t);
    const [started] = await insertSlots(t, { ...f, count: 1, capacity: 5, startInMinutes: -30 });
    const byUser = await hold(f, started);
    expect(byUser.status).toBe(422);
    expect(byUser.body).toMatchObject({ code: 'SLOT_IN_PAST', type: 'urn:problem-type:scheduler:slot-in-past' });
    const byAdmin = await adminBook(f, started);
    expect(byAdmin.status).toBe(422);
    expect(byAdmin.body.code).toBe('SLOT_IN_PAST');
    expect(await bookingsOn(started)).toBe(0);
  });

  it('inside the minimum notice is 422 OUTSIDE_BOOKING_WINDOW for the user; just outside it is bookable', async () => {
    // Fixture slots start 24 h ahead; the notice is 30 h.
    const f = await bookingFixture(t, { policy: { minNoticeMinutes: 30 * 60 } });
    const tooSoon = await hold(f, f.slotIds[0]);
    expect(tooSoon.status).toBe(422);
    expect(tooSoon.body.code).toBe('OUTSIDE_BOOKING_WINDOW');
    expect(await bookingsOn(f.slotIds[0])).toBe(0);

    const [later] = await insertSlots(t, { ...f, count: 1, capacity: 1, startInMinutes: 31 * 60 });
    const ok = await hold(f, later);
    expect(ok.status).toBe(201);
    expect(await bookingsOn(later)).toBe(1);

    // The operator is not bound by the notice.
    expect((await adminBook(f, f.slotIds[0])).status).toBe(201);
  });

  it('beyond bookingHorizonDays is 422 OUTSIDE_BOOKING_WINDOW for the user; within it is bookable', async () => {
    const f = await bookingFixture(t, { policy: { bookingHorizonDays: 2 } });
    const [beyond] = await insertSlots(t, { ...f, count: 1, capacity: 1, startInMinutes: 3 * 24 * 60 });
    const far = await hold(f, beyond);
    expect(far.status).toBe(422);
    expect(far.body.code).toBe('OUTSIDE_BOOKING_WINDOW');
    expect(await bookingsOn(beyond)).toBe(0);

    expect((await hold(f, f.slotIds[0])).status).toBe(201);
    expect((await adminBook(f, beyond)).status).toBe(201);
    expect(await bookingsOn(beyond)).toBe(1);
  });

  it('a blocked slot is 409 SLOT_UNAVAILABLE for the user and the operator; reopened it is bookable', async () => {
    const f = await bookingFixture(t, { capacity: 3 });
    const blocked = await t.api.patch(`/v1/admin/slots/${f.slotIds[0]}`, { token: f.admin, body: { status: 'blocked' } });
    expect(blocked.status).toBe(200);
    const byUser = await hold(f, f.slotIds[0]);
    expect(byUser.status).toBe(409);
    expect(byUser.body.code).toBe('SLOT_UNAVAILABLE');
    const byAdmin = await adminBook(f, f.slotIds[0]);
    expect(byAdmin.status).toBe(409);
    expect(byAdmin.body.code).toBe('SLOT_UNAVAILABLE');
    expect(await bookingsOn(f.slotIds[0])).toBe(0);

    await t.api.patch(`/v1/admin/slots/${f.slotIds[0]}`, { token: f.admin, body: { status: 'open' } });
    expect((await hold(f, f.slotIds[0])).status).toBe(201);
  });

  it('a retired slot is 409 SLOT_UNAVAILABLE for the user and the operator', async () => {
    const f = await bookingFixture(t);
    await t.db.query(`UPDATE scheduler.slot_instances SET status = 'retired' WHERE id = $1`, [f.slotIds[0]]);
    const byUser = await hold(f, f.slotIds[0]);
    expect(byUser.status).toBe(409);
    expect(byUser.body.code).toBe('SLOT_UNAVAILABLE');
    const byAdmin = await adminBook(f, f.slotIds[0]);
    expect(byAdmin.status).toBe(409);
    expect(byAdmin.body.code).toBe('SLOT_UNAVAILABLE');
    expect(await bookingsOn(f.slotIds[0])).toBe(0);
  });
});
