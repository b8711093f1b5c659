import request from 'supertest';
import { IdempotencyService } from '../../../src/idempotency/idempotency.service';
import { LocationsService } from '../../../src/locations/locations.service';
import { countRows, createBusiness, locationBody } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';

const LOCATIONS = '/v1/admin/locations';

describe('Idempotency-Key on writes', () => {
  let t: TestApp;
  let biz: string;
  let admin: string;
  let adminSub: string;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    biz = await createBusiness(t.db);
    adminSub = crypto.randomUUID();
    admin = await token({ sub: adminSub, roles: ['admin'], biz: [biz] });
  });

  const keyRows = (sub: string): Promise<number> => countRows(t.db, 'scheduler.idempotency_keys', 'principal_sub = $1', [sub]);
  const locationRows = (): Promise<number> => countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz]);

  describe('same key, same request', () => {
    it('replays the recorded response byte for byte, marked Idempotent-Replayed, without writing again', async () => {
      const body = locationBody(biz);
      const first = await t.api.post(LOCATIONS, { token: admin, body, headers: { 'Idempotency-Key': 'create-1' } });
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      // Key order and whitespace do not matter: the fingerprint is over RFC 8785 canonical JSON.
      const reordered = JSON.stringify(Object.fromEntries(Object.entries(body).reverse()), null, 2);
      const second = await t.api.post(LOCATIONS, { token: admin, rawBody: reordered, headers: { 'Idempotency-Key': 'create-1' } });
      expect(second.status).toBe(201);
      expect(second.text).toBe(first.text);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(await locationRows()).toBe(1);
      expect(await keyRows(adminSub)).toBe(1);
    });

    it('replays a 204 of a DELETE', async () => {
      const created = await t.api.post(LOCATIONS, { token: admin, body: locationBody(biz) });
      const path = `${LOCATIONS}/${created.body.id}`;
      const first = await t.api.delete(path, { token: admin, headers: { 'Idempotency-Key': 'delete-1' } });
      const again = await t.api.delete(path, { token: admin, headers: { 'Idempotency-Key': 'delete-1' } });
      expect([first.status, again.status]).toEqual([204, 204]);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.text).toBe('');
    });

    it('records a business error and replays it even after the cause went away', async () => {
      const superSub = crypto.randomUUID();
      const superadmin = await token({ sub: superSub, roles: ['superadmin'] });
      const missing = crypto.randomUUID();
      const headers = { 'Idempotency-Key': 'unknown-business' };
      const first = await t.api.post(LOCATIONS, { token: superadmin, body: locationBody(missing, { name: 'Late' }), headers });
      expect(first.status).toBe(422);
      expect(first.body.code).toBe('UNKNOWN_REFERENCE');
      await t.db.query('INSERT INTO public.biz_entity (id) VALUES ($1)', [missing]);
      const replay = await t.api.post(LOCATIONS, { token: superadmin, body: locationBody(missing, { name: 'Late' }), headers });
      expect(replay.status).toBe(422);
      expect(replay.text).toBe(first.text);
      expect(replay.headers['content-type']).toContain('application/problem+json');
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [missing])).toBe(0);
      expect(await keyRows(superSub)).toBe(1);
    });

    it('does not record a 400, so the client may fix the body and retry with the same key', async () => {
      const headers = { 'Idempotency-Key': 'fix-and-retry' };
      const bad = await t.api.post(LOCATIONS, { token: admin, body: locationBody(biz, { timezone: 'Mars/Base' }), headers });
      expect(bad.status).toBe(400);
      expect(await keyRows(adminSub)).toBe(0);
      const good = await t.api.post(LOCATIONS, { token: admin, body: locationBody(biz), headers });
      expect(good.status).toBe(201);
      expect(await keyRows(adminSub)).toBe(1);
    });

    it('does not record a 403 of the auth layer', async () => {
      const viewerSub = crypto.randomUUID();
      const viewer = await token({ sub: viewerSub, roles: ['viewer'], biz: [biz] });
      const res = await t.api.post(LOCATIONS, { token: viewer, body: locationBody(biz), headers: { 'Idempotency-Key': 'k' } });
      expect(res.status).toBe(403);
      expect(await keyRows(viewerSub)).toBe(0);
    });
  });

  describe('same key, another request', () => {
    it.each([
      ['another body', (id: string) => ({ method: 'patch' as const, path: `${LOCATIONS}/${id}`, body: { name: 'Other' } })],
      ['another path', (_id: string) => ({ method: 'patch' as const, path: `${LOCATIONS}/${crypto.randomUUID()}`, body: { name: 'First' } })],
      ['another method', (id: string) => ({ method: 'delete' as const, path: `${LOCATIONS}/${id}`, body: undefined })],
    ])('is refused with 422 IDEMPOTENCY_KEY_REUSED for %s, and nothing runs', async (_name, other) => {
      const created = await t.api.post(LOCATIONS, { token: admin, body: locationBody(biz) });
      const headers = { 'Idempotency-Key': 'patch-1' };
      const first = await t.api.patch(`${LOCATIONS}/${created.body.id}`, { token: admin, body: { name: 'First' }, headers });
      expect(first.status).toBe(200);
      const { method, path, body } = other(created.body.id);
      const reused = await t.api.call(method, path, { token: admin, body, headers });
      expect(reused.status).toBe(422);
      expect(reused.body).toEqual({
        type: 'urn:problem-type:scheduler:idempotency-key-reused',
        title: 'The Idempotency-Key was used for a different request.',
        status: 422,
        detail: 'This Idempotency-Key was already used for a different method, path or body.',
        code: 'IDEMPOTENCY_KEY_REUSED',
      });
      const [row] = await t.db.query('SELECT name, active FROM scheduler.locations WHERE id = $1', [created.body.id]);
      expect(row).toEqual({ name: 'First', active: true });
    });

    it('scopes keys per principal: another caller\'s identical key is a different request', async () => {
      const otherSub = crypto.randomUUID();
      const otherAdmin = await token({ sub: otherSub, roles: ['admin'], biz: [biz] });
      const headers = { 'Idempotency-Key': 'shared-key' };
      const mine = await t.api.post(LOCATIONS, { token: admin, body: locationBody(biz, { name: 'Mine' }), headers });
      const theirs = await t.api.post(LOCATIONS, { token: otherAdmin, body: locationBody(biz, { name: 'Theirs' }), headers });
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      expect(theirs.body.id).not.toBe(mine.body.id);
      expect(await locationRows()).toBe(2);
    });
  });

  describe('concurrent duplicates', () => {
    it('execute once: 20 requests with one key give one row, the rest 409 in progress or the replay', async () => {
      const body = locationBody(biz);
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => t.api.post(LOCATIONS, { token: admin, body, headers: { 'Idempotency-Key': 'storm' } })),
      );
      const created = responses.filter((r) => r.status === 201);
      const inProgress = responses.filter((r) => r.status === 409);
      expect(created.length + inProgress.length).toBe(20);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
      expect(created.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
      for (const r of inProgress) {
        expect(r.body.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
        expect(r.headers['retry-after']).toBe('1');
      }
      expect(await locationRows()).toBe(1);
      expect(await keyRows(adminSub)).toBe(1);
    });
  });

  describe('atomicity', () => {
    it('leaves neither the write nor a record when the request fails after writing', async () => {
      const locations = t.app.get(LocationsService);
      const original = locations.create.bind(locations);
      const spy = jest.spyOn(locations, 'create').mockImplementation(async (scope, dto) => {
        await original(scope, dto);
        throw new Error('crash after the write');
      });
      try {
        const res = await t.api.post(LOCATIONS, { token: admin, body: locationBody(biz), headers: { 'Idempotency-Key': 'crash' } });
        expect(res.status).toBe(500);
        expect(res.body.code).toBe('INTERNAL');
      } finally {
        spy.mockRestore();
      }
      expect(await locationRows()).toBe(0);
      expect(await keyRows(adminSub)).toBe(0);
      const retry = await t.api.post(LOCATIONS, { token: admin, body: locationBody(biz), headers: { 'Idempotency-Key': 'crash' } });
      expect(retry.status).toBe(201);
      expect(await locationRows()).toBe(1);
    });
  });

  describe('header syntax', () => {
    it.each([
      ['256 characters', 'k'.repeat(256)],
      ['a non-ASCII character', 'clé'],
      ['a tab', 'a\tb'],
    ])('refuses a key of %s with 400 IDEMPOTENCY_KEY_INVALID, writing nothing', async (_name, key) => {
      const res = await request(t.app.getHttpServer())
        .post(LOCATIONS)
        .set('Authorization', `Bearer ${admin}`)
        .set('Idempotency-Key', key)
        .send(locationBody(biz));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID', status: 400 });
      expect(await locationRows()).toBe(0);
    });

    it('accepts 255 printable characters, spaces included', async () => {
      const key = `a b~${'x'.repeat(251)}`;
      const res = await t.api.post(LOCATIONS, { token: admin, body: locationBody(biz), headers: { 'Idempotency-Key': key } });
      expect(res.status).toBe(201);
      expect(await keyRows(adminSub)).toBe(1);
    });

    it('is optional on admin writes: without it the write runs and nothing is recorded', async () => {
      const res = await t.api.post(LOCATIONS, { token: admin, body: locationBody(biz) });
      expect(res.status).toBe(201);
      expect(await keyRows(adminSub)).toBe(0);
    });
  });

  describe('expiry', () => {
    it('forgets a key once it expired: the same key then runs a new request', async () => {
      const headers = { 'Idempotency-Key': 'old' };
      await t.api.post(LOCATIONS, { token: admin, body: locationBody(biz, { name: 'Yesterday' }), headers });
      await t.db.query(`UPDATE scheduler.idempotency_keys SET expires_at = now() - interval '1 second' WHERE principal_sub = $1`, [adminSub]);
      const res = await t.api.post(LOCATIONS, { token: admin, body: locationBody(biz, { name: 'Today' }), headers });
      expect(res.status).toBe(201);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(await locationRows()).toBe(2);
      expect(await keyRows(adminSub)).toBe(1);
    });

    it('purges expired records in batches, on two instances at once, and keeps live ones', async () => {
      const sub = crypto.randomUUID();
      await t.db.query(
        `INSERT INTO scheduler.idempotency_keys
           (principal_sub, key, method, path, fingerprint, response_status, response_body, expires_at)
         SELECT $1, 'k' || n, 'POST', '/v1/x', 'f', 201, '{}',
                CASE WHEN n <= 250 THEN now() - interval '1 minute' ELSE now() + interval '1 hour' END
           FROM generate_series(1, 260) AS n`,
        [sub],
      );
      const second = await startTestApp();
      try {
        const purged = await Promise.all([
          t.app.get(IdempotencyService).purgeExpired(20),
          second.app.get(IdempotencyService).purgeExpired(20),
        ]);
        expect(await keyRows(sub)).toBe(10);
        expect(await countRows(t.db, 'scheduler.idempotency_keys', 'expires_at <= now()')).toBe(0);
        expect(purged.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(250);
      } finally {
        await second.close();
      }
    });
  });
});
