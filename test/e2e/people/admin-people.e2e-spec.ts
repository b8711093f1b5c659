import { createLocation, createPerson, createTenant, PersonJson, Tenant } from '../../factories/catalogue';
import { countRows } from '../../factories/factories';
import { startTestApp, TestApp } from '../../utils/test-app';
import { ADMIN_PEOPLE, aUuid, anInstant, backdate, inListOrder, Page, publicPeople, readPersonRow, UNKNOWN_ID } from './people-helpers';
import { expectProblem } from '../../utils/problem';

describe('admin people', () => {
  let t: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    tenant = await createTenant(t);
  });

  describe('POST /v1/admin/people', () => {
    it('creates a person with weight 1 and no email when neither is given', async () => {
      const res = await t.api.post(ADMIN_PEOPLE, { token: tenant.admin, body: { locationId: tenant.locationId, name: 'Amal Haddad' } });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: aUuid(),
        locationId: tenant.locationId,
        name: 'Amal Haddad',
        weight: 1,
        active: true,
        metadata: {},
        createdAt: anInstant(),
        updatedAt: anInstant(),
      });
      const body = res.body as PersonJson;
      expect(body).not.toHaveProperty('email');
      expect(await readPersonRow(t.db, body.id)).toEqual({
        id: body.id,
        biz_entity_id: tenant.biz,
        location_id: tenant.locationId,
        name: 'Amal Haddad',
        email: null,
        weight: 1,
        active: true,
        created_at: body.createdAt,
        updated_at: body.updatedAt,
      });
    });

    it('stores the email and weight it is given, and trims the name', async () => {
      const res = await t.api.post(ADMIN_PEOPLE, {
        token: tenant.admin,
        body: { locationId: tenant.locationId, name: '  Amal Haddad  ', email: 'amal@example.com', weight: 2.5 },
      });
      expect(res.status).toBe(201);
      const body = res.body as PersonJson;
      expect(body).toMatchObject({ name: 'Amal Haddad', email: 'amal@example.com', weight: 2.5, active: true });
      expect(await readPersonRow(t.db, body.id)).toMatchObject({ name: 'Amal Haddad', email: 'amal@example.com', weight: 2.5 });
    });

    it.each([0.1, 100])('accepts the boundary weight %p', async (weight) => {
      const res = await t.api.post(ADMIN_PEOPLE, { token: tenant.admin, body: { locationId: tenant.locationId, name: 'Edge', weight } });
      expect(res.status).toBe(201);
      expect((res.body as PersonJson).weight).toBe(weight);
      expect((await readPersonRow(t.db, (res.body as PersonJson).id))?.weight).toBe(weight);
    });

    it('answers 404 for a location that does not exist, and writes nothing', async () => {
      const res = await t.api.post(ADMIN_PEOPLE, { token: tenant.admin, body: { locationId: UNKNOWN_ID, name: 'Nobody' } });
      expectProblem(res, 'NOT_FOUND', 'The location was not found.');
      expect(await countRows(t.db, 'scheduler.people', 'biz_entity_id = $1', [tenant.biz])).toBe(1);
    });
  });

  describe('GET /v1/admin/people', () => {
    it('filters by locationId', async () => {
      const otherLocation = (await createLocation(t, tenant.admin, tenant.biz)).id;
      const elsewhere = await createPerson(t, tenant.admin, { locationId: otherLocation, name: 'Elsewhere' });
      const here = await createPerson(t, tenant.admin, { locationId: tenant.locationId, name: 'Here' });

      const res = await t.api.get(`${ADMIN_PEOPLE}?locationId=${tenant.locationId}`, { token: tenant.admin });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: inListOrder([tenant.person, here]), nextCursor: null });

      const other = await t.api.get(`${ADMIN_PEOPLE}?locationId=${otherLocation}`, { token: tenant.admin });
      expect(other.status).toBe(200);
      expect(other.body).toEqual({ data: [elsewhere], nextCursor: null });
    });

    it('lists every person of the caller\'s business, with email, in creation order', async () => {
      const second = await createPerson(t, tenant.admin, { locationId: tenant.locationId, name: 'Second' });
      const res = await t.api.get(ADMIN_PEOPLE, { token: tenant.admin });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: inListOrder([tenant.person, second]), nextCursor: null });
      expect((res.body as Page<PersonJson>).data.find((p) => p.id === tenant.person.id)?.email).toBe('dana@example.com');
    });

    it('walks every person exactly once with limit and cursor', async () => {
      const location = (await createLocation(t, tenant.admin, tenant.biz)).id;
      const created: PersonJson[] = [];
      for (let i = 0; i < 5; i += 1) created.push(await createPerson(t, tenant.admin, { locationId: location, name: `P${i}` }));

      const seen: PersonJson[][] = [];
      let cursor: string | null = null;
      do {
        const query: string = `locationId=${location}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await t.api.get(`${ADMIN_PEOPLE}?${query}`, { token: tenant.admin });
        expect(res.status).toBe(200);
        const page = res.body as Page<PersonJson>;
        seen.push(page.data);
        cursor = page.nextCursor;
        expect(seen.length).toBeLessThan(10);
      } while (cursor !== null);

      expect(seen.map((page) => page.length)).toEqual([2, 2, 1]);
      expect(seen.flat()).toEqual(inListOrder(created));
    });

    it('says nextCursor: null when the last page is exactly full', async () => {
      const res = await t.api.get(`${ADMIN_PEOPLE}?limit=1`, { token: tenant.admin });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: [tenant.person], nextCursor: null });
    });

    it('filters by active', async () => {
      const gone = await createPerson(t, tenant.admin, { locationId: tenant.locationId, name: 'Gone' });
      expect((await t.api.delete(`${ADMIN_PEOPLE}/${gone.id}`, { token: tenant.admin })).status).toBe(204);

      const active = await t.api.get(`${ADMIN_PEOPLE}?active=true`, { token: tenant.admin });
      expect(active.status).toBe(200);
      expect((active.body as Page<PersonJson>).data.map((p) => p.id)).toEqual([tenant.person.id]);

      const deleted = await t.api.get(`${ADMIN_PEOPLE}?active=false`, { token: tenant.admin });
      expect(deleted.status).toBe(200);
      expect((deleted.body as Page<PersonJson>).data.map((p) => [p.id, p.active])).toEqual([[gone.id, false]]);
    });
  });

  describe('GET /v1/admin/people/{id}', () => {
    it('answers the person as it was created', async () => {
      const res = await t.api.get(`${ADMIN_PEOPLE}/${tenant.person.id}`, { token: tenant.admin });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(tenant.person);
    });

    it('answers 404 for an unknown id', async () => {
      expectProblem(await t.api.get(`${ADMIN_PEOPLE}/${UNKNOWN_ID}`, { token: tenant.admin }), 'NOT_FOUND', 'The person was not found.');
    });
  });

  describe('PATCH /v1/admin/people/{id}', () => {
    it('changes only the fields it is given and moves updatedAt', async () => {
      await backdate(t.db, 'people', tenant.person.id);
      const before = await readPersonRow(t.db, tenant.person.id);

      const res = await t.api.patch(`${ADMIN_PEOPLE}/${tenant.person.id}`, { token: tenant.admin, body: { weight: 3.5 } });
      expect(res.status).toBe(200);
      const body = res.body as PersonJson;
      expect(body).toEqual({
        ...tenant.person,
        weight: 3.5,
        createdAt: before?.created_at,
        updatedAt: anInstant(),
      });
      expect(Date.parse(body.updatedAt)).toBeGreaterThan(Date.parse(before?.updated_at ?? ''));
      expect(await readPersonRow(t.db, tenant.person.id)).toEqual({
        ...before,
        weight: 3.5,
        updated_at: body.updatedAt,
      });
    });

    it('renames and changes the email', async () => {
      const res = await t.api.patch(`${ADMIN_PEOPLE}/${tenant.person.id}`, {
        token: tenant.admin,
        body: { name: 'Dana R.', email: 'dr@example.org' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'Dana R.', email: 'dr@example.org', weight: 1, locationId: tenant.locationId });
      expect(await readPersonRow(t.db, tenant.person.id)).toMatchObject({ name: 'Dana R.', email: 'dr@example.org', weight: 1 });
    });

    it('brings a deleted person back with active: true', async () => {
      expect((await t.api.delete(`${ADMIN_PEOPLE}/${tenant.person.id}`, { token: tenant.admin })).status).toBe(204);
      const res = await t.api.patch(`${ADMIN_PEOPLE}/${tenant.person.id}`, { token: tenant.admin, body: { active: true } });
      expect(res.status).toBe(200);
      expect((res.body as PersonJson).active).toBe(true);
      expect((await readPersonRow(t.db, tenant.person.id))?.active).toBe(true);
    });

    it('answers 404 for an unknown id', async () => {
      expectProblem(await t.api.patch(`${ADMIN_PEOPLE}/${UNKNOWN_ID}`, { token: tenant.admin, body: { name: 'X' } }), 'NOT_FOUND', 'The person was not found.');
    });
  });

  describe('DELETE /v1/admin/people/{id}', () => {
    it('soft-deletes: 204, the row stays with active=false, the public list drops the person', async () => {
      const colleague = await createPerson(t, tenant.admin, { locationId: tenant.locationId, name: 'Colleague' });

      const res = await t.api.delete(`${ADMIN_PEOPLE}/${tenant.person.id}`, { token: tenant.admin });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');

      expect(await readPersonRow(t.db, tenant.person.id)).toMatchObject({ id: tenant.person.id, active: false, name: 'Dana Reyes' });
      const admin = await t.api.get(`${ADMIN_PEOPLE}/${tenant.person.id}`, { token: tenant.admin });
      expect(admin.status).toBe(200);
      expect(admin.body).toMatchObject({ id: tenant.person.id, active: false });

      const listed = await t.api.get(publicPeople(tenant.locationId), { token: tenant.user });
      expect(listed.status).toBe(200);
      expect((listed.body as Page<PersonJson>).data.map((p) => p.id)).toEqual([colleague.id]);
    });

    it('answers 404 for an unknown id', async () => {
      expectProblem(await t.api.delete(`${ADMIN_PEOPLE}/${UNKNOWN_ID}`, { token: tenant.admin }), 'NOT_FOUND', 'The person was not found.');
    });
  });
});
