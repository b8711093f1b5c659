import type { Response } from 'supertest';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import {
  ADMIN_RULES,
  createRule,
  createTenant,
  expectForbidden,
  expectNotFound,
  Page,
  RuleJson,
  snapshotBusiness,
  Tenant,
} from '../people/people-helpers';
import { weeklyBody } from './rule-helpers';

interface Side extends Tenant {
  rule: RuleJson;
}

type Call = (t: TestApp, caller: string, own: Side, other: Side) => Promise<Response>;

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
    it.each<[string, Call]>([
      ['GET', (t, caller, _own, other) => t.api.get(`${ADMIN_RULES}/${other.rule.id}`, { token: caller })],
      ['PATCH', (t, caller, _own, other) => t.api.patch(`${ADMIN_RULES}/${other.rule.id}`, { token: caller, body: { startTime: '06:00' } })],
      ['PATCH validity', (t, caller, _own, other) => t.api.patch(`${ADMIN_RULES}/${other.rule.id}`, { token: caller, body: { validUntil: '2027-01-01' } })],
      ['DELETE', (t, caller, _own, other) => t.api.delete(`${ADMIN_RULES}/${other.rule.id}`, { token: caller })],
    ])('%s of B\'s rule answers 404 and leaves B unchanged', async (_method, call) => {
      const before = await snapshotBusiness(t.db, b.biz);
      expectNotFound(await call(t, a.admin, a, b), 'availability rule');
      expect(await snapshotBusiness(t.db, b.biz)).toEqual(before);
      // The same call by B's own admin works, so the 404 above is about tenancy.
      expect((await call(t, b.admin, b, b)).status).toBeLessThan(300);
    });

    it.each<[string, (other: Side) => Record<string, unknown>]>([
      ['a weekly rule', (other) => weeklyBody(other.person.id, { weekdays: [2] })],
      ['a blackout', (other) => ({ personId: other.person.id, kind: 'blackout', startDate: '2027-01-01', endDate: '2027-01-02' })],
    ])('cannot create %s on B\'s person: 404, nothing written anywhere', async (_label, body) => {
      const beforeA = await snapshotBusiness(t.db, a.biz);
      const beforeB = await snapshotBusiness(t.db, b.biz);
      expectNotFound(await t.api.post(ADMIN_RULES, { token: a.admin, body: body(b) }), 'person');
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

    it('gets 404 for B\'s rule', async () => {
      expectNotFound(await t.api.get(`${ADMIN_RULES}/${b.rule.id}`, { token: a.viewer }), 'availability rule');
    });

    it.each<[string, Call]>([
      ['POST', (t, caller, own) => t.api.post(ADMIN_RULES, { token: caller, body: weeklyBody(own.person.id, { weekdays: [2] }) })],
      ['PATCH', (t, caller, own) => t.api.patch(`${ADMIN_RULES}/${own.rule.id}`, { token: caller, body: { startTime: '06:00' } })],
      ['DELETE', (t, caller, own) => t.api.delete(`${ADMIN_RULES}/${own.rule.id}`, { token: caller })],
    ])('gets 403 FORBIDDEN on %s and nothing is written', async (_method, call) => {
      const before = await snapshotBusiness(t.db, a.biz);
      expectForbidden(await call(t, a.viewer, a, b));
      expect(await snapshotBusiness(t.db, a.biz)).toEqual(before);
    });
  });

  describe('a plain user', () => {
    it.each<[string, Call]>([
      ['POST', (t, caller, own) => t.api.post(ADMIN_RULES, { token: caller, body: weeklyBody(own.person.id, { weekdays: [2] }) })],
      ['GET list', (t, caller) => t.api.get(ADMIN_RULES, { token: caller })],
      ['GET one', (t, caller, own) => t.api.get(`${ADMIN_RULES}/${own.rule.id}`, { token: caller })],
      ['PATCH', (t, caller, own) => t.api.patch(`${ADMIN_RULES}/${own.rule.id}`, { token: caller, body: { startTime: '06:00' } })],
      ['DELETE', (t, caller, own) => t.api.delete(`${ADMIN_RULES}/${own.rule.id}`, { token: caller })],
    ])('gets 403 FORBIDDEN on %s and nothing is written', async (_method, call) => {
      const before = await snapshotBusiness(t.db, a.biz);
      expectForbidden(await call(t, a.user, a, b));
      expect(await snapshotBusiness(t.db, a.biz)).toEqual(before);
    });
  });
});
