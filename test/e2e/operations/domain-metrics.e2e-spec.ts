import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { exposureWorld, ExposureWorld } from '../exposures/exposure-fixtures';
import { startTestApp, TestApp, token } from '../../utils/test-app';

/** One sample of `/metrics` text: the value of `name{labels}` (0 when absent). */
function sample(metrics: string, name: string, labels = ''): number {
  const line = metrics.split('\n').find((row) => row.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('domain metrics on /metrics', () => {
  let t: TestApp;
  let world: ExposureWorld;

  beforeAll(async () => {
    // Its own app instance, so its own registry: every count below is this test's.
    t = await startTestApp();
    world = await exposureWorld(t);
  });
  afterAll(() => t.close());

  const scrape = async (): Promise<string> => (await request(t.app.getHttpServer()).get('/metrics').expect(200)).text;
  const hold = (slotId: string, as: string) => t.api.post('/v1/bookings', { token: as, body: { slotId }, headers: { 'Idempotency-Key': randomUUID() } });

  it('counts generation rows and duration, offers, holds created and refused by code, confirmations and expiries', async () => {
    const afterSetup = await scrape();
    // exposureWorld generated 21 days of 8 hourly slots for each of 3 people.
    expect(sample(afterSetup, 'scheduler_slot_generation_rows_total', 'change="created"')).toBe(21 * 8 * 3);
    expect(sample(afterSetup, 'scheduler_slot_generation_duration_seconds_count')).toBe(1);

    const offer = await t.api.get(`/v1/locations/${world.locationId}/slots`, { token: world.user });
    const [first, second] = offer.body.slots as { id: string }[];
    const other = await token();
    await t.api.get(`/v1/locations/${world.locationId}/slots`, { token: other });

    const held = await hold(first.id, world.user);
    expect(held.status).toBe(201);
    expect((await hold(first.id, world.user)).status).toBe(409);
    expect((await hold(randomUUID(), world.user)).status).toBe(404);
    expect((await t.api.post(`/v1/bookings/${held.body.id}/confirm`, { token: world.user, headers: { 'Idempotency-Key': randomUUID() } })).status).toBe(200);
    // A hold past its TTL is written as expired by the next hold on its slot.
    const stale = await hold(second.id, world.user);
    await t.db.query(`UPDATE scheduler.bookings SET hold_expires_at = now() - interval '1 second' WHERE id = $1`, [stale.body.id]);
    expect((await hold(second.id, world.user)).status).toBe(201);

    const metrics = await scrape();
    expect(sample(metrics, 'scheduler_offer_slots_count', 'scope="location"')).toBe(2);
    expect(sample(metrics, 'scheduler_offer_slots_sum', 'scope="location"')).toBe(10);
    expect(sample(metrics, 'scheduler_holds_created_total')).toBe(3);
    expect(sample(metrics, 'scheduler_holds_refused_total', 'code="SLOT_UNAVAILABLE"')).toBe(1);
    expect(sample(metrics, 'scheduler_holds_refused_total', 'code="NOT_FOUND"')).toBe(1);
    expect(sample(metrics, 'scheduler_bookings_confirmed_total')).toBe(1);
    expect(sample(metrics, 'scheduler_holds_expired_total')).toBe(1);
    expect(metrics).toMatch(/# HELP scheduler_offer_collisions_total /);
  });

  it('is what docs/grafana-dashboard.json charts: every series it queries is one /metrics exposes', async () => {
    const dashboard = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'grafana-dashboard.json'), 'utf8')) as {
      panels: { targets?: { expr: string }[] }[];
    };
    const queried = new Set(
      dashboard.panels.flatMap((panel) => (panel.targets ?? []).flatMap((target) => target.expr.match(/\b(scheduler|http)_[a-z_]+(?=\{)/g) ?? [])),
    );
    const families = new Set([...(await scrape()).matchAll(/^# TYPE (\S+) (\w+)$/gm)].map(([, name]) => name));
    const exposed = (series: string): boolean => families.has(series.replace(/_(bucket|sum|count)$/, '')) || families.has(series);
    expect(queried.size).toBeGreaterThanOrEqual(8);
    expect([...queried].filter((series) => !exposed(series))).toEqual([]);
  });
});

describe('/metrics behind METRICS_TOKEN', () => {
  let t: TestApp;
  const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN });
  });
  afterAll(() => t.close());

  it('answers 401 without the token or with another one, and 200 with it', async () => {
    const server = t.app.getHttpServer();
    const missing = await request(server).get('/metrics');
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: 'The metrics token is missing or wrong.' });
    expect((await request(server).get('/metrics').set('Authorization', 'Bearer wrong-token-of-some-length')).status).toBe(401);
    const ok = await request(server).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('scheduler_holds_created_total');
  });
});
