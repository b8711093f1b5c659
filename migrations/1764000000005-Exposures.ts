import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stored offers (DOMAIN.md §Exposure): what each user was shown, with each slot's score
 * components, so an offer is sticky for its TTL and explainable afterwards.
 */
export class Exposures1764000000005 implements MigrationInterface {
  name = 'Exposures1764000000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scheduler.exposures (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        biz_entity_id uuid NOT NULL,
        location_id uuid NOT NULL,
        user_id uuid NOT NULL,
        scope text NOT NULL CONSTRAINT exposures_scope CHECK (scope IN ('location', 'person')),
        scope_id uuid NOT NULL,
        -- The identity: the from/to query values exactly as sent (NULL = absent).
        from_param text,
        to_param text,
        window_from timestamptz NOT NULL,
        window_to timestamptz NOT NULL,
        extended boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX exposures_identity_idx ON scheduler.exposures (user_id, scope, scope_id, expires_at)`);
    await q.query(`CREATE INDEX exposures_location_idx ON scheduler.exposures (location_id, created_at, id)`);
    await q.query(`CREATE INDEX exposures_biz_idx ON scheduler.exposures (biz_entity_id, created_at, id)`);
    await q.query(`
      CREATE TABLE scheduler.exposure_slots (
        exposure_id uuid NOT NULL REFERENCES scheduler.exposures (id),
        position smallint NOT NULL,
        slot_id uuid NOT NULL,
        biz_entity_id uuid NOT NULL,
        score double precision NOT NULL,
        components jsonb NOT NULL,
        offered_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (exposure_id, position)
      )`);
    await q.query(`CREATE INDEX exposure_slots_slot_idx ON scheduler.exposure_slots (slot_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scheduler.exposure_slots`);
    await q.query(`DROP TABLE scheduler.exposures`);
  }
}
