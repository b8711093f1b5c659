import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, EnvironmentVariables, loadConfig } from './app-config';

const SECRET = 's'.repeat(32);

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ AUTH_JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 8000,
      EMBEDDED_PG_PORT: 5433,
      DATA_DIR: '.data',
      AUTH_CLOCK_TOLERANCE_SECONDS: 30,
      LOG_LEVEL: 'info',
      SEED_DEMO_DATA: true,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('treats empty strings as unset, so a copied .env.example means defaults', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', AUTH_JWT_SECRET: SECRET }).PORT).toBe(8000);
  });

  it('converts numbers and booleans', () => {
    const config = loadConfig({ PORT: '9000', SEED_DEMO_DATA: 'false', AUTH_JWT_SECRET: SECRET });
    expect(config.PORT).toBe(9000);
    expect(config.SEED_DEMO_DATA).toBe(false);
  });

  it('does not seed demo data in production unless asked to', () => {
    expect(loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET }).SEED_DEMO_DATA).toBe(false);
  });

  it('seeds demo data by default only on the embedded database, never on a DATABASE_URL unless asked to', () => {
    const url = 'postgres://app@db.internal/scheduler';
    expect(loadConfig({ AUTH_JWT_SECRET: SECRET }).SEED_DEMO_DATA).toBe(true);
    expect(loadConfig({ DATABASE_URL: url, AUTH_JWT_SECRET: SECRET }).SEED_DEMO_DATA).toBe(false);
    expect(loadConfig({ DATABASE_URL: url, AUTH_JWT_SECRET: SECRET, SEED_DEMO_DATA: 'true' }).SEED_DEMO_DATA).toBe(true);
  });

  it('accepts tokens for 24 h by default', () => {
    expect(loadConfig({ AUTH_JWT_SECRET: SECRET }).AUTH_MAX_TOKEN_AGE_SECONDS).toBe(86_400);
  });

  it('requires an https JWKS endpoint in production, and allows http in development', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_JWKS_URL: 'http://issuer.internal/jwks' })).toThrow(
      /^Invalid environment variable AUTH_JWKS_URL: must be an https:\/\/ URL when NODE_ENV=production$/,
    );
    expect(loadConfig({ NODE_ENV: 'production', AUTH_JWKS_URL: 'https://issuer.example/jwks' }).AUTH_JWKS_URL).toBe('https://issuer.example/jwks');
    expect(loadConfig({ AUTH_JWKS_URL: 'http://localhost:9000/jwks' }).AUTH_JWKS_URL).toBe('http://localhost:9000/jwks');
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['2', 2],
    ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
    ['2001:db8::/32', '2001:db8::/32'],
  ])('reads TRUST_PROXY=%s as %p', (value, expected) => {
    expect(loadConfig({ AUTH_JWT_SECRET: SECRET, ...(value ? { TRUST_PROXY: value } : {}) }).TRUST_PROXY).toEqual(expected);
  });

  it.each([
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/db' }],
    ['AUTH_JWT_SECRET', { AUTH_JWT_SECRET: 'short' }],
    ['AUTH_JWT_PUBLIC_KEY', { AUTH_JWT_PUBLIC_KEY: 'not a pem' }],
    ['AUTH_JWKS_URL', { AUTH_JWKS_URL: 'not a url' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['DB_POOL_MAX', { DB_POOL_MAX: '0' }],
    ['SEED_DEMO_DATA', { SEED_DEMO_DATA: 'maybe' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'true' }],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.0/33' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'proxy.internal' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'app.example.com' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://app.example.com/path' }],
    ['REDIS_URL', { REDIS_URL: 'http://cache:6379' }],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'short' }],
    ['AUTH_MAX_TOKEN_AGE_SECONDS', { AUTH_MAX_TOKEN_AGE_SECONDS: '10' }],
    ['RATE_LIMIT_HOLDS_PER_MINUTE', { RATE_LIMIT_HOLDS_PER_MINUTE: '0' }],
  ])('refuses a bad %s with one line naming it', (name, env) => {
    const attempt = (): unknown => loadConfig(env);
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).toMatch(new RegExp(`^Invalid environment variable ${name}: [^\\n]+$`));
    }
  });

  it('refuses more than one key source', () => {
    expect(() => loadConfig({ AUTH_JWT_SECRET: SECRET, AUTH_JWKS_URL: 'https://issuer.example/jwks' })).toThrow(
      /set only one of AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY, AUTH_JWKS_URL/,
    );
  });
});

describe('the documented settings', () => {
  const read = [...new Set(getMetadataStorage().getTargetValidationMetadatas(EnvironmentVariables, '', true, false).map((m) => m.propertyName))];
  const file = (name: string): string => readFileSync(join(__dirname, '..', '..', name), 'utf8');

  it('.env.example lists exactly the variables the service reads', () => {
    const documented = file('.env.example')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.split('=')[0]);
    expect([...documented].sort()).toEqual([...read].sort());
  });

  it('docs/operations.md describes every one of them', () => {
    const operations = file('docs/operations.md');
    expect(read.filter((name) => !operations.includes(`\`${name}\``))).toEqual([]);
  });
});
