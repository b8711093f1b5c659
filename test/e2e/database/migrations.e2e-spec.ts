import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS_TABLE } from '../../../src/database/data-source-options';
import { runMigrations } from '../../../src/database/migrate';

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
    const instances = await Promise.all([1, 2, 3].map(() => new DataSource(dataSourceOptions(url, 2)).initialize()));
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

  it('leave host tables that already exist untouched', async () => {
    const hostDb = `${database}_host`;
    await admin((c) => c.query(`CREATE DATABASE "${hostDb}"`));
    const parsed = new URL(serverUrl());
    parsed.pathname = `/${hostDb}`;
    const dataSource = await new DataSource(dataSourceOptions(parsed.toString(), 2)).initialize();
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
