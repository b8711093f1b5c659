import { SlotHorizonJob } from '../../../src/slots/slot-horizon.job';
import { countRows, createBusiness, locationBody } from '../../factories/factories';
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
    const location = await t.api.post('/v1/admin/locations', {
      token: admin,
      body: locationBody(biz, { timezone: 'America/New_York', policy: { bookingHorizonDays: 10 } }),
    });
    const person = await t.api.post('/v1/admin/people', { token: admin, body: { locationId: location.body.id, name: 'Ida' } });
    await t.api.post('/v1/admin/availability-rules', {
      token: admin,
      body: { personId: person.body.id, kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], startTime: '12:00', endTime: '13:00', slotMinutes: 60 },
    });
    const closed = await t.api.post('/v1/admin/locations', { token: admin, body: locationBody(biz) });
    const closedPerson = await t.api.post('/v1/admin/people', { token: admin, body: { locationId: closed.body.id, name: 'Off' } });
    await t.api.post('/v1/admin/availability-rules', {
      token: admin,
      body: { personId: closedPerson.body.id, kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], startTime: '12:00', endTime: '13:00', slotMinutes: 60 },
    });
    await t.api.delete(`/v1/admin/locations/${closed.body.id}`, { token: admin });

    await Promise.all([t.app.get(SlotHorizonJob).run(), second.app.get(SlotHorizonJob).run()]);
    // Today (local) through today + 10 days: one noon slot a day.
    expect(await countRows(t.db, 'scheduler.slot_instances', "person_id = $1 AND status = 'open'", [person.body.id])).toBe(11);
    expect(await countRows(t.db, 'scheduler.slot_instances', 'location_id = $1', [closed.body.id])).toBe(0);

    await t.app.get(SlotHorizonJob).run();
    expect(await countRows(t.db, 'scheduler.slot_instances', 'person_id = $1', [person.body.id])).toBe(11);
  });
});

/** A second instance on the same isolated database. */
function startTestApp2(first: TestApp): Promise<TestApp> {
  return startTestApp({ DATABASE_URL: (first.db.options as { url: string }).url });
}
