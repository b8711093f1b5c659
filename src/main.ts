import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { createApp } from './app.setup';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { developmentSecret } from './common/auth/development-secret';
import { signHs256Token } from './common/auth/tokens';
import { ShutdownGate } from './common/http/shutdown-gate';
import { redactedError } from './common/logging/log-fields';
import type { EmbeddedPostgresServer } from './database/embedded-postgres.mjs';
import { stopTracing } from './tracing';
import { DEMO, seedDemoData } from './seed/demo-data';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config = loadConfig(process.env);
  const hasKeyMaterial = Boolean(config.AUTH_JWT_SECRET || config.AUTH_JWT_PUBLIC_KEY || config.AUTH_JWKS_URL);
  if (!hasKeyMaterial && config.NODE_ENV === 'production') {
    throw new ConfigError('AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY or AUTH_JWKS_URL is required when NODE_ENV=production');
  }

  let embedded: EmbeddedPostgresServer | undefined;
  let app: NestExpressApplication | undefined;
  const shutdown = async (signal: string): Promise<void> => {
    console.log(`\n${signal} received: draining requests, then stopping.`);
    process.exit(await stop(app, embedded, config.SHUTDOWN_TIMEOUT_MS));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(signal));
  // A fault the code did not foresee is logged, and the other requests go on being served.
  process.on('unhandledRejection', (reason: unknown) => console.error('Unhandled rejection (the process keeps serving):', redactedError(reason)));

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

/**
 * Graceful stop, bounded by `timeoutMs` in all: new requests get 503 while those in flight
 * finish; then connections that are still open (idle keep-alives, clients that never finish
 * their request) are cut, the pool and the embedded database stop. A hanging client or database
 * cannot hold it longer: the exit code is then 1.
 */
async function stop(app: NestExpressApplication | undefined, embedded: EmbeddedPostgresServer | undefined, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const closingReserve = Math.min(2000, timeoutMs / 4);
  const drained = app ? await app.get(ShutdownGate).drain(Math.max(0, timeoutMs - closingReserve)) : true;
  const server = app?.getHttpServer();
  server?.close();
  server?.closeAllConnections();
  const closed = await within(deadline - Date.now(), async () => app?.close());
  // Even when the pool could not close in time: the embedded server ends its connections itself.
  await within(Math.max(closingReserve, deadline - Date.now()), async () => embedded?.stop());
  await within(Math.max(0, deadline - Date.now()), stopTracing);
  if (!drained) console.error('Shutdown deadline passed with requests still in flight.');
  if (!closed) console.error('Shutdown deadline passed while closing connections.');
  return drained && closed ? 0 : 1;
}

/** True when `work` finished within `ms`; its errors are logged, not thrown. */
async function within(ms: number, work: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  const finished = work().then(
    () => true,
    (error: unknown) => {
      console.error('error while stopping', error);
      return true;
    },
  );
  const result = await Promise.race([finished, expired]);
  clearTimeout(timer);
  return result;
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
      // No longer than the verifier accepts a token at all (AUTH_MAX_TOKEN_AGE_SECONDS).
      signHs256Token(config.AUTH_JWT_SECRET!, { sub, roles, biz }, config.AUTH_MAX_TOKEN_AGE_SECONDS, {
        issuer: config.AUTH_JWT_ISSUER,
        audience: config.AUTH_JWT_AUDIENCE,
      });
    lines.push(
      `  Demo location: ${DEMO.locationId} (Asia/Dubai)`,
      `  Bearer tokens (valid ${describeDuration(config.AUTH_MAX_TOKEN_AGE_SECONDS)}; paste into "Authorize" on /docs):`,
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

function describeDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Failed to start:', error);
  }
  process.exit(1);
});
