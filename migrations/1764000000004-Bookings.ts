import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bookings and their history. Capacity is enforced under a row lock on the slot (see
 * BookingsService); the partial unique index keeps one live booking per user and slot.
 * Nothing here is ever deleted: every state change is a row of booking_events.
 */
export class Bookings1764000000004 implements MigrationInterface {
  name = 'Bookings1764000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scheduler.bookings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        biz_entity_id uuid NOT NULL,
        location_id uuid NOT NULL,
        person_id uuid NOT NULL,
        slot_id uuid NOT NULL CONSTRAINT bookings_slot_id_fkey REFERENCES scheduler.slot_instances (id),
        user_id uuid NOT NULL CONSTRAINT bookings_user_id_fkey REFERENCES public.auth_user (id),
        status text NOT NULL CONSTRAINT bookings_status
          CHECK (status IN ('held', 'confirmed', 'cancelled', 'expired', 'completed', 'no_show')),
        hold_expires_at timestamptz,
        notes text CONSTRAINT bookings_notes_length CHECK (char_length(notes) <= 2000),
        cancel_reason text CONSTRAINT bookings_cancel_reason_length CHECK (char_length(cancel_reason) <= 2000),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        confirmed_at timestamptz,
        cancelled_at timestamptz,
        CONSTRAINT bookings_hold_has_expiry CHECK (status <> 'held' OR hold_expires_at IS NOT NULL)
      )`);
    // A user may not hold or book the same slot twice. Holds past their TTL are marked
    // expired (by the sweeper, or by the next hold on the slot) before they stop counting here.
    await q.query(
      `CREATE UNIQUE INDEX bookings_one_live_per_user_and_slot ON scheduler.bookings (slot_id, user_id)
        WHERE status IN ('held', 'confirmed')`,
    );
    await q.query(`CREATE INDEX bookings_slot_live_idx ON scheduler.bookings (slot_id) WHERE status IN ('held', 'confirmed')`);
    await q.query(`CREATE INDEX bookings_user_idx ON scheduler.bookings (user_id, created_at)`);
    await q.query(`CREATE INDEX bookings_location_idx ON scheduler.bookings (location_id, created_at)`);
    await q.query(`CREATE INDEX bookings_held_expiry_idx ON scheduler.bookings (hold_expires_at) WHERE status = 'held'`);

    await q.query(`
      CREATE TABLE scheduler.booking_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        booking_id uuid NOT NULL REFERENCES scheduler.bookings (id),
        biz_entity_id uuid NOT NULL,
        -- The principal who caused it; NULL for the system (hold expiry).
        actor_sub uuid,
        at timestamptz NOT NULL DEFAULT now(),
        from_status text,
        to_status text NOT NULL,
        reason text,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX booking_events_booking_idx ON scheduler.booking_events (booking_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scheduler.booking_events`);
    await q.query(`DROP TABLE scheduler.bookings`);
  }
}
