import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Materialised slots. `(person_id, starts_at)` is the generation key; the exclusion
 * constraint guarantees no two live (non-retired) slots of a person overlap.
 *
 * No foreign key to people: rows are written only by slot generation, which takes the person
 * ids from the location it holds the generation lock for, and people are never deleted. A
 * foreign-key trigger per row would add about a fifth to a 144,000-slot run (bench/generate.mjs).
 */
export class SlotInstances1764000000003 implements MigrationInterface {
  name = 'SlotInstances1764000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scheduler.slot_instances (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        biz_entity_id uuid NOT NULL,
        location_id uuid NOT NULL,
        person_id uuid NOT NULL,
        -- Provenance only (which rule produced it); rules are never hard-deleted.
        rule_id uuid,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        -- Wall-clock start in the location's zone when generated, for frontends.
        local_start text NOT NULL,
        capacity integer NOT NULL CONSTRAINT slot_instances_capacity_range CHECK (capacity BETWEEN 1 AND 10000),
        status text NOT NULL DEFAULT 'open'
          CONSTRAINT slot_instances_status CHECK (status IN ('open', 'blocked', 'retired')),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        CONSTRAINT slot_instances_positive_length CHECK (ends_at > starts_at),
        CONSTRAINT slot_instances_person_start_key UNIQUE (person_id, starts_at),
        CONSTRAINT slot_instances_no_overlap EXCLUDE USING gist (
          person_id WITH =, tstzrange(starts_at, ends_at) WITH &&
        ) WHERE (status <> 'retired')
      )`);
    await q.query(`CREATE INDEX slot_instances_location_start_idx ON scheduler.slot_instances (location_id, starts_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scheduler.slot_instances`);
  }
}
