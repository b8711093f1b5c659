import { exportJWK, generateKeyPair, GenerateKeyPairResult, JWTPayload } from 'jose';
import { createBusiness, createUser, locationBody } from '../../factories/factories';
import { startTestApp, TestApp } from '../../utils/test-app';
import { nowSeconds, sign } from '../../factories/tokens';
import { DETAIL, JwksServer, serveJwks } from './auth-helpers';
import { expectProblem } from '../../utils/problem';

/**
 * The worked example of docs/authentication.md: access tokens shaped like Keycloak's, from a
 * realm's key set, with the issuer and audience configured as the example says.
 */
describe('an external identity provider (the Keycloak example of docs/authentication.md)', () => {
  let t: TestApp;
  let jwks: JwksServer;
  let keys: GenerateKeyPairResult;
  let issuer: string;

  beforeAll(async () => {
    keys = await generateKeyPair('RS256');
    jwks = await serveJwks({ keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'clinic-rs256', alg: 'RS256', use: 'sig' }] }, '/realms/clinic/protocol/openid-connect/certs');
    issuer = jwks.url.replace('/protocol/openid-connect/certs', '');
    t = await startTestApp({ AUTH_JWT_SECRET: '', AUTH_JWKS_URL: jwks.url, AUTH_JWT_ISSUER: issuer, AUTH_JWT_AUDIENCE: 'scheduler' });
  });
  afterAll(async () => {
    await t?.close();
    await jwks?.close();
  });

  /** An access token as the example's mappers make it: Keycloak's own claims and roles next to ours. */
  const accessToken = (sub: string, overrides: JWTPayload = {}): Promise<string> =>
    sign(
      {
        iss: issuer,
        aud: ['scheduler', 'account'],
        sub,
        azp: 'clinic-web',
        exp: nowSeconds() + 300,
        iat: nowSeconds(),
        typ: 'Bearer',
        scope: 'openid profile scheduler',
        realm_access: { roles: ['offline_access', 'default-roles-clinic'] },
        roles: ['offline_access', 'default-roles-clinic'],
        ...overrides,
      },
      keys.privateKey,
      'RS256',
      'clinic-rs256',
    );

  it("lets an operator with the admin realm role and a biz attribute administer that business", async () => {
    const biz = await createBusiness(t.db);
    const operator = await accessToken(await createUser(t.db), { roles: ['admin', 'offline_access', 'default-roles-clinic'], biz: [biz] });
    const created = await t.api.post('/v1/admin/locations', { token: operator, body: locationBody(biz) });
    expect(created.status).toBe(201);
    expect(created.body.bizEntityId).toBe(biz);
    const elsewhere = await t.api.post('/v1/admin/locations', { token: operator, body: locationBody(await createBusiness(t.db)) });
    expect(elsewhere.status).toBe(403);
  });

  it('treats a token with only Keycloak roles as a plain user: the public API, not the admin API', async () => {
    const user = await accessToken(await createUser(t.db));
    expect((await t.api.get('/v1/bookings', { token: user })).status).toBe(200);
    const admin = await t.api.get('/v1/admin/locations', { token: user });
    expect(admin.status).toBe(403);
    expect(admin.body.code).toBe('FORBIDDEN');
  });

  it('refuses a token issued to another audience, or by another realm', async () => {
    const sub = await createUser(t.db);
    expectProblem(await t.api.get('/v1/bookings', { token: await accessToken(sub, { aud: 'account' }) }), 'UNAUTHENTICATED', DETAIL.claim('aud'));
    expectProblem(await t.api.get('/v1/bookings', { token: await accessToken(sub, { iss: issuer.replace('/clinic', '/other') }) }), 'UNAUTHENTICATED', DETAIL.claim('iss'));
  });

  it('refuses a subject that is not a UUID, as a federated user would have', async () => {
    expectProblem(await t.api.get('/v1/bookings', { token: await accessToken('f:ldap:jdoe') }), 'UNAUTHENTICATED', DETAIL.subject);
  });
});
