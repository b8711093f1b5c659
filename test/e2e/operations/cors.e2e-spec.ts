import request from 'supertest';
import { startTestApp, TestApp, token } from '../../utils/test-app';

const ALLOWED = 'https://app.example.com';

describe('CORS with CORS_ORIGINS set', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: `${ALLOWED}, https://admin.example.com` });
  });
  afterAll(() => t.close());

  it('answers a preflight from an allowed origin with what a booking call needs', async () => {
    const res = await request(t.app.getHttpServer())
      .options('/v1/bookings')
      .set('Origin', ALLOWED)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type, idempotency-key');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-allow-methods']).toBe('GET,HEAD,POST,PATCH,DELETE');
    expect(res.headers['access-control-allow-headers']).toBe('Authorization,Content-Type,Idempotency-Key,If-Match,X-Request-Id');
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('lets the allowed origin read the headers clients act on, on successes and refusals alike', async () => {
    const ok = await request(t.app.getHttpServer()).get('/v1/bookings').set('Origin', ALLOWED).set('Authorization', `Bearer ${await token()}`);
    const refused = await request(t.app.getHttpServer()).get('/v1/bookings').set('Origin', ALLOWED);
    expect([ok.status, refused.status]).toEqual([200, 401]);
    for (const res of [ok, refused]) {
      expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
      expect(res.headers.vary).toContain('Origin');
      expect(res.headers['access-control-expose-headers'].split(',')).toEqual(
        expect.arrayContaining(['X-Request-Id', 'Idempotent-Replayed', 'Retry-After', 'ETag', 'RateLimit-Remaining']),
      );
    }
  });

  it('gives other origins nothing to read', async () => {
    const res = await request(t.app.getHttpServer()).get('/health/live').set('Origin', 'https://evil.example.net');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS by default (CORS_ORIGINS unset)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is closed: no CORS headers, and a preflight is not answered as one', async () => {
    const res = await request(t.app.getHttpServer()).get('/health/live').set('Origin', ALLOWED);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(t.app.getHttpServer())
      .options('/v1/bookings')
      .set('Origin', ALLOWED)
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(404);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });
});
