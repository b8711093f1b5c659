import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { key } from '../../factories/bookings';
import { createBusiness, locationBody } from '../../factories/factories';
import { ROUTE_TABLE } from '../../utils/route-table';
import { startTestApp, testDatabaseUrl, TestApp, token } from '../../utils/test-app';
import { eventually } from '../../utils/wait';
import { ADMIN_WRITES, AdminWorld, adminWorld, routeKey } from './admin-writes';

interface DocumentedOperation {
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { $ref?: string; headers?: Record<string, unknown> }>;
}

/** Every admin PATCH of the contract: each one honours If-Match. */
const ADMIN_PATCHES = ROUTE_TABLE.filter((operation) => operation.admin && operation.method === 'patch');

/** The GET of one versioned resource, and where its row lives. */
const VERSIONED_READS: { template: string; table: string; path: (w: AdminWorld) => string; as: (w: AdminWorld) => string }[] = [
  { template: '/v1/admin/locations/{id}', table: 'locations', path: (w) => `/v1/admin/locations/${w.locationId}`, as: (w) => w.admin },
  { template: '/v1/locations/{locationId}', table: 'locations', path: (w) => `/v1/locations/${w.locationId}`, as: (w) => w.user.token },
  { template: '/v1/admin/people/{id}', table: 'people', path: (w) => `/v1/admin/people/${w.personId}`, as: (w) => w.admin },
  { template: '/v1/admin/availability-rules/{id}', table: 'availability_rules', path: (w) => `/v1/admin/availability-rules/${w.ruleId}`, as: (w) => w.admin },
  { template: '/v1/admin/slots/{id}', table: 'slot_instances', path: (w) => `/v1/admin/slots/${w.slotIds[3]}`, as: (w) => w.admin },
  { template: '/v1/admin/bookings/{id}', table: 'bookings', path: (w) => `/v1/admin/bookings/${w.bookingId}`, as: (w) => w.admin },
  { template: '/v1/bookings/{id}', table: 'bookings', path: (w) => `/v1/bookings/${w.bookingId}`, as: (w) => w.user.token },
  { template: '/v1/admin/webhooks/{id}', table: 'webhook_endpoints', path: (w) => `/v1/admin/webhooks/${w.webhookId}`, as: (w) => w.admin },
];

const lastSegment = (path: string): string => path.split('/').at(-1)!;

