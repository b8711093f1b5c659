import { randomUUID } from 'node:crypto';
import { JWTPayload } from 'jose';
import { countRows, createBusiness, locationBody } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import { claims, hs256, nowSeconds, unsecuredToken } from '../../factories/tokens';
import { DETAIL, insertLocation } from './auth-helpers';
import { expectProblem } from '../../utils/problem';

/** HS256 with AUTH_JWT_SECRET: what a missing, malformed or unacceptable bearer token gets. */
describe('bearer tokens (HS256)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const admin = (biz: string, overrides: JWTPayload = {}): Promise<string> =>
    hs256(claims({ roles: ['admin'], biz: [biz], ...overrides }));

  describe('every /v1 operation requires a token', () => {
    const operations: [string, (id: string) => string, 'get' | 'post' | 'patch' | 'delete'][] = [
      ['GET /v1/locations', () => '/v1/locations', 'get'],
      ['GET /v1/locations/{id}', (id) => `/v1/locations/${id}`, 'get'],
      ['GET /v1/admin/locations', () => '/v1/admin/locations', 'get'],
      ['POST /v1/admin/locations', () => '/v1/admin/locations', 'post'],
      ['GET /v1/admin/locations/{id}', (id) => `/v1/admin/locations/${id}`, 'get'],
      ['PATCH /v1/admin/locations/{id}', (id) => `/v1/admin/locations/${id}`, 'patch'],
      ['DELETE /v1/admin/locations/{id}', (id) => `/v1/admin/locations/${id}`, 'delete'],
    ];

    it.each(operations)('%s without Authorization → 401', async (_name, path, method) => {
      const biz = await createBusiness(t.db);
      const id = await insertLocation(t.db, biz);
      const res = await t.api.call(method, path(id), { body: method === 'post' ? locationBody(biz) : undefined });
      expectProblem(res, 'UNAUTHENTICATED', DETAIL.noToken);
    });
  });

  it('authenticates before validating: an invalid body without a token is 401, and nothing is written', async () => {
    const biz = await createBusiness(t.db);
    const res = await t.api.post('/v1/admin/locations', { body: { bizEntityId: biz, unknown: true } });
    expectProblem(res, 'UNAUTHENTICATED', DETAIL.noToken);
    expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(0);
  });

  it('a valid admin token is accepted (control case)', async () => {
    const biz = await createBusiness(t.db);
    const res = await t.api.post('/v1/admin/locations', { token: await admin(biz), body: locationBody(biz, { name: 'Ok' }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ bizEntityId: biz, name: 'Ok' });
    expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(1);
  });

  it('the scheme name is case-insensitive ("bearer")', async () => {
    const res = await t.api.get('/v1/locations', { headers: { Authorization: `bearer ${await token()}` } });
    expect(res.status).toBe(200);
  });

  describe('malformed Authorization headers', () => {
    it.each([
      ['Basic credentials', (jwt: string) => `Basic ${Buffer.from(`user:${jwt}`).toString('base64')}`],
      ['Token scheme', (jwt: string) => `Token ${jwt}`],
      ['the bare token without a scheme', (jwt: string) => jwt],
      ['"Bearer" with no token', () => 'Bearer'],
      ['"Bearer" with two tokens', (jwt: string) => `Bearer ${jwt} ${jwt}`],
    ])('%s → 401', async (_name, header) => {
      const biz = await createBusiness(t.db);
      const res = await t.api.post('/v1/admin/locations', {
        headers: { Authorization: header(await admin(biz)) },
        body: locationBody(biz),
      });
      expectProblem(res, 'UNAUTHENTICATED', DETAIL.noToken);
      expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(0);
    });
  });

  describe('tokens that do not verify', () => {
    it.each([
      ['random text', 'not-a-jwt'],
      ['three garbage segments', 'abc.def.ghi'],
      ['five segments (JWE-shaped)', 'a.b.c.d.e'],
    ])('garbage (%s) → 401', async (_name, garbage) => {
      const res = await t.api.get('/v1/locations', { token: garbage });
      expectProblem(res, 'UNAUTHENTICATED', DETAIL.malformed);
    });

    it('a token signed with another secret → 401', async () => {
      const biz = await createBusiness(t.db);
      const forged = await hs256(claims({ roles: ['superadmin'], biz: [biz] }), 'another-secret-that-is-long-enough-for-hs256-000');
      const res = await t.api.post('/v1/admin/locations', { token: forged, body: locationBody(biz) });
      expectProblem(res, 'UNAUTHENTICATED', DETAIL.badSignature);
      expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(0);
    });

    it('a valid token whose payload was altered after signing → 401', async () => {
      const biz = await createBusiness(t.db);
      const [header, , signature] = (await hs256(claims({ roles: ['user'] }))).split('.');
      const payload = Buffer.from(JSON.stringify(claims({ roles: ['superadmin'], biz: [biz] }))).toString('base64url');
      const res = await t.api.get('/v1/admin/locations', { token: `${header}.${payload}.${signature}` });
      expectProblem(res, 'UNAUTHENTICATED', DETAIL.badSignature);
    });

    it('alg "none" (an unsecured JWT) → 401', async () => {
      const biz = await createBusiness(t.db);
      const unsecured = unsecuredToken(claims({ roles: ['superadmin'], biz: [biz] }));
      expect(unsecured.endsWith('.')).toBe(true);
      const res = await t.api.post('/v1/admin/locations', { token: unsecured, body: locationBody(biz) });
      expectProblem(res, 'UNAUTHENTICATED', DETAIL.algorithm);
      expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(0);
    });
  });

  describe('time claims (tolerance 30 s by default)', () => {
    it('expired beyond the tolerance → 401', async () => {
      const expired = await hs256(claims({ iat: nowSeconds() - 600, exp: nowSeconds() - 45 }));
      const res = await t.api.get('/v1/locations', { token: expired });
      expectProblem(res, 'UNAUTHENTICATED', DETAIL.expired);
    });

    it('expired long ago → 401', async () => {
      const expired = await hs256(claims({ iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 }));
      const res = await t.api.get('/v1/locations', { token: expired });
      expectProblem(res, 'UNAUTHENTICATED', DETAIL.expired);
    });

    it('expired but within the clock tolerance → accepted', async () => {
      const biz = await createBusiness(t.db);
      const id = await insertLocation(t.db, biz);
      const justExpired = await hs256(claims({ roles: ['viewer'], biz: [biz], iat: nowSeconds() - 600, exp: nowSeconds() - 10 }));
      const res = await t.api.get(`/v1/admin/locations/${id}`, { token: justExpired });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, bizEntityId: biz });
    });

    it('a token without exp → 401', async () => {
      const { exp, ...withoutExp } = claims({ roles: ['superadmin'] });
      expect(exp).toEqual(expect.any(Number));
      const res = await t.api.get('/v1/admin/locations', { token: await hs256(withoutExp) });
      expectProblem(res, 'UNAUTHENTICATED', DETAIL.claim('exp'));
    });

    it('a non-numeric exp → 401', async () => {
      const res = await t.api.get('/v1/locations', { token: await hs256(claims({ exp: 'tomorrow' as unknown as number })) });
      expectProblem(res, 'UNAUTHENTICATED', DETAIL.claim('exp'));
    });

    it('not valid yet (nbf beyond the tolerance) → 401', async () => {
      const res = await t.api.get('/v1/locations', { token: await hs256(claims({ nbf: nowSeconds() + 300 })) });
      expectProblem(res, 'UNAUTHENTICATED', DETAIL.claim('nbf'));
    });

    it('a token without iat → 401 (the maximum age needs it)', async () => {
      const { iat, ...withoutIat } = claims();
      expect(iat).toEqual(expect.any(Number));
      expectProblem(await t.api.get('/v1/locations', { token: await hs256(withoutIat) }), 'UNAUTHENTICATED', DETAIL.claim('iat'));
    });

    it('issued longer ago than AUTH_MAX_TOKEN_AGE_SECONDS (24 h) → 401, even with exp in the year 3000', async () => {
      const old = await hs256(claims({ iat: nowSeconds() - 86_400 - 60, exp: Date.UTC(3000, 0, 1) / 1000 }));
      expectProblem(await t.api.get('/v1/locations', { token: old }), 'UNAUTHENTICATED', DETAIL.tooOld);
      const young = await hs256(claims({ iat: nowSeconds() - 86_400 + 60, exp: Date.UTC(3000, 0, 1) / 1000 }));
      expect((await t.api.get('/v1/locations', { token: young })).status).toBe(200);
    });

    it('iat in the future beyond the clock tolerance → 401; within it → accepted', async () => {
      const future = await hs256(claims({ iat: nowSeconds() + 120, exp: nowSeconds() + 600 }));
      expectProblem(await t.api.get('/v1/locations', { token: future }), 'UNAUTHENTICATED', DETAIL.claim('iat'));
      const skewed = await hs256(claims({ iat: nowSeconds() + 10, exp: nowSeconds() + 600 }));
      expect((await t.api.get('/v1/locations', { token: skewed })).status).toBe(200);
    });
  });

  describe('claim shapes', () => {
    it.each([
      ['not a UUID', 'user-42'],
      ['a number', 42],
      ['empty', ''],
    ])('sub %s → 401', async (_name, sub) => {
      const res = await t.api.get('/v1/locations', { token: await hs256(claims({ sub: sub as string })) });
      expectProblem(res, 'UNAUTHENTICATED', DETAIL.subject);
    });

    it('no sub at all → 401', async () => {
      const { sub, ...withoutSub } = claims();
      expect(sub).toEqual(expect.any(String));
      const res = await t.api.get('/v1/locations', { token: await hs256(withoutSub) });
      expectProblem(res, 'UNAUTHENTICATED', DETAIL.subject);
    });

    it.each([
      ['a single UUID string instead of an array', (biz: string) => biz],
      ['an array holding a non-UUID', (biz: string) => [biz, 'biz-1']],
      ['an array holding a number', (biz: string) => [biz, 7]],
      ['an object', (biz: string) => ({ [biz]: true })],
    ])('biz as %s → 401 even for a superadmin', async (_name, bizClaim) => {
      const biz = await createBusiness(t.db);
      const bad = await hs256(claims({ roles: ['superadmin'], biz: bizClaim(biz) }));
      const res = await t.api.post('/v1/admin/locations', { token: bad, body: locationBody(biz) });
      expectProblem(res, 'UNAUTHENTICATED', DETAIL.biz);
      expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(0);
    });

    it.each([
      ['a string', 'admin'],
      ['an array holding a number', ['admin', 1]],
    ])('roles as %s → 401', async (_name, roles) => {
      const biz = await createBusiness(t.db);
      const res = await t.api.get('/v1/admin/locations', { token: await hs256(claims({ roles, biz: [biz] })) });
      expectProblem(res, 'UNAUTHENTICATED', DETAIL.roles);
    });

    it('iss and aud are not checked when AUTH_JWT_ISSUER / AUTH_JWT_AUDIENCE are unset', async () => {
      const res = await t.api.get('/v1/locations', {
        token: await hs256(claims({ iss: 'https://anyone.example', aud: 'anything' })),
      });
      expect(res.status).toBe(200);
    });
  });
});

