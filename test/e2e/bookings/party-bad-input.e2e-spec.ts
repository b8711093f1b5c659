import { randomUUID } from 'node:crypto';
import { business, Business, key } from '../../factories/bookings';
import { startTestApp, TestApp } from '../../utils/test-app';
import { snapshot } from './matrix-helpers';
import { expectProblem, expectValidationFailed } from '../../utils/problem';

/**
 * Bad input on what issue 16 added — `seats` on holds and admin bookings, `?seats=` on the
 * browse routes, the reschedule body, the two policy fields: 400 VALIDATION_FAILED naming the
 * field, never a 500, and nothing written.
 */
describe('party size, reschedule and policy: bad input is 400 and writes nothing', () => {
  let t: TestApp;
  let b: Business;

  beforeAll(async () => {
    t = await startTestApp();
    b = await business(t, { capacity: 4 });
  });
  afterAll(() => t.close());

  const BAD_SEATS: [string, unknown][] = [
    ['0', 0],
    ['-1', -1],
    ['10001', 10001],
    ['1.5', 1.5],
    ['the string "2"', '2'],
    ['null', null],
    ['true', true],
    ['an array', [2]],
  ];

  async function expectNothingWritten(send: () => Promise<import('supertest').Response>, field: string): Promise<void> {
    const before = await snapshot(t, [b.bizEntityId], [b.user.id, b.adminCaller.sub]);
    expectValidationFailed(await send(), field);
    expect(await snapshot(t, [b.bizEntityId], [b.user.id, b.adminCaller.sub])).toEqual(before);
  }

  it.each(BAD_SEATS)('POST /v1/bookings with seats %s', async (_name, seats) => {
    await expectNothingWritten(() => t.api.post('/v1/bookings', { token: b.user.token, body: { slotId: b.slotIds[1], seats }, headers: key() }), 'seats');
  });

  it.each(BAD_SEATS)('POST /v1/admin/bookings with seats %s', async (_name, seats) => {
    await expectNothingWritten(
      () => t.api.post('/v1/admin/bookings', { token: b.adminCaller.token, body: { slotId: b.slotIds[1], userId: b.user.id, seats }, headers: key() }),
      'seats',
    );
  });

  const BAD_QUERY_SEATS = ['0', '-2', '10001', '1.5', 'two', '0x2', '1e1', ''];
  it.each(BAD_QUERY_SEATS)('GET /v1/people/{id}/slots and /v1/locations/{id}/slots with seats=%p', async (seats) => {
    const before = await snapshot(t, [b.bizEntityId]);
    expectValidationFailed(await t.api.get(`/v1/people/${b.personId}/slots?seats=${seats}`, { token: b.user.token }), 'seats');
    expectValidationFailed(await t.api.get(`/v1/locations/${b.locationId}/slots?seats=${seats}`, { token: b.user.token }), 'seats');
    expect(await snapshot(t, [b.bizEntityId])).toEqual(before);
  });

  const BAD_RESCHEDULE: [string, unknown, string][] = [
    ['no slotId', {}, 'slotId'],
    ['slotId not a UUID', { slotId: 'slot-2' }, 'slotId'],
    ['slotId null', { slotId: null }, 'slotId'],
    ['an unknown property seats (a move keeps its party)', { slotId: randomUUID(), seats: 2 }, 'seats'],
  ];
  it.each(BAD_RESCHEDULE)('POST /v1/bookings/{id}/reschedule with %s', async (_name, body, field) => {
    await expectNothingWritten(() => t.api.post(`/v1/bookings/${b.held}/reschedule`, { token: b.user.token, body, headers: key() }), field);
  });

  it('POST /v1/bookings/{id}/reschedule with a malformed id, and without an Idempotency-Key', async () => {
    await expectNothingWritten(() => t.api.post('/v1/bookings/not-a-uuid/reschedule', { token: b.user.token, body: { slotId: b.slotIds[2] }, headers: key() }), 'id');
    const before = await snapshot(t, [b.bizEntityId]);
    expectProblem(await t.api.post(`/v1/bookings/${b.held}/reschedule`, { token: b.user.token, body: { slotId: b.slotIds[2] } }), 'IDEMPOTENCY_KEY_REQUIRED');
    expect(await snapshot(t, [b.bizEntityId])).toEqual(before);
  });

  const BAD_POLICY: [string, Record<string, unknown>, string][] = [
    ['maxSeatsPerBooking 0', { maxSeatsPerBooking: 0 }, 'policy.maxSeatsPerBooking'],
    ['maxSeatsPerBooking 10001', { maxSeatsPerBooking: 10001 }, 'policy.maxSeatsPerBooking'],
    ['maxSeatsPerBooking 2.5', { maxSeatsPerBooking: 2.5 }, 'policy.maxSeatsPerBooking'],
    ['maxSeatsPerBooking "3"', { maxSeatsPerBooking: '3' }, 'policy.maxSeatsPerBooking'],
    ['requireCancellationReason "yes"', { requireCancellationReason: 'yes' }, 'policy.requireCancellationReason'],
    ['requireCancellationReason null', { requireCancellationReason: null }, 'policy.requireCancellationReason'],
  ];
  it.each(BAD_POLICY)('PATCH and POST of a location with %s', async (_name, policy, field) => {
    const [before] = (await t.db.query(`SELECT * FROM scheduler.locations WHERE id = $1`, [b.locationId])) as unknown[];
    expectValidationFailed(await t.api.patch(`/v1/admin/locations/${b.locationId}`, { token: b.adminCaller.token, body: { policy } }), field);
    expect((await t.db.query(`SELECT * FROM scheduler.locations WHERE id = $1`, [b.locationId])) as unknown[]).toEqual([before]);
    const create = await t.api.post('/v1/admin/locations', {
      token: b.adminCaller.token,
      body: { bizEntityId: b.bizEntityId, name: 'Annex', timezone: 'UTC', policy },
    });
    expectValidationFailed(create, field);
  });
});
