import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from './app.setup';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { developmentSecret } from './common/auth/development-secret';
import { signHs256Token } from './common/auth/tokens';
import type { EmbeddedPostgresServer } from './database/embedded-postgres.mjs';
import { DEMO, seedDemoData } from './seed/demo-data';

const DEMO_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config = loadConfig(process.env);
  const hasKeyMaterial = Boolean(config.AUTH_JWT_SECRET || config.AUTH_JWT_PUBLIC_KEY || config.AUTH_JWKS_URL);
  if (!hasKeyMaterial && config.NODE_ENV === 'production') {
    throw new ConfigError('AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY or AUTH_JWKS_URL is required when NODE_ENV=production');
  }

  let embedded: EmbeddedPostgresServer | undefined;
  let app: INestApplication | undefined;
  const shutdown = async (signal: string): Promise<void> => {
    console.log(`\n${signal} received: draining requests, then stopping.`);
    await app?.close().catch((error: unknown) => console.error('error while closing the API', error));
    await embedded?.stop().catch((error: unknown) => console.error('error while stopping PostgreSQL', error));
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(signal));

  if (!config.DATABASE_URL) {
    const { startEmbeddedPostgres } = await import('./database/embedded-postgres.mjs');
    embedded = await startEmbeddedPostgres({
      dataDir: resolve(config.DATA_DIR),
      port: config.EMBEDDED_PG_PORT,
      persistent: true,
    });
    config = { ...config, DATABASE_URL: await embedded.ensureDatabase('scheduler') };
  }
  if (!hasKeyMaterial) config = { ...config, AUTH_JWT_SECRET: await developmentSecret(config.DATA_DIR) };

  app = await createApp(config);
  if (config.SEED_DEMO_DATA) await seedDemoData(app.get(DataSource));
  await app.listen(config.PORT, config.HOST);
  await printBanner(config, Boolean(embedded));
}

async function printBanner(config: AppConfig, embedded: boolean): Promise<void> {
  const base = `http://localhost:${config.PORT}`;
  const lines = [
    '',
    `General Scheduler is listening on ${base}`,
    `  API docs:  ${base}/docs   (ReDoc: ${base}/redoc, contract: ${base}/openapi.yaml)`,
    `  Database:  ${embedded ? `embedded PostgreSQL on 127.0.0.1:${config.EMBEDDED_PG_PORT} (data in ${config.DATA_DIR}/)` : 'DATABASE_URL'}`,
  ];
  if (config.AUTH_JWT_SECRET && config.SEED_DEMO_DATA) {
    const sign = (sub: string, roles: ('user' | 'viewer' | 'admin')[], biz?: string[]): Promise<string> =>
      signHs256Token(config.AUTH_JWT_SECRET!, { sub, roles, biz }, DEMO_TOKEN_TTL_SECONDS, {
        issuer: config.AUTH_JWT_ISSUER,
        audience: config.AUTH_JWT_AUDIENCE,
      });
    lines.push(
      `  Demo location: ${DEMO.locationId} (Asia/Dubai)`,
      '  Bearer tokens (valid 7 days; paste into "Authorize" on /docs):',
      `    admin:  ${await sign(DEMO.adminUserId, ['admin'], [DEMO.bizEntityId])}`,
      `    viewer: ${await sign(DEMO.viewerUserId, ['viewer'], [DEMO.bizEntityId])}`,
      `    user:   ${await sign(DEMO.userId, ['user'])}`,
    );
  }
  if (config.AUTH_JWT_SECRET) {
    lines.push('  More tokens: npm run -s token -- --sub <user uuid> [--roles admin] [--biz <business uuid>]');
  }
  lines.push('  Press Ctrl-C to stop.', '');
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Failed to start:', error);
  }
  process.exit(1);
});
