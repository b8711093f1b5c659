import { ConfigError, loadConfig } from './app-config';

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
