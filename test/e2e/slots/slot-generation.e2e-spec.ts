import { countRows, createBusiness, locationBody } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';

const GENERATE = '/v1/admin/slot-generations';
const RULES = '/v1/admin/availability-rules';

describe('POST /v1/admin/slot-generations', () => {
  let t: TestApp;
  let admin: string;
  let locationId: string;
  let personId: string;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function setUp(timezone = 'Asia/Dubai'): Promise<void> {
    const biz = await createBusiness(t.db);
    admin = await token({ roles: ['admin'], biz: [biz] });
    const location = await t.api.post('/v1/admin/locations', { token: admin, body: locationBody(biz, { timezone }) });
    locationId = location.body.id;
    const person = await t.api.post('/v1/admin/people', { token: admin, body: { locationId, name: 'Rana' } });
    personId = person.body.id;
  }

  const addRule = async (body: Record<string, unknown>): Promise<string> => {
    const res = await t.api.post(RULES, { token: admin, body: { personId, ...body } });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const generate = (from: string, to: string, extra: Record<string, unknown> = {}) =>
    t.api.post(GENERATE, { token: admin, body: { locationId, from, to, ...extra } });
  const liveSlots = async (): Promise<{ starts_at: Date; ends_at: Date; local_start: string; capacity: number; status: string }[]> =>
    t.db.query(
      `SELECT starts_at, ends_at, local_start, capacity, status FROM scheduler.slot_instances
        WHERE person_id = $1 AND status <> 'retired' ORDER BY starts_at`,
      [personId],
    );

  beforeEach(() => setUp());

  it('materialises the weekly windows in the location zone, and a second run changes nothing', async () => {
    // Mondays 09:00–11:00 Dubai (UTC+4), 30-minute slots with a 10-minute buffer.
    await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '11:00', slotMinutes: 30, bufferMinutes: 10, capacity: 3 });
    const first = await generate('2027-01-04', '2027-01-17');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ created: 6, updated: 0, retired: 0, unchanged: 0, conflicts: [] });
    const slots = await liveSlots();
    expect(slots.map((s) => [s.starts_at.toISOString(), s.ends_at.toISOString(), s.local_start])).toEqual([
      ['2027-01-04T05:00:00.000Z', '2027-01-04T05:30:00.000Z', '2027-01-04T09:00'],
      ['2027-01-04T05:40:00.000Z', '2027-01-04T06:10:00.000Z', '2027-01-04T09:40'],
      ['2027-01-04T06:20:00.000Z', '2027-01-04T06:50:00.000Z', '2027-01-04T10:20'],
      ['2027-01-11T05:00:00.000Z', '2027-01-11T05:30:00.000Z', '2027-01-11T09:00'],
      ['2027-01-11T05:40:00.000Z', '2027-01-11T06:10:00.000Z', '2027-01-11T09:40'],
      ['2027-01-11T06:20:00.000Z', '2027-01-11T06:50:00.000Z', '2027-01-11T10:20'],
    ]);
    expect(new Set(slots.map((s) => s.capacity))).toEqual(new Set([3]));

    const second = await generate('2027-01-04', '2027-01-17');
    expect(second.body).toEqual({ created: 0, updated: 0, retired: 0, unchanged: 6, conflicts: [] });
  });

  it('applies rule changes: retires what the rules no longer produce, creates what is new, resizes in place', async () => {
    const ruleId = await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '11:00', slotMinutes: 60 });
    await generate('2027-01-04', '2027-01-04');
    const patched = await t.api.patch(`${RULES}/${ruleId}`, { token: admin, body: { startTime: '10:00', endTime: '12:00', capacity: 2 } });
    expect(patched.status).toBe(200);
    const report = await generate('2027-01-04', '2027-01-04');
    expect(report.body).toEqual({ created: 1, updated: 1, retired: 1, unchanged: 0, conflicts: [] });
    expect((await liveSlots()).map((s) => [s.local_start, s.capacity])).toEqual([
      ['2027-01-04T10:00', 2],
      ['2027-01-04T11:00', 2],
    ]);
    expect(await countRows(t.db, 'scheduler.slot_instances', "person_id = $1 AND status = 'retired'", [personId])).toBe(1);
  });

  it('reopens a retired slot that the rules produce again, and never reopens a blocked one', async () => {
    const ruleId = await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '11:00', slotMinutes: 60 });
    await generate('2027-01-04', '2027-01-04');
    const [first] = await t.db.query(`SELECT id FROM scheduler.slot_instances WHERE person_id = $1 ORDER BY starts_at LIMIT 1`, [personId]);
    const blocked = await t.api.patch(`/v1/admin/slots/${first.id}`, { token: admin, body: { status: 'blocked' } });
    expect(blocked.status).toBe(200);

    await t.api.delete(`${RULES}/${ruleId}`, { token: admin });
    expect((await generate('2027-01-04', '2027-01-04')).body).toMatchObject({ created: 0, retired: 2 });
    await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '11:00', slotMinutes: 60 });
    expect((await generate('2027-01-04', '2027-01-04')).body).toMatchObject({ created: 0, updated: 2, retired: 0 });
    expect((await liveSlots()).map((s) => s.status)).toEqual(['open', 'open']);

    // Blocked and still produced: generation leaves it blocked.
    await t.api.patch(`/v1/admin/slots/${first.id}`, { token: admin, body: { status: 'blocked' } });
    await t.api.post(RULES, { token: admin, body: { personId, kind: 'override', date: '2027-01-04', startTime: '09:00', endTime: '11:00', slotMinutes: 60, capacity: 4 } });
    expect((await generate('2027-01-04', '2027-01-04')).body).toMatchObject({ updated: 2 });
    expect((await liveSlots()).map((s) => [s.status, s.capacity])).toEqual([
      ['blocked', 4],
      ['open', 4],
    ]);
  });

  it('follows DST: no slot in the spring-forward gap, instants exact around it (Europe/London)', async () => {
    await setUp('Europe/London');
    await addRule({ kind: 'weekly', weekdays: [7], startTime: '00:00', endTime: '03:00', slotMinutes: 60 });
    expect((await generate('2027-03-28', '2027-03-28')).body).toMatchObject({ created: 2 });
    expect((await liveSlots()).map((s) => [s.starts_at.toISOString(), s.local_start])).toEqual([
      ['2027-03-28T00:00:00.000Z', '2027-03-28T00:00'],
      ['2027-03-28T01:00:00.000Z', '2027-03-28T02:00'],
    ]);
  });

  it('leaves the people it was not asked about alone', async () => {
    await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '10:00', slotMinutes: 30 });
    const other = await t.api.post('/v1/admin/people', { token: admin, body: { locationId, name: 'Other' } });
    await t.api.post(RULES, { token: admin, body: { personId: other.body.id, kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '10:00', slotMinutes: 30 } });
    expect((await generate('2027-01-04', '2027-01-04', { personIds: [other.body.id] })).body).toMatchObject({ created: 2 });
    expect(await countRows(t.db, 'scheduler.slot_instances', 'person_id = $1', [personId])).toBe(0);
  });

  it('retires the slots of a deleted person', async () => {
    await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '10:00', slotMinutes: 30 });
    await generate('2027-01-04', '2027-01-04');
    await t.api.delete(`/v1/admin/people/${personId}`, { token: admin });
    expect((await generate('2027-01-04', '2027-01-04')).body).toMatchObject({ retired: 2 });
  });

  it('serialises concurrent runs for one location: no duplicates, no deadlock', async () => {
    await addRule({ kind: 'weekly', weekdays: [1, 2, 3, 4, 5], startTime: '08:00', endTime: '18:00', slotMinutes: 20 });
    const runs = await Promise.all(Array.from({ length: 4 }, () => generate('2027-02-01', '2027-02-28')));
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const created = runs.map((r) => r.body.created as number);
    expect(created.reduce((a, b) => a + b, 0)).toBe(20 * 30);
    expect(created.filter((n) => n > 0)).toHaveLength(1);
    expect(await countRows(t.db, 'scheduler.slot_instances', 'person_id = $1', [personId])).toBe(600);
  });

  it('is guarded by PostgreSQL: an overlapping live slot for the same person cannot be inserted', async () => {
    await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '10:00', slotMinutes: 60 });
    await generate('2027-01-04', '2027-01-04');
    const [slot] = await t.db.query(`SELECT biz_entity_id, location_id FROM scheduler.slot_instances WHERE person_id = $1`, [personId]);
    await expect(
      t.db.query(
        `INSERT INTO scheduler.slot_instances (biz_entity_id, location_id, person_id, starts_at, ends_at, local_start, capacity)
         VALUES ($1, $2, $3, '2027-01-04T05:30:00Z', '2027-01-04T06:30:00Z', '2027-01-04T09:30', 1)`,
        [slot.biz_entity_id, slot.location_id, personId],
      ),
    ).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23P01' }) });
  });
});
