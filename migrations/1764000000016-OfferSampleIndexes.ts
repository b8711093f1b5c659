import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A first visit samples each person's slots in the window: the unique (person_id, starts_at)
 * index carries what the row checks and the sample read (id, capacity, status, local start),
 * so that read is an index-only scan instead of one heap visit per slot. The people's loads
 * sum each person's live booked seats through a partial index on live bookings by person.
 */
export class OfferSampleIndexes1764000000016 implements MigrationInterface {
  name = 'OfferSampleIndexes1764000000016';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scheduler.slot_instances
      DROP CONSTRAINT slot_instances_person_start_key,
      ADD CONSTRAINT slot_instances_person_start_key UNIQUE (person_id, starts_at) INCLUDE (id, capacity, status, local_start)`);
    await q.query(`CREATE INDEX bookings_person_live_idx ON scheduler.bookings (person_id) WHERE status IN ('held', 'confirmed')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX scheduler.bookings_person_live_idx`);
    await q.query(`ALTER TABLE scheduler.slot_instances
      DROP CONSTRAINT slot_instances_person_start_key,
      ADD CONSTRAINT slot_instances_person_start_key UNIQUE (person_id, starts_at)`);
  }
}
