import { decodeJwt } from 'jose';
import { DEMO } from '../../../src/seed/demo-data';
import { eventually, ServerProcess } from '../faults/fault-kit';
import { scratchDatabase, startTestApp, TEST_JWT_SECRET, TestApp } from '../../utils/test-app';

/** The built server on a DATABASE_URL of its own, with no NODE_ENV and no SEED_DEMO_DATA. */
describe('demo data on an external DATABASE_URL', () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let t: TestApp;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    database = await scratchDatabase();
    t = await startTestApp({ DATABASE_URL: database.url });
  });
  afterEach(async () => {
    server?.kill('SIGKILL');
    await server?.exited;
    server = undefined;
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  async function startWith(env: Record<string, string>): Promise<string> {
    // Empty means unset: NODE_ENV and SEED_DEMO_DATA take their defaults.
    server = await ServerProcess.start({ DATABASE_URL: database.url, AUTH_JWT_SECRET: TEST_JWT_SECRET, NODE_ENV: '', SEED_DEMO_DATA: '', ...env });
    const started = server;
    await eventually(async () => started.output.join('').includes('Press Ctrl-C to stop.'), 10_000);
    return started.output.join('');
  }

  const demoBusinesses = async (): Promise<number> =>
    ((await t.db.query('SELECT count(*)::int AS n FROM public.biz_entity WHERE id = $1', [DEMO.bizEntityId])) as { n: number }[])[0].n;

  it('seeds nothing and prints no tokens by default', async () => {
    const banner = await startWith({});
    expect(banner).toContain('General Scheduler is listening');
    expect(banner).not.toMatch(/Bearer tokens|admin:\s+ey/);
    expect(await demoBusinesses()).toBe(0);
  });

  it('seeds and prints tokens when SEED_DEMO_DATA=true, each valid at most AUTH_MAX_TOKEN_AGE_SECONDS', async () => {
    const banner = await startWith({ SEED_DEMO_DATA: 'true', AUTH_MAX_TOKEN_AGE_SECONDS: '7200' });
    expect(banner).toContain('Bearer tokens (valid 2 h;');
    const admin = banner.match(/admin:\s+(\S+)/)?.[1];
    const claims = decodeJwt(admin!);
    expect(claims.exp! - claims.iat!).toBe(7200);
    expect(await demoBusinesses()).toBe(1);
  });
});
