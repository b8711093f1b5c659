import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * - Zone names written before they were canonicalised on input (`europe/london`) take the
 *   spelling of the time zone database, on locations and on slots, so comparing names is
 *   comparing zones.
 * - Every override keeps `buffer_minutes` and `capacity` (a day off included), in the schema
 *   as in the API.
 */
export class CanonicalZonesAndOverrideDefaults1764000000008 implements MigrationInterface {
  name = 'CanonicalZonesAndOverrideDefaults1764000000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TEMPORARY TABLE zone_spelling ON COMMIT DROP AS
        SELECT DISTINCT ON (lower(name)) lower(name) AS folded, name FROM pg_timezone_names ORDER BY lower(name), name`);
    await q.query(`
      UPDATE scheduler.locations l SET timezone = z.name
        FROM zone_spelling z WHERE z.folded = lower(l.timezone) AND z.name <> l.timezone`);
    await q.query(`
      UPDATE scheduler.slot_instances s SET timezone = z.name
        FROM zone_spelling z WHERE z.folded = lower(s.timezone) AND z.name <> s.timezone`);
    await q.query(`
      ALTER TABLE scheduler.availability_rules ADD CONSTRAINT availability_rules_override_slot_defaults
        CHECK (kind <> 'override' OR (buffer_minutes IS NOT NULL AND capacity IS NOT NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scheduler.availability_rules DROP CONSTRAINT availability_rules_override_slot_defaults`);
  }
}
