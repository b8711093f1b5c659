import { exportJWK, exportSPKI, generateKeyPair, GenerateKeyPairResult, JWTPayload } from 'jose';
import { countRows, createBusiness, locationBody } from '../../factories/factories';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../../utils/test-app';
import { claims, hmacKey, sign, unsecuredToken } from '../../factories/tokens';
import { DETAIL, insertLocation, JwksServer, serveJwks } from './auth-helpers';
import { expectProblem } from '../../utils/problem';

type AsymmetricAlg = 'RS256' | 'ES256';

const viewerOf = (biz: string): JWTPayload => claims({ roles: ['viewer'], biz: [biz] });

/** AUTH_JWT_PUBLIC_KEY: one PEM key, bound to the one algorithm its type allows. */
describe.each<[AsymmetricAlg, AsymmetricAlg]>([
  ['RS256', 'ES256'],
  ['ES256', 'RS256'],
])('AUTH_JWT_PUBLIC_KEY with an %s key', (alg, otherAlg) => {
  let t: TestApp;
  let keys: GenerateKeyPairResult;
  let pem: string;

  beforeAll(async () => {
    keys = await generateKeyPair(alg);
    pem = await exportSPKI(keys.publicKey);
    t = await startTestApp({ AUTH_JWT_SECRET: '', AUTH_JWT_PUBLIC_KEY: pem });
  });
  afterAll(() => t.close());

  it(`an ${alg} token signed by the configured key → accepted`, async () => {
    const biz = await createBusiness(t.db);
    const id = await insertLocation(t.db, biz);
    const res = await t.api.get(`/v1/admin/locations/${id}`, { token: await sign(viewerOf(biz), keys.privateKey, alg) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, bizEntityId: biz });
  });

  it(`an admin ${alg} token may write`, async () => {
    const biz = await createBusiness(t.db);
    const admin = await sign(claims({ roles: ['admin'], biz: [biz] }), keys.privateKey, alg);
    const res = await t.api.post('/v1/admin/locations', { token: admin, body: locationBody(biz, { name: 'Signed' }) });
    expect(res.status).toBe(201);
    const rows = (await t.db.query('SELECT name FROM scheduler.locations WHERE biz_entity_id = $1', [biz])) as unknown[];
    expect(rows).toEqual([{ name: 'Signed' }]);
  });

  it('algorithm confusion: HS256 "signed" with the PEM text as HMAC secret → 401', async () => {
    const biz = await createBusiness(t.db);
    const confused = await sign(claims({ roles: ['superadmin'], biz: [biz] }), hmacKey(pem), 'HS256');
    const res = await t.api.post('/v1/admin/locations', { token: confused, body: locationBody(biz) });
    expectProblem(res, 'UNAUTHENTICATED', DETAIL.algorithm);
    expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(0);
  });

  it('an HS256 token with the test secret is not accepted once a public key is configured', async () => {
    const res = await t.api.get('/v1/locations', { token: await sign(claims(), hmacKey(TEST_JWT_SECRET), 'HS256') });
    expectProblem(res, 'UNAUTHENTICATED', DETAIL.algorithm);
  });

  it(`an ${alg} token signed by another key pair → 401`, async () => {
    const stranger = await generateKeyPair(alg);
    const biz = await createBusiness(t.db);
    const forged = await sign(claims({ roles: ['admin'], biz: [biz] }), stranger.privateKey, alg);
    const res = await t.api.post('/v1/admin/locations', { token: forged, body: locationBody(biz) });
    expectProblem(res, 'UNAUTHENTICATED', DETAIL.badSignature);
    expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(0);
  });

  it(`an ${otherAlg} token (the other key family) → 401`, async () => {
    const other = await generateKeyPair(otherAlg);
    const res = await t.api.get('/v1/locations', { token: await sign(claims(), other.privateKey, otherAlg) });
    expectProblem(res, 'UNAUTHENTICATED', DETAIL.algorithm);
  });

  it('alg "none" → 401', async () => {
    const res = await t.api.get('/v1/locations', { token: unsecuredToken(claims({ roles: ['superadmin'] })) });
    expectProblem(res, 'UNAUTHENTICATED', DETAIL.algorithm);
  });

  it('an expired token signed by the configured key → 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign(claims({ iat: now - 600, exp: now - 60 }), keys.privateKey, alg);
    const res = await t.api.get('/v1/locations', { token: expired });
    expectProblem(res, 'UNAUTHENTICATED', DETAIL.expired);
  });
});

describe('AUTH_JWT_PUBLIC_KEY given on one line with \\n escapes (as in a .env file)', () => {
  let t: TestApp;
  let keys: GenerateKeyPairResult;

  beforeAll(async () => {
    keys = await generateKeyPair('RS256');
    const oneLine = (await exportSPKI(keys.publicKey)).trim().replace(/\n/g, '\\n');
    expect(oneLine).not.toContain('\n');
    t = await startTestApp({ AUTH_JWT_SECRET: '', AUTH_JWT_PUBLIC_KEY: oneLine });
  });
  afterAll(() => t.close());

  it('verifies tokens of that key', async () => {
    const res = await t.api.get('/v1/locations', { token: await sign(claims(), keys.privateKey, 'RS256') });
    expect(res.status).toBe(200);
  });
});

