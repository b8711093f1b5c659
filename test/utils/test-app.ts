import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.setup';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { TEST_JWT_SECRET } from '../factories/tokens';
import { ContractClient } from './contract';

// Tokens are fixtures (test/factories/tokens.ts); re-exported for the suites that boot an app and sign in one import.
export { TEST_JWT_SECRET, token } from '../factories/tokens';

export function testDatabaseUrl(): string {
  const url = process.env.SCHEDULER_TEST_DATABASE_URL;
  if (!url) throw new Error('SCHEDULER_TEST_DATABASE_URL is not set: run the tests through jest (global setup)');
  return url;
}

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl(),
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    SEED_DEMO_DATA: 'false',
    DB_POOL_MAX: '5',
    // Tests generate slots explicitly; the job has a test of its own.
    SLOT_HORIZON_JOB_ENABLED: 'false',
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_HOLDS_PER_MINUTE: '100000000',
    RATE_LIMIT_BROWSE_PER_MINUTE: '100000000',
    RATE_LIMIT_GENERATION_PER_MINUTE: '100000000',
    EXPOSURES_PER_USER_PER_MINUTE: '100000',
    // Background sweeps would touch other test files' rows; tests run them explicitly.
    HOLD_SWEEP_INTERVAL_SECONDS: '3600',
    // Tests run the webhook dispatcher explicitly, against receivers on loopback.
    WEBHOOK_DISPATCH_ENABLED: 'false',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    // Parallel suites share a small machine: a correct request must not turn into a 503 by
    // queueing. The fault tests set the production limits (or tighter) themselves.
    DB_CONNECT_TIMEOUT_MS: '30000',
    DB_STATEMENT_TIMEOUT_MS: '30000',
    REQUEST_TIMEOUT_MS: '60000',
    ...overrides,
  });
}

export interface TestApp {
  app: NestExpressApplication;
  db: DataSource;
  /** HTTP client that checks every response against the served OpenAPI document. */
  api: ContractClient;
  close(): Promise<void>;
}

/** Boots the production app (same createApp as main.ts) against the run's database. */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const app = await createApp(testConfig(overrides));
  const api = await ContractClient.for(app);
  return { app, db: app.get(DataSource), api, close: () => app.close() };
}

/** The app listening on a loopback port, for clients that speak HTTP themselves (the typed client). */
export type ListeningTestApp = TestApp & { baseUrl: string };

export async function startListeningTestApp(overrides: Record<string, string> = {}): Promise<ListeningTestApp> {
  const t = await startTestApp(overrides);
  await t.app.listen(0, '127.0.0.1');
  return { ...t, baseUrl: `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}` };
}

/** A database of its own on the run's server, for tests that must see only their own rows. */
export async function scratchDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const server = process.env.SCHEDULER_TEST_SERVER_URL;
  if (!server) throw new Error('SCHEDULER_TEST_SERVER_URL is not set: run the tests through jest (global setup)');
  const name = `scheduler_isolated_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const dropper = new Client({ connectionString: server });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/**
 * An app on a database of its own, for tests whose subject sweeps every row (background
 * jobs), so they neither see nor touch what parallel test files create.
 */
export async function startIsolatedTestApp(overrides: Record<string, string> = {}): Promise<TestApp & { database: string }> {
  const database = await scratchDatabase();
  const app = await startTestApp({ DATABASE_URL: database.url, ...overrides });
  return {
    ...app,
    database: database.name,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

