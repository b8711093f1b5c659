import { randomUUID } from 'node:crypto';
import { AvailabilityRulesRepository } from '../../../src/availability/availability-rules.repository';
import type { TenantScope } from '../../../src/common/auth/principal';
import { LocationsRepository } from '../../../src/locations/locations.repository';
import { PeopleRepository } from '../../../src/people/people.repository';
import { createBusiness, locationBody } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';

/**
 * DOMAIN.md §Data and tenancy: every admin query filters on the caller's `biz` "inside the
 * query itself". The services read in scope before they write, so this drives the
 * repositories' UPDATEs directly: with another tenant's scope they change nothing.
 */
describe('admin UPDATEs carry the tenant filter themselves', () => {
  let t: TestApp;
  let ids: { location: string; person: string; rule: string };
  const elsewhere: TenantScope = { all: false, bizIds: [randomUUID()] };

  beforeAll(async () => {
    t = await startTestApp();
    const biz = await createBusiness(t.db);
    const admin = await token({ roles: ['admin'], biz: [biz] });
    const location = await t.api.post('/v1/admin/locations', { token: admin, body: locationBody(biz) });
    const person = await t.api.post('/v1/admin/people', { token: admin, body: { locationId: location.body.id, name: 'Ida' } });
    const rule = await t.api.post('/v1/admin/availability-rules', {
      token: admin,
      body: { personId: person.body.id, kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '10:00', slotMinutes: 30 },
    });
    ids = { location: location.body.id, person: person.body.id, rule: rule.body.id };
  });
  afterAll(() => t.close());

  const activeOf = async (table: string, id: string): Promise<boolean> =>
    ((await t.db.query(`SELECT active FROM scheduler.${table} WHERE id = $1`, [id])) as { active: boolean }[])[0].active;

  it('leaves another tenant\'s location, person and rule as they were', async () => {
    await t.app.get(LocationsRepository).update(elsewhere, ids.location, { active: false });
    await t.app.get(PeopleRepository).update(elsewhere, ids.person, { active: false });
    await t.app.get(AvailabilityRulesRepository).update(elsewhere, ids.rule, { active: false });
    expect(await activeOf('locations', ids.location)).toBe(true);
    expect(await activeOf('people', ids.person)).toBe(true);
    expect(await activeOf('availability_rules', ids.rule)).toBe(true);
  });

  it('writes with the owner\'s scope (the filter is not refusing everything)', async () => {
    const [row] = (await t.db.query(`SELECT biz_entity_id FROM scheduler.locations WHERE id = $1`, [ids.location])) as { biz_entity_id: string }[];
    const owner: TenantScope = { all: false, bizIds: [row.biz_entity_id] };
    await t.app.get(AvailabilityRulesRepository).update(owner, ids.rule, { active: false });
    expect(await activeOf('availability_rules', ids.rule)).toBe(false);
  });
});