describe('bearer tokens with AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE', () => {
  const ISSUER = 'https://host.example/auth';
  const AUDIENCE = 'general-scheduler';
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE });
  });
  afterAll(() => t.close());

  it('matching iss and aud → accepted', async () => {
    const biz = await createBusiness(t.db);
    const id = await insertLocation(t.db, biz);
    const res = await t.api.get(`/v1/admin/locations/${id}`, {
      token: await hs256(claims({ iss: ISSUER, aud: AUDIENCE, roles: ['viewer'], biz: [biz] })),
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, bizEntityId: biz });
  });

  it('aud as an array that contains the audience → accepted', async () => {
    const res = await t.api.get('/v1/locations', {
      token: await hs256(claims({ iss: ISSUER, aud: ['another-service', AUDIENCE] })),
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example/auth', aud: AUDIENCE }, 'iss'],
    ['no issuer', { aud: AUDIENCE }, 'iss'],
    ['another audience', { iss: ISSUER, aud: 'another-service' }, 'aud'],
    ['no audience', { iss: ISSUER }, 'aud'],
  ])('%s → 401', async (_name, extra: JWTPayload, claim) => {
    const biz = await createBusiness(t.db);
    const bad = await hs256(claims({ roles: ['admin'], biz: [biz], ...extra }));
    const res = await t.api.post('/v1/admin/locations', { token: bad, body: locationBody(biz) });
    expectProblem(res, 'UNAUTHENTICATED', DETAIL.claim(claim));
    expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(0);
  });

  it('the test helper token (no iss/aud) is rejected here', async () => {
    const res = await t.api.get('/v1/locations', { token: await token({ sub: randomUUID() }) });
    expectProblem(res, 'UNAUTHENTICATED', DETAIL.claim('iss'));
  });
});

describe('bearer tokens with AUTH_CLOCK_TOLERANCE_SECONDS=0', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ AUTH_CLOCK_TOLERANCE_SECONDS: '0' });
  });
  afterAll(() => t.close());

  it('a token that expired 10 s ago → 401 (no tolerance left)', async () => {
    const res = await t.api.get('/v1/locations', { token: await hs256(claims({ exp: nowSeconds() - 10 })) });
    expectProblem(res, 'UNAUTHENTICATED', DETAIL.expired);
  });

  it('an unexpired token → accepted', async () => {
    const res = await t.api.get('/v1/locations', { token: await hs256(claims({ exp: nowSeconds() + 60 })) });
    expect(res.status).toBe(200);
  });
});
