import type { Response } from 'supertest';
import { createTenant, Tenant } from '../../factories/catalogue';
import { startTestApp, TestApp } from '../../utils/test-app';
import { ADMIN_PEOPLE, snapshotBusiness } from './people-helpers';
import { expectValidationFields } from '../../utils/problem';

type Call = (t: TestApp, tenant: Tenant) => Promise<Response>;

const LONG_NAME = 'x'.repeat(10_000);

/** A valid create body with `changes` on top; a key whose value is `undefined` is left out. */
function createBody(tenant: Tenant, changes: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = { locationId: tenant.locationId, name: 'Valid Name', email: 'valid@example.com', weight: 1, ...changes };
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

const post =
  (changes: Record<string, unknown>): Call =>
  (t, tenant) =>
    t.api.post(ADMIN_PEOPLE, { token: tenant.admin, body: createBody(tenant, changes) });

const patch =
  (body: unknown): Call =>
  (t, tenant) =>
    t.api.patch(`${ADMIN_PEOPLE}/${tenant.person.id}`, { token: tenant.admin, body });

const list =
  (query: string): Call =>
  (t, tenant) =>
    t.api.get(`${ADMIN_PEOPLE}?${query}`, { token: tenant.admin });

const cases: [string, Call, string[]][] = [
  // POST /v1/admin/people
  ['POST with an unknown property', post({ nickname: 'D' }), ['nickname']],
  ['POST with bizEntityId (taken from the location)', post({ bizEntityId: '00000000-0000-4000-8000-000000000000' }), ['bizEntityId']],
  ['POST with active', post({ active: true }), ['active']],
  ['POST with an id', post({ id: '00000000-0000-4000-8000-000000000000' }), ['id']],
  ['POST without locationId', post({ locationId: undefined }), ['locationId']],
  ['POST with a locationId that is not a UUID', post({ locationId: 'location-1' }), ['locationId']],
  ['POST with a numeric locationId', post({ locationId: 42 }), ['locationId']],
  ['POST with locationId null', post({ locationId: null }), ['locationId']],
  ['POST without name', post({ name: undefined }), ['name']],
  ['POST with name ""', post({ name: '' }), ['name']],
  ['POST with a blank name', post({ name: '   ' }), ['name']],
  ['POST with a 201-character name', post({ name: 'x'.repeat(201) }), ['name']],
  ['POST with a 10,000-character name', post({ name: LONG_NAME }), ['name']],
  ['POST with a numeric name', post({ name: 123 }), ['name']],
  ['POST with name null', post({ name: null }), ['name']],
  ['POST with email null', post({ email: null }), ['email']],
  ['POST with an email that is not one', post({ email: 'not-an-email' }), ['email']],
  ['POST with a numeric email', post({ email: 42 }), ['email']],
  ['POST with weight 0', post({ weight: 0 }), ['weight']],
  ['POST with weight 0.09', post({ weight: 0.09 }), ['weight']],
  ['POST with weight 100.01', post({ weight: 100.01 }), ['weight']],
  ['POST with weight -1', post({ weight: -1 }), ['weight']],
  ['POST with weight "1"', post({ weight: '1' }), ['weight']],
  ['POST with weight null', post({ weight: null }), ['weight']],
  ['POST with weight true', post({ weight: true }), ['weight']],
  ['POST with several bad fields', post({ locationId: 'x', name: '', weight: 0 }), ['locationId', 'name', 'weight']],
  // GET /v1/admin/people
  ['GET list with a locationId that is not a UUID', list('locationId=abc'), ['locationId']],
  ['GET list with an empty locationId', list('locationId='), ['locationId']],
  ['GET list with active=maybe', list('active=maybe'), ['active']],
  ['GET list with limit=0', list('limit=0'), ['limit']],
  ['GET list with limit=201', list('limit=201'), ['limit']],
  ['GET list with limit=1.5', list('limit=1.5'), ['limit']],
  ['GET list with limit=ten', list('limit=ten'), ['limit']],
  ['GET list with a garbage cursor', list('cursor=garbage'), ['cursor']],
  ['GET list with a cursor over 200 characters', list(`cursor=${'a'.repeat(201)}`), ['cursor']],
  ['GET list with an unknown parameter', list('bizEntityId=00000000-0000-4000-8000-000000000000'), ['bizEntityId']],
  ['GET list with locationId given twice', list('locationId=00000000-0000-4000-8000-000000000000&locationId=00000000-0000-4000-8000-000000000001'), ['locationId']],
  // {id} paths
  ['GET one with an id that is not a UUID', (t, tenant) => t.api.get(`${ADMIN_PEOPLE}/not-a-uuid`, { token: tenant.admin }), ['id']],
  ['PATCH with an id that is not a UUID', (t, tenant) => t.api.patch(`${ADMIN_PEOPLE}/123`, { token: tenant.admin, body: { name: 'X' } }), ['id']],
  ['DELETE with an id that is not a UUID', (t, tenant) => t.api.delete(`${ADMIN_PEOPLE}/${'f'.repeat(36)}`, { token: tenant.admin }), ['id']],
  // PATCH /v1/admin/people/{id}
  ['PATCH with an unknown property', patch({ nickname: 'D' }), ['nickname']],
  ['PATCH moving the person to another location', patch({ locationId: '00000000-0000-4000-8000-000000000000' }), ['locationId']],
  ['PATCH with createdAt', patch({ createdAt: '2020-01-01T00:00:00.000Z' }), ['createdAt']],
  ['PATCH with name ""', patch({ name: '' }), ['name']],
  ['PATCH with a 10,000-character name', patch({ name: LONG_NAME }), ['name']],
  ['PATCH with name null', patch({ name: null }), ['name']],
  ['PATCH with a numeric name', patch({ name: 7 }), ['name']],
  ['PATCH with email null', patch({ email: null }), ['email']],
  ['PATCH with an email that is not one', patch({ email: 'dana@' }), ['email']],
  ['PATCH with weight 0', patch({ weight: 0 }), ['weight']],
  ['PATCH with weight 0.09', patch({ weight: 0.09 }), ['weight']],
  ['PATCH with weight 100.01', patch({ weight: 100.01 }), ['weight']],
  ['PATCH with weight "1"', patch({ weight: '1' }), ['weight']],
  ['PATCH with weight null', patch({ weight: null }), ['weight']],
  ['PATCH with active "false"', patch({ active: 'false' }), ['active']],
  ['PATCH with active null', patch({ active: null }), ['active']],
  ['PATCH with a valid and an invalid field', patch({ name: 'Fine', weight: 1000 }), ['weight']],
];

describe('people: bad input answers 400 VALIDATION_FAILED and writes nothing', () => {
  let t: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    tenant = await createTenant(t);
  });

  it.each(cases)('%s', async (_label, call, fields) => {
    const before = await snapshotBusiness(t.db, tenant.biz);
    const res = await call(t, tenant);
    expectValidationFields(res, fields);
    expect(await snapshotBusiness(t.db, tenant.biz)).toEqual(before);
  });

  it('accepts the same bodies once corrected (the matrix is not refusing everything)', async () => {
    const created = await post({})(t, tenant);
    expect(created.status).toBe(201);
    const patched = await patch({ name: 'Fine', weight: 100 })(t, tenant);
    expect(patched.status).toBe(200);
    const listed = await list(`locationId=${tenant.locationId}&active=true&limit=200`)(t, tenant);
    expect(listed.status).toBe(200);
  });
});
