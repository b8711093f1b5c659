import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { runMigrations } from './migrate';

/** `npm run migration:run`: applies pending migrations to DATABASE_URL under the migration lock. */
async function migrate(): Promise<void> {
  const config = loadConfig(process.env);
  const url = config.DATABASE_MIGRATION_URL ?? config.DATABASE_URL;
  if (!url) throw new ConfigError('Invalid environment variable DATABASE_URL: required to run migrations');
  const dataSource = new DataSource(dataSourceOptions(url, { ...config, DB_POOL_MAX: 1 }));
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
  } finally {
    await dataSource.destroy();
  }
}

migrate().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
