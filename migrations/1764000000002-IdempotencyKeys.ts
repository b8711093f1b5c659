import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recorded outcomes of writes sent with an Idempotency-Key (DOMAIN.md §Idempotency). Keys
 * belong to a principal, not a tenant. "In progress" has no row: it is an advisory lock.
 */
export class IdempotencyKeys1764000000002 implements MigrationInterface {
  name = 'IdempotencyKeys1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scheduler.idempotency_keys (
        principal_sub uuid NOT NULL,
        key text NOT NULL CONSTRAINT idempotency_keys_key_length CHECK (char_length(key) BETWEEN 1 AND 255),
        method text NOT NULL,
        path text NOT NULL,
        fingerprint text NOT NULL,
        response_status integer NOT NULL,
        response_headers jsonb NOT NULL DEFAULT '{}',
        -- The exact bytes sent, so a replay is byte-identical.
        response_body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (principal_sub, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expires_idx ON scheduler.idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scheduler.idempotency_keys`);
  }
}
