import type { DataSource } from 'typeorm';

/** Arbitrary, fixed: the advisory lock every instance takes around migrations. */
const MIGRATION_LOCK_KEY = 7_310_402_650_117;

/**
 * TypeORM has no migration lock. Instances that boot together serialise on a session-level
 * advisory lock; whoever comes second finds nothing left to run.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
