import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People and availability rules. One rules table for the three kinds, with a CHECK per kind
 * so the database refuses exactly what the DTOs refuse (DOMAIN.md §Availability).
 */
export class Catalogue1764000000001 implements MigrationInterface {
  name = 'Catalogue1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scheduler.people (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        biz_entity_id uuid NOT NULL,
        location_id uuid NOT NULL,
        name text NOT NULL CONSTRAINT people_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
        email text CONSTRAINT people_email_length CHECK (char_length(email) BETWEEN 3 AND 320),
        weight double precision NOT NULL DEFAULT 1 CONSTRAINT people_weight_range CHECK (weight BETWEEN 0.1 AND 100),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        CONSTRAINT people_location_id_fkey FOREIGN KEY (location_id, biz_entity_id)
          REFERENCES scheduler.locations (id, biz_entity_id),
        CONSTRAINT people_id_location_biz_key UNIQUE (id, location_id, biz_entity_id)
      )`);
    await q.query(`CREATE INDEX people_location_page_idx ON scheduler.people (location_id, created_at, id)`);
    await q.query(`CREATE INDEX people_biz_page_idx ON scheduler.people (biz_entity_id, created_at, id)`);

    await q.query(`
      CREATE FUNCTION scheduler.is_iso_weekday_set(days smallint[]) RETURNS boolean
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT cardinality(days) BETWEEN 1 AND 7
           AND days <@ ARRAY[1,2,3,4,5,6,7]::smallint[]
           AND cardinality(days) = (SELECT count(DISTINCT d) FROM unnest(days) AS d)
      $$`);

    await q.query(`
      CREATE TABLE scheduler.availability_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        biz_entity_id uuid NOT NULL,
        location_id uuid NOT NULL,
        person_id uuid NOT NULL,
        kind text NOT NULL CONSTRAINT availability_rules_kind CHECK (kind IN ('weekly', 'override', 'blackout')),
        weekdays smallint[],
        date date,
        start_date date,
        end_date date,
        start_time time,
        end_time time,
        slot_minutes integer CONSTRAINT availability_rules_slot_minutes_range CHECK (slot_minutes BETWEEN 5 AND 1440),
        buffer_minutes integer CONSTRAINT availability_rules_buffer_minutes_range CHECK (buffer_minutes BETWEEN 0 AND 1440),
        capacity integer CONSTRAINT availability_rules_capacity_range CHECK (capacity BETWEEN 1 AND 10000),
        valid_from date,
        valid_until date,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        CONSTRAINT availability_rules_person_id_fkey FOREIGN KEY (person_id, location_id, biz_entity_id)
          REFERENCES scheduler.people (id, location_id, biz_entity_id),
        CONSTRAINT availability_rules_window
          CHECK ((start_time IS NULL) = (end_time IS NULL) AND (end_time IS NULL OR end_time > start_time)),
        CONSTRAINT availability_rules_slot_fields_need_window
          CHECK (start_time IS NOT NULL OR (slot_minutes IS NULL AND buffer_minutes IS NULL AND capacity IS NULL)),
        CONSTRAINT availability_rules_weekly CHECK (kind <> 'weekly' OR (
          weekdays IS NOT NULL AND scheduler.is_iso_weekday_set(weekdays)
          AND date IS NULL AND start_date IS NULL AND end_date IS NULL
          AND start_time IS NOT NULL AND slot_minutes IS NOT NULL
          AND buffer_minutes IS NOT NULL AND capacity IS NOT NULL
          AND (valid_from IS NULL OR valid_until IS NULL OR valid_from <= valid_until))),
        CONSTRAINT availability_rules_override CHECK (kind <> 'override' OR (
          date IS NOT NULL
          AND weekdays IS NULL AND start_date IS NULL AND end_date IS NULL
          AND valid_from IS NULL AND valid_until IS NULL
          AND (start_time IS NULL OR (slot_minutes IS NOT NULL AND buffer_minutes IS NOT NULL AND capacity IS NOT NULL)))),
        CONSTRAINT availability_rules_blackout CHECK (kind <> 'blackout' OR (
          start_date IS NOT NULL AND end_date IS NOT NULL AND start_date <= end_date
          AND weekdays IS NULL AND date IS NULL
          AND slot_minutes IS NULL AND buffer_minutes IS NULL AND capacity IS NULL
          AND valid_from IS NULL AND valid_until IS NULL))
      )`);
    await q.query(`CREATE INDEX availability_rules_person_idx ON scheduler.availability_rules (person_id, created_at, id)`);
    await q.query(
      `CREATE INDEX availability_rules_location_idx ON scheduler.availability_rules (location_id, created_at, id)`,
    );
    await q.query(`CREATE INDEX availability_rules_biz_idx ON scheduler.availability_rules (biz_entity_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scheduler.availability_rules`);
    await q.query(`DROP FUNCTION scheduler.is_iso_weekday_set(smallint[])`);
    await q.query(`DROP TABLE scheduler.people`);
  }
}
