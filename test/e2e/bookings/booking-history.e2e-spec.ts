import { BookingFixture, bookingFixture, key, newUser } from '../../factories/bookings';
import { createBusiness } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import { bookingRow } from './matrix-helpers';
import { expectProblem, expectValidationFailed } from '../../utils/problem';

/**
 * Cancellation and history (issue 16, item 5): a booking says who cancelled it and when it last
 * moved; its history lists every state change (who, when, from, to, why) to its user and to
 * the operators of its business; a location may require operators to say why they cancel.
 */
describe('booking history and who cancelled', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const hold = (f: BookingFixture, slotId: string, user = f.user) => t.api.post('/v1/bookings', { token: user.token, body: { slotId }, headers: key() });
  const adminCancel = (f: BookingFixture, id: string, body?: Record<string, unknown>) =>
    t.api.post(`/v1/admin/bookings/${id}/cancel`, { token: f.admin, body, headers: key() });

  /** A hold the user confirms, an operator moves and then cancels with a reason. */
  async function livedBooking(f: BookingFixture): Promise<{ id: string; adminSub: string }> {
    const adminSub = '7a1c2e3f-4b5d-4c6e-8f70-81a2b3c4d5e6';
    const admin = await token({ sub: adminSub, roles: ['admin'], biz: [f.bizEntityId] });
    const held = await hold(f, f.slotIds[0]);
    await t.api.post(`/v1/bookings/${held.body.id}/confirm`, { token: f.user.token, headers: key() });
    await t.api.post(`/v1/admin/bookings/${held.body.id}/reschedule`, { token: admin, body: { slotId: f.slotIds[1] }, headers: key() });
    const cancelled = await t.api.post(`/v1/admin/bookings/${held.body.id}/cancel`, { token: admin, body: { reason: 'Clinic closed' }, headers: key() });
    expect(cancelled.status).toBe(200);
    return { id: held.body.id as string, adminSub };
  }

  it('lists every change, oldest first: who, when, from and to which status and slot, and why', async () => {
    const f = await bookingFixture(t);
    const { id, adminSub } = await livedBooking(f);

    const booking = await t.api.get(`/v1/bookings/${id}`, { token: f.user.token });
    expect(booking.body).toMatchObject({ status: 'cancelled', cancelledBy: 'admin', cancelReason: 'Clinic closed', rescheduledAt: expect.any(String) });

    const mine = await t.api.get(`/v1/bookings/${id}/history`, { token: f.user.token });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      data: [
        { at: expect.any(String), actor: 'user', toStatus: 'held' },
        { at: expect.any(String), actor: 'user', fromStatus: 'held', toStatus: 'confirmed' },
        {
          at: booking.body.rescheduledAt,
          actor: 'admin',
          fromStatus: 'confirmed',
          toStatus: 'confirmed',
          reason: 'rescheduled',
          fromSlotId: f.slotIds[0],
          toSlotId: f.slotIds[1],
        },
        { at: booking.body.cancelledAt, actor: 'admin', fromStatus: 'confirmed', toStatus: 'cancelled', reason: 'Clinic closed' },
      ],
      nextCursor: null,
    });
    const instants = (mine.body.data as { at: string }[]).map((entry) => Date.parse(entry.at));
    expect([...instants].sort((x, y) => x - y)).toEqual(instants);

    // Operators also see who exactly acted.
    const theirs = await t.api.get(`/v1/admin/bookings/${id}/history`, { token: f.admin });
    expect((theirs.body.data as { actorId?: string }[]).map((entry) => entry.actorId)).toEqual([f.user.id, f.user.id, adminSub, adminSub]);
  });

  it('says the user cancelled their own booking, an operator a bulk cancellation, and the system expired a hold', async () => {
    const f = await bookingFixture(t);
    const own = await hold(f, f.slotIds[0]);
    const cancelled = await t.api.post(`/v1/bookings/${own.body.id}/cancel`, { token: f.user.token, headers: key() });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledBy: 'user' });

    const other = await newUser(t);
    const bulked = await hold(f, f.slotIds[1], other);
    const bulk = await t.api.post('/v1/admin/bookings/bulk-cancel', {
      token: f.admin,
      body: { locationId: f.locationId, from: new Date().toISOString(), to: new Date(Date.now() + 7 * 86_400_000).toISOString(), reason: 'Flood' },
      headers: key(),
    });
    expect(bulk.body).toEqual({ cancelled: 1 });
    expect((await t.api.get(`/v1/bookings/${bulked.body.id}`, { token: other.token })).body).toMatchObject({ cancelledBy: 'admin', cancelReason: 'Flood' });
    expect((await t.api.get(`/v1/bookings/${bulked.body.id}/history`, { token: other.token })).body.data[1]).toEqual({
      at: expect.any(String),
      actor: 'admin',
      fromStatus: 'held',
      toStatus: 'cancelled',
      reason: 'Flood',
      bulk: true,
    });

    const lapsing = await hold(f, f.slotIds[2]);
    await t.db.query(`UPDATE scheduler.bookings SET hold_expires_at = now() - interval '1 second' WHERE id = $1`, [lapsing.body.id]);
    // The next hold on the slot writes the lapsed one expired.
    expect((await hold(f, f.slotIds[2], await newUser(t))).status).toBe(201);
    const expired = await t.api.get(`/v1/admin/bookings/${lapsing.body.id}/history`, { token: f.admin });
    expect(expired.body.data[1]).toEqual({ at: expect.any(String), actor: 'system', fromStatus: 'held', toStatus: 'expired', reason: 'hold TTL passed' });
    expect((await t.api.get(`/v1/bookings/${lapsing.body.id}`, { token: f.user.token })).body.cancelledBy).toBeUndefined();
  });

  it('pages with limit and cursor', async () => {
    const f = await bookingFixture(t);
    const { id } = await livedBooking(f);
    const first = await t.api.get(`/v1/bookings/${id}/history?limit=3`, { token: f.user.token });
    expect(first.body.data.map((entry: { toStatus: string }) => entry.toStatus)).toEqual(['held', 'confirmed', 'confirmed']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.api.get(`/v1/bookings/${id}/history?limit=3&cursor=${first.body.nextCursor}`, { token: f.user.token });
    expect(second.body).toEqual({ data: [expect.objectContaining({ toStatus: 'cancelled' })], nextCursor: null });

    expectValidationFailed(await t.api.get(`/v1/bookings/${id}/history?cursor=bm90LWEtY3Vyc29y`, { token: f.user.token }), 'cursor');
    const pastBigint = Buffer.from('seq:9999999999999999999').toString('base64url');
    expectValidationFailed(await t.api.get(`/v1/bookings/${id}/history?cursor=${pastBigint}`, { token: f.user.token }), 'cursor');
    expectValidationFailed(await t.api.get(`/v1/bookings/${id}/history?limit=0`, { token: f.user.token }), 'limit');
  });

  it('shows a history only to its user and to the operators of its business', async () => {
    const f = await bookingFixture(t);
    const held = await hold(f, f.slotIds[0]);
    const path = `/v1/bookings/${held.body.id}/history`;
    const adminPath = `/v1/admin/bookings/${held.body.id}/history`;
    expectProblem(await t.api.get(path), 'UNAUTHENTICATED');
    expectProblem(await t.api.get(path, { token: (await newUser(t)).token }), 'NOT_FOUND');
    expectProblem(await t.api.get(adminPath, { token: f.user.token }), 'FORBIDDEN');
    const stranger = await token({ roles: ['admin'], biz: [await createBusiness(t.db)] });
    expectProblem(await t.api.get(adminPath, { token: stranger }), 'NOT_FOUND');
    const viewer = await token({ roles: ['viewer'], biz: [f.bizEntityId] });
    expect((await t.api.get(adminPath, { token: viewer })).body.data).toHaveLength(1);
    const superadmin = await token({ roles: ['superadmin'] });
    expect((await t.api.get(adminPath, { token: superadmin })).body.data).toHaveLength(1);
    expectProblem(await t.api.get(`/v1/bookings/${f.slotIds[0]}/history`, { token: f.user.token }), 'NOT_FOUND');
  });

  it('with requireCancellationReason, an operator must say why (400 naming reason); the user need not', async () => {
    const f = await bookingFixture(t, { policy: { requireCancellationReason: true } });
    const held = await hold(f, f.slotIds[0]);
    const before = await bookingRow(t, held.body.id);

    expectValidationFailed(await adminCancel(f, held.body.id), 'reason');
    expectValidationFailed(await adminCancel(f, held.body.id, { reason: '   ' }), 'reason');
    expect(await bookingRow(t, held.body.id)).toEqual(before);
    const given = await adminCancel(f, held.body.id, { reason: 'Double booked' });
    expect(given.body).toMatchObject({ status: 'cancelled', cancelledBy: 'admin', cancelReason: 'Double booked' });

    const mine = await hold(f, f.slotIds[1]);
    expect((await t.api.post(`/v1/bookings/${mine.body.id}/cancel`, { token: f.user.token, headers: key() })).body).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'user',
    });
  });
});
