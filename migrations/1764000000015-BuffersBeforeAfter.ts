import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Buffers before and after each slot.
 *
 * - `availability_rules.buffer_minutes` becomes `buffer_after_minutes` (a rename, so the CHECKs
 *   of migrations 1 and 8 that name it keep holding, now for the after-buffer), and
 *   `buffer_before_minutes` joins it: 0–1440, present exactly where the after-buffer is (weekly
 *   and override rules), 0 on every existing rule. The API's `bufferMinutes` is an alias of the
 *   after-buffer; there is no third column.
 * - `slot_instances` stores each slot's buffered bounds, computed by the planner in TypeScript
 *   (`timestamptz ± interval` is not immutable, so an index expression cannot compute them), and
 *   the exclusion constraint now keeps the buffered spans of one person's live slots apart.
 *   Existing slots take their rule's after-buffer, cut short where the person's next live slot
 *   starts (the old planner did not keep the buffer inside the window), so the new constraint
 *   holds over old data. The constraint is checked at the end of each statement (DEFERRABLE
 *   INITIALLY IMMEDIATE): one UPDATE may move neighbouring slots whose buffers trade places.
 */
export class BuffersBeforeAfter1764000000015 implements MigrationInterface {
  name = 'BuffersBeforeAfter1764000000015';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scheduler.availability_rules RENAME COLUMN buffer_minutes TO buffer_after_minutes`);
    await q.query(`
      ALTER TABLE scheduler.availability_rules
        RENAME CONSTRAINT availability_rules_buffer_minutes_range TO availability_rules_buffer_after_minutes_range`);
    await q.query(`
      ALTER TABLE scheduler.availability_rules
        ADD COLUMN buffer_before_minutes integer
          CONSTRAINT availability_rules_buffer_before_minutes_range CHECK (buffer_before_minutes BETWEEN 0 AND 1440)`);
    await q.query(`UPDATE scheduler.availability_rules SET buffer_before_minutes = 0 WHERE buffer_after_minutes IS NOT NULL`);
    await q.query(`
      ALTER TABLE scheduler.availability_rules
        ADD CONSTRAINT availability_rules_buffers_together
          CHECK ((buffer_before_minutes IS NULL) = (buffer_after_minutes IS NULL))`);

    await q.query(`ALTER TABLE scheduler.slot_instances ADD COLUMN buffered_starts_at timestamptz, ADD COLUMN buffered_ends_at timestamptz`);
    // Bounds only: a slot's representation and ETag do not change.
    await q.query(`ALTER TABLE scheduler.slot_instances DISABLE TRIGGER slot_instances_next_version`);
    await q.query(`
      UPDATE scheduler.slot_instances s
         SET buffered_starts_at = s.starts_at,
             buffered_ends_at = CASE WHEN s.status = 'retired' THEN b.buffered_end
                                     ELSE GREATEST(s.ends_at, LEAST(b.buffered_end, b.next_start)) END
        FROM (SELECT i.id,
                     i.ends_at + COALESCE(r.buffer_after_minutes, 0) * interval '1 minute' AS buffered_end,
                     COALESCE(lead(i.starts_at) OVER (PARTITION BY i.person_id, i.status = 'retired' ORDER BY i.starts_at), 'infinity') AS next_start
                FROM scheduler.slot_instances i LEFT JOIN scheduler.availability_rules r ON r.id = i.rule_id) b
       WHERE b.id = s.id`);
    await q.query(`ALTER TABLE scheduler.slot_instances ENABLE TRIGGER slot_instances_next_version`);
    await q.query(`
      ALTER TABLE scheduler.slot_instances
        ALTER COLUMN buffered_starts_at SET NOT NULL,
        ALTER COLUMN buffered_ends_at SET NOT NULL,
        ADD CONSTRAINT slot_instances_buffers_enclose CHECK (buffered_starts_at <= starts_at AND buffered_ends_at >= ends_at),
        DROP CONSTRAINT slot_instances_no_overlap,
        ADD CONSTRAINT slot_instances_no_overlap EXCLUDE USING gist (
          person_id WITH =, tstzrange(buffered_starts_at, buffered_ends_at) WITH &&
        ) WHERE (status <> 'retired') DEFERRABLE INITIALLY IMMEDIATE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE scheduler.slot_instances
        DROP CONSTRAINT slot_instances_no_overlap,
        DROP CONSTRAINT slot_instances_buffers_enclose,
        DROP COLUMN buffered_starts_at,
        DROP COLUMN buffered_ends_at,
        ADD CONSTRAINT slot_instances_no_overlap EXCLUDE USING gist (
          person_id WITH =, tstzrange(starts_at, ends_at) WITH &&
        ) WHERE (status <> 'retired')`);
    await q.query(`
      ALTER TABLE scheduler.availability_rules
        DROP CONSTRAINT availability_rules_buffers_together,
        DROP COLUMN buffer_before_minutes`);
    await q.query(`
      ALTER TABLE scheduler.availability_rules
        RENAME CONSTRAINT availability_rules_buffer_after_minutes_range TO availability_rules_buffer_minutes_range`);
    await q.query(`ALTER TABLE scheduler.availability_rules RENAME COLUMN buffer_after_minutes TO buffer_minutes`);
  }
}
