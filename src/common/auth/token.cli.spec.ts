import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../config/app-config';
import { JwtVerifier } from './jwt-verifier';
import { mintToken, UsageError } from './token.cli';

const SECRET = 'token-command-secret-that-is-long-enough-0123456789';
const SUB = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const BIZ = ['0b7e5c1a-2d3f-4e5a-9b6c-7d8e9f0a1b2c', '1c8f6d2b-3e4a-4f5b-8c7d-8e9fa0b1c2d3'];

describe('npm run token', () => {
  const warnings: string[] = [];
  const warn = (line: string): void => void warnings.push(line);
  beforeEach(() => warnings.splice(0));

  it('mints a token the service accepts, for the given sub, roles and businesses, with the configured issuer and audience', async () => {
    const env = { AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: 'https://host.example', AUTH_JWT_AUDIENCE: 'scheduler' };
    const token = await mintToken(['--sub', SUB, '--roles', 'admin,viewer', '--biz', BIZ[0], '--biz', BIZ[1]], env, warn);
    const principal = await JwtVerifier.fromConfig(loadConfig(env)).verify(token);
    expect(principal).toEqual({ userId: SUB, roles: ['admin', 'viewer'], bizIds: BIZ });
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    expect(payload).toMatchObject({ iss: 'https://host.example', aud: 'scheduler', sub: SUB });
    expect(payload.exp - payload.iat).toBe(86_400);
    expect(warnings).toEqual([]);
  });

  it('mints a plain user token (no roles claim) with the time to live asked for', async () => {
    const token = await mintToken(['--sub', SUB, '--ttl', '120'], { AUTH_JWT_SECRET: SECRET }, warn);
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    expect(payload.roles).toBeUndefined();
    expect(payload.exp - payload.iat).toBe(120);
    expect(await JwtVerifier.fromConfig(loadConfig({ AUTH_JWT_SECRET: SECRET })).verify(token)).toMatchObject({ roles: ['user'] });
  });

  it('signs with the development secret under DATA_DIR when no key is configured, the one npm start uses', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scheduler-token-'));
    try {
      const token = await mintToken(['--sub', SUB, '--roles', 'admin', '--biz', BIZ[0]], { DATA_DIR: dataDir }, warn);
      const secret = readFileSync(join(dataDir, 'dev-jwt-secret'), 'utf8').trim();
      expect(await JwtVerifier.fromConfig(loadConfig({ AUTH_JWT_SECRET: secret })).verify(token)).toMatchObject({ userId: SUB });
      const again = await mintToken(['--sub', SUB], { DATA_DIR: dataDir }, warn);
      expect(await JwtVerifier.fromConfig(loadConfig({ AUTH_JWT_SECRET: secret })).verify(again)).toMatchObject({ userId: SUB });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('warns loudly, but still mints, with NODE_ENV=production', async () => {
    const token = await mintToken(['--sub', SUB, '--roles', 'admin', '--biz', BIZ[0]], { NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET }, warn);
    expect(token.split('.')).toHaveLength(3);
    expect(warnings.join('\n')).toContain('!!! WARNING: NODE_ENV=production. This token is signed with the production AUTH_JWT_SECRET.');
    expect(warnings.join('\n')).toContain(`acts as ${SUB} with roles [admin] for businesses ${BIZ[0]}`);
  });

  it('refuses production without a secret, and services that verify RS256/ES256 tokens', async () => {
    await expect(mintToken(['--sub', SUB], { NODE_ENV: 'production' }, warn)).rejects.toThrow(new ConfigError('AUTH_JWT_SECRET is required when NODE_ENV=production'));
    await expect(mintToken(['--sub', SUB], { AUTH_JWKS_URL: 'https://idp.example/jwks' }, warn)).rejects.toThrow(/mint them with your identity provider/);
  });

  it.each([
    [[], /--sub must be a UUID/],
    [['--sub', 'alice'], /--sub must be a UUID/],
    [['--sub', SUB, '--roles', 'owner'], /unknown role owner/],
    [['--sub', SUB, '--biz', 'acme'], /acme is not a UUID/],
    [['--sub', SUB, '--ttl', '0'], /--ttl must be a whole number of seconds/],
    [['--sub', SUB, '--ttl', '1.5'], /--ttl must be a whole number of seconds/],
  ])('refuses %j with a usage error', async (argv, message) => {
    await expect(mintToken(argv, { AUTH_JWT_SECRET: SECRET }, warn)).rejects.toThrow(UsageError);
    await expect(mintToken(argv, { AUTH_JWT_SECRET: SECRET }, warn)).rejects.toThrow(message);
  });
});
