import { createBusiness, locationBody } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';

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
});
