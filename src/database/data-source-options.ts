import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { guardedPg, GuardedPoolSettings } from './guarded-pg';

/**
 * Compiled code lives in dist/ (migrations in dist/migrations); under ts-jest the sources run
 * from src/ and migrations/ directly. Both layouts keep this file two levels below the root
 * of its tree, so the migrations folder is found the same way.
 */
function migrationsGlob(): string {
  const compiled = __filename.endsWith('.js');
  return compiled ? join(__dirname, '..', 'migrations', '*.js') : join(__dirname, '..', '..', 'migrations', '*.ts');
}

export const MIGRATIONS_TABLE = 'scheduler_migrations';

/** The pool and timeout settings of one data source (docs/reliability.md says what each bounds). */
export type DatabaseSettings = Pick<
  AppConfig,
  'DB_POOL_MAX' | 'DB_PREPARED_STATEMENTS' | 'DB_CONNECT_TIMEOUT_MS' | 'DB_STATEMENT_TIMEOUT_MS' | 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS'
>;

export function dataSourceOptions(url: string, settings: DatabaseSettings): DataSourceOptions {
  const pool: GuardedPoolSettings & Record<string, unknown> = {
    max: settings.DB_POOL_MAX,
    // Opening a connection and waiting for a free one are both bounded by this (pg-pool).
    connectionTimeoutMillis: settings.DB_CONNECT_TIMEOUT_MS,
    // Dead peers of idle connections are found by TCP instead of by the next request.
    keepAlive: true,
    preparedStatements: settings.DB_PREPARED_STATEMENTS,
    queryLimits: {
      statementTimeoutMs: settings.DB_STATEMENT_TIMEOUT_MS,
      idleInTransactionTimeoutMs: settings.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
  };
  return {
    type: 'postgres',
    url,
    driver: guardedPg,
    entities: [],
    migrations: [migrationsGlob()],
    migrationsTableName: MIGRATIONS_TABLE,
    // The schema changes only through migrations, run under an advisory lock (see migrate.ts).
    synchronize: false,
    migrationsRun: false,
    extra: pool,
  };
}
