import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Schema `scheduler`, btree_gist (exclusion constraints over time ranges), stand-ins for the
 * host application's tables, and locations. Every tenant-owned table carries
 * `biz_entity_id` so admin queries filter on one column and the schema can later be
 * distributed by tenant.
 */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS scheduler`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    // Minimal stand-ins: a host database that already has these tables keeps its own.
    await q.query(`CREATE TABLE IF NOT EXISTS public.biz_entity (id uuid PRIMARY KEY)`);
    await q.query(`CREATE TABLE IF NOT EXISTS public.auth_user (id uuid PRIMARY KEY)`);

    await q.query(`
      CREATE TABLE scheduler.locations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        biz_entity_id uuid NOT NULL,
        name text NOT NULL CONSTRAINT locations_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
        timezone text NOT NULL CONSTRAINT locations_timezone_length CHECK (char_length(timezone) BETWEEN 1 AND 64),
        active boolean NOT NULL DEFAULT true,
        hold_ttl_seconds integer NOT NULL DEFAULT 300
          CONSTRAINT locations_hold_ttl_seconds_range CHECK (hold_ttl_seconds BETWEEN 1 AND 86400),
        max_active_holds_per_user integer NOT NULL DEFAULT 2
          CONSTRAINT locations_max_active_holds_range CHECK (max_active_holds_per_user BETWEEN 1 AND 100),
        min_notice_minutes integer NOT NULL DEFAULT 0
          CONSTRAINT locations_min_notice_range CHECK (min_notice_minutes BETWEEN 0 AND 525600),
        booking_horizon_days integer NOT NULL DEFAULT 90
          CONSTRAINT locations_horizon_range CHECK (booking_horizon_days BETWEEN 1 AND 730),
        cancel_cutoff_minutes integer NOT NULL DEFAULT 0
          CONSTRAINT locations_cancel_cutoff_range CHECK (cancel_cutoff_minutes BETWEEN 0 AND 525600),
        require_exposure boolean NOT NULL DEFAULT true,
        exposure_person_min integer NOT NULL DEFAULT 1,
        exposure_person_max integer NOT NULL DEFAULT 3,
        exposure_location_min integer NOT NULL DEFAULT 3,
        exposure_location_max integer NOT NULL DEFAULT 5,
        -- Millisecond precision: the API shows milliseconds, and keyset cursors must round-trip.
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        CONSTRAINT locations_biz_entity_id_fkey FOREIGN KEY (biz_entity_id) REFERENCES public.biz_entity (id),
        CONSTRAINT locations_exposure_person_range
          CHECK (exposure_person_min BETWEEN 1 AND 20 AND exposure_person_max BETWEEN 1 AND 20
                 AND exposure_person_min <= exposure_person_max),
        CONSTRAINT locations_exposure_location_range
          CHECK (exposure_location_min BETWEEN 1 AND 20 AND exposure_location_max BETWEEN 1 AND 20
                 AND exposure_location_min <= exposure_location_max),
        -- Lets child tables reference (location, business) together, so a row can never
        -- claim a business other than its location's.
        CONSTRAINT locations_id_biz_key UNIQUE (id, biz_entity_id)
      )`);
    await q.query(`CREATE INDEX locations_biz_page_idx ON scheduler.locations (biz_entity_id, created_at, id)`);
    await q.query(`CREATE INDEX locations_page_idx ON scheduler.locations (created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scheduler.locations`);
  }
}
