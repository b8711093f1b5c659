import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Offers are purged once past their retention (oldest first, by `expires_at`), and each user
 * may be given only so many new ones per minute (counted by `user_id, created_at`).
 */
export class ExposureHousekeeping1764000000010 implements MigrationInterface {
  name = 'ExposureHousekeeping1764000000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX exposures_expires_idx ON scheduler.exposures (expires_at)`);
    await q.query(`CREATE INDEX exposures_user_created_idx ON scheduler.exposures (user_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX scheduler.exposures_user_created_idx`);
    await q.query(`DROP INDEX scheduler.exposures_expires_idx`);
  }
}
