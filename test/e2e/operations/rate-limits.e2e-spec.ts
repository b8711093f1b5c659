import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { freePort } from '../faults/fault-kit';
import { startTestApp, TestApp, token } from '../../utils/test-app';

const PROBLEM = 'application/problem+json';

describe('rate limits per principal', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('gives each principal its own budget, reports it in RateLimit-* headers, and answers 429 RATE_LIMITED past it', async () => {
    const [first, second] = [await token(), await token()];
    const remaining: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await t.api.get('/v1/bookings', { token: first });
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('3');
      expect(res.headers['ratelimit-policy']).toBe('3;w=60');
      expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0);
      remaining.push(res.headers['ratelimit-remaining']);
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const limited = await t.api.get('/v1/bookings', { token: first });
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toContain(PROBLEM);
    expect(limited.body).toEqual({
      type: 'urn:problem-type:scheduler:rate-limited',
      title: 'Too many requests.',
      status: 429,
      detail: expect.stringMatching(/^Too many requests: at most 3 per 60 s\. Retry in \d+ s\.$/),
      code: 'RATE_LIMITED',
    });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers['ratelimit-remaining']).toBe('0');

    // Another principal from the same address is not affected.
    expect((await t.api.get('/v1/bookings', { token: second })).status).toBe(200);
  });

  it('counts requests without a valid token by client address, which ignores X-Forwarded-For unless TRUST_PROXY says so', async () => {
    // Bad tokens count before they are refused: 401 three times, then 429, whatever address the header claims.
    const statuses: number[] = [];
    for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4']) {
      const res = await request(t.app.getHttpServer()).get('/v1/bookings').set('Authorization', 'Bearer not-a-token').set('X-Forwarded-For', address);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('never limits health and metrics', async () => {
    for (let i = 0; i < 5; i += 1) {
      await request(t.app.getHttpServer()).get('/health/live').expect(200);
      await request(t.app.getHttpServer()).get('/metrics').expect(200);
    }
  });
});

describe('rate limits behind a trusted proxy (TRUST_PROXY=1)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '1' });
  });
  afterAll(() => t.close());

  it('counts each forwarded client address on its own', async () => {
    const from = (address: string) =>
      request(t.app.getHttpServer()).get('/v1/bookings').set('Authorization', 'Bearer not-a-token').set('X-Forwarded-For', address);
    expect([(await from('203.0.113.7')).status, (await from('203.0.113.7')).status, (await from('203.0.113.7')).status]).toEqual([401, 401, 429]);
    expect((await from('203.0.113.8')).status).toBe(401);
  });
});

describe('tighter tiers for holds, browsing and slot generation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_PER_MINUTE: '1000',
      RATE_LIMIT_HOLDS_PER_MINUTE: '2',
      RATE_LIMIT_BROWSE_PER_MINUTE: '2',
      RATE_LIMIT_GENERATION_PER_MINUTE: '1',
    });
  });
  afterAll(() => t.close());

  it('limits hold attempts per principal, while the rest of the API stays open to it', async () => {
    const user = await token();
    const hold = () => t.api.post('/v1/bookings', { token: user, body: { slotId: randomUUID() }, headers: { 'Idempotency-Key': randomUUID() } });
    expect([(await hold()).status, (await hold()).status]).toEqual([404, 404]);
    const limited = await hold();
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', detail: expect.stringMatching(/^Too many holds requests: at most 2 per 60 s/) });
    expect(limited.headers['ratelimit-policy']).toBe('2;w=60');
    expect((await t.api.get('/v1/bookings', { token: user })).status).toBe(200);
  });

  it('spends one browsing budget across the location and person offers', async () => {
    const user = await token();
    expect((await t.api.get(`/v1/locations/${randomUUID()}/slots`, { token: user })).status).toBe(404);
    expect((await t.api.get(`/v1/people/${randomUUID()}/slots`, { token: user })).status).toBe(404);
    const limited = await t.api.get(`/v1/locations/${randomUUID()}/slots`, { token: user });
    expect(limited.status).toBe(429);
    expect(limited.body.detail).toMatch(/^Too many browse requests/);
  });

  it('limits slot generation runs per admin', async () => {
    const admin = await token({ roles: ['superadmin'] });
    const body = { locationId: randomUUID(), from: '2031-01-01', to: '2031-01-02' };
    expect((await t.api.post('/v1/admin/slot-generations', { token: admin, body })).status).toBe(404);
    const limited = await t.api.post('/v1/admin/slot-generations', { token: admin, body });
    expect(limited.status).toBe(429);
    expect(limited.body.detail).toMatch(/^Too many generation requests: at most 1 per 60 s/);
  });
});

describe('rate limits when Redis is unreachable', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '2', REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
  });
  afterAll(() => t.close());

  it('keeps serving and counts in the instance, never a 500', async () => {
    const user = await token();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await t.api.get('/v1/bookings', { token: user })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});
