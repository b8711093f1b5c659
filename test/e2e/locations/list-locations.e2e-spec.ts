import { createBusiness } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import { createLocation, LocationJson } from '../../factories/catalogue';
import { ADMIN_LOCATIONS, collectPages, deleteLocation, inListOrder as sortForList } from './location-helpers';
import { expectValidationFields, expectValidationProblem } from '../../utils/problem';

/** Ids in the order lists promise. */
const inListOrder = (locations: LocationJson[]): string[] => sortForList(locations).map((location) => location.id);

const encode = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const decode = (cursor: string): string => Buffer.from(cursor, 'base64url').toString('utf8');

describe('GET /v1/admin/locations', () => {
  let t: TestApp;
  let biz: string;
  let admin: string;

  /** Creates `n` locations one after the other; returns them in creation order. */
  async function createMany(n: number, bizEntityId = biz, caller = admin): Promise<LocationJson[]> {
    const created: LocationJson[] = [];
    for (let i = 0; i < n; i += 1) created.push(await createLocation(t, caller, bizEntityId, { name: `L${i}` }));
    return created;
  }

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    biz = await createBusiness(t.db);
    admin = await token({ roles: ['admin'], biz: [biz] });
  });

  it('lets a viewer list the locations of its business', async () => {
    const [location] = await createMany(1);
    const viewer = await token({ roles: ['viewer'], biz: [biz] });
    const res = await t.api.get(ADMIN_LOCATIONS, { token: viewer });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [location], nextCursor: null });
  });

  it('pages through every location in creation order with limit=2', async () => {
    const created = await createMany(5);
    // Sequential creates: the creation instants never go backwards.
    const instants = created.map((location) => location.createdAt);
    expect([...instants].sort()).toEqual(instants);

    const pages = await collectPages(t, admin, ADMIN_LOCATIONS, { limit: '2' });
    expect(pages.map((page) => page.data.length)).toEqual([2, 2, 1]);
    expect(pages.map((page) => page.nextCursor === null)).toEqual([false, false, true]);
    const listed = pages.flatMap((page) => page.data);
    expect(listed.map((location) => location.id)).toEqual(inListOrder(created));
    expect(new Set(listed.map((location) => location.id)).size).toBe(5);
    // Every item is the whole location, as created.
    const byId = new Map(created.map((location) => [location.id, location]));
    for (const location of listed) expect(location).toEqual(byId.get(location.id));
  });

  it('ends without an empty trailing page when the count is a multiple of the limit', async () => {
    const created = await createMany(4);
    const pages = await collectPages(t, admin, ADMIN_LOCATIONS, { limit: '2' });
    expect(pages.map((page) => page.data.length)).toEqual([2, 2]);
    expect(pages[1].nextCursor).toBeNull();
    expect(pages.flatMap((page) => page.data.map((location) => location.id))).toEqual(inListOrder(created));
  });

  it('returns up to 50 by default with nextCursor null when everything fits', async () => {
    const created = await createMany(3);
    const res = await t.api.get(ADMIN_LOCATIONS, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.data.map((location: LocationJson) => location.id)).toEqual(inListOrder(created));
  });

  it('returns an empty page for a business without locations', async () => {
    const res = await t.api.get(ADMIN_LOCATIONS, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], nextCursor: null });
  });

  it.each(['1', '200'])('accepts limit=%s, the documented bounds', async (limit) => {
    const created = await createMany(2);
    const res = await t.api.get(`${ADMIN_LOCATIONS}?limit=${limit}`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(Math.min(Number(limit), 2));
    expect(res.body.data[0].id).toBe(inListOrder(created)[0]);
    expect(res.body.nextCursor === null).toBe(limit === '200');
  });

  it.each([
    ['0', 'must not be less than 1'],
    ['-1', 'must not be less than 1'],
    ['201', 'must not be greater than 200'],
    ['1.5', 'must be an integer number'],
  ])('400 for limit=%s', async (limit, message) => {
    const res = await t.api.get(`${ADMIN_LOCATIONS}?limit=${limit}`, { token: admin });
    expectValidationProblem(res, [{ field: 'limit', message }]);
  });

  // The message for these comes from the shared PageQueryDto (it currently reports NaN as
  // "must not be greater than 200"); the field is what matters here.
  it.each(['abc', '', '1&limit=2'])('400 naming limit for limit=%s', async (limit) => {
    const res = await t.api.get(`${ADMIN_LOCATIONS}?limit=${limit}`, { token: admin });
    expectValidationFields(res, ['limit']);
  });

  describe('cursor', () => {
    let firstPage: { data: LocationJson[]; nextCursor: string };
    const notOurs = { field: 'cursor', message: 'is not a cursor this API issued' };

    beforeEach(async () => {
      await createMany(3);
      const res = await t.api.get(`${ADMIN_LOCATIONS}?limit=1`, { token: admin });
      expect(res.status).toBe(200);
      firstPage = res.body;
      expect(typeof firstPage.nextCursor).toBe('string');
    });

    it('continues after the last item of the previous page', async () => {
      const res = await t.api.get(`${ADMIN_LOCATIONS}?limit=1&cursor=${firstPage.nextCursor}`, { token: admin });
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(1);
      expect(res.body.data[0].id).not.toBe(firstPage.data[0].id);
      expect(res.body.data[0].createdAt >= firstPage.data[0].createdAt).toBe(true);
    });

    it.each([
      ['garbage', () => 'garbage!!'],
      ['base64 of plain text', () => encode('hello world')],
      ['an id that is not a UUID', (cursor: string) => encode(decode(cursor).replace(/\|.*$/, '|not-a-uuid'))],
      ['an instant that is not a date', (cursor: string) => encode(decode(cursor).replace(/^[^|]*/, 'yesterday'))],
      ['an extra segment', (cursor: string) => encode(`${decode(cursor)}|extra`)],
      ['a missing id', (cursor: string) => encode(decode(cursor).split('|')[0])],
      ['an upper-cased id', (cursor: string) => encode(decode(cursor).toUpperCase())],
    ])('400 for a cursor with %s', async (_label, tamper) => {
      const cursor = tamper(firstPage.nextCursor);
      const res = await t.api.get(`${ADMIN_LOCATIONS}?limit=1&cursor=${encodeURIComponent(cursor)}`, { token: admin });
      expectValidationProblem(res, [notOurs]);
    });

    it('400 for an empty cursor', async () => {
      const res = await t.api.get(`${ADMIN_LOCATIONS}?cursor=`, { token: admin });
      expectValidationProblem(res, [notOurs]);
    });

    it('400 for a cursor longer than 200 characters', async () => {
      const res = await t.api.get(`${ADMIN_LOCATIONS}?cursor=${'A'.repeat(201)}`, { token: admin });
      expectValidationProblem(res, [{ field: 'cursor', message: 'must be shorter than or equal to 200 characters' }]);
    });

    it('400, not 500, for a well-formed cursor whose instant PostgreSQL cannot represent', async () => {
      const cursor = encode(decode(firstPage.nextCursor).replace(/^[^|]*/, '-100000-01-01T00:00:00.000Z'));
      const res = await t.api.get(`${ADMIN_LOCATIONS}?cursor=${cursor}`, { token: admin });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    });
  });

  describe('filters', () => {
    it('active=true and active=false split live and deleted locations', async () => {
      const created = await createMany(3);
      await deleteLocation(t, admin, created[1].id);
      const order = inListOrder(created);

      const live = await t.api.get(`${ADMIN_LOCATIONS}?active=true`, { token: admin });
      expect(live.status).toBe(200);
      expect(live.body.data.map((location: LocationJson) => location.id)).toEqual(order.filter((id) => id !== created[1].id));
      expect(live.body.data.every((location: LocationJson) => location.active)).toBe(true);

      const deleted = await t.api.get(`${ADMIN_LOCATIONS}?active=false`, { token: admin });
      expect(deleted.status).toBe(200);
      expect(deleted.body.data).toEqual([expect.objectContaining({ id: created[1].id, active: false })]);

      const all = await t.api.get(ADMIN_LOCATIONS, { token: admin });
      expect(all.body.data.map((location: LocationJson) => location.id)).toEqual(order);
    });

    it('active filter combines with pagination', async () => {
      const created = await createMany(5);
      await deleteLocation(t, admin, created[0].id);
      await deleteLocation(t, admin, created[3].id);
      const pages = await collectPages(t, admin, ADMIN_LOCATIONS, { limit: '2', active: 'true' });
      expect(pages.map((page) => page.data.length)).toEqual([2, 1]);
      const expected = inListOrder(created).filter((id) => id !== created[0].id && id !== created[3].id);
      expect(pages.flatMap((page) => page.data.map((location) => location.id))).toEqual(expected);
    });

    it('bizEntityId narrows a token that administers several businesses', async () => {
      const other = await createBusiness(t.db);
      const both = await token({ roles: ['admin'], biz: [biz, other] });
      const mine = await createMany(2, biz, both);
      const theirs = await createMany(2, other, both);

      const all = await collectPages(t, both, ADMIN_LOCATIONS, { limit: '200' });
      expect(all.flatMap((page) => page.data.map((location) => location.id))).toEqual(inListOrder([...mine, ...theirs]));

      const filtered = await collectPages(t, both, ADMIN_LOCATIONS, { bizEntityId: other, limit: '1' });
      expect(filtered.flatMap((page) => page.data.map((location) => location.id))).toEqual(inListOrder(theirs));
    });

    it('bizEntityId of a business outside the token gives an empty page, not its locations', async () => {
      const other = await createBusiness(t.db);
      const otherAdmin = await token({ roles: ['admin'], biz: [other] });
      await createMany(2, other, otherAdmin);
      const res = await t.api.get(`${ADMIN_LOCATIONS}?bizEntityId=${other}`, { token: admin });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: [], nextCursor: null });
    });

    it('a superadmin filters any business by bizEntityId', async () => {
      const created = await createMany(3);
      const superadmin = await token({ roles: ['superadmin'] });
      const pages = await collectPages(t, superadmin, ADMIN_LOCATIONS, { bizEntityId: biz, limit: '2' });
      expect(pages.flatMap((page) => page.data.map((location) => location.id))).toEqual(inListOrder(created));
    });

    it('a superadmin without a filter sees every business, the new ones included', async () => {
      const other = await createBusiness(t.db);
      const superadmin = await token({ roles: ['superadmin'] });
      const mine = await createMany(1);
      const [theirs] = await createMany(1, other, superadmin);
      const seen = new Set(
        (await collectPages(t, superadmin, ADMIN_LOCATIONS, { limit: '200' })).flatMap((page) => page.data.map((l) => l.id)),
      );
      expect(seen.has(mine[0].id)).toBe(true);
      expect(seen.has(theirs.id)).toBe(true);
    });
  });
});
