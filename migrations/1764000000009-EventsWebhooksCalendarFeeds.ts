import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events for the host application.
 *
 * - `outbox_events`: one row per booking state change, written by the same statement as its
 *   `booking_events` row, so it commits or rolls back with the change. `sequence` is assigned
 *   at insert, `xid` is the writing transaction: readers take only rows whose `xid` is below
 *   `pg_snapshot_xmin(pg_current_snapshot())` (every transaction that could still add a row
 *   has an xid at or above it) and walk them in `(xid, sequence)` order, so a position once
 *   passed is never filled in behind the reader by a late commit.
 * - `outbox_cursors`: how far the webhook fan-out has read the outbox.
 * - `webhook_endpoints` and `webhook_deliveries`: receivers and one row per (endpoint, event).
 * - `calendar_feeds`: revocable secrets for a person's calendar subscription URL (only a hash
 *   of each secret is stored).
 */
export class EventsWebhooksCalendarFeeds1764000000009 implements MigrationInterface {
  name = 'EventsWebhooksCalendarFeeds1764000000009';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scheduler.outbox_events (
        sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT outbox_events_id_key UNIQUE,
        biz_entity_id uuid NOT NULL,
        booking_id uuid NOT NULL CONSTRAINT outbox_events_booking_id_fkey REFERENCES scheduler.bookings (id),
        type text NOT NULL CONSTRAINT outbox_events_type CHECK (type IN (
          'booking.held', 'booking.confirmed', 'booking.cancelled', 'booking.expired',
          'booking.rescheduled', 'booking.completed', 'booking.no_show')),
        occurred_at timestamptz NOT NULL,
        data jsonb NOT NULL,
        xid xid8 NOT NULL DEFAULT pg_current_xact_id()
      )`);
    await q.query(`CREATE INDEX outbox_events_position_idx ON scheduler.outbox_events (xid, sequence)`);
    await q.query(`CREATE INDEX outbox_events_tenant_position_idx ON scheduler.outbox_events (biz_entity_id, xid, sequence)`);
    await q.query(`CREATE INDEX outbox_events_booking_idx ON scheduler.outbox_events (booking_id, sequence)`);

    await q.query(`
      CREATE TABLE scheduler.outbox_cursors (
        name text PRIMARY KEY,
        last_xid xid8 NOT NULL DEFAULT '0',
        last_sequence bigint NOT NULL DEFAULT 0
      )`);
    await q.query(`INSERT INTO scheduler.outbox_cursors (name) VALUES ('webhooks')`);

    await q.query(`
      CREATE TABLE scheduler.webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        biz_entity_id uuid NOT NULL CONSTRAINT webhook_endpoints_biz_entity_id_fkey REFERENCES public.biz_entity (id),
        url text NOT NULL CONSTRAINT webhook_endpoints_url_length CHECK (char_length(url) BETWEEN 1 AND 2000),
        description text CONSTRAINT webhook_endpoints_description_length CHECK (char_length(description) <= 500),
        -- NULL: every event type.
        event_types text[] CONSTRAINT webhook_endpoints_event_types_not_empty CHECK (cardinality(event_types) > 0),
        secret text NOT NULL,
        -- The secret before the last rotation keeps signing alongside the new one until it expires.
        previous_secret text,
        previous_secret_expires_at timestamptz,
        secret_rotated_at timestamptz,
        enabled boolean NOT NULL DEFAULT true,
        disabled_at timestamptz,
        disabled_reason text,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        CONSTRAINT webhook_endpoints_previous_secret_expires CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))
      )`);
    await q.query(`CREATE INDEX webhook_endpoints_tenant_idx ON scheduler.webhook_endpoints (biz_entity_id, created_at, id)`);

    await q.query(`
      CREATE TABLE scheduler.webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        biz_entity_id uuid NOT NULL,
        endpoint_id uuid NOT NULL CONSTRAINT webhook_deliveries_endpoint_id_fkey
          REFERENCES scheduler.webhook_endpoints (id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        -- NULL for a test event, which exists only as this delivery.
        event_sequence bigint CONSTRAINT webhook_deliveries_event_sequence_fkey REFERENCES scheduler.outbox_events (sequence),
        booking_id uuid,
        status text NOT NULL DEFAULT 'pending' CONSTRAINT webhook_deliveries_status CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        -- While pending: when it may be tried next (a claimed attempt pushes it out by a lease).
        next_attempt_at timestamptz DEFAULT date_trunc('milliseconds', now()),
        first_attempt_at timestamptz,
        last_attempt_at timestamptz,
        last_response_status integer,
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        CONSTRAINT webhook_deliveries_one_per_endpoint_and_event UNIQUE (endpoint_id, event_id),
        CONSTRAINT webhook_deliveries_pending_has_next CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL)),
        CONSTRAINT webhook_deliveries_booking_event_has_sequence CHECK (booking_id IS NULL OR event_sequence IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_due_idx ON scheduler.webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(
      `CREATE INDEX webhook_deliveries_booking_order_idx ON scheduler.webhook_deliveries (endpoint_id, booking_id, event_sequence)
        WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX webhook_deliveries_endpoint_idx ON scheduler.webhook_deliveries (endpoint_id, created_at, id)`);

    await q.query(`
      CREATE TABLE scheduler.calendar_feeds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        biz_entity_id uuid NOT NULL,
        person_id uuid NOT NULL,
        location_id uuid NOT NULL,
        token_hash bytea NOT NULL CONSTRAINT calendar_feeds_token_hash_key UNIQUE,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        revoked_at timestamptz,
        CONSTRAINT calendar_feeds_person_id_fkey FOREIGN KEY (person_id, location_id, biz_entity_id)
          REFERENCES scheduler.people (id, location_id, biz_entity_id)
      )`);
    await q.query(`CREATE INDEX calendar_feeds_person_idx ON scheduler.calendar_feeds (person_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scheduler.calendar_feeds`);
    await q.query(`DROP TABLE scheduler.webhook_deliveries`);
    await q.query(`DROP TABLE scheduler.webhook_endpoints`);
    await q.query(`DROP TABLE scheduler.outbox_cursors`);
    await q.query(`DROP TABLE scheduler.outbox_events`);
  }
}
