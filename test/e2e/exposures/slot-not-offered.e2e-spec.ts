import { BookingFixture, bookingFixture, key } from '../../factories/bookings';
import { countRows } from '../../factories/factories';
import { startTestApp, TestApp } from '../../utils/test-app';

describe('holds honour exposure (policy requireExposure)', () => {
  let t: TestApp;
  let f: BookingFixture;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    f = await bookingFixture(t, { slots: 8, policy: { requireExposure: true, exposure: { locationMin: 1, locationMax: 3 } } });
  });

  const hold = (slotId: string) => t.api.post('/v1/bookings', { token: f.user.token, body: { slotId }, headers: key() });

  it('refuses a slot that is not in one of the caller\'s live exposures with 403 SLOT_NOT_OFFERED, and records the outcome', async () => {
    const res = await hold(f.slotIds[0]);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      type: 'urn:problem-type:scheduler:slot-not-offered',
      title: 'The slot is not in one of your live offers.',
      status: 403,
      detail: 'Hold a slot from one of your live offers: browse the location or person first.',
      code: 'SLOT_NOT_OFFERED',
    });
    expect(await countRows(t.db, 'scheduler.bookings', 'user_id = $1', [f.user.id])).toBe(0);
    // A business outcome: stored, so the same key replays it.
    expect(await countRows(t.db, 'scheduler.idempotency_keys', 'principal_sub = $1', [f.user.id])).toBe(1);
  });

  it('accepts a slot it offered, and refuses one it did not offer even after browsing', async () => {
    const offer = await t.api.get(`/v1/locations/${f.locationId}/slots`, { token: f.user.token });
    expect(offer.status).toBe(200);
    const offered: string[] = offer.body.slots.map((slot: { id: string }) => slot.id);
    expect(offered.length).toBe(3);
    const notOffered = f.slotIds.find((id) => !offered.includes(id))!;
    expect((await hold(notOffered)).body.code).toBe('SLOT_NOT_OFFERED');
    const held = await hold(offered[0]);
    expect(held.status).toBe(201);
    expect(held.body.status).toBe('held');
  });

  it('answers a repeat hold of a slot the user holds with 409, though holding it took the slot out of the offer', async () => {
    const offer = await t.api.get(`/v1/locations/${f.locationId}/slots`, { token: f.user.token });
    const slotId: string = offer.body.slots[0].id;
    expect((await hold(slotId)).status).toBe(201);
    const again = await t.api.get(`/v1/locations/${f.locationId}/slots`, { token: f.user.token });
    expect(again.body.exposureId).toBe(offer.body.exposureId);
    expect(again.body.slots.map((slot: { id: string }) => slot.id)).not.toContain(slotId);
    const repeat = await hold(slotId);
    expect(repeat.status).toBe(409);
    expect(repeat.body).toMatchObject({ code: 'SLOT_UNAVAILABLE', detail: 'You already hold or booked this slot.' });
  });

  it('stops admitting once the exposure expired', async () => {
    const offer = await t.api.get(`/v1/locations/${f.locationId}/slots`, { token: f.user.token });
    await t.db.query(`UPDATE scheduler.exposures SET expires_at = now() - interval '1 second' WHERE id = $1`, [offer.body.exposureId]);
    expect((await hold(offer.body.slots[0].id)).body.code).toBe('SLOT_NOT_OFFERED');
  });

  it('does not apply to operators booking on a user\'s behalf', async () => {
    const res = await t.api.post('/v1/admin/bookings', { token: f.admin, body: { slotId: f.slotIds[0], userId: f.user.id } });
    expect(res.status).toBe(201);
  });
});
