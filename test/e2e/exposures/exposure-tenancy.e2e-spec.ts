import { randomUUID } from 'node:crypto';
import { createBusiness } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import { DAY_MS, exposureWorld, ExposureWorld } from './exposure-fixtures';

describe('exposures: tenancy and access', () => {
  let t: TestApp;
  let a: ExposureWorld;
  let exposureId: string;
  let offeredSlotId: string;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    a = await exposureWorld(t);
    const res = await t.api.get(`/v1/locations/${a.locationId}/slots`, { token: a.user });
    expect(res.status).toBe(200);
    exposureId = res.body.exposureId;
    offeredSlotId = res.body.slots[0].id;
  });

  describe('another business', () => {

    it('does not see A\'s exposure in lists, whatever the filter', async () => {
      const b = await exposureWorld(t);
      // B has an exposure of its own, so an empty list is not the only thing the admin can get.
      const own = await t.api.get(`/v1/locations/${b.locationId}/slots`, { token: b.user });
      const queries = [`userId=${a.userId}`, `locationId=${a.locationId}`, `personId=${a.people[0]}`, `userId=${b.userId}`, 'limit=200'];
      for (const query of queries) {
        const res = await t.api.get(`/v1/admin/exposures?${query}`, { token: b.admin });
        expect(res.status).toBe(200);
        const ids = (res.body.data as { id: string; locationId: string }[]).map((row) => row.id);
        expect(ids).not.toContain(exposureId);
        for (const row of res.body.data as { locationId: string }[]) expect(row.locationId).toBe(b.locationId);
      }
      const mine = await t.api.get(`/v1/admin/exposures?userId=${b.userId}`, { token: b.admin });
      expect(mine.body.data.map((row: { id: string }) => row.id)).toEqual([own.body.exposureId]);
    });

    it('cannot use explain to learn that A\'s slots exist: from B\'s own exposure they read as unknown', async () => {
      const b = await exposureWorld(t);
      const own = await t.api.get(`/v1/locations/${b.locationId}/slots`, { token: b.user });
      const res = await t.api.get(`/v1/admin/exposures/${own.body.exposureId}/explain?slotId=${offeredSlotId}`, { token: b.admin });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ verdict: 'unknown_slot', offered: false, reasons: ['the slot does not exist'] });
      expect(res.body).not.toHaveProperty('score');
      expect(res.body).not.toHaveProperty('position');
    });

    it('lets an admin of both businesses, and a superadmin, see it', async () => {
      const b = await createBusiness(t.db);
      for (const claims of [{ roles: ['admin' as const], biz: [b, a.biz] }, { roles: ['superadmin' as const], biz: [] }]) {
        const both = await token(claims);
        expect((await t.api.get(`/v1/admin/exposures/${exposureId}`, { token: both })).status).toBe(200);
        const listed = await t.api.get(`/v1/admin/exposures?userId=${a.userId}`, { token: both });
        expect(listed.body.data.map((row: { id: string }) => row.id)).toEqual([exposureId]);
      }
    });
  });

  it('lets a viewer of A read the list, the exposure and the explanation', async () => {
    const viewer = await token({ roles: ['viewer'], biz: [a.biz] });
    const listed = await t.api.get(`/v1/admin/exposures?userId=${a.userId}`, { token: viewer });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((row: { id: string }) => row.id)).toEqual([exposureId]);
    const got = await t.api.get(`/v1/admin/exposures/${exposureId}`, { token: viewer });
    expect(got.status).toBe(200);
    const position = got.body.slots.findIndex((slot: { slotId: string }) => slot.slotId === offeredSlotId);
    expect(position).toBeGreaterThanOrEqual(0);
    const why = await t.api.get(`/v1/admin/exposures/${exposureId}/explain?slotId=${offeredSlotId}`, { token: viewer });
    expect(why.status).toBe(200);
    expect(why.body).toMatchObject({ verdict: 'offered', position });
  });

  describe('public slot endpoints across locations', () => {
    it('lets any user browse another business\'s active location and person', async () => {
      const stranger = await token({ sub: randomUUID() });
      const loc = await t.api.get(`/v1/locations/${a.locationId}/slots`, { token: stranger });
      expect(loc.status).toBe(200);
      expect(loc.body.scopeId).toBe(a.locationId);
      const person = await t.api.get(`/v1/people/${a.people[0]}/slots`, { token: stranger });
      expect(person.status).toBe(200);
      expect(person.body.scopeId).toBe(a.people[0]);
    });

    it('answers 404 for a deleted location, and for its people', async () => {
      const deleted = await t.api.delete(`/v1/admin/locations/${a.locationId}`, { token: a.admin });
      expect(deleted.status).toBe(204);
      const loc = await t.api.get(`/v1/locations/${a.locationId}/slots`, { token: a.user });
      expect(loc.status).toBe(404);
      expect(loc.body.code).toBe('NOT_FOUND');
      // Even the identity that already has a live exposure gets nothing back from it.
      const person = await t.api.get(`/v1/people/${a.people[0]}/slots`, { token: a.user });
      expect(person.status).toBe(404);
    });

    it('answers 404 on /v1/people/{id}/slots for a deleted person, while the others stay browsable', async () => {
      const before = await t.api.get(`/v1/people/${a.people[1]}/slots`, { token: a.user });
      expect(before.status).toBe(200);
      const deleted = await t.api.delete(`/v1/admin/people/${a.people[1]}`, { token: a.admin });
      expect(deleted.status).toBe(204);
      const res = await t.api.get(`/v1/people/${a.people[1]}/slots`, { token: a.user });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
      expect((await t.api.get(`/v1/people/${a.people[0]}/slots`, { token: a.user })).status).toBe(200);
      // A fresh location offer no longer shows the deleted person.
      const fresh = await t.api.get(`/v1/locations/${a.locationId}/slots?from=${new Date(Date.now() + DAY_MS).toISOString()}`, { token: a.user });
      expect(fresh.status).toBe(200);
      for (const slot of fresh.body.slots as { personId: string }[]) expect(slot.personId).not.toBe(a.people[1]);
    });

    it('answers 404 for ids that were never locations or people', async () => {
      const location = await t.api.get(`/v1/locations/${randomUUID()}/slots`, { token: a.user });
      expect(location.status).toBe(404);
      const person = await t.api.get(`/v1/people/${randomUUID()}/slots`, { token: a.user });
      expect(person.status).toBe(404);
      // A location id is not a person id, and a person id not a location id.
      expect((await t.api.get(`/v1/people/${a.locationId}/slots`, { token: a.user })).status).toBe(404);
      expect((await t.api.get(`/v1/locations/${a.people[0]}/slots`, { token: a.user })).status).toBe(404);
    });

    it('does not offer the slots of a deleted person from the live exposure that showed them', async () => {
      const shown = await t.api.get(`/v1/locations/${a.locationId}/slots`, { token: a.user });
      const theirs = (shown.body.slots as { personId: string }[]).filter((slot) => slot.personId === a.people[2]);
      expect(theirs.length).toBeGreaterThan(0);
      expect((await t.api.delete(`/v1/admin/people/${a.people[2]}`, { token: a.admin })).status).toBe(204);
      const again = await t.api.get(`/v1/locations/${a.locationId}/slots`, { token: a.user });
      expect(again.status).toBe(200);
      expect(again.body.exposureId).toBe(shown.body.exposureId);
      for (const slot of again.body.slots as { personId: string }[]) expect(slot.personId).not.toBe(a.people[2]);
      // …and the explanation says why, for the slot it used to show.
      const gone = (shown.body.slots as { id: string; personId: string }[]).find((slot) => slot.personId === a.people[2])!;
      const why = await t.api.get(`/v1/admin/exposures/${shown.body.exposureId}/explain?slotId=${gone.id}`, { token: a.admin });
      expect(why.status).toBe(200);
      expect(why.body.verdict).toBe('not_bookable');
      expect(why.body.reasons.join(' ')).toMatch(/no longer works here/);
    });
  });
});
