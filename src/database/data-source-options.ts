import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';

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

export function dataSourceOptions(url: string, poolMax: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [],
    migrations: [migrationsGlob()],
    migrationsTableName: MIGRATIONS_TABLE,
    // The schema changes only through migrations, run under an advisory lock (see migrate.ts).
    synchronize: false,
    migrationsRun: false,
    extra: { max: poolMax },
  };
}
