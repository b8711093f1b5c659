import { createTenant, PersonJson, Tenant } from '../../factories/catalogue';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import { ADMIN_PEOPLE, Page, snapshotBusiness } from './people-helpers';
import { expectProblem } from '../../utils/problem';

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
    it('cannot create a person on B\'s location: 404, nothing written anywhere', async () => {
      const beforeA = await snapshotBusiness(t.db, a.biz);
      const beforeB = await snapshotBusiness(t.db, b.biz);
      const res = await t.api.post(ADMIN_PEOPLE, { token: a.admin, body: { locationId: b.locationId, name: 'Intruder' } });
      expectProblem(res, 'NOT_FOUND', 'The location was not found.');
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
  });
});