/** AUTH_JWKS_URL: keys are fetched from the identity provider and picked by `kid`. */
describe('AUTH_JWKS_URL', () => {
  let t: TestApp;
  let jwks: JwksServer;
  let rsa: GenerateKeyPairResult;
  let ec: GenerateKeyPairResult;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    jwks = await serveJwks({
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      ],
    });
    t = await startTestApp({ AUTH_JWT_SECRET: '', AUTH_JWKS_URL: jwks.url });
  });
  afterAll(async () => {
    await t?.close();
    await jwks?.close();
  });

  it.each<[AsymmetricAlg, string]>([
    ['RS256', 'rsa-1'],
    ['ES256', 'ec-1'],
  ])('an %s token with kid %s from the key set → accepted', async (alg, kid) => {
    const key = alg === 'RS256' ? rsa.privateKey : ec.privateKey;
    const biz = await createBusiness(t.db);
    const id = await insertLocation(t.db, biz);
    const res = await t.api.get(`/v1/admin/locations/${id}`, { token: await sign(viewerOf(biz), key, alg, kid) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, bizEntityId: biz });
    expect(jwks.fetches()).toBeGreaterThanOrEqual(1);
  });

  it('a token signed by a key that is not in the set (unknown kid) → 401', async () => {
    const stranger = await generateKeyPair('RS256');
    const biz = await createBusiness(t.db);
    const forged = await sign(claims({ roles: ['admin'], biz: [biz] }), stranger.privateKey, 'RS256', 'rsa-2');
    const res = await t.api.post('/v1/admin/locations', { token: forged, body: locationBody(biz) });
    expectProblem(res, 'UNAUTHENTICATED', DETAIL.malformed);
    expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(0);
  });

  it('a token signed by another key but claiming a known kid → 401', async () => {
    const stranger = await generateKeyPair('RS256');
    const forged = await sign(claims({ roles: ['superadmin'] }), stranger.privateKey, 'RS256', 'rsa-1');
    const res = await t.api.get('/v1/admin/locations', { token: forged });
    expectProblem(res, 'UNAUTHENTICATED', DETAIL.badSignature);
  });

  it('algorithm confusion: HS256 with a known kid and the public key PEM as secret → 401', async () => {
    const pem = await exportSPKI(rsa.publicKey);
    const confused = await sign(claims({ roles: ['superadmin'] }), hmacKey(pem), 'HS256', 'rsa-1');
    const res = await t.api.get('/v1/admin/locations', { token: confused });
    expectProblem(res, 'UNAUTHENTICATED', DETAIL.algorithm);
  });

  it('an HS256 token with the test secret → 401', async () => {
    const res = await t.api.get('/v1/locations', { token: await sign(claims(), hmacKey(TEST_JWT_SECRET), 'HS256') });
    expectProblem(res, 'UNAUTHENTICATED', DETAIL.algorithm);
  });

  it('alg "none" → 401', async () => {
    const res = await t.api.get('/v1/locations', { token: unsecuredToken(claims({ roles: ['superadmin'] })) });
    expectProblem(res, 'UNAUTHENTICATED', DETAIL.algorithm);
  });
});

/** The key set cannot be had: no token can be verified, which is not the caller's fault. */
describe('AUTH_JWKS_URL when the key set is unavailable', () => {
  const unavailable = {
    status: 503,
    retryAfter: '5',
    body: {
      type: 'urn:problem-type:scheduler:unavailable',
      title: 'The service is temporarily unavailable.',
      status: 503,
      detail: 'The token signing keys cannot be fetched right now.',
      code: 'UNAVAILABLE',
    },
  };
  let rsa: GenerateKeyPairResult;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
  });

  it('nothing listens at the URL → 503 UNAVAILABLE with Retry-After, not 401', async () => {
    const gone = await serveJwks({ keys: [] });
    await gone.close();
    const t = await startTestApp({ AUTH_JWT_SECRET: '', AUTH_JWKS_URL: gone.url });
    try {
      const res = await t.api.get('/v1/locations', { token: await sign(claims(), rsa.privateKey, 'RS256', 'rsa-1') });
      expect({ status: res.status, retryAfter: res.headers['retry-after'], body: res.body }).toEqual(unavailable);
    } finally {
      await t.close();
    }
  });

  it('the URL answers something that is not a key set → 503 UNAVAILABLE', async () => {
    const broken = await serveJwks({ keys: 'none' } as never);
    const t = await startTestApp({ AUTH_JWT_SECRET: '', AUTH_JWKS_URL: broken.url });
    try {
      const res = await t.api.get('/v1/locations', { token: await sign(claims(), rsa.privateKey, 'RS256', 'rsa-1') });
      expect({ status: res.status, retryAfter: res.headers['retry-after'], body: res.body }).toEqual(unavailable);
      expect(broken.fetches()).toBe(1);
    } finally {
      await t.close();
      await broken.close();
    }
  });
});
