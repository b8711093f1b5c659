import { createBusiness, countRows, locationBody } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';

const RULES = '/v1/admin/availability-rules';

describe('RULE_CONFLICT on /v1/admin/availability-rules', () => {
  let t: TestApp;
  let admin: string;
  let personId: string;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    const biz = await createBusiness(t.db);
    admin = await token({ roles: ['admin'], biz: [biz] });
    const location = await t.api.post('/v1/admin/locations', { token: admin, body: locationBody(biz) });
    const person = await t.api.post('/v1/admin/people', { token: admin, body: { locationId: location.body.id, name: 'Dana' } });
    expect(person.status).toBe(201);
    personId = person.body.id;
  });

  const weekly = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    personId,
    kind: 'weekly',
    weekdays: [1, 3],
    startTime: '09:00',
    endTime: '12:00',
    slotMinutes: 30,
    ...overrides,
  });

  it('refuses a weekly window that overlaps another on a shared weekday, naming it', async () => {
    const first = await t.api.post(RULES, { token: admin, body: weekly() });
    expect(first.status).toBe(201);
    const second = await t.api.post(RULES, { token: admin, body: weekly({ weekdays: [3, 5], startTime: '11:30', endTime: '13:00' }) });
    expect(second.status).toBe(422);
    expect(second.body).toEqual({
      type: 'urn:problem-type:scheduler:rule-conflict',
      title: 'The availability rule overlaps another rule.',
      status: 422,
      detail: 'The window overlaps 1 other rule(s) of this person on a shared date.',
      code: 'RULE_CONFLICT',
      conflictingRuleIds: [first.body.id],
    });
    expect(await countRows(t.db, 'scheduler.availability_rules', 'person_id = $1', [personId])).toBe(1);
  });

  it('accepts windows that touch, or overlap only outside each other\'s validity', async () => {
    expect((await t.api.post(RULES, { token: admin, body: weekly() })).status).toBe(201);
    expect((await t.api.post(RULES, { token: admin, body: weekly({ startTime: '12:00', endTime: '14:00' }) })).status).toBe(201);
    const bounded = weekly({ startTime: '08:00', endTime: '18:00', weekdays: [2] });
    expect((await t.api.post(RULES, { token: admin, body: { ...bounded, validUntil: '2027-01-31' } })).status).toBe(201);
    expect((await t.api.post(RULES, { token: admin, body: { ...bounded, validFrom: '2027-02-01' } })).status).toBe(201);
  });

  it('refuses overlapping override windows on one date, allows them on different dates', async () => {
    const override = { personId, kind: 'override', date: '2027-03-10', startTime: '10:00', endTime: '11:00', slotMinutes: 15 };
    const first = await t.api.post(RULES, { token: admin, body: override });
    expect(first.status).toBe(201);
    const clash = await t.api.post(RULES, { token: admin, body: { ...override, startTime: '10:45', endTime: '12:00' } });
    expect(clash.status).toBe(422);
    expect(clash.body.conflictingRuleIds).toEqual([first.body.id]);
    expect((await t.api.post(RULES, { token: admin, body: { ...override, date: '2027-03-11' } })).status).toBe(201);
  });

  it('checks PATCH too, and ignores deleted rules', async () => {
    const morning = await t.api.post(RULES, { token: admin, body: weekly() });
    const afternoon = await t.api.post(RULES, { token: admin, body: weekly({ startTime: '13:00', endTime: '17:00' }) });
    const widened = await t.api.patch(`${RULES}/${afternoon.body.id}`, { token: admin, body: { startTime: '11:00' } });
    expect(widened.status).toBe(422);
    expect(widened.body.conflictingRuleIds).toEqual([morning.body.id]);
    const [row] = await t.db.query('SELECT start_time FROM scheduler.availability_rules WHERE id = $1', [afternoon.body.id]);
    expect(row.start_time).toBe('13:00:00');

    expect((await t.api.delete(`${RULES}/${morning.body.id}`, { token: admin })).status).toBe(204);
    const after = await t.api.patch(`${RULES}/${afternoon.body.id}`, { token: admin, body: { startTime: '11:00' } });
    expect(after.status).toBe(200);
    expect(after.body.startTime).toBe('11:00');
  });

  it('lets exactly one of 20 concurrent conflicting creates through (the person row is locked)', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => t.api.post(RULES, { token: admin, body: weekly() })));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 422)).toHaveLength(19);
    expect(await countRows(t.db, 'scheduler.availability_rules', 'person_id = $1 AND active', [personId])).toBe(1);
  });
});
