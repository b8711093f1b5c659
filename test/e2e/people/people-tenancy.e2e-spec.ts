import type { Response } from 'supertest';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import {
  ADMIN_PEOPLE,
  createTenant,
  expectForbidden,
  expectNotFound,
  Page,
  PersonJson,
  snapshotBusiness,
  Tenant,
} from './people-helpers';

type Call = (t: TestApp, caller: string, own: Tenant, other: Tenant) => Promise<Response>;

describe('people: roles and tenancy on /v1/admin/people', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    a = await createTenant(t);
    b = await createTenant(t);
  });

  describe('an admin of business A, on business B', () => {
    const onBsPerson: [string, Call][] = [
      ['GET', (t, caller, _own, other) => t.api.get(`${ADMIN_PEOPLE}/${other.person.id}`, { token: caller })],
      ['PATCH', (t, caller, _own, other) => t.api.patch(`${ADMIN_PEOPLE}/${other.person.id}`, { token: caller, body: { name: 'Taken', weight: 50 } })],
      ['PATCH active', (t, caller, _own, other) => t.api.patch(`${ADMIN_PEOPLE}/${other.person.id}`, { token: caller, body: { active: false } })],
      ['DELETE', (t, caller, _own, other) => t.api.delete(`${ADMIN_PEOPLE}/${other.person.id}`, { token: caller })],
    ];

    it.each(onBsPerson)('%s of B\'s person answers 404 and leaves B unchanged', async (_method, call) => {
      const before = await snapshotBusiness(t.db, b.biz);
      expectNotFound(await call(t, a.admin, a, b), 'person');
      expect(await snapshotBusiness(t.db, b.biz)).toEqual(before);
      // The same call by B's own admin works, so the 404 above is about tenancy.
      expect((await call(t, b.admin, b, b)).status).toBeLessThan(300);
    });

    it('cannot create a person on B\'s location: 404, nothing written anywhere', async () => {
      const beforeA = await snapshotBusiness(t.db, a.biz);
      const beforeB = await snapshotBusiness(t.db, b.biz);
      const res = await t.api.post(ADMIN_PEOPLE, { token: a.admin, body: { locationId: b.locationId, name: 'Intruder' } });
      expectNotFound(res, 'location');
      expect(await snapshotBusiness(t.db, a.biz)).toEqual(beforeA);
      expect(await snapshotBusiness(t.db, b.biz)).toEqual(beforeB);
    });

    it('does not see B\'s people in the list, even when filtering on B\'s location', async () => {
      const all = await t.api.get(ADMIN_PEOPLE, { token: a.admin });
      expect(all.status).toBe(200);
      expect((all.body as Page<PersonJson>).data.map((p) => p.id)).toEqual([a.person.id]);

      const filtered = await t.api.get(`${ADMIN_PEOPLE}?locationId=${b.locationId}`, { token: a.admin });
      expect(filtered.status).toBe(200);
      expect(filtered.body).toEqual({ data: [], nextCursor: null });
    });

    it('sees both businesses when the token names both', async () => {
      const both = await token({ roles: ['admin'], biz: [a.biz, b.biz] });
      const res = await t.api.get(`${ADMIN_PEOPLE}/${b.person.id}`, { token: both });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(b.person);
    });
  });

  describe('a viewer of business A', () => {
    it('may GET and list A\'s people', async () => {
      const one = await t.api.get(`${ADMIN_PEOPLE}/${a.person.id}`, { token: a.viewer });
      expect(one.status).toBe(200);
      expect(one.body).toEqual(a.person);
      const list = await t.api.get(`${ADMIN_PEOPLE}?locationId=${a.locationId}`, { token: a.viewer });
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ data: [a.person], nextCursor: null });
    });

    it('gets 404 for B\'s person', async () => {
      expectNotFound(await t.api.get(`${ADMIN_PEOPLE}/${b.person.id}`, { token: a.viewer }), 'person');
    });

    it.each<[string, Call]>([
      ['POST', (t, caller, own) => t.api.post(ADMIN_PEOPLE, { token: caller, body: { locationId: own.locationId, name: 'New' } })],
      ['PATCH', (t, caller, own) => t.api.patch(`${ADMIN_PEOPLE}/${own.person.id}`, { token: caller, body: { name: 'Renamed' } })],
      ['DELETE', (t, caller, own) => t.api.delete(`${ADMIN_PEOPLE}/${own.person.id}`, { token: caller })],
    ])('gets 403 FORBIDDEN on %s and nothing is written', async (_method, call) => {
      const before = await snapshotBusiness(t.db, a.biz);
      expectForbidden(await call(t, a.viewer, a, b));
      expect(await snapshotBusiness(t.db, a.biz)).toEqual(before);
    });
  });

  describe('a plain user', () => {
    it.each<[string, Call]>([
      ['POST', (t, caller, own) => t.api.post(ADMIN_PEOPLE, { token: caller, body: { locationId: own.locationId, name: 'New' } })],
      ['GET list', (t, caller) => t.api.get(ADMIN_PEOPLE, { token: caller })],
      ['GET one', (t, caller, own) => t.api.get(`${ADMIN_PEOPLE}/${own.person.id}`, { token: caller })],
      ['PATCH', (t, caller, own) => t.api.patch(`${ADMIN_PEOPLE}/${own.person.id}`, { token: caller, body: { name: 'Renamed' } })],
      ['DELETE', (t, caller, own) => t.api.delete(`${ADMIN_PEOPLE}/${own.person.id}`, { token: caller })],
    ])('gets 403 FORBIDDEN on %s and nothing is written', async (_method, call) => {
      const before = await snapshotBusiness(t.db, a.biz);
      expectForbidden(await call(t, a.user, a, b));
      expect(await snapshotBusiness(t.db, a.biz)).toEqual(before);
    });

    it('gets 403 even with the business in its biz claim', async () => {
      const withBiz = await token({ roles: ['user'], biz: [a.biz] });
      expectForbidden(await t.api.get(`${ADMIN_PEOPLE}/${a.person.id}`, { token: withBiz }));
    });
  });
});
