import { randomUUID } from 'node:crypto';
import { key } from '../../factories/bookings';
import { createBusiness, locationBody } from '../../factories/factories';
import { ROUTE_TABLE } from '../../utils/route-table';
import { startIsolatedTestApp, startTestApp, TestApp, token } from '../../utils/test-app';
import { ADMIN_WRITES, adminWorld, routeKey } from './admin-writes';

interface AuditRow {
  biz_entity_id: string;
  actor_sub: string;
  actor_role: string;
  action: string;
  target_type: string;
  target_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  report: Record<string, unknown> | null;
}

/** Every admin write of the contract, derived from it: a route added later is covered, or fails below for want of a recipe. */
const ADMIN_WRITE_ROUTES = ROUTE_TABLE.filter((operation) => operation.admin && operation.method !== 'get');

describe('the audit log (issue "Operate it safely", item 6)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const rowsOf = (requestId: string): Promise<AuditRow[]> =>
    t.db.query(
      `SELECT biz_entity_id, actor_sub, actor_role, action, target_type, target_id, before, after, report
         FROM scheduler.audit_log WHERE request_id = $1`,
      [requestId],
    );

  /** A business with an admin whose `sub` the test knows. */
  async function operator(): Promise<{ biz: string; sub: string; admin: string }> {
    const biz = await createBusiness(t.db);
    const sub = randomUUID();
    return { biz, sub, admin: await token({ sub, roles: ['admin'], biz: [biz] }) };
  }

  describe('one row per admin write, whatever the route', () => {
    it('has a recipe for every admin write route of the contract', () => {
      expect(ADMIN_WRITE_ROUTES.length).toBeGreaterThan(20);
      expect(ADMIN_WRITE_ROUTES.map((operation) => routeKey(operation.method, operation.template)).filter((route) => !ADMIN_WRITES[route])).toEqual([]);
    });

    it.each(ADMIN_WRITE_ROUTES.map((operation) => [routeKey(operation.method, operation.template), operation] as const))(
      '%s records who, as what, for which business, what, and the request',
      async (route, operation) => {
        const w = await adminWorld(t);
        const sub = randomUUID();
        const admin = await token({ sub, roles: ['admin'], biz: [w.bizEntityId] });
        const write = await ADMIN_WRITES[route](w, t);
        const requestId = `audit-${randomUUID()}`;
        const res = await t.api.call(operation.method, write.path, { token: admin, body: write.body, headers: { 'X-Request-Id': requestId } });
        expect({ route, status: res.status < 300 ? 'success' : `${res.status} ${res.text}` }).toEqual({ route, status: 'success' });
        expect(await rowsOf(requestId)).toEqual([
          expect.objectContaining({
            biz_entity_id: w.bizEntityId,
            actor_sub: sub,
            actor_role: 'admin',
            action: route,
            target_type: write.target.type,
            target_id: write.target.id ?? res.body.id,
          }),
        ]);
      },
    );
  });

  describe('what a row says', () => {
    it('a PATCH keeps only the fields it changed, before and after, nested ones by their path', async () => {
      const op = await operator();
      const location = await t.api.post('/v1/admin/locations', { token: op.admin, body: locationBody(op.biz, { name: 'Old name' }) });
      const requestId = randomUUID();
      const res = await t.api.patch(`/v1/admin/locations/${location.body.id}`, {
        token: op.admin,
        headers: { 'X-Request-Id': requestId },
        body: { name: 'New name', policy: { holdTtlSeconds: 900, requireExposure: true } },
      });
      expect(res.status).toBe(200);
      // requireExposure was sent as it already was: not a change.
      expect(await rowsOf(requestId)).toEqual([
        expect.objectContaining({
          before: { name: 'Old name', 'policy.holdTtlSeconds': 300 },
          after: { name: 'New name', 'policy.holdTtlSeconds': 900 },
          report: null,
        }),
      ]);
    });

    it('a create keeps the new resource after, nothing before; a delete the flag it turned', async () => {
      const op = await operator();
      const createId = randomUUID();
      const created = await t.api.post('/v1/admin/locations', { token: op.admin, headers: { 'X-Request-Id': createId }, body: locationBody(op.biz) });
      const [creation] = await rowsOf(createId);
      expect(creation.before).toBeNull();
      expect(creation.after).toMatchObject({ id: created.body.id, name: created.body.name, active: true, 'policy.holdTtlSeconds': 300 });
      const deleteId = randomUUID();
      expect((await t.api.delete(`/v1/admin/locations/${created.body.id}`, { token: op.admin, headers: { 'X-Request-Id': deleteId } })).status).toBe(204);
      expect(await rowsOf(deleteId)).toEqual([expect.objectContaining({ before: { active: true }, after: { active: false } })]);
    });

    it('a slot generation keeps its report, as the response gave it', async () => {
      const w = await adminWorld(t);
      const requestId = randomUUID();
      const res = await t.api.post('/v1/admin/slot-generations', {
        token: w.admin,
        headers: { 'X-Request-Id': requestId },
        body: { locationId: w.locationId, from: '2027-03-01', to: '2027-03-07' },
      });
      expect(res.status).toBe(200);
      expect(res.body.created).toBeGreaterThan(0);
      expect(await rowsOf(requestId)).toEqual([expect.objectContaining({ target_id: w.locationId, before: null, after: null, report: res.body })]);
    });

    it('never keeps a secret: a webhook secret or a calendar subscription URL', async () => {
      const w = await adminWorld(t);
      const rotateId = randomUUID();
      const rotated = await t.api.post(`/v1/admin/webhooks/${w.webhookId}/rotate-secret`, { token: w.admin, headers: { 'X-Request-Id': rotateId } });
      const feedId = randomUUID();
      const feed = await t.api.post(`/v1/admin/people/${w.personId}/calendar-feeds`, { token: w.admin, headers: { 'X-Request-Id': feedId } });
      const rows = JSON.stringify([...(await rowsOf(rotateId)), ...(await rowsOf(feedId))]);
      expect(rows).toContain('secretRotatedAt');
      expect(rows).not.toContain(rotated.body.secret.slice(6));
      expect(rows).not.toContain(feed.body.url.split('/').at(-2));
    });

    it('says which role allowed the write', async () => {
      const biz = await createBusiness(t.db);
      const requestId = randomUUID();
      const root = await token({ roles: ['superadmin'] });
      expect((await t.api.post('/v1/admin/locations', { token: root, headers: { 'X-Request-Id': requestId }, body: locationBody(biz) })).status).toBe(201);
      expect(await rowsOf(requestId)).toEqual([expect.objectContaining({ actor_role: 'superadmin', biz_entity_id: biz })]);
    });
  });

  describe('in the same transaction as the write', () => {
    it('a refused write leaves no row', async () => {
      const w = await adminWorld(t);
      const requestId = randomUUID();
      // The location's person has a live future booking.
      const refused = await t.api.delete(`/v1/admin/locations/${w.locationId}`, { token: w.admin, headers: { 'X-Request-Id': requestId } });
      expect(refused.status).toBe(409);
      expect(await rowsOf(requestId)).toEqual([]);
    });

    it('a replayed Idempotency-Key wrote nothing and adds no row; the keyed write has exactly one', async () => {
      const op = await operator();
      const headers = key();
      const first = await t.api.post('/v1/admin/locations', { token: op.admin, headers: { ...headers, 'X-Request-Id': randomUUID() }, body: locationBody(op.biz, { name: 'Once' }) });
      const again = await t.api.post('/v1/admin/locations', { token: op.admin, headers: { ...headers, 'X-Request-Id': randomUUID() }, body: locationBody(op.biz, { name: 'Once' }) });
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.id).toBe(first.body.id);
      const [{ n }] = (await t.db.query(`SELECT count(*)::int AS n FROM scheduler.audit_log WHERE target_id = $1`, [first.body.id])) as { n: number }[];
      expect(n).toBe(1);
    });
  });

  describe('a write whose row cannot be inserted', () => {
    let own: TestApp;

    beforeAll(async () => {
      // A database of its own: the trigger below refuses every audit row.
      own = await startIsolatedTestApp();
    });
    afterAll(() => own.close());

    it('is rolled back with it: 500, and the resource as it was', async () => {
      const biz = await createBusiness(own.db);
      const admin = await token({ roles: ['admin'], biz: [biz] });
      const location = await own.api.post('/v1/admin/locations', { token: admin, body: locationBody(biz, { name: 'Kept' }) });
      await own.db.query(`CREATE FUNCTION scheduler.refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no audit'; END $$`);
      await own.db.query(`CREATE TRIGGER refuse_audit BEFORE INSERT ON scheduler.audit_log FOR EACH ROW EXECUTE FUNCTION scheduler.refuse_audit()`);

      const res = await own.api.patch(`/v1/admin/locations/${location.body.id}`, { token: admin, body: { name: 'Lost' } });
      expect(res.status).toBe(500);
      expect(res.body.code).toBe('INTERNAL');
      const [row] = (await own.db.query(`SELECT name, version FROM scheduler.locations WHERE id = $1`, [location.body.id])) as { name: string; version: number }[];
      expect(row).toEqual({ name: 'Kept', version: 1 });
    });
  });

  describe('GET /v1/admin/audit-log', () => {
    const feed = (bearer: string, query = '') => t.api.get(`/v1/admin/audit-log${query}`, { token: bearer });

    it("filters by target, actor and time, oldest first, in keyset pages; a viewer reads it too", async () => {
      const op = await operator();
      const location = await t.api.post('/v1/admin/locations', { token: op.admin, body: locationBody(op.biz) });
      for (const name of ['Second', 'Third']) await t.api.patch(`/v1/admin/locations/${location.body.id}`, { token: op.admin, body: { name } });
      const viewer = await token({ roles: ['viewer'], biz: [op.biz] });

      const all = await feed(viewer, `?targetId=${location.body.id}`);
      expect(all.status).toBe(200);
      expect(all.body.data.map((entry: { action: string }) => entry.action)).toEqual([
        'POST /v1/admin/locations',
        'PATCH /v1/admin/locations/{id}',
        'PATCH /v1/admin/locations/{id}',
      ]);
      expect(all.body.data[2]).toEqual({
        id: expect.any(String),
        occurredAt: expect.any(String),
        actor: op.sub,
        actorRole: 'admin',
        bizEntityId: op.biz,
        action: 'PATCH /v1/admin/locations/{id}',
        targetType: 'location',
        targetId: location.body.id,
        request: expect.any(String),
        before: { name: 'Second' },
        after: { name: 'Third' },
      });

      const first = await feed(viewer, `?targetId=${location.body.id}&limit=2`);
      expect(first.body.data).toEqual(all.body.data.slice(0, 2));
      const rest = await feed(viewer, `?targetId=${location.body.id}&limit=2&cursor=${first.body.nextCursor}`);
      expect(rest.body).toEqual({ data: all.body.data.slice(2), nextCursor: null });

      expect((await feed(viewer, `?targetId=${location.body.id}&actor=${op.sub}`)).body.data).toHaveLength(3);
      expect((await feed(viewer, `?targetId=${location.body.id}&actor=${randomUUID()}`)).body.data).toEqual([]);
      const [, second] = all.body.data;
      expect((await feed(viewer, `?targetId=${location.body.id}&from=${second.occurredAt}`)).body.data.length).toBeGreaterThanOrEqual(2);
      expect((await feed(viewer, `?targetId=${location.body.id}&to=${all.body.data[0].occurredAt}`)).body.data).toEqual([]);
    });

    it("shows only the caller's businesses: another business's entries are not there, even by their target", async () => {
      const mine = await operator();
      const theirs = await operator();
      const myLocation = await t.api.post('/v1/admin/locations', { token: mine.admin, body: locationBody(mine.biz) });
      const theirLocation = await t.api.post('/v1/admin/locations', { token: theirs.admin, body: locationBody(theirs.biz) });

      expect((await feed(mine.admin, `?targetId=${theirLocation.body.id}`)).body.data).toEqual([]);
      expect((await feed(mine.admin, `?actor=${theirs.sub}`)).body.data).toEqual([]);
      const own = await feed(mine.admin, `?actor=${mine.sub}`);
      expect(own.body.data.map((entry: { targetId: string }) => entry.targetId)).toEqual([myLocation.body.id]);

      const root = await token({ roles: ['superadmin'] });
      const both = await Promise.all([theirLocation, myLocation].map((l) => feed(root, `?targetId=${l.body.id}`)));
      expect(both.map((page) => page.body.data.map((entry: { bizEntityId: string }) => entry.bizEntityId))).toEqual([[theirs.biz], [mine.biz]]);
    });

    it('400 naming the field for a malformed filter or cursor', async () => {
      const { admin } = await operator();
      for (const [query, field] of [
        ['?targetId=nope', 'targetId'],
        ['?actor=nope', 'actor'],
        ['?from=yesterday', 'from'],
        ['?cursor=nope', 'cursor'],
      ]) {
        const res = await feed(admin, query);
        expect({ query, status: res.status, code: res.body.code, field: res.body.errors?.[0]?.field }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED', field });
      }
    });
  });
});
