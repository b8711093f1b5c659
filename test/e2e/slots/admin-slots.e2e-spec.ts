import { countRows } from '../../factories/factories';
import { startTestApp, TestApp } from '../../utils/test-app';
import { createLocation, createPerson, createRule, createTenant, generateSlots, Tenant } from '../../factories/catalogue';
import { ADMIN_RULES, ADMIN_SLOTS, backdateSlot, GENERATE, inSlotOrder, listSlots, MONDAY_MORNINGS, SlotJson, SlotPage, slotRow, slotRowsOfPerson, SLOTS_TENANT, TWO_WEEKS, UNKNOWN_ID } from './admin-slots-helpers';
import { expectProblem } from '../../utils/problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('admin slots', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A fresh business with one Dubai location and one person who works Monday mornings, generated for two weeks. */
  async function generatedTenant(): Promise<Tenant> {
    const tenant = await createTenant(t, SLOTS_TENANT);
    await createRule(t, tenant.admin, { personId: tenant.personId, ...MONDAY_MORNINGS, capacity: 3 });
    expect(await generateSlots(t, tenant.admin, tenant.locationId, TWO_WEEKS)).toEqual({ created: 4, updated: 0, retired: 0, unchanged: 0, conflicts: [], skipped: [] });
    return tenant;
  }

  describe('GET /v1/admin/slots', () => {
    it('shows the generated slots with their zone, local start and counts, in start order', async () => {
      const tenant = await generatedTenant();
      const res = await t.api.get(`${ADMIN_SLOTS}?locationId=${tenant.locationId}`, { token: tenant.admin });
      expect(res.status).toBe(200);
      const page = res.body as SlotPage;
      const rows = await slotRowsOfPerson(t.db, tenant.personId);
      expect(rows).toHaveLength(4);
      const common = { locationId: tenant.locationId, personId: tenant.personId, personName: 'Rana', timezone: 'Asia/Dubai', capacity: 3, booked: 0, remaining: 3, status: 'open' };
      expect(page).toEqual({
        data: [
          { id: rows[0].id, startsAt: '2027-01-04T05:00:00.000Z', endsAt: '2027-01-04T06:00:00.000Z', localStart: '2027-01-04T09:00', ...common },
          { id: rows[1].id, startsAt: '2027-01-04T06:00:00.000Z', endsAt: '2027-01-04T07:00:00.000Z', localStart: '2027-01-04T10:00', ...common },
          { id: rows[2].id, startsAt: '2027-01-11T05:00:00.000Z', endsAt: '2027-01-11T06:00:00.000Z', localStart: '2027-01-11T09:00', ...common },
          { id: rows[3].id, startsAt: '2027-01-11T06:00:00.000Z', endsAt: '2027-01-11T07:00:00.000Z', localStart: '2027-01-11T10:00', ...common },
        ],
        nextCursor: null,
      });
      // What the API shows is what the rows say.
      expect(page.data.map((s) => [s.id, s.startsAt, s.endsAt, s.localStart, s.capacity, s.status])).toEqual(
        rows.map((r) => [r.id, r.starts_at, r.ends_at, r.local_start, r.capacity, r.status]),
      );
      expect(page.data.every((s) => UUID.test(s.id))).toBe(true);
    });

    it('is open to a viewer and lists the whole business when no filter is given', async () => {
      const tenant = await generatedTenant();
      const second = (await createLocation(t, tenant.admin, tenant.biz, { timezone: 'Europe/London' })).id;
      const omar = (await createPerson(t, tenant.admin, { locationId: second, name: 'Omar' })).id;
      await createRule(t, tenant.admin, { personId: omar, ...MONDAY_MORNINGS, endTime: '10:00' });
      expect(await generateSlots(t, tenant.admin, second, TWO_WEEKS)).toMatchObject({ created: 2 });

      const page = await listSlots(t, tenant.viewer);
      expect(page.nextCursor).toBeNull();
      expect(page.data).toHaveLength(6);
      expect(page.data).toEqual(inSlotOrder(page.data));
      const london = page.data.filter((s) => s.locationId === second);
      expect(london.map((s) => [s.personId, s.startsAt, s.localStart, s.timezone, s.capacity, s.remaining])).toEqual([
        [omar, '2027-01-04T09:00:00.000Z', '2027-01-04T09:00', 'Europe/London', 1, 1],
        [omar, '2027-01-11T09:00:00.000Z', '2027-01-11T09:00', 'Europe/London', 1, 1],
      ]);
    });

    it('filters by locationId', async () => {
      const tenant = await generatedTenant();
      const second = (await createLocation(t, tenant.admin, tenant.biz, { timezone: 'Asia/Dubai' })).id;
      const omar = (await createPerson(t, tenant.admin, { locationId: second, name: 'Omar' })).id;
      await createRule(t, tenant.admin, { personId: omar, ...MONDAY_MORNINGS });
      await generateSlots(t, tenant.admin, second, TWO_WEEKS);

      const first = await listSlots(t, tenant.admin, `locationId=${tenant.locationId}`);
      expect(first.data).toHaveLength(4);
      expect(new Set(first.data.map((s) => s.locationId))).toEqual(new Set([tenant.locationId]));
      const other = await listSlots(t, tenant.admin, `locationId=${second}`);
      expect(other.data.map((s) => [s.personId, s.localStart])).toEqual([
        [omar, '2027-01-04T09:00'],
        [omar, '2027-01-04T10:00'],
        [omar, '2027-01-11T09:00'],
        [omar, '2027-01-11T10:00'],
      ]);
      expect(await listSlots(t, tenant.admin, `locationId=${UNKNOWN_ID}`)).toEqual({ data: [], nextCursor: null });
    });

    it('filters by personId', async () => {
      const tenant = await generatedTenant();
      const omar = (await createPerson(t, tenant.admin, { locationId: tenant.locationId, name: 'Omar' })).id;
      await createRule(t, tenant.admin, { personId: omar, ...MONDAY_MORNINGS, startTime: '12:00', endTime: '13:00' });
      expect(await generateSlots(t, tenant.admin, tenant.locationId, TWO_WEEKS)).toMatchObject({ created: 2, unchanged: 4 });

      const omars = await listSlots(t, tenant.admin, `personId=${omar}`);
      expect(omars.data.map((s) => [s.personId, s.localStart])).toEqual([
        [omar, '2027-01-04T12:00'],
        [omar, '2027-01-11T12:00'],
      ]);
      const ranas = await listSlots(t, tenant.admin, `locationId=${tenant.locationId}&personId=${tenant.personId}`);
      expect(ranas.data).toHaveLength(4);
      expect(new Set(ranas.data.map((s) => s.personId))).toEqual(new Set([tenant.personId]));
      expect((await listSlots(t, tenant.admin, `locationId=${tenant.locationId}`)).data).toHaveLength(6);
    });

    it('filters by status after a slot is blocked, and shows retired slots only when asked', async () => {
      const tenant = await generatedTenant();
      const [, second] = await slotRowsOfPerson(t.db, tenant.personId);
      const blocked = await t.api.patch(`${ADMIN_SLOTS}/${second.id}`, { token: tenant.admin, body: { status: 'blocked' } });
      expect(blocked.status).toBe(200);

      const onlyBlocked = await listSlots(t, tenant.admin, `locationId=${tenant.locationId}&status=blocked`);
      expect(onlyBlocked.data.map((s) => [s.id, s.status])).toEqual([[second.id, 'blocked']]);
      const open = await listSlots(t, tenant.admin, `locationId=${tenant.locationId}&status=open`);
      expect(open.data).toHaveLength(3);
      expect(open.data.map((s) => s.id)).not.toContain(second.id);
      expect(new Set(open.data.map((s) => s.status))).toEqual(new Set(['open']));
      expect(await listSlots(t, tenant.admin, `locationId=${tenant.locationId}&status=retired`)).toEqual({ data: [], nextCursor: null });

      // Only the 09:00 slots remain: the 10:00 ones retire (the blocked one included).
      const [ruleId] = (await t.db.query(`SELECT id FROM scheduler.availability_rules WHERE person_id = $1`, [tenant.personId])) as { id: string }[];
      expect((await t.api.patch(`${ADMIN_RULES}/${ruleId.id}`, { token: tenant.admin, body: { endTime: '10:00' } })).status).toBe(200);
      expect(await generateSlots(t, tenant.admin, tenant.locationId, TWO_WEEKS)).toMatchObject({ retired: 2, unchanged: 2 });
      const retired = await listSlots(t, tenant.admin, `locationId=${tenant.locationId}&status=retired`);
      expect(retired.data.map((s) => [s.localStart, s.status])).toEqual([
        ['2027-01-04T10:00', 'retired'],
        ['2027-01-11T10:00', 'retired'],
      ]);
      expect((await listSlots(t, tenant.admin, `locationId=${tenant.locationId}&status=blocked`)).data).toEqual([]);
      // Without a status filter every slot shows, retired ones included.
      expect((await listSlots(t, tenant.admin, `locationId=${tenant.locationId}`)).data.map((s) => s.status)).toEqual([
        'open',
        'retired',
        'open',
        'retired',
      ]);
    });

    it('selects by start in [from, to): from is inclusive, to exclusive, either may be given alone', async () => {
      const tenant = await generatedTenant();
      const all = (await listSlots(t, tenant.admin, `locationId=${tenant.locationId}`)).data;
      const starts = all.map((s) => s.startsAt);
      const loc = `locationId=${tenant.locationId}`;
      const startsOf = async (query: string): Promise<string[]> => (await listSlots(t, tenant.admin, `${loc}&${query}`)).data.map((s) => s.startsAt);

      expect(await startsOf(`from=${starts[1]}&to=${starts[3]}`)).toEqual([starts[1], starts[2]]);
      // A slot running across `from` is not selected: selection is by start.
      expect(await startsOf('from=2027-01-04T05:30:00.000Z&to=2027-01-11T06:00:00.000Z')).toEqual([starts[1], starts[2]]);
      expect(await startsOf('from=2027-01-11T05:00:00Z')).toEqual([starts[2], starts[3]]);
      expect(await startsOf('to=2027-01-04T06:00:00.001Z')).toEqual([starts[0], starts[1]]);
      expect(await startsOf('from=2027-01-04T05:00Z&to=2027-01-04T05:00Z')).toEqual([]);
      expect(await startsOf('from=2027-01-12T00:00:00.000Z')).toEqual([]);
    });

    it('pages with limit=2 in start order, and nextCursor is null on the last page', async () => {
      const tenant = await createTenant(t, SLOTS_TENANT);
      // Rana at 09:00 and 10:00, Omar at 09:30 and 10:30: the pages interleave the two people.
      const omar = (await createPerson(t, tenant.admin, { locationId: tenant.locationId, name: 'Omar' })).id;
      await createRule(t, tenant.admin, { personId: tenant.personId, ...MONDAY_MORNINGS });
      await createRule(t, tenant.admin, { personId: omar, ...MONDAY_MORNINGS, startTime: '09:30', endTime: '11:30' });
      expect(await generateSlots(t, tenant.admin, tenant.locationId, TWO_WEEKS)).toMatchObject({ created: 8 });

      const pages: SlotPage[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `locationId=${tenant.locationId}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await listSlots(t, tenant.admin, query);
        pages.push(page);
        cursor = page.nextCursor;
      } while (cursor && pages.length < 10);

      expect(pages.map((p) => p.data.length)).toEqual([2, 2, 2, 2]);
      expect(pages.slice(0, 3).every((p) => typeof p.nextCursor === 'string' && p.nextCursor.length > 0)).toBe(true);
      expect(pages[3].nextCursor).toBeNull();
      const seen = pages.flatMap((p) => p.data);
      expect(seen.map((s) => [s.personId, s.localStart])).toEqual([
        [tenant.personId, '2027-01-04T09:00'],
        [omar, '2027-01-04T09:30'],
        [tenant.personId, '2027-01-04T10:00'],
        [omar, '2027-01-04T10:30'],
        [tenant.personId, '2027-01-11T09:00'],
        [omar, '2027-01-11T09:30'],
        [tenant.personId, '2027-01-11T10:00'],
        [omar, '2027-01-11T10:30'],
      ]);
      expect(new Set(seen.map((s) => s.id)).size).toBe(8);
    });

    it('pages through slots that start at the same instant by id, without losing or repeating one', async () => {
      const tenant = await createTenant(t, SLOTS_TENANT);
      const people = [tenant.personId];
      for (const name of ['Omar', 'Lina']) people.push((await createPerson(t, tenant.admin, { locationId: tenant.locationId, name })).id);
      for (const personId of people) await createRule(t, tenant.admin, { personId, ...MONDAY_MORNINGS });
      expect(await generateSlots(t, tenant.admin, tenant.locationId, TWO_WEEKS)).toMatchObject({ created: 12 });

      const seen: SlotJson[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await listSlots(t, tenant.admin, `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        seen.push(...page.data);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 20);
      expect(pages).toBe(6);
      expect(seen).toHaveLength(12);
      expect(seen).toEqual(inSlotOrder(seen));
      expect(new Set(seen.map((s) => s.id)).size).toBe(12);
      // One page of 12 says the same.
      expect((await listSlots(t, tenant.admin, 'limit=12')).data).toEqual(seen);
      expect((await listSlots(t, tenant.admin, 'limit=11')).nextCursor).toEqual(expect.any(String));
    });
  });

  describe('PATCH /v1/admin/slots/{id}', () => {
    it('blocks a slot, and reopens it', async () => {
      const tenant = await generatedTenant();
      const [slot] = await slotRowsOfPerson(t.db, tenant.personId);
      await backdateSlot(t.db, slot.id);
      const before = await slotRow(t.db, slot.id);

      const blocked = await t.api.patch(`${ADMIN_SLOTS}/${slot.id}`, { token: tenant.admin, body: { status: 'blocked' } });
      expect(blocked.status).toBe(200);
      expect(blocked.body).toEqual({
        id: slot.id,
        locationId: tenant.locationId,
        personId: tenant.personId,
        personName: 'Rana',
        startsAt: '2027-01-04T05:00:00.000Z',
        endsAt: '2027-01-04T06:00:00.000Z',
        localStart: '2027-01-04T09:00',
        timezone: 'Asia/Dubai',
        capacity: 3,
        booked: 0,
        remaining: 3,
        status: 'blocked',
      });
      const afterBlock = await slotRow(t.db, slot.id);
      expect(afterBlock).toEqual({ ...before, status: 'blocked', updated_at: expect.any(String) });
      expect(afterBlock!.updated_at > before!.updated_at).toBe(true);

      const reopened = await t.api.patch(`${ADMIN_SLOTS}/${slot.id}`, { token: tenant.admin, body: { status: 'open' } });
      expect(reopened.status).toBe(200);
      expect(reopened.body).toEqual({ ...(blocked.body as SlotJson), status: 'open' });
      expect(await slotRow(t.db, slot.id)).toEqual({ ...before, updated_at: expect.any(String) });
      // The other slots were not touched.
      expect((await slotRowsOfPerson(t.db, tenant.personId)).map((r) => r.status)).toEqual(['open', 'open', 'open', 'open']);
    });

    it('resizes a slot: the new capacity and remaining show in the list, and the row says so', async () => {
      const tenant = await generatedTenant();
      const [, slot] = await slotRowsOfPerson(t.db, tenant.personId);
      const res = await t.api.patch(`${ADMIN_SLOTS}/${slot.id}`, { token: tenant.admin, body: { capacity: 7 } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: slot.id, capacity: 7, booked: 0, remaining: 7, status: 'open' });
      expect(await slotRow(t.db, slot.id)).toMatchObject({ capacity: 7, status: 'open' });

      const listed = await listSlots(t, tenant.admin, `locationId=${tenant.locationId}`);
      expect(listed.data.map((s) => [s.id, s.capacity, s.remaining])).toEqual([
        [expect.any(String), 3, 3],
        [slot.id, 7, 7],
        [expect.any(String), 3, 3],
        [expect.any(String), 3, 3],
      ]);
    });

    it('applies status and capacity together, at the boundaries 1 and 10000', async () => {
      const tenant = await generatedTenant();
      const [slot] = await slotRowsOfPerson(t.db, tenant.personId);
      const one = await t.api.patch(`${ADMIN_SLOTS}/${slot.id}`, { token: tenant.admin, body: { status: 'blocked', capacity: 1 } });
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ status: 'blocked', capacity: 1, remaining: 1 });
      const max = await t.api.patch(`${ADMIN_SLOTS}/${slot.id}`, { token: tenant.admin, body: { capacity: 10000 } });
      expect(max.status).toBe(200);
      expect(max.body).toMatchObject({ status: 'blocked', capacity: 10000, remaining: 10000 });
      expect(await slotRow(t.db, slot.id)).toMatchObject({ status: 'blocked', capacity: 10000 });
    });

    it('answers an empty body with the slot as it is, and changes nothing', async () => {
      const tenant = await generatedTenant();
      const [slot] = await slotRowsOfPerson(t.db, tenant.personId);
      const before = await slotRow(t.db, slot.id);
      const res = await t.api.patch(`${ADMIN_SLOTS}/${slot.id}`, { token: tenant.admin, body: {} });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: slot.id, status: 'open', capacity: 3 });
      expect(await slotRow(t.db, slot.id)).toEqual({ ...before, updated_at: expect.any(String) });
    });

    it('refuses a retired slot with 409 SLOT_UNAVAILABLE and leaves the row unchanged', async () => {
      const tenant = await generatedTenant();
      const [ruleId] = (await t.db.query(`SELECT id FROM scheduler.availability_rules WHERE person_id = $1`, [tenant.personId])) as { id: string }[];
      expect((await t.api.delete(`${ADMIN_RULES}/${ruleId.id}`, { token: tenant.admin })).status).toBe(204);
      expect(await generateSlots(t, tenant.admin, tenant.locationId, TWO_WEEKS)).toEqual({ created: 0, updated: 0, retired: 4, unchanged: 0, conflicts: [], skipped: [] });
      const [slot] = await slotRowsOfPerson(t.db, tenant.personId);
      expect(slot.status).toBe('retired');

      for (const body of [{ status: 'open' }, { status: 'blocked' }, { capacity: 2 }, {}]) {
        const before = await slotRow(t.db, slot.id);
        const res = await t.api.patch(`${ADMIN_SLOTS}/${slot.id}`, { token: tenant.admin, body });
        expectProblem(res, 'SLOT_UNAVAILABLE');
        expect(await slotRow(t.db, slot.id)).toEqual(before);
      }
      expect(await countRows(t.db, 'scheduler.slot_instances', "person_id = $1 AND status <> 'retired'", [tenant.personId])).toBe(0);
    });

    it('answers 404 NOT_FOUND for a slot that does not exist', async () => {
      const tenant = await generatedTenant();
      const res = await t.api.patch(`${ADMIN_SLOTS}/${UNKNOWN_ID}`, { token: tenant.admin, body: { status: 'blocked' } });
      expectProblem(res, 'NOT_FOUND');
      expect(await countRows(t.db, 'scheduler.slot_instances', "biz_entity_id = $1 AND status <> 'open'", [tenant.biz])).toBe(0);
    });
  });

  describe('POST /v1/admin/slot-generations: range limits', () => {
    it('accepts exactly 366 days (2027-01-01..2028-01-01) and generates every Monday in it', async () => {
      const tenant = await createTenant(t, SLOTS_TENANT);
      await createRule(t, tenant.admin, { personId: tenant.personId, ...MONDAY_MORNINGS });
      const res = await t.api.post(GENERATE, { token: tenant.admin, body: { locationId: tenant.locationId, from: '2027-01-01', to: '2028-01-01' } });
      expect(res.status).toBe(200);
      // 2027 has 52 Mondays (Jan 4 .. Dec 27), two slots each.
      expect(res.body).toEqual({ created: 104, updated: 0, retired: 0, unchanged: 0, conflicts: [], skipped: [] });
      const rows = await slotRowsOfPerson(t.db, tenant.personId);
      expect(rows).toHaveLength(104);
      expect([rows[0].local_start, rows[103].local_start]).toEqual(['2027-01-04T09:00', '2027-12-27T10:00']);
    });

    it('accepts a whole leap year (366 days) and a single day', async () => {
      const tenant = await createTenant(t, SLOTS_TENANT);
      await createRule(t, tenant.admin, { personId: tenant.personId, ...MONDAY_MORNINGS });
      const leap = await t.api.post(GENERATE, { token: tenant.admin, body: { locationId: tenant.locationId, from: '2028-01-01', to: '2028-12-31' } });
      expect(leap.status).toBe(200);
      // 2028 has 52 Mondays (Jan 3 .. Dec 25).
      expect(leap.body).toMatchObject({ created: 104 });
      const day = await t.api.post(GENERATE, { token: tenant.admin, body: { locationId: tenant.locationId, from: '2027-01-04', to: '2027-01-04' } });
      expect(day.status).toBe(200);
      expect(day.body).toEqual({ created: 2, updated: 0, retired: 0, unchanged: 0, conflicts: [], skipped: [] });
      expect(await countRows(t.db, 'scheduler.slot_instances', 'person_id = $1', [tenant.personId])).toBe(106);
    });
  });
});
