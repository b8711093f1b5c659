import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.setup';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { signHs256Token, TokenClaims } from '../../src/common/auth/tokens';
import { ContractClient } from './contract';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

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

export function token(claims: Partial<TokenClaims> = {}, ttlSeconds = 600): Promise<string> {
  return signHs256Token(TEST_JWT_SECRET, { sub: randomUUID(), ...claims }, ttlSeconds);
}
