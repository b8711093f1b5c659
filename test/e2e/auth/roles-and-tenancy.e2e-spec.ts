import { randomUUID } from 'node:crypto';
import { JWTPayload } from 'jose';
import { countRows, createBusiness, createUser, locationBody } from '../../factories/factories';
import { startTestApp, TestApp } from '../../utils/test-app';
import { claims, hs256 } from '../../factories/tokens';
import { DETAIL, insertLocation } from './auth-helpers';
import { readLocationRow } from '../locations/location-helpers';
import { expectProblem } from '../../utils/problem';

describe('roles and tenancy (admin locations)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A token for a real `public.auth_user` row with the given roles/biz claims. */
  async function tokenFor(extra: JWTPayload): Promise<string> {
    return hs256(claims({ sub: await createUser(t.db), ...extra }));
  }

  const countIn = (biz: string): Promise<number> => countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz]);

  describe('roles', () => {
    const noAdminRole: [string, (biz: string) => JWTPayload][] = [
      ['role user', (biz) => ({ roles: ['user'], biz: [biz] })],
      ['no roles claim', (biz) => ({ biz: [biz] })],
      ['an empty roles array', (biz) => ({ roles: [], biz: [biz] })],
      ['only an unknown role', (biz) => ({ roles: ['root'], biz: [biz] })],
    ];

    it.each(noAdminRole)('%s → 403 on admin GET (list and one)', async (_name, extra) => {
      const biz = await createBusiness(t.db);
      const id = await insertLocation(t.db, biz);
      const caller = await tokenFor(extra(biz));
      expectProblem(await t.api.get('/v1/admin/locations', { token: caller }), 'FORBIDDEN', DETAIL.role);
      expectProblem(await t.api.get(`/v1/admin/locations/${id}`, { token: caller }), 'FORBIDDEN', DETAIL.role);
    });

    it.each(noAdminRole)('%s → 403 on admin POST, PATCH and DELETE; nothing changes', async (_name, extra) => {
      const biz = await createBusiness(t.db);
      const id = await insertLocation(t.db, biz);
      const before = await readLocationRow(t.db, id);
      const caller = await tokenFor(extra(biz));

      const created = await t.api.post('/v1/admin/locations', { token: caller, body: locationBody(biz) });
      expectProblem(created, 'FORBIDDEN', DETAIL.role);
      const patched = await t.api.patch(`/v1/admin/locations/${id}`, { token: caller, body: { name: 'Changed' } });
      expectProblem(patched, 'FORBIDDEN', DETAIL.role);
      expectProblem(await t.api.delete(`/v1/admin/locations/${id}`, { token: caller }), 'FORBIDDEN', DETAIL.role);

      expect(await countIn(biz)).toBe(1);
      expect(await readLocationRow(t.db, id)).toEqual(before);
    });

    it('viewer → admin GET 200 for its businesses', async () => {
      const biz = await createBusiness(t.db);
      const id = await insertLocation(t.db, biz, 'Viewed');
      const viewer = await tokenFor({ roles: ['viewer'], biz: [biz] });

      const one = await t.api.get(`/v1/admin/locations/${id}`, { token: viewer });
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ id, bizEntityId: biz, name: 'Viewed', timezone: 'Europe/Paris', active: true });

      const list = await t.api.get('/v1/admin/locations', { token: viewer });
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ data: [one.body], nextCursor: null });
    });

    it('viewer → 403 on POST, PATCH and DELETE; nothing changes', async () => {
      const biz = await createBusiness(t.db);
      const id = await insertLocation(t.db, biz);
      const before = await readLocationRow(t.db, id);
      const viewer = await tokenFor({ roles: ['viewer'], biz: [biz] });

      expectProblem(await t.api.post('/v1/admin/locations', { token: viewer, body: locationBody(biz) }), 'FORBIDDEN', DETAIL.role);
      expectProblem(
        await t.api.patch(`/v1/admin/locations/${id}`, { token: viewer, body: { name: 'Changed' } }),
        'FORBIDDEN',
        DETAIL.role,
      );
      expectProblem(await t.api.delete(`/v1/admin/locations/${id}`, { token: viewer }), 'FORBIDDEN', DETAIL.role);

      expect(await countIn(biz)).toBe(1);
      expect(await readLocationRow(t.db, id)).toEqual(before);
    });

    it('viewer combined with user keeps the viewer rights, not more', async () => {
      const biz = await createBusiness(t.db);
      const id = await insertLocation(t.db, biz);
      const caller = await tokenFor({ roles: ['user', 'viewer', 'root'], biz: [biz] });
      expect((await t.api.get(`/v1/admin/locations/${id}`, { token: caller })).status).toBe(200);
      expectProblem(await t.api.delete(`/v1/admin/locations/${id}`, { token: caller }), 'FORBIDDEN', DETAIL.role);
      expect(await readLocationRow(t.db, id)).toMatchObject({ active: true });
    });

    it('admin → POST, PATCH and DELETE in its business', async () => {
      const biz = await createBusiness(t.db);
      const admin = await tokenFor({ roles: ['admin'], biz: [biz] });

      const created = await t.api.post('/v1/admin/locations', { token: admin, body: locationBody(biz, { name: 'Mine' }) });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ bizEntityId: biz, name: 'Mine', active: true });
      const id = created.body.id as string;
      expect(await readLocationRow(t.db, id)).toMatchObject({ biz_entity_id: biz, name: 'Mine', active: true });

      const patched = await t.api.patch(`/v1/admin/locations/${id}`, { token: admin, body: { name: 'Renamed' } });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ id, bizEntityId: biz, name: 'Renamed' });
      expect(await readLocationRow(t.db, id)).toMatchObject({ name: 'Renamed', active: true });

      const deleted = await t.api.delete(`/v1/admin/locations/${id}`, { token: admin });
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect(await readLocationRow(t.db, id)).toMatchObject({ name: 'Renamed', active: false });
    });

    it('admin → admin GET too', async () => {
      const biz = await createBusiness(t.db);
      const id = await insertLocation(t.db, biz);
      const admin = await tokenFor({ roles: ['admin'], biz: [biz] });
      const list = await t.api.get('/v1/admin/locations', { token: admin });
      expect(list.status).toBe(200);
      expect(list.body.data.map((l: { id: string }) => l.id)).toEqual([id]);
    });

    it('superadmin (empty biz) → reads and writes in any business', async () => {
      const biz = await createBusiness(t.db);
      const existing = await insertLocation(t.db, biz, 'Theirs');
      const superadmin = await tokenFor({ roles: ['superadmin'], biz: [] });

      const one = await t.api.get(`/v1/admin/locations/${existing}`, { token: superadmin });
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ id: existing, bizEntityId: biz, name: 'Theirs' });

      const created = await t.api.post('/v1/admin/locations', { token: superadmin, body: locationBody(biz, { name: 'Added' }) });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ bizEntityId: biz, name: 'Added' });

      const list = await t.api.get(`/v1/admin/locations?bizEntityId=${biz}`, { token: superadmin });
      expect(list.status).toBe(200);
      expect(list.body.data.map((l: { id: string }) => l.id)).toEqual([existing, created.body.id]);

      const patched = await t.api.patch(`/v1/admin/locations/${existing}`, { token: superadmin, body: { name: 'Fixed' } });
      expect(patched.status).toBe(200);
      expect(await readLocationRow(t.db, existing)).toMatchObject({ name: 'Fixed', active: true });

      expect((await t.api.delete(`/v1/admin/locations/${existing}`, { token: superadmin })).status).toBe(204);
      expect(await readLocationRow(t.db, existing)).toMatchObject({ name: 'Fixed', active: false });
    });

    it('superadmin without any biz claim → reads every business', async () => {
      const biz = await createBusiness(t.db);
      const id = await insertLocation(t.db, biz);
      const superadmin = await tokenFor({ roles: ['superadmin'] });
      const res = await t.api.get(`/v1/admin/locations/${id}`, { token: superadmin });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, bizEntityId: biz });
    });

    describe('any authenticated principal may use the public API', () => {
      it.each<[string, JWTPayload]>([
        ['no roles claim', {}],
        ['user', { roles: ['user'] }],
        ['viewer of another business', { roles: ['viewer'], biz: [randomUUID()] }],
        ['admin of another business', { roles: ['admin'], biz: [randomUUID()] }],
        ['superadmin', { roles: ['superadmin'] }],
      ])('%s → 200 on GET /v1/locations and GET /v1/locations/{id}', async (_name, extra) => {
        const biz = await createBusiness(t.db);
        const id = await insertLocation(t.db, biz, 'Open');
        const caller = await tokenFor(extra);

        const list = await t.api.get(`/v1/locations?bizEntityId=${biz}`, { token: caller });
        expect(list.status).toBe(200);
        expect(list.body).toEqual({ data: [expect.objectContaining({ id, bizEntityId: biz, name: 'Open' })], nextCursor: null });

        const one = await t.api.get(`/v1/locations/${id}`, { token: caller });
        expect(one.status).toBe(200);
        expect(one.body).toMatchObject({ id, bizEntityId: biz, name: 'Open', active: true });
      });
    });
  });

  describe('tenancy', () => {
    let bizA: string;
    let bizB: string;
    let locationA: string;
    let locationB: string;
    let adminA: string;

    beforeEach(async () => {
      bizA = await createBusiness(t.db);
      bizB = await createBusiness(t.db);
      locationA = await insertLocation(t.db, bizA, 'A');
      locationB = await insertLocation(t.db, bizB, 'B');
      adminA = await tokenFor({ roles: ['admin'], biz: [bizA] });
    });

    it("an admin of A gets 404 on GET of B's location, exactly as for an id that does not exist", async () => {
      const foreign = await t.api.get(`/v1/admin/locations/${locationB}`, { token: adminA });
      expectProblem(foreign, 'NOT_FOUND', DETAIL.locationNotFound);
      const absent = await t.api.get(`/v1/admin/locations/${randomUUID()}`, { token: adminA });
      expect(absent.body).toEqual(foreign.body);
    });

    it("an admin of A gets 404 on PATCH of B's location; the row is unchanged", async () => {
      const before = await readLocationRow(t.db, locationB);
      const res = await t.api.patch(`/v1/admin/locations/${locationB}`, {
        token: adminA,
        body: { name: 'Hijacked', active: false, policy: { holdTtlSeconds: 1 } },
      });
      expectProblem(res, 'NOT_FOUND', DETAIL.locationNotFound);
      expect(await readLocationRow(t.db, locationB)).toEqual(before);
    });

    it("an admin of A gets 404 on DELETE of B's location; the row is unchanged", async () => {
      const before = await readLocationRow(t.db, locationB);
      expect(before).toMatchObject({ active: true });
      const res = await t.api.delete(`/v1/admin/locations/${locationB}`, { token: adminA });
      expectProblem(res, 'NOT_FOUND', DETAIL.locationNotFound);
      expect(await readLocationRow(t.db, locationB)).toEqual(before);
    });

    it('a viewer of A gets 404 on GET of a location of B', async () => {
      const viewerA = await tokenFor({ roles: ['viewer'], biz: [bizA] });
      expectProblem(await t.api.get(`/v1/admin/locations/${locationB}`, { token: viewerA }), 'NOT_FOUND', DETAIL.locationNotFound);
    });

    it("an admin of A does not see B's locations in its list", async () => {
      const all = await t.api.get('/v1/admin/locations?limit=200', { token: adminA });
      expect(all.status).toBe(200);
      expect(all.body.data.map((l: { id: string }) => l.id)).toEqual([locationA]);
      expect(all.body.nextCursor).toBeNull();

      const filtered = await t.api.get(`/v1/admin/locations?bizEntityId=${bizB}`, { token: adminA });
      expect(filtered.status).toBe(200);
      expect(filtered.body).toEqual({ data: [], nextCursor: null });
    });

    it('an admin of A gets 403 when creating a location for B; nothing is written', async () => {
      const res = await t.api.post('/v1/admin/locations', { token: adminA, body: locationBody(bizB) });
      expectProblem(res, 'FORBIDDEN', DETAIL.foreignBusiness(bizB));
      expect(await countIn(bizB)).toBe(1);
      expect(await countIn(bizA)).toBe(1);
    });

    it('an admin with an empty biz claim administers nothing', async () => {
      const nobody = await tokenFor({ roles: ['admin'], biz: [] });
      expectProblem(await t.api.get(`/v1/admin/locations/${locationA}`, { token: nobody }), 'NOT_FOUND', DETAIL.locationNotFound);
      const res = await t.api.post('/v1/admin/locations', { token: nobody, body: locationBody(bizA) });
      expectProblem(res, 'FORBIDDEN', DETAIL.foreignBusiness(bizA));
      expect(await countIn(bizA)).toBe(1);
    });

    it('an admin of A and B administers both', async () => {
      const adminAB = await tokenFor({ roles: ['admin'], biz: [bizA, bizB] });
      const list = await t.api.get('/v1/admin/locations', { token: adminAB });
      expect(list.status).toBe(200);
      expect(list.body.data.map((l: { id: string }) => l.id).sort()).toEqual([locationA, locationB].sort());
      const patched = await t.api.patch(`/v1/admin/locations/${locationB}`, { token: adminAB, body: { name: 'B2' } });
      expect(patched.status).toBe(200);
      expect(await readLocationRow(t.db, locationB)).toMatchObject({ name: 'B2' });
    });

    it('UUIDs compare case-insensitively: upper-case biz in the token and in the body', async () => {
      const upperToken = await tokenFor({ roles: ['admin'], biz: [bizA.toUpperCase()] });
      expect((await t.api.get(`/v1/admin/locations/${locationA}`, { token: upperToken })).status).toBe(200);

      const created = await t.api.post('/v1/admin/locations', {
        token: adminA,
        body: locationBody(bizA.toUpperCase(), { name: 'Upper' }),
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ bizEntityId: bizA, name: 'Upper' });
      expect(await countIn(bizA)).toBe(2);
    });
  });
});
