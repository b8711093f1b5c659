import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DOMAIN.md's table makes `bufferMinutes` and `capacity` optional on every override, a day
 * off included (only `slotMinutes` needs times). They describe no slot there, but are kept
 * as given, with the same defaults (0 and 1) as on every weekly and override rule.
 */
export class DayOffOverrideFields1764000000007 implements MigrationInterface {
  name = 'DayOffOverrideFields1764000000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE scheduler.availability_rules
        DROP CONSTRAINT availability_rules_slot_fields_need_window,
        ADD CONSTRAINT availability_rules_slot_minutes_need_window CHECK (start_time IS NOT NULL OR slot_minutes IS NULL)`);
    await q.query(`
      UPDATE scheduler.availability_rules SET buffer_minutes = 0, capacity = 1
       WHERE kind = 'override' AND start_time IS NULL AND buffer_minutes IS NULL AND capacity IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE scheduler.availability_rules SET buffer_minutes = NULL, capacity = NULL
       WHERE kind = 'override' AND start_time IS NULL`);
    await q.query(`
      ALTER TABLE scheduler.availability_rules
        DROP CONSTRAINT availability_rules_slot_minutes_need_window,
        ADD CONSTRAINT availability_rules_slot_fields_need_window
          CHECK (start_time IS NOT NULL OR (slot_minutes IS NULL AND buffer_minutes IS NULL AND capacity IS NULL))`);
  }
}
