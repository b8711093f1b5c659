import { randomUUID } from 'node:crypto';
import { AvailabilityRulesRepository } from '../../../src/availability/availability-rules.repository';
import type { Tenants } from '../../../src/common/auth/principal';
import { LocationsRepository } from '../../../src/locations/locations.repository';
import { PeopleRepository } from '../../../src/people/people.repository';
import { BookingsRepository } from '../../../src/bookings/bookings.repository';
import { SlotsRepository } from '../../../src/slots/slots.repository';
import { createLocation, createPerson, createRule, generateSlots } from '../../factories/catalogue';
import { createBusiness, createUser } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';

/**
 * DOMAIN.md §Data and tenancy: every admin query filters on the caller's `biz` "inside the
 * query itself". The services read in scope before they write, so this drives the
 * repositories' UPDATEs directly: with another tenant's scope (or, for a booking, another
 * user) they change nothing and say so (the services then answer 404).
 */
describe('admin UPDATEs carry the tenant filter themselves', () => {
  let t: TestApp;
  let ids: { location: string; person: string; rule: string; slot: string; booking: string };
  const elsewhere: Tenants = { all: false, bizIds: [randomUUID()] };

  beforeAll(async () => {
    t = await startTestApp();
    const biz = await createBusiness(t.db);
    const admin = await token({ roles: ['admin'], biz: [biz] });
    const location = await createLocation(t, admin, biz);
    const person = await createPerson(t, admin, { locationId: location.id, name: 'Ida' });
    const rule = await createRule(t, admin, { personId: person.id, kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '10:00', slotMinutes: 30 });
    await generateSlots(t, admin, location.id, { from: '2027-01-04', to: '2027-01-04' });
    const [slot] = (await t.db.query(`SELECT id FROM scheduler.slot_instances WHERE person_id = $1 ORDER BY starts_at`, [person.id])) as {
      id: string;
    }[];
    const booking = await t.api.post('/v1/admin/bookings', { token: admin, body: { slotId: slot.id, userId: await createUser(t.db) } });
    expect(booking.status).toBe(201);
    ids = { location: location.id, person: person.id, rule: rule.id, slot: slot.id, booking: booking.body.id };
  });
  afterAll(() => t.close());

  const activeOf = async (table: string, id: string): Promise<boolean> =>
    ((await t.db.query(`SELECT active FROM scheduler.${table} WHERE id = $1`, [id])) as { active: boolean }[])[0].active;

  it('leaves another tenant\'s location, person and rule as they were', async () => {
    expect(await t.app.get(LocationsRepository).update(elsewhere, ids.location, { active: false })).toBe(false);
    expect(await t.app.get(PeopleRepository).update(elsewhere, ids.person, { active: false })).toBe(false);
    expect(await t.app.get(AvailabilityRulesRepository).update(elsewhere, ids.rule, { active: false })).toBe(false);
    expect(await activeOf('locations', ids.location)).toBe(true);
    expect(await activeOf('people', ids.person)).toBe(true);
    expect(await activeOf('availability_rules', ids.rule)).toBe(true);
  });

  it('leaves another tenant\'s slot and booking, and another user\'s booking, as they were', async () => {
    expect(await t.app.get(SlotsRepository).update(elsewhere, ids.slot, { status: 'blocked', capacity: 9 })).toBe(false);
    const cancel = { from: 'confirmed', to: 'cancelled', cancelReason: 'not yours' } as const;
    const bookings = t.app.get(BookingsRepository);
    expect(await bookings.transition({ tenants: elsewhere }, ids.booking, cancel, { actorSub: null, actorKind: 'system' })).toBeUndefined();
    expect(await bookings.transition({ ownerId: randomUUID() }, ids.booking, cancel, { actorSub: null, actorKind: 'system' })).toBeUndefined();
    const [slot] = (await t.db.query(`SELECT status, capacity FROM scheduler.slot_instances WHERE id = $1`, [ids.slot])) as unknown[];
    expect(slot).toEqual({ status: 'open', capacity: 1 });
    const [booking] = (await t.db.query(`SELECT status FROM scheduler.bookings WHERE id = $1`, [ids.booking])) as unknown[];
    expect(booking).toEqual({ status: 'confirmed' });
  });

  it('writes with the owner\'s scope (the filter is not refusing everything)', async () => {
    const [row] = (await t.db.query(`SELECT biz_entity_id FROM scheduler.locations WHERE id = $1`, [ids.location])) as { biz_entity_id: string }[];
    const owner: Tenants = { all: false, bizIds: [row.biz_entity_id] };
    expect(await t.app.get(AvailabilityRulesRepository).update(owner, ids.rule, { active: false })).toBe(true);
    expect(await activeOf('availability_rules', ids.rule)).toBe(false);
  });
});
