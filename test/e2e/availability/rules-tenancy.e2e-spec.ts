import { createRule, createTenant, RuleJson, Tenant, weeklyBody } from '../../factories/catalogue';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import { ADMIN_RULES, Page, snapshotBusiness } from '../people/people-helpers';
import { expectProblem } from '../../utils/problem';

interface Side extends Tenant {
  rule: RuleJson;
}

describe('availability rules: roles and tenancy on /v1/admin/availability-rules', () => {
  let t: TestApp;
  let a: Side;
  let b: Side;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function side(): Promise<Side> {
    const tenant = await createTenant(t);
    return { ...tenant, rule: await createRule(t, tenant.admin, weeklyBody(tenant.person.id)) };
  }

  beforeEach(async () => {
    a = await side();
    b = await side();
  });

  describe('an admin of business A, on business B', () => {

    it.each<[string, (other: Side) => Record<string, unknown>]>([
      ['a weekly rule', (other) => weeklyBody(other.person.id, { weekdays: [2] })],
      ['a blackout', (other) => ({ personId: other.person.id, kind: 'blackout', startDate: '2027-01-01', endDate: '2027-01-02' })],
    ])('cannot create %s on B\'s person: 404, nothing written anywhere', async (_label, body) => {
      const beforeA = await snapshotBusiness(t.db, a.biz);
      const beforeB = await snapshotBusiness(t.db, b.biz);
      expectProblem(await t.api.post(ADMIN_RULES, { token: a.admin, body: body(b) }), 'NOT_FOUND', 'The person was not found.');
      expect(await snapshotBusiness(t.db, a.biz)).toEqual(beforeA);
      expect(await snapshotBusiness(t.db, b.biz)).toEqual(beforeB);
    });

    it('does not see B\'s rules in the list, whatever the filter', async () => {
      const all = await t.api.get(ADMIN_RULES, { token: a.admin });
      expect(all.status).toBe(200);
      expect((all.body as Page<RuleJson>).data.map((r) => r.id)).toEqual([a.rule.id]);

      for (const query of [`personId=${b.person.id}`, `locationId=${b.locationId}`, `personId=${b.person.id}&active=true`]) {
        const res = await t.api.get(`${ADMIN_RULES}?${query}`, { token: a.admin });
        expect({ query, status: res.status, body: res.body as unknown }).toEqual({ query, status: 200, body: { data: [], nextCursor: null } });
      }
    });

    it('a superadmin sees B\'s rule (the data is there)', async () => {
      const superadmin = await token({ roles: ['superadmin'] });
      const res = await t.api.get(`${ADMIN_RULES}/${b.rule.id}`, { token: superadmin });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(b.rule);
    });
  });

  describe('a viewer of business A', () => {
    it('may GET and list A\'s rules', async () => {
      const one = await t.api.get(`${ADMIN_RULES}/${a.rule.id}`, { token: a.viewer });
      expect(one.status).toBe(200);
      expect(one.body).toEqual(a.rule);
      const list = await t.api.get(`${ADMIN_RULES}?personId=${a.person.id}`, { token: a.viewer });
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ data: [a.rule], nextCursor: null });
    });
  });
});
