import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import { runMigrations } from '../../../src/database/migrate';
import { scratchDatabase, testConfig } from '../../utils/test-app';

/** A database of the suite's own for the tests of this describe block, dropped after them; call inside `describe`. */
export function useScratchDatabase(): () => DataSource {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let db: DataSource;
  beforeAll(async () => {
    scratch = await scratchDatabase();
    db = await new DataSource(dataSourceOptions(scratch.url, { ...testConfig(), DB_POOL_MAX: 2 })).initialize();
  });
  afterAll(async () => {
    await db?.destroy();
    await scratch?.drop();
  });
  return () => db;
}

/** Applies every migration, then undoes `name` and all after it; returns those undone, in order. */
export async function undoFrom(db: DataSource, name: string): Promise<string[]> {
  const applied = await runMigrations(db);
  const undone = applied.slice(applied.indexOf(name));
  expect(undone[0]).toBe(name);
  for (let i = 0; i < undone.length; i += 1) await db.undoLastMigration({ transaction: 'each' });
  return undone;
}

/** A location in UTC and a person there, of business `biz`, as any schema since the first migration holds them. */
export async function oldPerson(db: DataSource, biz: string): Promise<{ loc: string; person: string }> {
  const [{ loc }] = (await db.query(`INSERT INTO scheduler.locations (biz_entity_id, name, timezone) VALUES ($1, 'Old', 'UTC') RETURNING id AS loc`, [
    biz,
  ])) as { loc: string }[];
  const [{ person }] = (await db.query(`INSERT INTO scheduler.people (biz_entity_id, location_id, name) VALUES ($1, $2, 'Asha') RETURNING id AS person`, [
    biz,
    loc,
  ])) as { person: string }[];
  return { loc, person };
}
