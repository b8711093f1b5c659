import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS_TABLE } from '../../../src/database/data-source-options';
import { runMigrations } from '../../../src/database/migrate';
import { testConfig } from '../../utils/test-app';

function serverUrl(): string {
  const url = process.env.SCHEDULER_TEST_SERVER_URL;
  if (!url) throw new Error('SCHEDULER_TEST_SERVER_URL is not set: run the tests through jest');
  return url;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  const database = `scheduler_migrate_${randomBytes(5).toString('hex')}`;
  let url: string;

  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE "${database}"`));
    const parsed = new URL(serverUrl());
    parsed.pathname = `/${database}`;
    url = parsed.toString();
  });
  afterAll(() => admin((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)));

  it('run once when several instances boot together, serialised by the advisory lock', async () => {
    const instances = await Promise.all([1, 2, 3].map(() => new DataSource(dataSourceOptions(url, { ...testConfig(), DB_POOL_MAX: 2 })).initialize()));
    try {
      const applied = await Promise.all(instances.map((dataSource) => runMigrations(dataSource)));
      const all = applied.flat();
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBeGreaterThanOrEqual(2);
      expect(applied.filter((names) => names.length > 0)).toHaveLength(1);

      const [{ n }] = (await instances[0].query(`SELECT count(*)::int AS n FROM public.${MIGRATIONS_TABLE}`)) as { n: number }[];
      expect(n).toBe(all.length);
      const tables = (await instances[0].query(
        `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
          WHERE table_schema IN ('scheduler', 'public') ORDER BY 1`,
      )) as { name: string }[];
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(['public.auth_user', 'public.biz_entity', 'scheduler.locations']),
      );
      const [extension] = (await instances[0].query(`SELECT extname FROM pg_extension WHERE extname = 'btree_gist'`)) as {
        extname: string;
      }[];
      expect(extension).toEqual({ extname: 'btree_gist' });
    } finally {
      await Promise.all(instances.map((dataSource) => dataSource.destroy()));
    }
  });

  /** A fresh database of its own for one test, dropped afterwards. */
  async function withDatabase(suffix: string, work: (dataSource: DataSource) => Promise<void>): Promise<void> {
    const name = `${database}_${suffix}`;
    await admin((c) => c.query(`CREATE DATABASE "${name}"`));
    const parsed = new URL(serverUrl());
    parsed.pathname = `/${name}`;
    const dataSource = await new DataSource(dataSourceOptions(parsed.toString(), { ...testConfig(), DB_POOL_MAX: 2 })).initialize();
    try {
      await work(dataSource);
    } finally {
      await dataSource.destroy();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    }
  }

  const schedulerTables = async (dataSource: DataSource): Promise<string[]> =>
    ((await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'scheduler' ORDER BY 1`)) as { table_name: string }[]).map(
      (row) => row.table_name,
    );

  it('revert one by one down to nothing, and apply again', async () => {
    await withDatabase('roundtrip', async (dataSource) => {
      const applied = await runMigrations(dataSource);
      const tables = await schedulerTables(dataSource);
      expect(tables).toEqual(expect.arrayContaining(['availability_rules', 'bookings', 'exposures', 'slot_instances']));
      for (let i = 0; i < applied.length; i += 1) await dataSource.undoLastMigration({ transaction: 'each' });
      expect(await schedulerTables(dataSource)).toEqual([]);
      expect(await runMigrations(dataSource)).toEqual(applied);
      expect(await schedulerTables(dataSource)).toEqual(tables);
    });
  });

  it('upgrade rows written before a migration: slots get their location zone, days off their defaults', async () => {
    await withDatabase('upgrade', async (dataSource) => {
      const applied = await runMigrations(dataSource);
      // Back to before SlotZoneAndBlockMemory (and everything after it), with rows of that time.
      const undone = applied.slice(applied.indexOf('SlotZoneAndBlockMemory1764000000006'));
      expect(undone).toEqual(expect.arrayContaining(['SlotZoneAndBlockMemory1764000000006', 'DayOffOverrideFields1764000000007']));
      for (let i = 0; i < undone.length; i += 1) await dataSource.undoLastMigration({ transaction: 'each' });
      const [{ biz }] = (await dataSource.query(`INSERT INTO public.biz_entity (id) VALUES (gen_random_uuid()) RETURNING id AS biz`)) as { biz: string }[];
      const [{ loc }] = (await dataSource.query(
        `INSERT INTO scheduler.locations (biz_entity_id, name, timezone) VALUES ($1, 'Old', 'Asia/Kolkata') RETURNING id AS loc`,
        [biz],
      )) as { loc: string }[];
      const [{ person }] = (await dataSource.query(
        `INSERT INTO scheduler.people (biz_entity_id, location_id, name) VALUES ($1, $2, 'Asha') RETURNING id AS person`,
        [biz, loc],
      )) as { person: string }[];
      await dataSource.query(
        `INSERT INTO scheduler.slot_instances (biz_entity_id, location_id, person_id, starts_at, ends_at, local_start, capacity)
         VALUES ($1, $2, $3, '2027-01-04T03:30:00Z', '2027-01-04T04:30:00Z', '2027-01-04T09:00', 1)`,
        [biz, loc, person],
      );
      await dataSource.query(
        `INSERT INTO scheduler.availability_rules (biz_entity_id, location_id, person_id, kind, date) VALUES ($1, $2, $3, 'override', '2027-01-05')`,
        [biz, loc, person],
      );
      // Written when any case passed validation as it was sent.
      await dataSource.query(`INSERT INTO scheduler.locations (biz_entity_id, name, timezone) VALUES ($1, 'Older', 'europe/LONDON')`, [biz]);

      expect(await runMigrations(dataSource)).toEqual(undone);
      expect(await dataSource.query(`SELECT timezone, retired_while_blocked FROM scheduler.slot_instances`)).toEqual([
        { timezone: 'Asia/Kolkata', retired_while_blocked: false },
      ]);
      expect(await dataSource.query(`SELECT timezone FROM scheduler.locations ORDER BY name`)).toEqual([
        { timezone: 'Asia/Kolkata' },
        { timezone: 'Europe/London' },
      ]);
      expect(await dataSource.query(`SELECT buffer_before_minutes, buffer_after_minutes, capacity FROM scheduler.availability_rules`)).toEqual([
        { buffer_before_minutes: 0, buffer_after_minutes: 0, capacity: 1 },
      ]);
    });
  });

  it('leave host tables that already exist untouched', async () => {
    const hostDb = `${database}_host`;
    await admin((c) => c.query(`CREATE DATABASE "${hostDb}"`));
    const parsed = new URL(serverUrl());
    parsed.pathname = `/${hostDb}`;
    const dataSource = await new DataSource(dataSourceOptions(parsed.toString(), { ...testConfig(), DB_POOL_MAX: 2 })).initialize();
    try {
      await dataSource.query(`CREATE TABLE public.biz_entity (id uuid PRIMARY KEY, legal_name text NOT NULL)`);
      await dataSource.query(`INSERT INTO public.biz_entity VALUES ('11111111-1111-4111-8111-111111111111', 'Host Ltd')`);
      await runMigrations(dataSource);
      const rows = (await dataSource.query(`SELECT id, legal_name FROM public.biz_entity`)) as unknown[];
      expect(rows).toEqual([{ id: '11111111-1111-4111-8111-111111111111', legal_name: 'Host Ltd' }]);
    } finally {
      await dataSource.destroy();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${hostDb}" WITH (FORCE)`));
    }
  });
});
