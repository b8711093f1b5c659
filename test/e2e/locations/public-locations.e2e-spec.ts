import { createBusiness } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import { createLocation, LocationJson } from '../../factories/catalogue';
import { collectPages, deleteLocation, inListOrder, publicLocation, PUBLIC_LOCATIONS, UNKNOWN_ID } from './location-helpers';
import { expectProblem } from '../../utils/problem';

describe('public locations', () => {
  let t: TestApp;
  let biz: string;
  let admin: string;
  /** A plain end user: no roles, no businesses. */
  let user: string;
  /** Three locations of `biz`; the middle one is deleted, the others are `open`, in list order. */
  let open: LocationJson[];
  let closed: LocationJson;

  const ids = (locations: LocationJson[]): string[] => locations.map((location) => location.id);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    biz = await createBusiness(t.db);
    admin = await token({ roles: ['admin'], biz: [biz] });
    user = await token();
    const created: LocationJson[] = [];
    // The operators' metadata never reaches the public API.
    for (const name of ['North', 'Centre', 'South']) created.push(await createLocation(t, admin, biz, { name, metadata: { site: `${name}-1` } }));
    await deleteLocation(t, admin, created[1].id);
    closed = publicLocation(created[1]);
    open = inListOrder([created[0], created[2]]).map(publicLocation);
  });

  describe('GET /v1/locations', () => {
    it('lists only the active locations of a business, whole and in creation order', async () => {
      const res = await t.api.get(`${PUBLIC_LOCATIONS}?bizEntityId=${biz}`, { token: user });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: open, nextCursor: null });
    });

    it.each([
      ['a viewer of the business', 'viewer' as const, 'same'],
      ['an admin of another business', 'admin' as const, 'other'],
      ['a superadmin', 'superadmin' as const, 'none'],
    ])('answers %s the same way (public API, no tenant scope)', async (_label, role, business) => {
      const bizIds = business === 'same' ? [biz] : business === 'other' ? [await createBusiness(t.db)] : [];
      const caller = await token({ roles: [role], biz: bizIds });
      const res = await t.api.get(`${PUBLIC_LOCATIONS}?bizEntityId=${biz}`, { token: caller });
      expect(res.status).toBe(200);
      expect(ids(res.body.data)).toEqual(ids(open));
    });

    it('bizEntityId selects one business', async () => {
      const other = await createBusiness(t.db);
      const otherAdmin = await token({ roles: ['admin'], biz: [other] });
      const theirs = await createLocation(t, otherAdmin, other);

      const mine = await t.api.get(`${PUBLIC_LOCATIONS}?bizEntityId=${biz}`, { token: user });
      expect(ids(mine.body.data)).toEqual(ids(open));
      const their = await t.api.get(`${PUBLIC_LOCATIONS}?bizEntityId=${other}`, { token: user });
      expect(their.body).toEqual({ data: [publicLocation(theirs)], nextCursor: null });
    });

    it('a business without active locations gives an empty page', async () => {
      for (const location of open) await deleteLocation(t, admin, location.id);
      const res = await t.api.get(`${PUBLIC_LOCATIONS}?bizEntityId=${biz}`, { token: user });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: [], nextCursor: null });
    });

    it('an unknown business gives an empty page', async () => {
      const res = await t.api.get(`${PUBLIC_LOCATIONS}?bizEntityId=${UNKNOWN_ID}`, { token: user });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: [], nextCursor: null });
    });

    it('pages with limit=1, skipping the deleted location', async () => {
      const pages = await collectPages(t, user, PUBLIC_LOCATIONS, { bizEntityId: biz, limit: '1' });
      expect(pages.map((page) => page.data.length)).toEqual([1, 1]);
      expect(pages[1].nextCursor).toBeNull();
      expect(pages.flatMap((page) => ids(page.data))).toEqual(ids(open));
    });

    it('without bizEntityId lists active locations of every business, never a deleted one', async () => {
      const other = await createBusiness(t.db);
      const theirs = await createLocation(t, await token({ roles: ['admin'], biz: [other] }), other);
      const listed = (await collectPages(t, user, PUBLIC_LOCATIONS, { limit: '200' })).flatMap((page) => page.data);
      const seen = new Set(ids(listed));
      for (const id of [...ids(open), theirs.id]) expect(seen.has(id)).toBe(true);
      expect(seen.has(closed.id)).toBe(false);
      expect(listed.every((location) => location.active)).toBe(true);
      expect(seen.size).toBe(listed.length);
    });

    it('shows a reopened location again', async () => {
      const res = await t.api.patch(`/v1/admin/locations/${closed.id}`, { token: admin, body: { active: true } });
      expect(res.status).toBe(200);
      const listed = await t.api.get(`${PUBLIC_LOCATIONS}?bizEntityId=${biz}`, { token: user });
      expect(ids(listed.body.data)).toEqual(ids(inListOrder([...open, closed])));
      expect(listed.body.data).toContainEqual({ ...closed, updatedAt: expect.any(String) });
    });
  });

  describe('GET /v1/locations/{locationId}', () => {
    it('returns an active location to any authenticated user', async () => {
      const res = await t.api.get(`${PUBLIC_LOCATIONS}/${open[0].id}`, { token: user });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(open[0]);
    });

    it('404 for a deleted location, though the admin API still has it', async () => {
      expectProblem(await t.api.get(`${PUBLIC_LOCATIONS}/${closed.id}`, { token: user }), 'NOT_FOUND', 'The location was not found.');
      expect((await t.api.get(`/v1/admin/locations/${closed.id}`, { token: admin })).status).toBe(200);
    });

    it('404 for a deleted location even to its own admin', async () => {
      expectProblem(await t.api.get(`${PUBLIC_LOCATIONS}/${closed.id}`, { token: admin }), 'NOT_FOUND', 'The location was not found.');
    });

    it('404 for an unknown id', async () => {
      expectProblem(await t.api.get(`${PUBLIC_LOCATIONS}/${UNKNOWN_ID}`, { token: user }), 'NOT_FOUND', 'The location was not found.');
    });
  });
});
