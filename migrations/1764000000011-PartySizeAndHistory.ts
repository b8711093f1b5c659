import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Party size, and a readable history.
 *
 * - `bookings.seats`: the places a booking takes (capacity counts seats, under the slot's row
 *   lock as before). `exposures.seats`: the party an offer was made for, part of its identity.
 * - `locations.max_seats_per_booking` (NULL: the slot's capacity) and
 *   `locations.require_cancellation_reason` (admin cancellations must say why).
 * - `bookings.cancelled_by` and `rescheduled_at`, and `booking_events.actor_kind`: who made each
 *   change (the user, an operator, or the scheduler itself). Rows written before this migration
 *   are given theirs from the history: no actor is the system, the booking's own user is the
 *   user, anyone else an operator.
 */
export class PartySizeAndHistory1764000000011 implements MigrationInterface {
  name = 'PartySizeAndHistory1764000000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE scheduler.bookings
        ADD COLUMN seats integer NOT NULL DEFAULT 1 CONSTRAINT bookings_seats_range CHECK (seats BETWEEN 1 AND 10000),
        ADD COLUMN cancelled_by text CONSTRAINT bookings_cancelled_by CHECK (cancelled_by IN ('user', 'admin', 'system')),
        ADD COLUMN rescheduled_at timestamptz`);
    await q.query(`ALTER TABLE scheduler.booking_events ADD COLUMN actor_kind text`);
    await q.query(`
      UPDATE scheduler.booking_events e
         SET actor_kind = CASE WHEN e.actor_sub IS NULL THEN 'system' WHEN e.actor_sub = b.user_id THEN 'user' ELSE 'admin' END
        FROM scheduler.bookings b WHERE b.id = e.booking_id`);
    await q.query(`
      ALTER TABLE scheduler.booking_events
        ALTER COLUMN actor_kind SET NOT NULL,
        ADD CONSTRAINT booking_events_actor_kind CHECK (actor_kind IN ('user', 'admin', 'system'))`);
    await q.query(`
      UPDATE scheduler.bookings b
         SET cancelled_by = (SELECT e.actor_kind FROM scheduler.booking_events e
                              WHERE e.booking_id = b.id AND e.to_status = 'cancelled' ORDER BY e.id DESC LIMIT 1)
       WHERE b.status = 'cancelled'`);
    await q.query(`
      UPDATE scheduler.bookings b
         SET rescheduled_at = moves.at
        FROM (SELECT booking_id, date_trunc('milliseconds', max(at)) AS at FROM scheduler.booking_events
               WHERE details ? 'toSlotId' GROUP BY booking_id) moves
       WHERE moves.booking_id = b.id`);
    await q.query(`
      ALTER TABLE scheduler.locations
        ADD COLUMN max_seats_per_booking integer CONSTRAINT locations_max_seats_per_booking CHECK (max_seats_per_booking BETWEEN 1 AND 10000),
        ADD COLUMN require_cancellation_reason boolean NOT NULL DEFAULT false`);
    await q.query(`
      ALTER TABLE scheduler.exposures
        ADD COLUMN seats integer NOT NULL DEFAULT 1 CONSTRAINT exposures_seats_range CHECK (seats BETWEEN 1 AND 10000)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scheduler.exposures DROP COLUMN seats`);
    await q.query(`ALTER TABLE scheduler.locations DROP COLUMN require_cancellation_reason, DROP COLUMN max_seats_per_booking`);
    await q.query(`ALTER TABLE scheduler.booking_events DROP COLUMN actor_kind`);
    await q.query(`ALTER TABLE scheduler.bookings DROP COLUMN rescheduled_at, DROP COLUMN cancelled_by, DROP COLUMN seats`);
  }
}
