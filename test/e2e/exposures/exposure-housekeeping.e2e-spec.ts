import { ExposurePurgeJob } from '../../../src/exposures/exposure-purge.job';
import { countRows } from '../../factories/factories';
import { startIsolatedTestApp, startTestApp, TestApp, token } from '../../utils/test-app';
import { DAY_MS, exposureWorld, ExposureWorld } from './exposure-fixtures';

describe('new offers per user and minute (EXPOSURES_PER_USER_PER_MINUTE=3)', () => {
  let t: TestApp;
  let world: ExposureWorld;

  beforeAll(async () => {
    t = await startTestApp({ EXPOSURES_PER_USER_PER_MINUTE: '3' });
    world = await exposureWorld(t);
  });
  afterAll(() => t.close());

  const browse = (from: number, as = world.user) =>
    t.api.get(`/v1/locations/${world.locationId}/slots?from=${new Date(from).toISOString()}`, { token: as });

  it('stores at most that many, answers 429 RATE_LIMITED with Retry-After beyond, and keeps serving the offers made', async () => {
    const start = Date.now() + DAY_MS;
    // A millisecond apart: each is a window of its own, so a new stored offer.
    const statuses = [(await browse(start)).status, (await browse(start + 1)).status, (await browse(start + 2)).status];
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await browse(start + 3);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      code: 'RATE_LIMITED',
      detail: expect.stringMatching(/^At most 3 new offers per minute: ask for the windows you already have, or retry in \d+ s\.$/),
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(await countRows(t.db, 'scheduler.exposures', 'user_id = $1', [world.userId])).toBe(3);

    // The sticky offers stay available, and other users have their own allowance.
    expect((await browse(start + 1)).status).toBe(200);
    expect((await browse(start + 3, await token())).status).toBe(200);
  });
});

describe('the offer purge (EXPOSURE_RETENTION_SECONDS=3600)', () => {
  let t: TestApp & { database: string };
  let second: TestApp;
  let world: ExposureWorld;

  beforeAll(async () => {
    // A database of its own: the purge sweeps every row.
    t = await startIsolatedTestApp({ EXPOSURE_RETENTION_SECONDS: '3600' });
    second = await startTestApp({ DATABASE_URL: (t.db.options as { url: string }).url, EXPOSURE_RETENTION_SECONDS: '3600' });
    world = await exposureWorld(t);
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  /** Copies of one stored offer (with its slots) for other users, expired `ageSeconds` ago. */
  async function storeExpiredCopies(exposureId: string, count: number, ageSeconds: number): Promise<void> {
    await t.db.query(
      `WITH copies AS (
         INSERT INTO scheduler.exposures (biz_entity_id, location_id, user_id, scope, scope_id, window_from, window_to, extended, created_at, expires_at)
         SELECT e.biz_entity_id, e.location_id, gen_random_uuid(), e.scope, e.scope_id, e.window_from, e.window_to, e.extended,
                now() - make_interval(secs => $3 + 600), now() - make_interval(secs => $3)
           FROM scheduler.exposures e, generate_series(1, $2) WHERE e.id = $1
         RETURNING id, user_id, seats, expires_at)
       INSERT INTO scheduler.exposure_slots (exposure_id, user_id, seats, expires_at, position, slot_id, biz_entity_id, score, components)
       SELECT c.id, c.user_id, c.seats, c.expires_at, es.position, es.slot_id, es.biz_entity_id, es.score, es.components
         FROM copies c, scheduler.exposure_slots es WHERE es.exposure_id = $1`,
      [exposureId, count, ageSeconds],
    );
  }

  it('deletes offers past their retention with their slots, in batches, from two instances at once; keeps the rest', async () => {
    const live = await t.api.get(`/v1/locations/${world.locationId}/slots`, { token: world.user });
    expect(live.status).toBe(200);
    await storeExpiredCopies(live.body.exposureId, 9, 7200);
    await storeExpiredCopies(live.body.exposureId, 2, 60);
    expect(await countRows(t.db, 'scheduler.exposures')).toBe(12);

    const purged = await Promise.all([t.app.get(ExposurePurgeJob).run(2), second.app.get(ExposurePurgeJob).run(2)]);
    expect(purged[0] + purged[1]).toBe(9);
    expect(await countRows(t.db, 'scheduler.exposures')).toBe(3);
    expect(await countRows(t.db, 'scheduler.exposure_slots', 'exposure_id NOT IN (SELECT id FROM scheduler.exposures)')).toBe(0);
    expect(await countRows(t.db, 'scheduler.exposures', 'expires_at <= now() - interval \'1 hour\'')).toBe(0);
    // The live offer is untouched and still explains itself.
    const explained = await t.api.get(`/v1/admin/exposures/${live.body.exposureId}`, { token: world.admin });
    expect(explained.status).toBe(200);
    expect(await Promise.all([t.app.get(ExposurePurgeJob).run(2), second.app.get(ExposurePurgeJob).run(2)])).toEqual([0, 0]);
  });
});
