import { createSchedulerClient, SchedulerClient } from '../../../clients/typescript/src';
import { createBusiness, createUser } from '../../factories/factories';
import { isoDay } from '../../factories/world';
import { ListeningTestApp, startListeningTestApp, token } from '../../utils/test-app';

/*
 * A party of three through clients/typescript only: the admin caps parties and makes slots of
 * four seats; the user browses for their party, holds with metadata, confirms, moves the
 * booking and reads its history; the admin annotates it, finds it by its metadata and reads the
 * same history with the actors' ids.
 */
describe('the TypeScript client: parties, metadata, self-service moves and history', () => {
  let t: ListeningTestApp;

  beforeAll(async () => {
    t = await startListeningTestApp();
  });
  afterAll(() => t.close());

  const clientFor = (bearer: string): SchedulerClient => createSchedulerClient({ baseUrl: t.baseUrl, token: bearer });

  it('browses for a party, holds it with metadata, moves it and reads what happened', async () => {
    const biz = await createBusiness(t.db);
    const admin = clientFor(await token({ roles: ['admin'], biz: [biz] }));
    const location = await admin.POST('/v1/admin/locations', {
      body: { bizEntityId: biz, name: 'Family clinic', timezone: 'Europe/London', policy: { maxSeatsPerBooking: 3, requireCancellationReason: true } },
    });
    expect(location.data?.policy).toMatchObject({ maxSeatsPerBooking: 3, requireCancellationReason: true });
    const person = await admin.POST('/v1/admin/people', { body: { locationId: location.data!.id, name: 'Dr. Lina Haddad' } });
    await admin.POST('/v1/admin/availability-rules', {
      body: { personId: person.data!.id, kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], startTime: '09:00', endTime: '12:00', slotMinutes: 60, capacity: 4 },
    });
    await admin.POST('/v1/admin/slot-generations', { body: { locationId: location.data!.id, from: isoDay(1), to: isoDay(3) } });

    const userId = await createUser(t.db);
    const user = clientFor(await token({ sub: userId }));
    const tooBig = await user.GET('/v1/people/{personId}/slots', { params: { path: { personId: person.data!.id }, query: { seats: 4 } } });
    expect(tooBig.data).toMatchObject({ seats: 4, slots: [] });
    const offer = await user.GET('/v1/people/{personId}/slots', { params: { path: { personId: person.data!.id }, query: { seats: 3 } } });
    expect(offer.data?.seats).toBe(3);
    const [first, second] = offer.data!.slots;

    const orderRef = `W-${userId.slice(0, 8)}`;
    const hold = await user.POST('/v1/bookings', { body: { slotId: first.id, seats: 3, metadata: { orderRef, channel: 'web' } } });
    expect(hold.data).toMatchObject({ seats: 3, status: 'held', metadata: { orderRef, channel: 'web' } });
    await user.POST('/v1/bookings/{id}/confirm', { params: { path: { id: hold.data!.id } } });
    const moved = await user.POST('/v1/bookings/{id}/reschedule', { params: { path: { id: hold.data!.id } }, body: { slotId: second.id } });
    expect(moved.data).toMatchObject({ id: hold.data!.id, slotId: second.id, status: 'confirmed', seats: 3 });

    const annotated = await admin.PATCH('/v1/admin/bookings/{id}', { params: { path: { id: hold.data!.id } }, body: { metadata: { channel: null, crmId: 'C-1' } } });
    expect(annotated.data?.metadata).toEqual({ orderRef, crmId: 'C-1' });
    const found = await admin.GET('/v1/admin/bookings', { params: { query: { metadata: { orderRef } } } });
    expect(found.data?.data.map((booking) => booking.id)).toEqual([hold.data!.id]);

    const refused = await admin.POST('/v1/admin/bookings/{id}/cancel', { params: { path: { id: hold.data!.id } }, body: {} });
    expect(refused.error).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'reason' })] });
    const cancelled = await admin.POST('/v1/admin/bookings/{id}/cancel', { params: { path: { id: hold.data!.id } }, body: { reason: 'Doctor ill' } });
    expect(cancelled.data).toMatchObject({ cancelledBy: 'admin', cancelReason: 'Doctor ill', rescheduledAt: moved.data!.rescheduledAt });

    const history = await user.GET('/v1/bookings/{id}/history', { params: { path: { id: hold.data!.id } } });
    expect(history.data?.data.map((entry) => [entry.actor, entry.fromStatus ?? null, entry.toStatus])).toEqual([
      ['user', null, 'held'],
      ['user', 'held', 'confirmed'],
      ['user', 'confirmed', 'confirmed'],
      ['admin', 'confirmed', 'confirmed'],
      ['admin', 'confirmed', 'cancelled'],
    ]);
    expect(history.data?.data[3].changed).toEqual(['metadata']);
    const adminHistory = await admin.GET('/v1/admin/bookings/{id}/history', { params: { path: { id: hold.data!.id }, query: { limit: 2 } } });
    expect(adminHistory.data?.data.map((entry) => entry.actorId)).toEqual([userId, userId]);
    expect(adminHistory.data?.nextCursor).toEqual(expect.any(String));
  });
});
