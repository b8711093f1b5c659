import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two facts a slot keeps about itself:
 * - `timezone`: the zone its `local_start` was computed in. A location's zone may change
 *   (DOMAIN.md); until a run regenerates a slot, it must still show the pair it was made with.
 * - `retired_while_blocked`: an admin's block outlives retirement, so when the rules produce
 *   the slot again it comes back blocked ("generation never reopens a slot an admin blocked").
 */
export class SlotZoneAndBlockMemory1764000000006 implements MigrationInterface {
  name = 'SlotZoneAndBlockMemory1764000000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE scheduler.slot_instances
        ADD COLUMN timezone text,
        ADD COLUMN retired_while_blocked boolean NOT NULL DEFAULT false`);
    // The location's zone now: right for every slot generated since its last zone change;
    // older ones are regenerated (or retired) by the next run over their dates.
    await q.query(`
      UPDATE scheduler.slot_instances s SET timezone = l.timezone
        FROM scheduler.locations l WHERE l.id = s.location_id`);
    await q.query(`ALTER TABLE scheduler.slot_instances ALTER COLUMN timezone SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scheduler.slot_instances DROP COLUMN timezone, DROP COLUMN retired_while_blocked`);
  }
}
