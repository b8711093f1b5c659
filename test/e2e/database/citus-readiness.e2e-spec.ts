import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../../utils/test-app';

/**
 * docs/scaling.md lists how every table would be placed on Citus (distributed by tenant,
 * reference, or local) and which constraints would have to include the distribution column.
 * This reads the migrated catalog and fails when a table or such a constraint appears that the
 * list does not name, or the list names one that no longer exists.
 */
interface Placement {
  table: string;
  kind: 'distributed' | 'reference' | 'local';
  column?: string;
  mustInclude: string[];
}

function placements(): Placement[] {
  const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'scaling.md'), 'utf8');
  const section = /<!-- citus-placement:start -->([\s\S]*?)<!-- citus-placement:end -->/.exec(doc);
  if (!section) throw new Error('docs/scaling.md has no citus-placement section');
  return section[1]
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [table, kind, column, constraints] = line.split('|').slice(1, 5).map((cell) => cell.trim());
      const names = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
      return { table: names(table)[0], kind: kind as Placement['kind'], column: names(column)[0], mustInclude: names(constraints) };
    });
}

describe('the schema against docs/scaling.md (Citus placement)', () => {
  let t: TestApp;
  const listed = placements();

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('names every table the migrations create, and only those', async () => {
    const rows = (await t.db.query(
      `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND (n.nspname = 'scheduler'
              OR (n.nspname = 'public' AND c.relname IN ('biz_entity', 'auth_user', 'scheduler_migrations')))
        ORDER BY 1`,
    )) as { name: string }[];
    expect(listed.map((placement) => placement.table).sort()).toEqual(rows.map((row) => row.name));
  });

  it('gives every distributed table its distribution column', async () => {
    for (const placement of listed.filter((p) => p.kind === 'distributed')) {
      const [schema, table] = placement.table.split('.');
      const found = (await t.db.query(
        `SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3`,
        [schema, table, placement.column],
      )) as unknown[];
      expect({ table: placement.table, column: placement.column, present: found.length === 1 }).toEqual({
        table: placement.table,
        column: placement.column,
        present: true,
      });
    }
  });

  it('names exactly the unique, exclusion and foreign-key constraints that lack the distribution column', async () => {
    const rows = (await t.db.query(
      `SELECT n.nspname || '.' || c.relname AS "table", x.name, x.columns, x.references_distributed AS "referencesTable"
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         CROSS JOIN LATERAL (
           SELECT con.conname AS name,
                  ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = ANY(con.conkey)) AS columns,
                  CASE WHEN con.contype = 'f' THEN (SELECT rn.nspname || '.' || r.relname FROM pg_class r
                                                      JOIN pg_namespace rn ON rn.oid = r.relnamespace WHERE r.oid = con.confrelid) END
                    AS references_distributed
             FROM pg_constraint con WHERE con.conrelid = c.oid AND con.contype IN ('p', 'u', 'x', 'f')
           UNION ALL
           SELECT ic.relname, ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = ANY(i.indkey)), NULL
             FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            WHERE i.indrelid = c.oid AND i.indisunique AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
         ) x
        WHERE n.nspname = 'scheduler' AND c.relkind IN ('r', 'p')`,
    )) as { table: string; name: string; columns: string[]; referencesTable: string | null }[];
    const placementOf = new Map(listed.map((placement) => [placement.table, placement]));
    const lacking = rows
      .filter((row) => {
        const placement = placementOf.get(row.table);
        if (placement?.kind !== 'distributed') return false;
        // A foreign key to a reference table needs nothing; one to a distributed table must be co-located.
        if (row.referencesTable && placementOf.get(row.referencesTable)?.kind !== 'distributed') return false;
        return !row.columns.includes(placement.column!);
      })
      .map((row) => `${row.table}: ${row.name}`)
      .sort();
    const documented = listed.flatMap((placement) => placement.mustInclude.map((name) => `${placement.table}: ${name}`)).sort();
    expect(documented).toEqual(lacking);
  });
});