describe('lost updates: ETag and If-Match (issue "Operate it safely", item 5)', () => {
  let t: TestApp;
  let document: { paths: Record<string, Record<string, DocumentedOperation>>; components: { responses: Record<string, { headers?: Record<string, unknown> }> } };

  beforeAll(async () => {
    t = await startTestApp();
    document = (await request(t.app.getHttpServer()).get('/openapi.json')).body;
  });
  afterAll(() => t.close());

  const versionOf = async (table: string, id: string): Promise<number> => {
    const [row] = (await t.db.query(`SELECT version FROM scheduler.${table} WHERE id = $1`, [id])) as { version: number }[];
    return row.version;
  };

  /** The admin PATCH recipe for a route, and the GET that reads the same resource. */
  async function patchOf(route: string): Promise<{ w: AdminWorld; path: string; body: Record<string, unknown>; etag: string }> {
    const w = await adminWorld(t);
    const write = await ADMIN_WRITES[route](w, t);
    const read = await t.api.get(write.path, { token: w.admin });
    expect(read.status).toBe(200);
    return { w, path: write.path, body: write.body!, etag: read.headers.etag };
  }

  describe('the contract', () => {
    it('covers every admin PATCH and every versioned read', () => {
      expect(ADMIN_PATCHES.map((operation) => operation.template).sort()).toEqual(
        expect.arrayContaining(['/v1/admin/availability-rules/{id}', '/v1/admin/locations/{id}', '/v1/admin/people/{id}', '/v1/admin/slots/{id}', '/v1/admin/webhooks/{id}']),
      );
      expect(ADMIN_PATCHES.map((operation) => operation.template).filter((template) => !VERSIONED_READS.some((read) => read.template === template))).toEqual([]);
    });

    it.each(ADMIN_PATCHES.map((operation) => operation.template))('PATCH %s documents If-Match, its ETag, 412 and 428', (template) => {
      const operation = document.paths[template].patch;
      expect(operation.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'If-Match', in: 'header', required: false })]));
      expect(operation.responses['200'].headers).toHaveProperty('ETag');
      expect(operation.responses['412']).toEqual({ $ref: '#/components/responses/PreconditionFailed' });
      expect(operation.responses['428']).toEqual({ $ref: '#/components/responses/PreconditionRequired' });
    });

    it.each(VERSIONED_READS.map((read) => read.template))('GET %s documents its ETag', (template) => {
      expect(document.paths[template].get.responses['200'].headers).toHaveProperty('ETag');
    });
  });

  describe('GET answers the version as ETag', () => {
    it.each(VERSIONED_READS.map((read) => [read.template, read] as const))('%s', async (_, read) => {
      const w = await adminWorld(t);
      const path = read.path(w);
      const first = await t.api.get(path, { token: read.as(w) });
      expect(first.status).toBe(200);
      expect(first.headers.etag).toBe(`"${await versionOf(read.table, lastSegment(path))}"`);
      // Any update of the row, by whichever writer, is a new version.
      await t.db.query(`UPDATE scheduler.${read.table} SET updated_at = updated_at WHERE id = $1`, [lastSegment(path)]);
      const second = await t.api.get(path, { token: read.as(w) });
      expect(second.headers.etag).not.toBe(first.headers.etag);
      expect(second.headers.etag).toBe(`"${await versionOf(read.table, lastSegment(path))}"`);
    });

    it('lists carry no ETag (nor does anything Express would hash)', async () => {
      const w = await adminWorld(t);
      expect((await t.api.get(`/v1/admin/people?locationId=${w.locationId}`, { token: w.admin })).headers.etag).toBeUndefined();
      expect((await t.api.get('/v1/admin/events', { token: w.admin })).headers.etag).toBeUndefined();
    });
  });

  describe.each(ADMIN_PATCHES.map((operation) => routeKey(operation.method, operation.template)))('%s with If-Match', (route) => {
    it('applies on the current ETag and answers the new one, which the next GET repeats', async () => {
      const { w, path, body, etag } = await patchOf(route);
      const changed = await t.api.patch(path, { token: w.admin, body, headers: { 'If-Match': etag } });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe(`"${Number(JSON.parse(etag)) + 1}"`);
      const read = await t.api.get(path, { token: w.admin });
      expect(read.headers.etag).toBe(changed.headers.etag);
      expect(read.body).toEqual(changed.body);
    });

    it('refuses a stale or weak ETag with 412, changing nothing and recording nothing', async () => {
      const { w, path, body, etag } = await patchOf(route);
      const before = await t.api.get(path, { token: w.admin });
      for (const stale of [`"${Number(JSON.parse(etag)) + 7}"`, `W/${etag}`, 'garbage']) {
        const requestId = randomUUID();
        const refused = await t.api.patch(path, { token: w.admin, body, headers: { 'If-Match': stale, 'X-Request-Id': requestId } });
        expect({ stale, status: refused.status, code: refused.body.code }).toEqual({ stale, status: 412, code: 'PRECONDITION_FAILED' });
        expect(refused.body.detail).toContain(`its current ETag is ${etag}`);
        expect(await t.db.query(`SELECT 1 FROM scheduler.audit_log WHERE request_id = $1`, [requestId])).toEqual([]);
      }
      const after = await t.api.get(path, { token: w.admin });
      expect({ etag: after.headers.etag, body: after.body }).toEqual({ etag: before.headers.etag, body: before.body });
    });

    it('takes `*` and a list that names the current ETag', async () => {
      const { w, path, body, etag } = await patchOf(route);
      expect((await t.api.patch(path, { token: w.admin, body, headers: { 'If-Match': `"0", ${etag}` } })).status).toBe(200);
      expect((await t.api.patch(path, { token: w.admin, body, headers: { 'If-Match': '*' } })).status).toBe(200);
    });

    it('applies unconditionally without If-Match (REQUIRE_IF_MATCH is off by default)', async () => {
      const { w, path, body } = await patchOf(route);
      expect((await t.api.patch(path, { token: w.admin, body })).status).toBe(200);
    });
  });

  describe('with an Idempotency-Key', () => {
    it('a 412 is not the recorded outcome: the same key with the fresh ETag applies, and its replay carries the ETag', async () => {
      const { w, path, body, etag } = await patchOf('PATCH /v1/admin/locations/{id}');
      const headers = key();
      const stale = await t.api.patch(path, { token: w.admin, body, headers: { ...headers, 'If-Match': '"0"' } });
      expect(stale.status).toBe(412);
      expect(stale.headers['idempotent-replayed']).toBeUndefined();

      const applied = await t.api.patch(path, { token: w.admin, body, headers: { ...headers, 'If-Match': etag } });
      expect(applied.status).toBe(200);
      expect(applied.headers['idempotent-replayed']).toBeUndefined();
      const replayed = await t.api.patch(path, { token: w.admin, body, headers: { ...headers, 'If-Match': etag } });
      expect(replayed.status).toBe(200);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.headers.etag).toBe(applied.headers.etag);
      expect(replayed.body).toEqual(applied.body);
    });
  });

  describe('two writers with the same ETag at once', () => {
    it('exactly one wins; the other is 412 and changes nothing', async () => {
      const biz = await createBusiness(t.db);
      const admin = await token({ roles: ['admin'], biz: [biz] });
      const location = await t.api.post('/v1/admin/locations', { token: admin, body: locationBody(biz) });
      const path = `/v1/admin/locations/${location.body.id}`;
      const { etag } = (await t.api.get(path, { token: admin })).headers;

      // Both requests read the same ETag, then meet at the row lock, which a third session holds until both wait for it.
      const locker = new Client({ connectionString: testDatabaseUrl() });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('SELECT id FROM scheduler.locations WHERE id = $1 FOR UPDATE', [location.body.id]);
        const [{ pid }] = (await locker.query('SELECT pg_backend_pid() AS pid')).rows as { pid: number }[];
        const writers = ['Anna', 'Bert'].map((name) => t.api.patch(path, { token: admin, body: { name }, headers: { 'If-Match': etag } }));
        // Read outside the locker's transaction, which would see one snapshot of pg_stat_activity throughout.
        const waiting = await eventually(
          async () => {
            const rows = await t.db.query(
              `WITH RECURSIVE waiting(pid) AS (
                 SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))
                 UNION SELECT a.pid FROM pg_stat_activity a JOIN waiting w ON w.pid = ANY(pg_blocking_pids(a.pid)))
               SELECT count(*)::int AS n FROM waiting`,
              [pid],
            );
            return (rows as { n: number }[])[0].n;
          },
          (n) => n >= 2,
        );
        expect(waiting).toBe(2);
        await locker.query('COMMIT');
        const answers = await Promise.all(writers);

        expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412]);
        const winner = answers.find((answer) => answer.status === 200)!;
        const loser = answers.find((answer) => answer.status === 412)!;
        expect(loser.body.code).toBe('PRECONDITION_FAILED');
        expect(winner.headers.etag).toBe('"2"');
        const [row] = (await t.db.query('SELECT name, version FROM scheduler.locations WHERE id = $1', [location.body.id])) as { name: string; version: number }[];
        expect(row).toEqual({ name: winner.body.name, version: 2 });
        const audited = (await t.db.query(`SELECT after FROM scheduler.audit_log WHERE target_id = $1 AND action LIKE 'PATCH %'`, [location.body.id])) as {
          after: { name: string };
        }[];
        expect(audited).toEqual([{ after: { name: winner.body.name } }]);
      } finally {
        await locker.end();
      }
    });
  });

  describe('REQUIRE_IF_MATCH=true', () => {
    let strict: TestApp;

    beforeAll(async () => {
      strict = await startTestApp({ REQUIRE_IF_MATCH: 'true' });
    });
    afterAll(() => strict.close());

    it.each(ADMIN_PATCHES.map((operation) => routeKey(operation.method, operation.template)))(
      '%s without If-Match is 428 and changes nothing; with it, it applies',
      async (route) => {
        const { w, path, body, etag } = await patchOf(route);
        const missing = await strict.api.patch(path, { token: w.admin, body });
        expect({ status: missing.status, code: missing.body.code }).toEqual({ status: 428, code: 'PRECONDITION_REQUIRED' });
        expect((await strict.api.get(path, { token: w.admin })).headers.etag).toBe(etag);
        expect((await strict.api.patch(path, { token: w.admin, body, headers: { 'If-Match': etag } })).status).toBe(200);
      },
    );

    it('asks nothing of other writes', async () => {
      const biz = await createBusiness(t.db);
      const admin = await token({ roles: ['admin'], biz: [biz] });
      expect((await strict.api.post('/v1/admin/locations', { token: admin, body: locationBody(biz) })).status).toBe(201);
    });
  });
});
