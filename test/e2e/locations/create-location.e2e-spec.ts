import { countRows, createBusiness, locationBody } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import { ADMIN_LOCATIONS, DEFAULT_POLICY, readLocationRow, rowAsLocation, UNKNOWN_ID } from './location-helpers';
import { expectProblem, expectValidationProblem } from '../../utils/problem';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UNKNOWN_BUSINESS_PROBLEM = {
  type: 'urn:problem-type:scheduler:unknown-reference',
  title: 'A referenced record does not exist.',
  status: 422,
  detail: 'bizEntityId does not refer to an existing business.',
  code: 'UNKNOWN_REFERENCE',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('POST /v1/admin/locations', () => {
  let t: TestApp;
  let biz: string;
  let admin: string;

  const locationsOf = (bizEntityId: string): Promise<number> =>
    countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [bizEntityId]);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    biz = await createBusiness(t.db);
    admin = await token({ roles: ['admin'], biz: [biz] });
  });

  it('403 when the admin may not administer the business, and writes nothing', async () => {
    const other = await createBusiness(t.db);
    const res = await t.api.post(ADMIN_LOCATIONS, { token: admin, body: locationBody(other) });
    expectProblem(res, 'FORBIDDEN', `Your token may not administer business ${other}.`);
    expect(await locationsOf(other)).toBe(0);
  });

  it('creates an active location with the default policy, as persisted', async () => {
    const res = await t.api.post(ADMIN_LOCATIONS, {
      token: admin,
      body: { bizEntityId: biz, name: 'Harbour', timezone: 'Asia/Dubai' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(UUID),
      bizEntityId: biz,
      name: 'Harbour',
      timezone: 'Asia/Dubai',
      active: true,
      policy: DEFAULT_POLICY,
      metadata: {},
      createdAt: expect.stringMatching(ISO_INSTANT),
      updatedAt: expect.stringMatching(ISO_INSTANT),
    });
    expect(res.body.updatedAt).toBe(res.body.createdAt);
    const row = await readLocationRow(t.db, res.body.id);
    expect(row && rowAsLocation(row)).toEqual(res.body);
    expect(await locationsOf(biz)).toBe(1);
  });

  it('spells a zone name sent in another case as the time zone database does', async () => {
    const res = await t.api.post(ADMIN_LOCATIONS, { token: admin, body: { bizEntityId: biz, name: 'Pier', timezone: 'america/new_YORK' } });
    expect(res.status).toBe(201);
    expect(res.body.timezone).toBe('America/New_York');
  });

  it('round-trips a custom policy with every field set', async () => {
    const policy = {
      holdTtlSeconds: 900,
      maxActiveHoldsPerUser: 7,
      minNoticeMinutes: 120,
      bookingHorizonDays: 365,
      cancelCutoffMinutes: 1440,
      requireExposure: false,
      maxSeatsPerBooking: 6,
      requireCancellationReason: true,
      exposure: { personMin: 2, personMax: 6, locationMin: 4, locationMax: 12 },
    };
    const created = await t.api.post(ADMIN_LOCATIONS, { token: admin, body: locationBody(biz, { policy }) });
    expect(created.status).toBe(201);
    expect(created.body.policy).toEqual(policy);

    const read = await t.api.get(`${ADMIN_LOCATIONS}/${created.body.id}`, { token: admin });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    const row = await readLocationRow(t.db, created.body.id);
    expect(row && rowAsLocation(row)).toEqual(created.body);
  });

  it('keeps the defaults for every policy field the request leaves out', async () => {
    const res = await t.api.post(ADMIN_LOCATIONS, {
      token: admin,
      body: locationBody(biz, { policy: { holdTtlSeconds: 600, requireExposure: false, exposure: { locationMax: 8 } } }),
    });
    expect(res.status).toBe(201);
    expect(res.body.policy).toEqual({
      ...DEFAULT_POLICY,
      holdTtlSeconds: 600,
      requireExposure: false,
      exposure: { ...DEFAULT_POLICY.exposure, locationMax: 8 },
    });
    const row = await readLocationRow(t.db, res.body.id);
    expect(row && rowAsLocation(row)).toEqual(res.body);
  });

  it('keeps every default for an empty policy and an empty exposure', async () => {
    const res = await t.api.post(ADMIN_LOCATIONS, { token: admin, body: locationBody(biz, { policy: { exposure: {} } }) });
    expect(res.status).toBe(201);
    expect(res.body.policy).toEqual(DEFAULT_POLICY);
  });

  it('accepts exposure minimums equal to their maximums', async () => {
    const exposure = { personMin: 4, personMax: 4, locationMin: 20, locationMax: 20 };
    const res = await t.api.post(ADMIN_LOCATIONS, { token: admin, body: locationBody(biz, { policy: { exposure } }) });
    expect(res.status).toBe(201);
    expect(res.body.policy.exposure).toEqual(exposure);
  });

  it.each([
    ['personMin above the default personMax', { personMin: 4 }, 'policy.exposure.personMin', '4 > 3'],
    ['personMin above the given personMax', { personMin: 5, personMax: 2 }, 'policy.exposure.personMin', '5 > 2'],
    ['personMax below the default personMin', { personMin: 2, personMax: 1 }, 'policy.exposure.personMin', '2 > 1'],
    ['locationMin above the default locationMax', { locationMin: 6 }, 'policy.exposure.locationMin', '6 > 5'],
    ['locationMax below the default locationMin', { locationMax: 2 }, 'policy.exposure.locationMin', '3 > 2'],
    ['locationMin above the given locationMax', { locationMin: 20, locationMax: 19 }, 'policy.exposure.locationMin', '20 > 19'],
  ])('400 when %s, and writes nothing', async (_label, exposure, field, numbers) => {
    const res = await t.api.post(ADMIN_LOCATIONS, { token: admin, body: locationBody(biz, { policy: { exposure } }) });
    expectValidationProblem(res, [{ field, message: `must not exceed the maximum (${numbers})` }]);
    expect(await locationsOf(biz)).toBe(0);
  });

  it('trims the name before storing it', async () => {
    const res = await t.api.post(ADMIN_LOCATIONS, { token: admin, body: locationBody(biz, { name: ' \t Harbour Clinic \n ' }) });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Harbour Clinic');
    expect((await readLocationRow(t.db, res.body.id))?.name).toBe('Harbour Clinic');
  });

  it('measures the 200-character limit after trimming', async () => {
    const name = 'n'.repeat(200);
    const res = await t.api.post(ADMIN_LOCATIONS, { token: admin, body: locationBody(biz, { name: `   ${name}   ` }) });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(name);
  });

  it('counts characters, not UTF-16 units: 200 emoji are a valid name', async () => {
    const name = '🏥'.repeat(200);
    const res = await t.api.post(ADMIN_LOCATIONS, { token: admin, body: locationBody(biz, { name }) });
    expect(res.status).toBe(201);
    expect((await readLocationRow(t.db, res.body.id))?.name).toBe(name);
  });

  it('accepts the business id in upper case and stores it in canonical form', async () => {
    const res = await t.api.post(ADMIN_LOCATIONS, { token: admin, body: locationBody(biz.toUpperCase()) });
    expect(res.status).toBe(201);
    expect(res.body.bizEntityId).toBe(biz);
    expect(await locationsOf(biz)).toBe(1);
  });

  it('lets a superadmin create a location for any existing business', async () => {
    const superadmin = await token({ roles: ['superadmin'] });
    const res = await t.api.post(ADMIN_LOCATIONS, { token: superadmin, body: locationBody(biz, { name: 'Annex' }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ bizEntityId: biz, name: 'Annex', active: true });
    expect(await locationsOf(biz)).toBe(1);
  });

  it('422 UNKNOWN_REFERENCE when the business is not in public.biz_entity, and writes nothing', async () => {
    const superadmin = await token({ roles: ['superadmin'] });
    const res = await t.api.post(ADMIN_LOCATIONS, { token: superadmin, body: locationBody(UNKNOWN_ID) });
    expectProblem(res, 'UNKNOWN_REFERENCE', 'bizEntityId does not refer to an existing business.');
    expect(await locationsOf(UNKNOWN_ID)).toBe(0);
  });

  it('422 UNKNOWN_REFERENCE also for an admin whose token names a business the host does not have', async () => {
    const ghost = await token({ roles: ['admin'], biz: [UNKNOWN_ID] });
    const res = await t.api.post(ADMIN_LOCATIONS, { token: ghost, body: locationBody(UNKNOWN_ID) });
    expectProblem(res, 'UNKNOWN_REFERENCE', 'bizEntityId does not refer to an existing business.');
    expect(await locationsOf(UNKNOWN_ID)).toBe(0);
  });
});
