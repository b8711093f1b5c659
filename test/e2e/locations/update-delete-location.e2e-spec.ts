import { countRows, createBusiness } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import { createLocation, LocationJson } from '../../factories/catalogue';
import { ADMIN_LOCATIONS, backdate, collectPages, deleteLocation, publicLocation, PUBLIC_LOCATIONS, readLocationRow, rowAsLocation, UNKNOWN_ID } from './location-helpers';
import { expectProblem, expectValidationProblem } from '../../utils/problem';

const CUSTOM_POLICY = {
  holdTtlSeconds: 900,
  maxActiveHoldsPerUser: 4,
  minNoticeMinutes: 30,
  bookingHorizonDays: 60,
  cancelCutoffMinutes: 120,
  requireExposure: false,
  maxSeatsPerBooking: 3,
  requireCancellationReason: true,
  exposure: { personMin: 2, personMax: 4, locationMin: 3, locationMax: 6 },
};

describe('admin locations: one location', () => {
  let t: TestApp;
  let biz: string;
  let admin: string;
  let location: LocationJson;

  const path = (id = location.id): string => `${ADMIN_LOCATIONS}/${id}`;
  /** The location as persisted now, in API form. */
  const persisted = async (id = location.id): Promise<LocationJson | undefined> => {
    const row = await readLocationRow(t.db, id);
    return row && rowAsLocation(row);
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    biz = await createBusiness(t.db);
    admin = await token({ roles: ['admin'], biz: [biz] });
    location = await createLocation(t, admin, biz, { name: 'Harbour', timezone: 'Europe/Berlin', policy: CUSTOM_POLICY });
  });

  describe('GET /v1/admin/locations/{id}', () => {
    it('401 with a malformed authorization header', async () => {
      const res = await t.api.get(path(), { headers: { Authorization: `Basic ${admin}` } });
      expectProblem(res, 'UNAUTHENTICATED', 'A valid bearer token is required.');
    });

    it('returns the location to a viewer of its business', async () => {
      const viewer = await token({ roles: ['viewer'], biz: [biz] });
      const res = await t.api.get(path(), { token: viewer });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(location);
      expect(res.body).toEqual(await persisted());
    });

    it('finds the location by its id in upper case too', async () => {
      const res = await t.api.get(path(location.id.toUpperCase()), { token: admin });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(location);
    });

    it('404 for an unknown id', async () => {
      expectProblem(await t.api.get(path(UNKNOWN_ID), { token: admin }), 'NOT_FOUND', 'The location was not found.');
    });

    it("404 for another business's location (existence is not revealed)", async () => {
      const other = await createBusiness(t.db);
      const otherAdmin = await token({ roles: ['admin', 'viewer'], biz: [other] });
      expectProblem(await t.api.get(path(), { token: otherAdmin }), 'NOT_FOUND', 'The location was not found.');
    });

    it('lets a superadmin read any location', async () => {
      const superadmin = await token({ roles: ['superadmin'] });
      const res = await t.api.get(path(), { token: superadmin });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(location);
    });
  });

  describe('PATCH /v1/admin/locations/{id}', () => {
    it('404 for an unknown id', async () => {
      expectProblem(await t.api.patch(path(UNKNOWN_ID), { token: admin, body: { name: 'Changed' } }), 'NOT_FOUND', 'The location was not found.');
      expect(await countRows(t.db, 'scheduler.locations', 'id = $1', [UNKNOWN_ID])).toBe(0);
    });

    it("404 for another business's location, and changes nothing", async () => {
      const before = await persisted();
      const otherAdmin = await token({ roles: ['admin'], biz: [await createBusiness(t.db)] });
      expectProblem(await t.api.patch(path(), { token: otherAdmin, body: { name: 'Changed' } }), 'NOT_FOUND', 'The location was not found.');
      expect(await persisted()).toEqual(before);
    });

    it('changes only the name, keeps timezone and policy, and moves updatedAt', async () => {
      await backdate(t.db, location.id);
      const before = (await persisted()) as LocationJson;
      const res = await t.api.patch(path(), { token: admin, body: { name: '  Harbour North  ' } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...before, name: 'Harbour North', updatedAt: expect.any(String) });
      expect(res.body.policy).toEqual(CUSTOM_POLICY);
      expect(res.body.createdAt).toBe(before.createdAt);
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
      expect(await persisted()).toEqual(res.body);
    });

    it('changes the timezone', async () => {
      const res = await t.api.patch(path(), { token: admin, body: { timezone: 'America/New_York' } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...location, timezone: 'America/New_York', updatedAt: expect.any(String) });
      expect(await persisted()).toEqual(res.body);
    });

    it('stores a zone name sent in another case as the time zone database spells it', async () => {
      const res = await t.api.patch(path(), { token: admin, body: { timezone: 'asia/KOLKATA' } });
      expect(res.status).toBe(200);
      expect(res.body.timezone).toBe('Asia/Kolkata');
      expect(await persisted()).toMatchObject({ timezone: 'Asia/Kolkata' });
    });

    it('merges a partial policy into the current one, not into the defaults', async () => {
      const res = await t.api.patch(path(), {
        token: admin,
        body: { policy: { holdTtlSeconds: 60, exposure: { personMax: 5 } } },
      });
      expect(res.status).toBe(200);
      expect(res.body.policy).toEqual({
        ...CUSTOM_POLICY,
        holdTtlSeconds: 60,
        exposure: { ...CUSTOM_POLICY.exposure, personMax: 5 },
      });
      expect(res.body).toEqual({ ...location, policy: res.body.policy, updatedAt: expect.any(String) });
      expect(await persisted()).toEqual(res.body);
    });

    it('sets every policy field at once', async () => {
      const policy = {
        holdTtlSeconds: 86400,
        maxActiveHoldsPerUser: 100,
        minNoticeMinutes: 525600,
        bookingHorizonDays: 730,
        cancelCutoffMinutes: 525600,
        requireExposure: true,
        maxSeatsPerBooking: 10000,
        requireCancellationReason: false,
        exposure: { personMin: 20, personMax: 20, locationMin: 20, locationMax: 20 },
      };
      const res = await t.api.patch(path(), { token: admin, body: { policy } });
      expect(res.status).toBe(200);
      expect(res.body.policy).toEqual(policy);
      expect(await persisted()).toEqual(res.body);
    });

    it('raises an exposure minimum together with its maximum', async () => {
      const res = await t.api.patch(path(), { token: admin, body: { policy: { exposure: { personMin: 10, personMax: 12 } } } });
      expect(res.status).toBe(200);
      expect(res.body.policy.exposure).toEqual({ ...CUSTOM_POLICY.exposure, personMin: 10, personMax: 12 });
    });

    it.each([
      ['personMin above the current personMax', { personMin: 5 }, 'policy.exposure.personMin', '5 > 4'],
      ['personMax below the current personMin', { personMax: 1 }, 'policy.exposure.personMin', '2 > 1'],
      ['locationMin above the current locationMax', { locationMin: 7 }, 'policy.exposure.locationMin', '7 > 6'],
      ['locationMax below the current locationMin', { locationMax: 2 }, 'policy.exposure.locationMin', '3 > 2'],
    ])('400 when %s, and changes nothing', async (_label, exposure, field, numbers) => {
      const before = await persisted();
      const res = await t.api.patch(path(), { token: admin, body: { name: 'Changed', policy: { exposure } } });
      expectValidationProblem(res, [{ field, message: `must not exceed the maximum (${numbers})` }]);
      expect(await persisted()).toEqual(before);
    });

    it('an empty body changes no field', async () => {
      const res = await t.api.patch(path(), { token: admin, body: {} });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...location, updatedAt: expect.any(String) });
    });

    it('active: false takes the location off the public API', async () => {
      const res = await t.api.patch(path(), { token: admin, body: { active: false } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...location, active: false, updatedAt: expect.any(String) });
      expectProblem(await t.api.get(`${PUBLIC_LOCATIONS}/${location.id}`, { token: admin }), 'NOT_FOUND', 'The location was not found.');
    });

    it('active: true reopens a deleted location, policy intact', async () => {
      await deleteLocation(t, admin, location.id);
      await backdate(t.db, location.id);
      const before = (await persisted()) as LocationJson;
      expect(before.active).toBe(false);

      const res = await t.api.patch(path(), { token: admin, body: { active: true } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...before, active: true, updatedAt: expect.any(String) });
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
      expect(await persisted()).toEqual(res.body);

      const user = await token();
      const open = await t.api.get(`${PUBLIC_LOCATIONS}/${location.id}`, { token: user });
      expect(open.status).toBe(200);
      expect(open.body).toEqual(publicLocation(res.body));
    });

    it('edits a deleted location without reopening it', async () => {
      await deleteLocation(t, admin, location.id);
      const res = await t.api.patch(path(), { token: admin, body: { name: 'Archived' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'Archived', active: false });
    });
  });

  describe('DELETE /v1/admin/locations/{id}', () => {
    it('404 for an unknown id', async () => {
      expectProblem(await t.api.delete(path(UNKNOWN_ID), { token: admin }), 'NOT_FOUND', 'The location was not found.');
    });

    it("404 for another business's location, and it stays active", async () => {
      const otherAdmin = await token({ roles: ['admin'], biz: [await createBusiness(t.db)] });
      expectProblem(await t.api.delete(path(), { token: otherAdmin }), 'NOT_FOUND', 'The location was not found.');
      expect((await readLocationRow(t.db, location.id))?.active).toBe(true);
    });

    it('204 with no body; a soft delete that keeps the row and everything in it', async () => {
      await backdate(t.db, location.id);
      const before = (await persisted()) as LocationJson;
      const res = await t.api.delete(path(), { token: admin });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');

      const after = (await persisted()) as LocationJson;
      expect(after).toEqual({ ...before, active: false, updatedAt: expect.any(String) });
      expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
      expect(await countRows(t.db, 'scheduler.locations', 'id = $1', [location.id])).toBe(1);
    });

    it('the admin API still shows a deleted location, as active: false', async () => {
      await deleteLocation(t, admin, location.id);
      const res = await t.api.get(path(), { token: admin });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...location, active: false, updatedAt: expect.any(String) });
      const listed = await t.api.get(ADMIN_LOCATIONS, { token: admin });
      expect(listed.body.data).toEqual([expect.objectContaining({ id: location.id, active: false })]);
    });

    it('the public API no longer shows a deleted location', async () => {
      const user = await token();
      const sibling = await createLocation(t, admin, biz);
      await deleteLocation(t, admin, location.id);

      expectProblem(await t.api.get(`${PUBLIC_LOCATIONS}/${location.id}`, { token: user }), 'NOT_FOUND', 'The location was not found.');
      const pages = await collectPages(t, user, PUBLIC_LOCATIONS, { bizEntityId: biz });
      expect(pages.flatMap((page) => page.data.map((l) => l.id))).toEqual([sibling.id]);
    });

    it('deleting twice answers 204 both times and keeps the row', async () => {
      expect((await t.api.delete(path(), { token: admin })).status).toBe(204);
      const again = await t.api.delete(path(), { token: admin });
      expect(again.status).toBe(204);
      expect(again.text).toBe('');
      const row = await readLocationRow(t.db, location.id);
      expect(row?.active).toBe(false);
      expect(row && rowAsLocation(row)).toEqual({ ...location, active: false, updatedAt: expect.any(String) });
    });

    it('a superadmin deletes any location', async () => {
      const superadmin = await token({ roles: ['superadmin'] });
      expect((await t.api.delete(path(), { token: superadmin })).status).toBe(204);
      expect((await readLocationRow(t.db, location.id))?.active).toBe(false);
    });
  });
});
