import { createLocation, createPerson, createTenant, PersonJson, Tenant } from '../../factories/catalogue';
import { startTestApp, TestApp } from '../../utils/test-app';
import { ADMIN_LOCATIONS, ADMIN_PEOPLE, inListOrder, Page, publicPeople, UNKNOWN_ID } from './people-helpers';
import { expectProblem, expectValidationFields } from '../../utils/problem';

/** The public view of a person: the admin view without `email` and `metadata`. */
function publicView(person: PersonJson): Record<string, unknown> {
  const { email: _email, metadata: _metadata, ...visible } = person;
  return visible;
}

describe('GET /v1/locations/{locationId}/people', () => {
  let t: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    tenant = await createTenant(t);
  });

  it('lists the active people of the location without their email, to any signed-in user', async () => {
    const second = await createPerson(t, tenant.admin, { locationId: tenant.locationId, name: 'Sam', email: 'sam@example.com', weight: 2 });
    const res = await t.api.get(publicPeople(tenant.locationId), { token: tenant.user });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: inListOrder([tenant.person, second]).map(publicView), nextCursor: null });
    for (const person of (res.body as Page<PersonJson>).data) expect(person).not.toHaveProperty('email');
  });

  it('leaves out deleted people and people of other locations', async () => {
    const otherLocation = (await createLocation(t, tenant.admin, tenant.biz)).id;
    await createPerson(t, tenant.admin, { locationId: otherLocation, name: 'Elsewhere' });
    const gone = await createPerson(t, tenant.admin, { locationId: tenant.locationId, name: 'Gone' });
    expect((await t.api.delete(`${ADMIN_PEOPLE}/${gone.id}`, { token: tenant.admin })).status).toBe(204);

    const res = await t.api.get(publicPeople(tenant.locationId), { token: tenant.user });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [publicView(tenant.person)], nextCursor: null });
  });

  it('pages with limit and cursor', async () => {
    const second = await createPerson(t, tenant.admin, { locationId: tenant.locationId, name: 'Second' });
    const [first, last] = inListOrder([tenant.person, second]);

    const page1 = await t.api.get(`${publicPeople(tenant.locationId)}?limit=1`, { token: tenant.user });
    expect(page1.status).toBe(200);
    const body1 = page1.body as Page<PersonJson>;
    expect(body1.data).toEqual([publicView(first)]);
    expect(typeof body1.nextCursor).toBe('string');

    const page2 = await t.api.get(`${publicPeople(tenant.locationId)}?limit=1&cursor=${encodeURIComponent(body1.nextCursor ?? '')}`, {
      token: tenant.user,
    });
    expect(page2.status).toBe(200);
    expect(page2.body).toEqual({ data: [publicView(last)], nextCursor: null });
  });

  it('answers 404 for a deleted location', async () => {
    expect((await t.api.delete(`${ADMIN_LOCATIONS}/${tenant.locationId}`, { token: tenant.admin })).status).toBe(204);
    expectProblem(await t.api.get(publicPeople(tenant.locationId), { token: tenant.user }), 'NOT_FOUND', 'The location was not found.');
  });

  it('answers 404 for an unknown location', async () => {
    expectProblem(await t.api.get(publicPeople(UNKNOWN_ID), { token: tenant.user }), 'NOT_FOUND', 'The location was not found.');
  });

  it('answers 401 without a token', async () => {
    expectProblem(await t.api.get(publicPeople(tenant.locationId)), 'UNAUTHENTICATED');
  });

  it.each([
    ['a locationId that is not a UUID', () => publicPeople('not-a-uuid'), ['locationId']],
    ['limit=0', () => `${publicPeople(tenant.locationId)}?limit=0`, ['limit']],
    ['limit=201', () => `${publicPeople(tenant.locationId)}?limit=201`, ['limit']],
    ['a cursor this API did not issue', () => `${publicPeople(tenant.locationId)}?cursor=garbage`, ['cursor']],
    ['an unknown query parameter', () => `${publicPeople(tenant.locationId)}?active=false`, ['active']],
  ])('answers 400 for %s', async (_label, path, fields) => {
    expectValidationFields(await t.api.get(path(), { token: tenant.user }), fields);
  });
});
