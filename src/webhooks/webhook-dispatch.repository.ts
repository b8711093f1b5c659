import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';
import { SETTLED_EVENT } from '../events/events.repository';
import type { WebhookEventType } from '../events/event-types';

/** A delivery taken by this instance: leased until its `next_attempt_at`, with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  url: string;
  /** Current first; the previous one too while a rotation's overlap lasts. */
  secrets: string[];
  eventId: string;
  eventType: WebhookEventType;
  /** NULL for a test event. */
  eventSequence: string | null;
  occurredAt: Date;
  data: Record<string, unknown> | null;
  /** This attempt's number (1 for the first). */
  attempts: number;
  /** Milliseconds from the first attempt to this one, by the database's clock. */
  elapsedMs: number;
}

const CURSOR = 'webhooks';

/**
 * The webhook dispatcher's SQL. Each method is one statement, so it needs no session state
 * and no transaction spanning a network call (PgBouncer transaction pooling is fine).
 */
@Injectable()
export class WebhookDispatchRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private query<T>(sql: string, params: unknown[]): Promise<T> {
    return this.txHost.tx.query(sql, params) as Promise<T>;
  }

  /**
   * Turns the next settled outbox events into one pending delivery per subscribed endpoint of
   * their business, and moves the fan-out cursor past them, in one statement. The cursor row
   * is taken with SKIP LOCKED: while one instance fans out, the others move on. Returns how
   * many events it read (fewer than `batchSize`: it caught up).
   */
  async fanOut(batchSize: number): Promise<number> {
    const [row] = await this.query<{ events: number }[]>(
      `WITH cursor AS (
         SELECT c.last_xid, c.last_sequence FROM scheduler.outbox_cursors c WHERE c.name = $2 FOR UPDATE SKIP LOCKED),
       batch AS (
         SELECT e.sequence, e.xid, e.id, e.type, e.biz_entity_id, e.booking_id
           FROM scheduler.outbox_events e, cursor c
          WHERE (e.xid, e.sequence) > (c.last_xid, c.last_sequence) AND ${SETTLED_EVENT}
          ORDER BY e.xid, e.sequence
          LIMIT $1),
       fanned AS (
         INSERT INTO scheduler.webhook_deliveries (biz_entity_id, endpoint_id, event_id, event_type, event_sequence, booking_id)
         SELECT b.biz_entity_id, w.id, b.id, b.type, b.sequence, b.booking_id
           FROM batch b JOIN scheduler.webhook_endpoints w
             ON w.biz_entity_id = b.biz_entity_id AND (w.event_types IS NULL OR b.type = ANY(w.event_types))
         ON CONFLICT (endpoint_id, event_id) DO NOTHING),
       last AS (SELECT b.xid, b.sequence FROM batch b ORDER BY b.xid DESC, b.sequence DESC LIMIT 1),
       moved AS (
         UPDATE scheduler.outbox_cursors c SET last_xid = last.xid, last_sequence = last.sequence
           FROM last WHERE c.name = $2)
       SELECT (SELECT count(*) FROM batch)::int AS events`,
      [batchSize, CURSOR],
    );
    return row.events;
  }

  /**
   * Leases up to `limit` due deliveries for `leaseMs`. Only the oldest undelivered event of
   * each (endpoint, booking) can be taken — none while an earlier one is pending (in flight
   * included) or not yet fanned out — so a booking's events arrive in order on any number of
   * instances. SKIP LOCKED lets instances claim side by side. Test events go to disabled
   * endpoints too, so a receiver can be checked before it is enabled again.
   */
  async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const [rows] = await this.query<[ClaimedDelivery[], number]>(
      `WITH due AS (
         SELECT d.id, d.endpoint_id, d.event_sequence
           FROM scheduler.webhook_deliveries d
           JOIN scheduler.webhook_endpoints w ON w.id = d.endpoint_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= now()
            AND (w.enabled OR d.event_sequence IS NULL)
            AND (d.booking_id IS NULL OR (
                 NOT EXISTS (SELECT 1 FROM scheduler.webhook_deliveries o
                              WHERE o.endpoint_id = d.endpoint_id AND o.booking_id = d.booking_id
                                AND o.status = 'pending' AND o.event_sequence < d.event_sequence)
             AND NOT EXISTS (SELECT 1 FROM scheduler.outbox_events e JOIN scheduler.outbox_cursors c ON c.name = $3
                              WHERE e.booking_id = d.booking_id AND e.sequence < d.event_sequence
                                AND (e.xid, e.sequence) > (c.last_xid, c.last_sequence))))
          ORDER BY d.next_attempt_at
          LIMIT $1
          FOR UPDATE OF d SKIP LOCKED)
       UPDATE scheduler.webhook_deliveries d
          SET attempts = d.attempts + 1,
              first_attempt_at = COALESCE(d.first_attempt_at, date_trunc('milliseconds', now())),
              last_attempt_at = date_trunc('milliseconds', now()),
              next_attempt_at = date_trunc('milliseconds', now()) + make_interval(secs => $2::float8 / 1000)
         FROM due
         JOIN scheduler.webhook_endpoints w ON w.id = due.endpoint_id
         LEFT JOIN scheduler.outbox_events e ON e.sequence = due.event_sequence
        WHERE d.id = due.id
       RETURNING d.id, d.endpoint_id AS "endpointId", w.url,
                 CASE WHEN w.previous_secret_expires_at > now() THEN ARRAY[w.secret, w.previous_secret] ELSE ARRAY[w.secret] END AS secrets,
                 d.event_id AS "eventId", d.event_type AS "eventType", d.event_sequence AS "eventSequence",
                 COALESCE(e.occurred_at, d.created_at) AS "occurredAt", e.data, d.attempts,
                 (extract(epoch FROM now() - COALESCE(d.first_attempt_at, now())) * 1000)::float8 AS "elapsedMs"`,
      [limit, leaseMs, CURSOR],
    );
    return rows;
  }

  /** Each result applies only while the lease it answers is current (the attempt number matches). */
  async markDelivered(delivery: ClaimedDelivery, status: number): Promise<void> {
    await this.query(
      `UPDATE scheduler.webhook_deliveries
          SET status = 'delivered', next_attempt_at = NULL, delivered_at = date_trunc('milliseconds', now()),
              last_response_status = $3, last_error = NULL
        WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [delivery.id, delivery.attempts, status],
    );
  }

  async scheduleRetry(delivery: ClaimedDelivery, delayMs: number, outcome: { status?: number; error?: string }): Promise<void> {
    await this.query(
      `UPDATE scheduler.webhook_deliveries
          SET next_attempt_at = date_trunc('milliseconds', now()) + make_interval(secs => $3::float8 / 1000),
              last_response_status = $4, last_error = $5
        WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [delivery.id, delivery.attempts, delayMs, outcome.status ?? null, outcome.error ?? null],
    );
  }

  /** The schedule is over: the delivery fails, and its endpoint is disabled until an operator enables it. */
  async markFailed(delivery: ClaimedDelivery, outcome: { status?: number; error?: string }): Promise<void> {
    await this.query(
      `WITH failed AS (
         UPDATE scheduler.webhook_deliveries
            SET status = 'failed', next_attempt_at = NULL, last_response_status = $3, last_error = $4
          WHERE id = $1 AND attempts = $2 AND status = 'pending'
          RETURNING endpoint_id, event_id)
       UPDATE scheduler.webhook_endpoints w
          SET enabled = false, disabled_at = date_trunc('milliseconds', now()),
              disabled_reason = 'Every attempt to deliver event ' || failed.event_id || ' failed.',
              updated_at = date_trunc('milliseconds', now())
         FROM failed WHERE w.id = failed.endpoint_id AND w.enabled`,
      [delivery.id, delivery.attempts, outcome.status ?? null, outcome.error ?? null],
    );
  }
}
