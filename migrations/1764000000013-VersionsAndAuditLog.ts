import { MigrationInterface, QueryRunner } from 'typeorm';

/** The resources a client reads with an ETag and changes with If-Match. */
const VERSIONED_TABLES = ['locations', 'people', 'availability_rules', 'slot_instances', 'bookings', 'webhook_endpoints'] as const;

/**
 * Lost-update protection and the audit trail.
 *
 * Every versioned row carries `version`, which a BEFORE UPDATE trigger raises by one in the
 * statement that changes the row, whoever writes it (admin calls, holds, the sweeper, generation,
 * the webhook dispatcher): no writer can forget it. ETags are derived from it.
 *
 * `audit_log` holds one row per admin write, inserted in the write's own transaction.
 */
export class VersionsAndAuditLog1764000000013 implements MigrationInterface {
  name = 'VersionsAndAuditLog1764000000013';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION scheduler.next_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.version := OLD.version + 1;
        RETURN NEW;
      END $$`);
    for (const table of VERSIONED_TABLES) {
      // A constant default: no table rewrite, existing rows read version 1.
      await q.query(`ALTER TABLE scheduler.${table} ADD COLUMN version integer NOT NULL DEFAULT 1`);
      await q.query(`CREATE TRIGGER ${table}_next_version BEFORE UPDATE ON scheduler.${table} FOR EACH ROW EXECUTE FUNCTION scheduler.next_version()`);
    }

    await q.query(`
      CREATE TABLE scheduler.audit_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- No foreign key: the record outlives whatever it names.
        biz_entity_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        actor_sub uuid NOT NULL,
        actor_role text NOT NULL,
        -- The operation as the contract names it: 'PATCH /v1/admin/locations/{id}'.
        action text NOT NULL,
        target_type text NOT NULL,
        target_id uuid NOT NULL,
        request_id text NOT NULL,
        -- The changed fields only, before and after (NULL before a create, after a hard delete).
        before jsonb,
        after jsonb,
        -- What the write reported besides (a slot generation's report, a bulk cancel's count).
        report jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_tenant_idx ON scheduler.audit_log (biz_entity_id, occurred_at, id)`);
    await q.query(`CREATE INDEX audit_log_target_idx ON scheduler.audit_log (target_id, occurred_at, id)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON scheduler.audit_log (actor_sub, occurred_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scheduler.audit_log`);
    for (const table of VERSIONED_TABLES) {
      await q.query(`DROP TRIGGER ${table}_next_version ON scheduler.${table}`);
      await q.query(`ALTER TABLE scheduler.${table} DROP COLUMN version`);
    }
    await q.query(`DROP FUNCTION scheduler.next_version()`);
  }
}
