import { BookingFixture, bookingFixture, key, newUser } from '../../factories/bookings';
import { WebhookDeliveryService } from '../../../src/webhooks/webhook-delivery.service';
import { WebhookDispatcherJob } from '../../../src/webhooks/webhook-dispatcher.job';
import { startIsolatedTestApp, startTestApp, TestApp } from '../../utils/test-app';
import { eventually, sleep } from '../../utils/wait';
import { feedOf } from '../events/event-helpers';
import { Receiver } from './receiver';

/** Fast schedules, so whole retry schedules run within a test: retried for 2 s, requests cut off after 2.5 s. */
const FAST = {
  WEBHOOK_RETRY_BASE_MS: '20',
  WEBHOOK_RETRY_MAX_DELAY_MS: '100',
  WEBHOOK_RETRY_FOR_SECONDS: '2',
  WEBHOOK_TIMEOUT_MS: '2500',
};

/**
 * Delivery per the Standard Webhooks specification, to real receivers on loopback. The
 * dispatcher claims every due delivery in the database, so this file has a database of its
 * own, with a second instance on it; each test deletes its endpoints when it ends.
 */
describe('webhook delivery', () => {
  let t: TestApp;
  let second: TestApp;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    t = await startIsolatedTestApp(FAST);
    second = await startTestApp({ ...FAST, DATABASE_URL: (t.db.options as { url: string }).url });
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
    await t.db.query('DELETE FROM scheduler.webhook_endpoints');
  });

  async function receiver(): Promise<Receiver> {
    const r = await Receiver.start();
    receivers.push(r);
    return r;
  }

  async function endpoint(f: BookingFixture, url: string, body: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
    const res = await t.api.post('/v1/admin/webhooks', { token: f.admin, body: { bizEntityId: f.bizEntityId, url, ...body } });
    if (res.status !== 201) throw new Error(`POST /v1/admin/webhooks: ${res.status} ${res.text}`);
    return res.body;
  }

  const dispatcher = (app: TestApp = t) => app.app.get(WebhookDispatcherJob);

  /** Runs the dispatcher (as its timer would) until `done` holds. */
  async function dispatchUntil(done: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error('the dispatcher did not get there in time');
      await dispatcher().run();
      await sleep(20);
    }
  }

  const deliveries = (endpointId: string) =>
    t.db.query(
      `SELECT d.event_id, d.event_type, d.status, d.attempts, d.last_response_status, d.biz_entity_id, d.next_attempt_at
         FROM scheduler.webhook_deliveries d WHERE d.endpoint_id = $1 ORDER BY d.event_sequence NULLS LAST, d.created_at`,
      [endpointId],
    ) as Promise<{ event_id: string; event_type: string; status: string; attempts: number; last_response_status: number | null; biz_entity_id: string }[]>;

  /** Hold, confirm and cancel one booking per slot, as its user. */
  async function lifecycles(f: BookingFixture, slots: readonly string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const slotId of slots) {
      const held = await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId }, headers: key() });
      ids.push(held.body.id);
      await t.api.post(`/v1/bookings/${held.body.id}/confirm`, { token: f.user.token, headers: key() });
      await t.api.post(`/v1/bookings/${held.body.id}/cancel`, { token: f.user.token, body: {}, headers: key() });
    }
    return ids;
  }

  it('signs every delivery per Standard Webhooks; the receiver verifies each with standardwebhooks; the body is the feed event', async () => {
    const f = await bookingFixture(t, { slots: 1 });
    const r = await receiver();
    const hook = await endpoint(f, r.url());
    // Committed before any dispatcher ran (as if the process had died right after commit).
    const [booking] = await lifecycles(f, f.slotIds);
    const feed = await feedOf(t, f.admin, 3);

    await dispatchUntil(async () => r.received.length >= 3);
    expect(r.received.map((req) => req.id)).toEqual(feed.map((e) => e.id));
    for (const [i, req] of r.received.entries()) {
      expect(Receiver.verify(hook.secret, req)).toEqual({ type: feed[i].type, timestamp: feed[i].timestamp, data: feed[i].data });
      expect(Math.abs(Number(req.timestamp) - Date.now() / 1000)).toBeLessThan(60);
      expect(() => Receiver.verify(`whsec_${Buffer.from('someone else entirely').toString('base64')}`, req)).toThrow('No matching signature found');
    }
    expect(r.deliveredBodies().map((b) => [b.type, (b.data.booking as { id: string }).id])).toEqual([
      ['booking.held', booking],
      ['booking.confirmed', booking],
      ['booking.cancelled', booking],
    ]);
    expect(await deliveries(hook.id)).toEqual(
      feed.map((e) => expect.objectContaining({ event_id: e.id, event_type: e.type, status: 'delivered', attempts: 1, last_response_status: 200, biz_entity_id: f.bizEntityId })),
    );
    // Nothing is sent twice.
    expect(await dispatcher().run()).toBe(0);
    expect(r.received).toHaveLength(3);
  });

  it('keeps each booking in order while its first deliveries fail and are retried', async () => {
    const f = await bookingFixture(t, { slots: 4, policy: { maxActiveHoldsPerUser: 10 } });
    const r = await receiver();
    // The first five requests fail, whichever they are.
    r.answer = (_req, n) => (n < 5 ? 503 : 204);
    const hook = await endpoint(f, r.url());
    const bookings = await lifecycles(f, f.slotIds);
    const feed = await feedOf(t, f.admin, 12);

    await dispatchUntil(async () => r.deliveredBodies().length >= 12);
    expect(r.received.slice(0, 5).map((req) => req.answered)).toEqual([503, 503, 503, 503, 503]);
    for (const booking of bookings) {
      const order = feed.filter((e) => e.data.booking.id === booking).map((e) => e.id);
      const attempts = r.received.filter((req) => order.includes(req.id));
      // Every attempt is the booking's next undelivered event: never one ahead of it.
      let delivered = -1;
      for (const attempt of attempts) {
        expect(order.indexOf(attempt.id)).toBe(delivered + 1);
        if (attempt.answered === 204) delivered += 1;
      }
      expect(delivered).toBe(order.length - 1);
    }
    const rows = await deliveries(hook.id);
    expect(rows.every((row) => row.status === 'delivered' && row.last_response_status === 204)).toBe(true);
    expect(rows.reduce((sum, row) => sum + row.attempts, 0)).toBe(12 + 5);
  });

  it('disables the endpoint once one event has failed for the whole schedule; PATCH enables it again; the failed event can be redelivered', async () => {
    const f = await bookingFixture(t, { slots: 2 });
    const r = await receiver();
    r.answer = () => 500;
    const hook = await endpoint(f, r.url());
    const held = await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
    await feedOf(t, f.admin, 1);

    await dispatchUntil(async () => (await deliveries(hook.id))[0]?.status === 'failed');
    const [failed] = await deliveries(hook.id);
    expect(failed.attempts).toBeGreaterThan(3);
    const api = await t.api.get(`/v1/admin/webhooks/${hook.id}`, { token: f.admin });
    expect(api.body).toMatchObject({ enabled: false, disabledReason: `Every attempt to deliver event ${failed.event_id} failed.` });
    const listed = await t.api.get(`/v1/admin/webhooks/${hook.id}/deliveries?status=failed`, { token: f.admin });
    expect(listed.body.data).toEqual([
      expect.objectContaining({ eventId: failed.event_id, eventType: 'booking.held', bookingId: held.body.id, status: 'failed', attempts: failed.attempts, lastResponseStatus: 500, lastError: 'HTTP 500' }),
    ]);

    // While disabled, new events wait.
    r.answer = () => 200;
    await t.api.post(`/v1/bookings/${held.body.id}/cancel`, { token: f.user.token, body: {}, headers: key() });
    await feedOf(t, f.admin, 2);
    const sent = r.received.length;
    await dispatcher().run();
    expect(r.received).toHaveLength(sent);
    expect((await deliveries(hook.id)).map((row) => row.status)).toEqual(['failed', 'pending']);

    expect((await t.api.patch(`/v1/admin/webhooks/${hook.id}`, { token: f.admin, body: { enabled: true } })).body.enabled).toBe(true);
    await dispatchUntil(async () => (await deliveries(hook.id))[1].status === 'delivered');
    const again = await t.api.post(`/v1/admin/webhooks/${hook.id}/deliveries/${listed.body.data[0].id}/redeliver`, { token: f.admin });
    expect(again.status).toBe(202);
    await dispatchUntil(async () => (await deliveries(hook.id))[0].status === 'delivered');
    expect(r.deliveredBodies().map((b) => b.type)).toEqual(['booking.cancelled', 'booking.held']);
  });

  it('a receiver that hangs holds up no other endpoint', async () => {
    const f = await bookingFixture(t, { slots: 1 });
    const [stuck, fine] = [await receiver(), await receiver()];
    stuck.answer = () => 'hang';
    const slow = await endpoint(f, stuck.url());
    const quick = await endpoint(f, fine.url());
    await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
    await feedOf(t, f.admin, 1);

    // The timer's way: ticks that do not wait for the requests they started.
    const seen = await eventually(
      async () => {
        await dispatcher().tick();
        return fine.received.length;
      },
      (n) => n >= 1,
      2500,
      20,
    );
    expect(seen).toBe(1);
    // Delivered while the other request still hangs, its attempt not yet over.
    await eventually(async () => stuck.received.length, (n) => n === 1, 2500);
    expect(stuck.received.map((req) => req.answered)).toEqual([0]);
    expect((await deliveries(slow.id))[0]).toMatchObject({ status: 'pending', attempts: 1, last_response_status: null });
    const [open] = (await t.db.query(`SELECT last_error FROM scheduler.webhook_deliveries WHERE endpoint_id = $1`, [slow.id])) as { last_error: string | null }[];
    expect(open.last_error).toBeNull();
    await eventually(() => deliveries(quick.id), (rows) => rows[0]?.status === 'delivered', 2500);
    expect((await deliveries(quick.id))[0]).toMatchObject({ status: 'delivered', attempts: 1 });

    // The hanging one is cut off at its deadline and scheduled again.
    const lastError = async () =>
      ((await t.db.query(`SELECT last_error FROM scheduler.webhook_deliveries WHERE endpoint_id = $1`, [slow.id])) as { last_error: string | null }[])[0].last_error;
    await dispatcher().run();
    expect(await lastError()).toBe('no complete answer within 2500 ms');
  });

  it('a delivery claimed by an instance that died before sending it is delivered once its lease ends', async () => {
    const f = await bookingFixture(t, { slots: 1 });
    const r = await receiver();
    const hook = await endpoint(f, r.url());
    await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
    await feedOf(t, f.admin, 1);

    // The other instance fans out and claims, then is gone before it sends anything.
    const service = second.app.get(WebhookDeliveryService);
    await service.fanOut();
    expect(await service.claim(10)).toHaveLength(1);
    expect(await dispatcher().run()).toBe(0);
    expect(r.received).toHaveLength(0);

    // Leased for twice the request deadline (5 s here), then anyone may take it.
    await dispatchUntil(async () => r.received.length === 1, 15_000);
    expect(await deliveries(hook.id)).toEqual([expect.objectContaining({ status: 'delivered', attempts: 2 })]);
  });

  it('two instances dispatching at once deliver each event once, each booking in order', async () => {
    const f = await bookingFixture(t, { slots: 8, policy: { maxActiveHoldsPerUser: 10 } });
    const r = await receiver();
    await endpoint(f, r.url());
    const bookings = await lifecycles(f, f.slotIds);
    const feed = await feedOf(t, f.admin, 24);

    const deadline = Date.now() + 15_000;
    while (r.received.length < 24 && Date.now() < deadline) {
      await Promise.all([dispatcher(t).run(), dispatcher(second).run()]);
    }
    expect(r.received.map((req) => req.id).sort()).toEqual(feed.map((e) => e.id).sort());
    for (const booking of bookings) {
      const order = feed.filter((e) => e.data.booking.id === booking).map((e) => e.id);
      expect(r.received.filter((req) => order.includes(req.id)).map((req) => req.id)).toEqual(order);
    }
  });

  it('after a secret rotation both secrets sign for 24 h, then only the new one', async () => {
    const f = await bookingFixture(t, { slots: 2 });
    const r = await receiver();
    const hook = await endpoint(f, r.url());
    const rotated = (await t.api.post(`/v1/admin/webhooks/${hook.id}/rotate-secret`, { token: f.admin })).body;
    await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
    await feedOf(t, f.admin, 1);
    await dispatchUntil(async () => r.received.length === 1);
    expect(r.received[0].signature.split(' ')).toHaveLength(2);
    expect(() => Receiver.verify(hook.secret, r.received[0])).not.toThrow();
    expect(() => Receiver.verify(rotated.secret, r.received[0])).not.toThrow();

    await t.db.query(`UPDATE scheduler.webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [hook.id]);
    await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[1] }, headers: key() });
    await feedOf(t, f.admin, 2);
    await dispatchUntil(async () => r.received.length === 2);
    expect(r.received[1].signature.split(' ')).toHaveLength(1);
    expect(() => Receiver.verify(rotated.secret, r.received[1])).not.toThrow();
    expect(() => Receiver.verify(hook.secret, r.received[1])).toThrow('No matching signature found');
  });

  it('a test event reaches its endpoint alone, even a disabled one', async () => {
    const f = await bookingFixture(t, { slots: 1 });
    const [target, bystander] = [await receiver(), await receiver()];
    const hook = await endpoint(f, target.url());
    await endpoint(f, bystander.url());
    await t.api.patch(`/v1/admin/webhooks/${hook.id}`, { token: f.admin, body: { enabled: false } });
    const queued = (await t.api.post(`/v1/admin/webhooks/${hook.id}/test`, { token: f.admin })).body;
    await dispatchUntil(async () => target.received.length === 1);
    expect(target.received[0].id).toBe(queued.eventId);
    expect(Receiver.verify(hook.secret, target.received[0])).toEqual({ type: 'webhook.test', timestamp: queued.createdAt, data: { webhookId: hook.id } });
    expect(bystander.received).toHaveLength(0);
  });

  it("an endpoint receives only its own business's events, and only the types it asked for", async () => {
    const f = await bookingFixture(t, { slots: 1 });
    const g = await bookingFixture(t, { slots: 1 });
    const [mine, theirs, picky] = [await receiver(), await receiver(), await receiver()];
    await endpoint(f, mine.url());
    await endpoint(g, theirs.url());
    await endpoint(f, picky.url(), { events: ['booking.cancelled'] });
    const [fBooking] = await lifecycles(f, f.slotIds);
    const other = await newUser(t);
    const gHold = await t.api.post('/v1/bookings', { token: other.token, body: { slotId: g.slotIds[0] }, headers: key() });
    await feedOf(t, f.admin, 3);
    await feedOf(t, g.admin, 1);

    await dispatchUntil(async () => mine.received.length === 3 && theirs.received.length === 1 && picky.received.length === 1);
    await dispatcher().run();
    expect(mine.deliveredBodies().map((b) => (b.data.booking as { id: string }).id)).toEqual([fBooking, fBooking, fBooking]);
    expect(theirs.deliveredBodies().map((b) => [b.type, (b.data.booking as { id: string }).id])).toEqual([['booking.held', gHold.body.id]]);
    expect(picky.deliveredBodies().map((b) => b.type)).toEqual(['booking.cancelled']);
    const rows = (await t.db.query(
      `SELECT d.biz_entity_id, w.biz_entity_id AS endpoint_biz FROM scheduler.webhook_deliveries d JOIN scheduler.webhook_endpoints w ON w.id = d.endpoint_id`,
    )) as { biz_entity_id: string; endpoint_biz: string }[];
    expect(rows).toHaveLength(5);
    expect(rows.every((row) => row.biz_entity_id === row.endpoint_biz)).toBe(true);
  });

  it('a database fault, before sending or while recording what came of it, is logged and never thrown', async () => {
    const f = await bookingFixture(t, { slots: 1 });
    const r = await receiver();
    const hook = await endpoint(f, r.url());
    await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
    await feedOf(t, f.admin, 1);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const doomed = await startTestApp({ ...FAST, DATABASE_URL: (t.db.options as { url: string }).url });
    try {
      // The database goes away while the receiver is answering: the outcome cannot be recorded.
      let answer: () => void = () => undefined;
      const answered = new Promise<void>((resolve) => (answer = resolve));
      r.answer = () => {
        void doomed.db.destroy().then(answer);
        return 200;
      };
      expect(await dispatcher(doomed).tick()).toBe(1);
      await answered;
      await dispatcher(doomed).beforeApplicationShutdown();
      // And with no database at all, a tick finds nothing to do rather than failing.
      await expect(dispatcher(doomed).tick()).resolves.toBe(0);
      await sleep(50);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await doomed.app.close().catch(() => undefined);
    }
    // The attempt stays leased and unrecorded: once the lease ends, another instance delivers it again.
    expect(r.received).toHaveLength(1);
    expect(await deliveries(hook.id)).toEqual([expect.objectContaining({ status: 'pending', attempts: 1 })]);
  });

  describe('without WEBHOOK_ALLOW_PRIVATE_URLS', () => {
    let strict: TestApp;

    beforeAll(async () => {
      strict = await startTestApp({ ...FAST, DATABASE_URL: (t.db.options as { url: string }).url, WEBHOOK_ALLOW_PRIVATE_URLS: 'false' });
    });
    afterAll(() => strict?.close());

    it('refuses a private address when the endpoint is written, and a name resolving to one when it connects', async () => {
      const f = await bookingFixture(t, { slots: 1 });
      const r = await receiver();
      for (const url of [r.url(), r.url('/hooks', '[::1]'), 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.8/hook']) {
        const refused = await strict.api.post('/v1/admin/webhooks', { token: f.admin, body: { bizEntityId: f.bizEntityId, url } });
        expect({ url, status: refused.status, errors: refused.body.errors }).toEqual({
          url,
          status: 400,
          errors: [{ field: 'url', message: 'must not point at a loopback, private or link-local address' }],
        });
      }
      // A host name passes the write-time check; what it resolves to is checked at connect time.
      const named = await strict.api.post('/v1/admin/webhooks', { token: f.admin, body: { bizEntityId: f.bizEntityId, url: r.url('/hooks', 'localhost') } });
      expect(named.status).toBe(201);
      await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
      await feedOf(t, f.admin, 1);
      await strict.app.get(WebhookDispatcherJob).run();
      const [row] = (await t.db.query(`SELECT status, attempts, last_error FROM scheduler.webhook_deliveries WHERE endpoint_id = $1`, [named.body.id])) as {
        status: string;
        attempts: number;
        last_error: string;
      }[];
      // Refused on every attempt (as many as fell due while the dispatcher ran), never sent.
      expect(row.attempts).toBeGreaterThanOrEqual(1);
      expect(['pending', 'failed']).toContain(row.status);
      expect(row.last_error).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a private address$/);
      expect(r.received).toHaveLength(0);
    });
  });
});
