import { MigrationInterface, QueryRunner } from 'typeorm';

/** The resources that carry an integrator's key-value pairs. */
const TABLES = ['bookings', 'locations', 'people'] as const;

/**
 * Metadata: up to 50 string key-value pairs on bookings, locations and people (Stripe-style).
 *
 * `metadata` is a JSON object, `{}` by default (a constant default: no table rewrite). The API
 * validates its shape; two CHECKs hold what a merge could break whoever writes: it is an object,
 * and it holds at most 50 keys (counted by `scheduler.metadata_key_count`, since a CHECK takes
 * no subquery). A GIN index with `jsonb_path_ops` serves the admin booking list's
 * `metadata[key]=value` filter, written as containment (`metadata @> '{"key": "value"}'`).
 */
export class Metadata1764000000014 implements MigrationInterface {
  name = 'Metadata1764000000014';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION scheduler.metadata_key_count(metadata jsonb) RETURNS integer
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT count(*)::int FROM jsonb_object_keys(CASE WHEN jsonb_typeof(metadata) = 'object' THEN metadata ELSE '{}' END) $$`);
    for (const table of TABLES) {
      await q.query(`
        ALTER TABLE scheduler.${table}
          ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}'
            CONSTRAINT ${table}_metadata_object CHECK (jsonb_typeof(metadata) = 'object')
            CONSTRAINT ${table}_metadata_keys CHECK (scheduler.metadata_key_count(metadata) <= 50)`);
    }
    await q.query(`CREATE INDEX bookings_metadata_idx ON scheduler.bookings USING gin (metadata jsonb_path_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX scheduler.bookings_metadata_idx`);
    for (const table of TABLES) await q.query(`ALTER TABLE scheduler.${table} DROP COLUMN metadata`);
    await q.query(`DROP FUNCTION scheduler.metadata_key_count(jsonb)`);
  }
}
