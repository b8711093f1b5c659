import { DataSource, MigrationExecutor } from 'typeorm';
import { runWithQueryLimits, UNLIMITED } from './query-limits';

/** Arbitrary, fixed: the advisory lock every instance takes around migrations. */
const MIGRATION_LOCK_KEY = 7_310_402_650_117;

/**
 * TypeORM has no migration lock. Instances that boot together serialise on a session-level
 * advisory lock; whoever comes second finds nothing left to run.
 */
export function runMigrations(dataSource: DataSource): Promise<string[]> {
  // A migration may rewrite a whole table: the request timeouts do not apply to it.
  return runWithQueryLimits(UNLIMITED, () => migrateUnderLock(dataSource));
}

async function migrateUnderLock(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      // On the lock's own connection: a pool of one has no second one to give.
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
