import { countRows, createBusiness, locationBody } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import { createLocation, LocationJson } from '../../factories/catalogue';
import { ADMIN_LOCATIONS, DEFAULT_POLICY, readLocationRow, rowAsLocation } from './location-helpers';
import { expectProblem } from '../../utils/problem';

describe('admin locations', () => {
  let t: TestApp;
  let biz: string;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    biz = await createBusiness(t.db);
    admin = await token({ roles: ['admin'], biz: [biz] });
  });

  describe('POST /v1/admin/locations', () => {
    it('creates a location with the default policy', async () => {
      const res = await t.api.post('/v1/admin/locations', { token: admin, body: locationBody(biz, { name: 'Harbour' }) });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        bizEntityId: biz,
        name: 'Harbour',
        timezone: 'Europe/London',
        active: true,
        policy: {
          holdTtlSeconds: 300,
          maxActiveHoldsPerUser: 2,
          minNoticeMinutes: 0,
          bookingHorizonDays: 90,
          cancelCutoffMinutes: 0,
          requireExposure: true,
          exposure: { personMin: 1, personMax: 3, locationMin: 3, locationMax: 5 },
        },
      });
      const [row] = await t.db.query('SELECT name, biz_entity_id FROM scheduler.locations WHERE id = $1', [res.body.id]);
      expect(row).toEqual({ name: 'Harbour', biz_entity_id: biz });
    });
  });

  /** Authentication, roles and the 404 of another business on every route: the route matrix (auth/route-matrix). */
  describe('tenant scope', () => {
    let location: LocationJson;

    beforeEach(async () => {
      location = await createLocation(t, admin, biz, { name: 'Harbour' });
    });

    /** Nothing about the business changed: still one location, exactly as created. */
    async function expectUntouched(): Promise<void> {
      expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(1);
      const row = await readLocationRow(t.db, location.id);
      expect(row && rowAsLocation(row)).toEqual(location);
    }

    it('an admin of another business lists none of these locations', async () => {
      const otherAdmin = await token({ roles: ['admin'], biz: [await createBusiness(t.db)] });
      const res = await t.api.get(ADMIN_LOCATIONS, { token: otherAdmin });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: [], nextCursor: null });
    });

    it('an admin of another business may not create a location here', async () => {
      const otherAdmin = await token({ roles: ['admin'], biz: [await createBusiness(t.db)] });
      const res = await t.api.post(ADMIN_LOCATIONS, { token: otherAdmin, body: locationBody(biz) });
      expectProblem(res, 'FORBIDDEN', `Your token may not administer business ${biz}.`);
      await expectUntouched();
    });

    it('an admin of several businesses reaches this one', async () => {
      const several = await token({ roles: ['admin'], biz: [await createBusiness(t.db), biz] });
      const res = await t.api.patch(`${ADMIN_LOCATIONS}/${location.id}`, { token: several, body: { name: 'Reached' } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...location, name: 'Reached', policy: DEFAULT_POLICY, updatedAt: expect.any(String) });
    });
  });
});
