import { Webhook } from 'standardwebhooks';
import { createBusiness, countRows } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';

/** The admin webhook endpoints: tenant-scoped, RBAC like the rest, secrets shown once. */
describe('/v1/admin/webhooks', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function business() {
    const biz = await createBusiness(t.db);
    return { biz, admin: await token({ roles: ['admin'], biz: [biz] }), viewer: await token({ roles: ['viewer'], biz: [biz] }) };
  }

  const create = (adminToken: string, body: Record<string, unknown>) => t.api.post('/v1/admin/webhooks', { token: adminToken, body });
  const url = 'https://hooks.example.com/scheduler';

  it('POST → 201 with a whsec_ secret shown once; GET never shows it', async () => {
    const { biz, admin } = await business();
    const res = await create(admin, { bizEntityId: biz, url, events: ['booking.confirmed', 'booking.cancelled'], description: 'CRM sync' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      bizEntityId: biz,
      url,
      description: 'CRM sync',
      events: ['booking.confirmed', 'booking.cancelled'],
      enabled: true,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    // A secret the standardwebhooks package takes.
    expect(() => new Webhook(res.body.secret).sign('msg', new Date(), '{}')).not.toThrow();
    const { secret, ...shown } = res.body;
    const got = await t.api.get(`/v1/admin/webhooks/${res.body.id}`, { token: admin });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(shown);
    expect(JSON.stringify(got.body)).not.toContain(secret.slice(6));
    const list = await t.api.get(`/v1/admin/webhooks?bizEntityId=${biz}`, { token: admin });
    expect(list.body).toEqual({ data: [shown], nextCursor: null });
    const [row] = (await t.db.query(`SELECT biz_entity_id, secret, event_types FROM scheduler.webhook_endpoints WHERE id = $1`, [res.body.id])) as Record<string, unknown>[];
    expect(row).toEqual({ biz_entity_id: biz, secret, event_types: ['booking.confirmed', 'booking.cancelled'] });
  });

  it('events absent means every type; PATCH changes fields, null clears, disabling and enabling record why', async () => {
    const { biz, admin } = await business();
    const created = (await create(admin, { bizEntityId: biz, url })).body;
    expect(created.events).toBeUndefined();
    const path = `/v1/admin/webhooks/${created.id}`;
    const patched = await t.api.patch(path, { token: admin, body: { events: ['booking.held'], description: 'x', url: 'https://other.example.com/in' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ events: ['booking.held'], description: 'x', url: 'https://other.example.com/in', enabled: true });
    const cleared = await t.api.patch(path, { token: admin, body: { events: null, description: null } });
    expect(cleared.body.events).toBeUndefined();
    expect(cleared.body.description).toBeUndefined();
    const off = await t.api.patch(path, { token: admin, body: { enabled: false } });
    expect(off.body).toMatchObject({ enabled: false, disabledReason: 'Disabled by an operator.', disabledAt: expect.any(String) });
    const on = await t.api.patch(path, { token: admin, body: { enabled: true } });
    expect(on.body.enabled).toBe(true);
    expect(on.body.disabledReason).toBeUndefined();
    expect(on.body.disabledAt).toBeUndefined();
  });

  it('rotate-secret: a new secret shown once; the old one kept as previous for 24 h', async () => {
    const { biz, admin } = await business();
    const created = (await create(admin, { bizEntityId: biz, url })).body;
    const rotated = await t.api.post(`/v1/admin/webhooks/${created.id}/rotate-secret`, { token: admin });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.secret);
    expect(rotated.body.secretRotatedAt).toEqual(expect.any(String));
    const [row] = (await t.db.query(
      `SELECT secret, previous_secret, round(extract(epoch FROM previous_secret_expires_at - secret_rotated_at))::int AS overlap
         FROM scheduler.webhook_endpoints WHERE id = $1`,
      [created.id],
    )) as Record<string, unknown>[];
    expect(row).toEqual({ secret: rotated.body.secret, previous_secret: created.secret, overlap: 86_400 });
  });

  it('DELETE → 204, then 404; its deliveries go with it', async () => {
    const { biz, admin } = await business();
    const created = (await create(admin, { bizEntityId: biz, url })).body;
    const test = await t.api.post(`/v1/admin/webhooks/${created.id}/test`, { token: admin });
    expect(test.status).toBe(202);
    expect(test.body).toEqual({
      id: expect.any(String),
      webhookId: created.id,
      eventId: expect.any(String),
      eventType: 'webhook.test',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: expect.any(String),
      createdAt: expect.any(String),
    });
    const deliveries = await t.api.get(`/v1/admin/webhooks/${created.id}/deliveries`, { token: admin });
    expect(deliveries.body).toEqual({ data: [test.body], nextCursor: null });
    expect((await t.api.get(`/v1/admin/webhooks/${created.id}/deliveries?status=delivered`, { token: admin })).body.data).toEqual([]);

    expect((await t.api.delete(`/v1/admin/webhooks/${created.id}`, { token: admin })).status).toBe(204);
    expect((await t.api.get(`/v1/admin/webhooks/${created.id}`, { token: admin })).status).toBe(404);
    expect((await t.api.delete(`/v1/admin/webhooks/${created.id}`, { token: admin })).status).toBe(404);
    expect(await countRows(t.db, 'scheduler.webhook_deliveries', 'endpoint_id = $1', [created.id])).toBe(0);
  });

  it('redeliver: 202 pending with a fresh schedule; another endpoint\'s delivery is 404', async () => {
    const { biz, admin } = await business();
    const a = (await create(admin, { bizEntityId: biz, url })).body;
    const b = (await create(admin, { bizEntityId: biz, url })).body;
    const test = (await t.api.post(`/v1/admin/webhooks/${a.id}/test`, { token: admin })).body;
    await t.db.query(`UPDATE scheduler.webhook_deliveries SET status = 'failed', next_attempt_at = NULL, attempts = 9 WHERE id = $1`, [test.id]);
    const again = await t.api.post(`/v1/admin/webhooks/${a.id}/deliveries/${test.id}/redeliver`, { token: admin });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id: test.id, status: 'pending', attempts: 0, nextAttemptAt: expect.any(String) });
    const wrong = await t.api.post(`/v1/admin/webhooks/${b.id}/deliveries/${test.id}/redeliver`, { token: admin });
    expect(wrong.status).toBe(404);
  });

  describe('roles and tenancy', () => {
    it('viewers read endpoints and their deliveries', async () => {
      const { biz, admin, viewer } = await business();
      const created = (await create(admin, { bizEntityId: biz, url })).body;
      expect((await t.api.get(`/v1/admin/webhooks/${created.id}`, { token: viewer })).status).toBe(200);
      expect((await t.api.get(`/v1/admin/webhooks/${created.id}/deliveries`, { token: viewer })).status).toBe(200);
    });

    it("another business's endpoints and deliveries look missing; creating one for it is 403", async () => {
      const mine = await business();
      const theirs = await business();
      const created = (await create(theirs.admin, { bizEntityId: theirs.biz, url })).body;
      const test = (await t.api.post(`/v1/admin/webhooks/${created.id}/test`, { token: theirs.admin })).body;
      for (const [method, path] of [
        ['get', `/v1/admin/webhooks/${created.id}`],
        ['patch', `/v1/admin/webhooks/${created.id}`],
        ['delete', `/v1/admin/webhooks/${created.id}`],
        ['post', `/v1/admin/webhooks/${created.id}/rotate-secret`],
        ['post', `/v1/admin/webhooks/${created.id}/test`],
        ['get', `/v1/admin/webhooks/${created.id}/deliveries`],
        ['post', `/v1/admin/webhooks/${created.id}/deliveries/${test.id}/redeliver`],
      ] as const) {
        const res = await t.api.call(method, path, { token: mine.admin, body: method === 'patch' ? { enabled: false } : undefined });
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
      }
      expect((await t.api.get('/v1/admin/webhooks', { token: mine.admin })).body.data).toEqual([]);
      const foreign = await create(mine.admin, { bizEntityId: theirs.biz, url });
      expect(foreign.status).toBe(403);
      // Unchanged by any of it.
      expect((await t.api.get(`/v1/admin/webhooks/${created.id}`, { token: theirs.admin })).body).toMatchObject({ enabled: true, url });
      expect(await countRows(t.db, 'scheduler.webhook_deliveries', 'endpoint_id = $1', [created.id])).toBe(1);
    });
  });

  describe('bad input → 400, nothing written', () => {
    it.each([
      ['an ftp URL', { url: 'ftp://hooks.example.com/' }, 'url', 'must be an http(s) URL'],
      ['a relative URL', { url: 'not a url' }, 'url', 'must be an absolute http(s) URL'],
      ['credentials in the URL', { url: 'https://user:pw@hooks.example.com/' }, 'url', 'must not carry credentials'],
      ['an empty URL', { url: '' }, 'url', 'should not be empty'],
      ['a URL over 2,000 characters', { url: `https://hooks.example.com/${'x'.repeat(2000)}` }, 'url', 'must be shorter than or equal to 2000 characters'],
      ['no event types', { events: [] }, 'events', 'must contain at least 1 elements'],
      ['a repeated event type', { events: ['booking.held', 'booking.held'] }, 'events', "All events's elements must be unique"],
      ['an unknown event type', { events: ['booking.bogus'] }, 'events', expect.stringContaining('must be one of the following values')],
      ['the test event as a subscription', { events: ['webhook.test'] }, 'events', expect.stringContaining('must be one of the following values')],
      ['a description over 500 characters', { description: 'd'.repeat(501) }, 'description', 'must be shorter than or equal to 500 characters'],
      ['a secret of its own', { secret: 'whsec_mine' }, 'secret', 'property secret should not exist'],
      ['a business id that is not a UUID', { bizEntityId: 'nope' }, 'bizEntityId', 'must be a UUID'],
    ])('%s → 400', async (_label, change, field, message) => {
      const { biz, admin } = await business();
      const res = await create(admin, { bizEntityId: biz, url, ...change });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toContainEqual({ field, message });
      // Counted within the fresh business: suites running alongside create endpoints of their own.
      expect(await countRows(t.db, 'scheduler.webhook_endpoints', 'biz_entity_id = $1', [biz])).toBe(0);
    });

    it('an unknown business is 422 UNKNOWN_REFERENCE for a superadmin', async () => {
      const superadmin = await token({ roles: ['superadmin'] });
      const res = await create(superadmin, { bizEntityId: '00000000-0000-4000-8000-000000000000', url });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('UNKNOWN_REFERENCE');
    });

    it('a PATCH to a bad URL is refused and changes nothing', async () => {
      const { biz, admin } = await business();
      const created = (await create(admin, { bizEntityId: biz, url })).body;
      const res = await t.api.patch(`/v1/admin/webhooks/${created.id}`, { token: admin, body: { url: 'gopher://x', enabled: false } });
      expect(res.status).toBe(400);
      expect((await t.api.get(`/v1/admin/webhooks/${created.id}`, { token: admin })).body).toMatchObject({ url, enabled: true });
    });
  });
});
