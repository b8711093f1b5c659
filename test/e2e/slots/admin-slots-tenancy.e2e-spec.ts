import { countRows } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import { createRule, createTenant, generateSlots, Tenant } from '../../factories/catalogue';
import { ADMIN_SLOTS, GENERATE, listSlots, MONDAY_MORNINGS, SlotPage, slotRowsOfBusiness, slotRowsOfPerson, SLOTS_TENANT, TWO_WEEKS } from './admin-slots-helpers';
import { expectProblem } from '../../utils/problem';

describe('admin slots: roles and tenancy', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A business whose one person works Monday mornings; `generated` says whether its slots exist yet. */
  async function business(generated: boolean): Promise<{ tenant: Tenant; slotId: string }> {
    const tenant = await createTenant(t, SLOTS_TENANT);
    await createRule(t, tenant.admin, { personId: tenant.personId, ...MONDAY_MORNINGS });
    if (!generated) return { tenant, slotId: '' };
    await generateSlots(t, tenant.admin, tenant.locationId, TWO_WEEKS);
    const [slot] = await slotRowsOfPerson(t.db, tenant.personId);
    return { tenant, slotId: slot.id };
  }

  describe('an admin of business A, on business B', () => {
    it('gets 404 NOT_FOUND generating for B\'s location, and nothing is written for B', async () => {
      const { tenant: a } = await business(true);
      const { tenant: b } = await business(false);
      const res = await t.api.post(GENERATE, { token: a.admin, body: { locationId: b.locationId, ...TWO_WEEKS } });
      expectProblem(res, 'NOT_FOUND');
      expect(await countRows(t.db, 'scheduler.slot_instances', 'location_id = $1', [b.locationId])).toBe(0);
      expect(await countRows(t.db, 'scheduler.slot_instances', 'biz_entity_id = $1', [b.biz])).toBe(0);
      // Naming B's person as well changes nothing.
      const withPerson = await t.api.post(GENERATE, { token: a.admin, body: { locationId: b.locationId, personIds: [b.personId], ...TWO_WEEKS } });
      expectProblem(withPerson, 'NOT_FOUND');
      expect(await countRows(t.db, 'scheduler.slot_instances', 'biz_entity_id = $1', [b.biz])).toBe(0);
      // B's own admin may: the 404 above is about tenancy.
      expect(await generateSlots(t, b.admin, b.locationId, TWO_WEEKS)).toMatchObject({ created: 4 });
    });

    it('gets 404 NOT_FOUND naming B\'s person on A\'s own location, and nothing is written', async () => {
      const { tenant: a } = await business(false);
      const { tenant: b } = await business(false);
      const res = await t.api.post(GENERATE, { token: a.admin, body: { locationId: a.locationId, personIds: [b.personId], ...TWO_WEEKS } });
      expectProblem(res, 'NOT_FOUND');
      expect(await countRows(t.db, 'scheduler.slot_instances', 'biz_entity_id = ANY($1::uuid[])', [[a.biz, b.biz]])).toBe(0);
    });

    it('does not see B\'s slots in the list, even when filtering by B\'s location or person', async () => {
      const { tenant: a } = await business(true);
      const { tenant: b } = await business(true);
      const all = await listSlots(t, a.admin);
      expect(all.data).toHaveLength(4);
      expect(new Set(all.data.map((s) => s.locationId))).toEqual(new Set([a.locationId]));
      expect(await listSlots(t, a.admin, `locationId=${b.locationId}`)).toEqual({ data: [], nextCursor: null });
      expect(await listSlots(t, a.admin, `personId=${b.personId}`)).toEqual({ data: [], nextCursor: null });
      expect(await listSlots(t, a.viewer, `locationId=${b.locationId}`)).toEqual({ data: [], nextCursor: null });
      // B's admin sees them.
      expect((await listSlots(t, b.admin, `locationId=${b.locationId}`)).data).toHaveLength(4);
    });

    it('reaches B\'s slots when the token names both businesses', async () => {
      const { tenant: a } = await business(true);
      const { tenant: b, slotId } = await business(true);
      const both = await token({ roles: ['admin'], biz: [a.biz, b.biz] });
      expect((await listSlots(t, both)).data).toHaveLength(8);
      const res = await t.api.patch(`${ADMIN_SLOTS}/${slotId}`, { token: both, body: { status: 'blocked' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: slotId, locationId: b.locationId, status: 'blocked' });
    });
  });

  describe('a viewer of business A', () => {
    it('may list A\'s slots', async () => {
      const { tenant: a } = await business(true);
      const res = await t.api.get(`${ADMIN_SLOTS}?locationId=${a.locationId}`, { token: a.viewer });
      expect(res.status).toBe(200);
      const page = res.body as SlotPage;
      expect(page.nextCursor).toBeNull();
      expect(page.data.map((s) => s.localStart)).toEqual(['2027-01-04T09:00', '2027-01-04T10:00', '2027-01-11T09:00', '2027-01-11T10:00']);
    });
  });
});
