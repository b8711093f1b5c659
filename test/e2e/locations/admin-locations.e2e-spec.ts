import { countRows, createBusiness, locationBody } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import {
  ADMIN_LOCATIONS,
  createLocation,
  DEFAULT_POLICY,
  expectProblem,
  forbiddenProblem,
  LocationJson,
  NOT_FOUND_PROBLEM,
  readLocationRow,
  rowAsLocation,
  unauthenticatedProblem,
} from './location-helpers';

type Method = 'get' | 'post' | 'patch' | 'delete';

const ROUTE_NAMES = [
  'POST /v1/admin/locations',
  'GET /v1/admin/locations',
  'GET /v1/admin/locations/{id}',
  'PATCH /v1/admin/locations/{id}',
  'DELETE /v1/admin/locations/{id}',
] as const;
type RouteName = (typeof ROUTE_NAMES)[number];

/** An unsigned token (`alg: none`) claiming superadmin: must never be accepted. */
function unsignedToken(): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: '00000000-0000-4000-8000-000000000001', roles: ['superadmin'], exp: now + 600 })}.`;
}

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

  /** Every admin route, with a request that would succeed for the location's own admin. */
  describe('every admin route: authentication, roles and tenant scope', () => {
    let location: LocationJson;
    let routes: Record<RouteName, { method: Method; path: string; body?: unknown }>;

    beforeEach(async () => {
      location = await createLocation(t, admin, locationBody(biz, { name: 'Harbour' }));
      routes = {
        'POST /v1/admin/locations': { method: 'post', path: ADMIN_LOCATIONS, body: locationBody(biz) },
        'GET /v1/admin/locations': { method: 'get', path: ADMIN_LOCATIONS },
        'GET /v1/admin/locations/{id}': { method: 'get', path: `${ADMIN_LOCATIONS}/${location.id}` },
        'PATCH /v1/admin/locations/{id}': {
          method: 'patch',
          path: `${ADMIN_LOCATIONS}/${location.id}`,
          body: { name: 'Changed', policy: { holdTtlSeconds: 60 } },
        },
        'DELETE /v1/admin/locations/{id}': { method: 'delete', path: `${ADMIN_LOCATIONS}/${location.id}` },
      };
    });

    /** Nothing about the business changed: still one location, exactly as created. */
    async function expectUntouched(): Promise<void> {
      expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(1);
      const row = await readLocationRow(t.db, location.id);
      expect(row && rowAsLocation(row)).toEqual(location);
    }

    const call = (name: RouteName, callToken?: string) => {
      const route = routes[name];
      return t.api.call(route.method, route.path, { token: callToken, body: route.body });
    };

    it.each(ROUTE_NAMES)('%s: 401 without a token, nothing changes', async (name) => {
      const res = await call(name);
      expectProblem(res, unauthenticatedProblem());
      expect(res.headers['www-authenticate']).toBe('Bearer');
      await expectUntouched();
    });

    it.each(ROUTE_NAMES)('%s: 401 for an unsigned (alg: none) superadmin token, nothing changes', async (name) => {
      const res = await call(name, unsignedToken());
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ ...unauthenticatedProblem(), detail: expect.any(String) });
      await expectUntouched();
    });

    it.each(ROUTE_NAMES)('%s: 401 for a garbage token, nothing changes', async (name) => {
      const res = await call(name, 'not.a.jwt');
      expectProblem(res, unauthenticatedProblem('The token is malformed or cannot be verified.'));
      await expectUntouched();
    });

    it.each(ROUTE_NAMES)('%s: 403 for a user of the business, nothing changes', async (name) => {
      const user = await token({ roles: ['user'], biz: [biz] });
      expectProblem(await call(name, user), forbiddenProblem());
      await expectUntouched();
    });

    it.each(ROUTE_NAMES)('%s: a viewer may read but not write', async (name) => {
      const viewer = await token({ roles: ['viewer'], biz: [biz] });
      const res = await call(name, viewer);
      if (routes[name].method !== 'get') expectProblem(res, forbiddenProblem());
      else expect(res.status).toBe(200);
      await expectUntouched();
    });

    it.each(ROUTE_NAMES.filter((name) => name.endsWith('{id}')))("%s: 404 for an admin of another business (existence is not revealed)", async (name) => {
      const otherAdmin = await token({ roles: ['admin'], biz: [await createBusiness(t.db)] });
      expectProblem(await call(name, otherAdmin), NOT_FOUND_PROBLEM);
      await expectUntouched();
    });

    it('an admin of another business lists none of these locations', async () => {
      const otherAdmin = await token({ roles: ['admin'], biz: [await createBusiness(t.db)] });
      const res = await t.api.get(ADMIN_LOCATIONS, { token: otherAdmin });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: [], nextCursor: null });
    });

    it('an admin of another business may not create a location here', async () => {
      const otherAdmin = await token({ roles: ['admin'], biz: [await createBusiness(t.db)] });
      const res = await t.api.post(ADMIN_LOCATIONS, { token: otherAdmin, body: locationBody(biz) });
      expectProblem(res, forbiddenProblem(`Your token may not administer business ${biz}.`));
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
