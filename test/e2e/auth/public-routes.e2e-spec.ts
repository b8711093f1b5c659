import request from 'supertest';
import { parse } from 'yaml';
import { startTestApp, TestApp } from '../../utils/test-app';
import { claims, hs256, nowSeconds } from '../../factories/tokens';

/** API.md §Conventions: these answer without a token, and a bad token does not get in their way. */
describe('public routes need no token', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const http = () => request(t.app.getHttpServer());

  it('GET /health/live → 200 { status: ok }', async () => {
    const res = await t.api.get('/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /health/ready → 200 with the database up', async () => {
    const res = await t.api.get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('GET /metrics → 200 Prometheus text', async () => {
    const res = await http().get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^# (HELP|TYPE) /m);
  });

  it('GET /openapi.json → 200, the contract with bearer auth', async () => {
    const res = await http().get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({
      openapi: expect.stringMatching(/^3\./),
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    });
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/v1/locations', '/v1/admin/locations']));
  });

  it('GET /openapi.yaml → 200, the same document as YAML', async () => {
    const [yamlRes, jsonRes] = await Promise.all([http().get('/openapi.yaml'), http().get('/openapi.json')]);
    expect(yamlRes.status).toBe(200);
    expect(yamlRes.headers['content-type']).toMatch(/yaml/);
    expect(parse(yamlRes.text)).toEqual(jsonRes.body);
  });

  it('GET /docs → 200 Swagger UI', async () => {
    const res = await http().get('/docs').redirects(1);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('swagger-ui');
  });

  it('GET /redoc → 200 ReDoc', async () => {
    const res = await http().get('/redoc');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<redoc spec-url="/openapi.json">');
  });

  it.each(['/health/live', '/health/ready', '/metrics', '/openapi.json', '/openapi.yaml', '/docs', '/redoc'])(
    '%s still answers 200 when an invalid or expired token is sent',
    async (path) => {
      const expired = await hs256(claims({ exp: nowSeconds() - 3600 }));
      for (const authorization of ['Bearer not-a-jwt', `Bearer ${expired}`, 'Basic dXNlcjpwYXNz']) {
        const res = await http().get(path).set('Authorization', authorization).redirects(1);
        expect({ path, authorization, status: res.status }).toEqual({ path, authorization, status: 200 });
      }
    },
  );
});
