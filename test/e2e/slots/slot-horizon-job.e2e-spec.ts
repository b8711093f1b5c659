import { SlotHorizonJob } from '../../../src/slots/slot-horizon.job';
import { createLocation, createPerson, createRule } from '../../factories/catalogue';
import { countRows, createBusiness } from '../../factories/factories';
import { startIsolatedTestApp, startTestApp, TestApp, token } from '../../utils/test-app';

describe('the rolling-horizon job', () => {
  let t: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    t = await startIsolatedTestApp();
    second = await startTestApp2(t);
  });
  afterAll(async () => {
    await second.app.close();
    await t.close();
  });

  it('keeps every active location generated bookingHorizonDays ahead, idempotently, on two instances at once', async () => {
    const biz = await createBusiness(t.db);
    const admin = await token({ roles: ['admin'], biz: [biz] });
    const noon = { kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], startTime: '12:00', endTime: '13:00', slotMinutes: 60 };
    const location = await createLocation(t, admin, biz, { timezone: 'America/New_York', policy: { bookingHorizonDays: 10 } });
    const person = await createPerson(t, admin, { locationId: location.id, name: 'Ida' });
    await createRule(t, admin, { personId: person.id, ...noon });
    const closed = await createLocation(t, admin, biz);
    const closedPerson = await createPerson(t, admin, { locationId: closed.id, name: 'Off' });
    await createRule(t, admin, { personId: closedPerson.id, ...noon });
    await t.api.delete(`/v1/admin/locations/${closed.id}`, { token: admin });

    await Promise.all([t.app.get(SlotHorizonJob).run(), second.app.get(SlotHorizonJob).run()]);
    // Today (local) through today + 10 days: one noon slot a day.
    expect(await countRows(t.db, 'scheduler.slot_instances', "person_id = $1 AND status = 'open'", [person.id])).toBe(11);
    expect(await countRows(t.db, 'scheduler.slot_instances', 'location_id = $1', [closed.id])).toBe(0);

    await t.app.get(SlotHorizonJob).run();
    expect(await countRows(t.db, 'scheduler.slot_instances', 'person_id = $1', [person.id])).toBe(11);
  });
});

/** A second instance on the same isolated database. */
function startTestApp2(first: TestApp): Promise<TestApp> {
  return startTestApp({ DATABASE_URL: (first.db.options as { url: string }).url });
}
