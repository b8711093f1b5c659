import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A slot's crowd (seats of other users' live offers showing it) is read for every candidate of
 * a first visit. Expired offers stay for EXPOSURE_RETENTION_SECONDS, so a popular slot can have
 * hundreds of offered rows, nearly all expired. Each offered row now carries its offer's user,
 * party and expiry — copies the composite foreign key holds equal to the offer's, and carries
 * along when an offer's expiry changes (ON UPDATE CASCADE) — and an index
 * by slot and expiry that includes them, so the crowd is a range over the live rows only.
 */
export class LiveOfferedSlots1764000000017 implements MigrationInterface {
  name = 'LiveOfferedSlots1764000000017';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scheduler.exposures ADD CONSTRAINT exposures_offer_key UNIQUE (id, user_id, seats, expires_at)`);
    await q.query(`ALTER TABLE scheduler.exposure_slots ADD COLUMN user_id uuid, ADD COLUMN seats integer, ADD COLUMN expires_at timestamptz`);
    await q.query(`
      UPDATE scheduler.exposure_slots es SET user_id = e.user_id, seats = e.seats, expires_at = e.expires_at
        FROM scheduler.exposures e WHERE e.id = es.exposure_id`);
    await q.query(`
      ALTER TABLE scheduler.exposure_slots
        ALTER COLUMN user_id SET NOT NULL, ALTER COLUMN seats SET NOT NULL, ALTER COLUMN expires_at SET NOT NULL,
        DROP CONSTRAINT exposure_slots_exposure_id_fkey,
        ADD CONSTRAINT exposure_slots_exposure_id_fkey FOREIGN KEY (exposure_id, user_id, seats, expires_at)
          REFERENCES scheduler.exposures (id, user_id, seats, expires_at) ON UPDATE CASCADE`);
    await q.query(`DROP INDEX scheduler.exposure_slots_slot_idx`);
    await q.query(`CREATE INDEX exposure_slots_slot_live_idx ON scheduler.exposure_slots (slot_id, expires_at) INCLUDE (user_id, seats)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX scheduler.exposure_slots_slot_live_idx`);
    await q.query(`CREATE INDEX exposure_slots_slot_idx ON scheduler.exposure_slots (slot_id)`);
    await q.query(`
      ALTER TABLE scheduler.exposure_slots
        DROP CONSTRAINT exposure_slots_exposure_id_fkey,
        ADD CONSTRAINT exposure_slots_exposure_id_fkey FOREIGN KEY (exposure_id) REFERENCES scheduler.exposures (id),
        DROP COLUMN user_id, DROP COLUMN seats, DROP COLUMN expires_at`);
    await q.query(`ALTER TABLE scheduler.exposures DROP CONSTRAINT exposures_offer_key`);
  }
}
