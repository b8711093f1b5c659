import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';
import type { Tenants } from '../common/auth/principal';
import { PagePosition } from '../common/http/pagination';
import { WEBHOOK_TEST_EVENT_TYPE } from '../events/event-types';

export interface WebhookEndpointRow {
  id: string;
  bizEntityId: string;
  url: string;
  description: string | null;
  /** NULL: every event type. */
  eventTypes: string[] | null;
  enabled: boolean;
  disabledAt: Date | null;
  disabledReason: string | null;
  secretRotatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRow {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  bookingId: string | null;
  status: DeliveryStatus;
  attempts: number;
  firstAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** A PATCH: absent fields keep their value; `null` clears a nullable one. */
export interface EndpointChanges {
  url?: string;
  description?: string | null;
  eventTypes?: string[] | null;
  enabled?: boolean;
}

const ENDPOINT_COLUMNS = `w.id, w.biz_entity_id AS "bizEntityId", w.url, w.description, w.event_types AS "eventTypes", w.enabled,
  w.disabled_at AS "disabledAt", w.disabled_reason AS "disabledReason", w.secret_rotated_at AS "secretRotatedAt",
  w.created_at AS "createdAt", w.updated_at AS "updatedAt"`;

const DELIVERY_COLUMNS = `d.id, d.endpoint_id AS "endpointId", d.event_id AS "eventId", d.event_type AS "eventType",
  d.booking_id AS "bookingId", d.status, d.attempts, d.first_attempt_at AS "firstAttemptAt", d.last_attempt_at AS "lastAttemptAt",
  d.last_response_status AS "lastResponseStatus", d.last_error AS "lastError", d.next_attempt_at AS "nextAttemptAt",
  d.delivered_at AS "deliveredAt", d.created_at AS "createdAt"`;

/** Tenant filter over alias `w` or `d`, its two parameters starting at `$first`. */
const inTenant = (alias: string, first: number): string => `($${first} OR ${alias}.biz_entity_id = ANY($${first + 1}::uuid[]))`;
const tenantParams = (tenants: Tenants): unknown[] => [tenants.all, tenants.bizIds];

/** SQL for `scheduler.webhook_endpoints` and the admin side of `scheduler.webhook_deliveries`. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private query<T>(sql: string, params: unknown[]): Promise<T> {
    return this.txHost.tx.query(sql, params) as Promise<T>;
  }

  async insert(endpoint: { bizEntityId: string; url: string; description: string | null; eventTypes: string[] | null; secret: string }): Promise<WebhookEndpointRow> {
    const [row] = await this.query<WebhookEndpointRow[]>(
      `INSERT INTO scheduler.webhook_endpoints AS w (biz_entity_id, url, description, event_types, secret)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${ENDPOINT_COLUMNS}`,
      [endpoint.bizEntityId, endpoint.url, endpoint.description, endpoint.eventTypes, endpoint.secret],
    );
    return row;
  }

  async findInScope(tenants: Tenants, id: string, lock = false): Promise<WebhookEndpointRow | undefined> {
    const [row] = await this.query<WebhookEndpointRow[]>(
      `SELECT ${ENDPOINT_COLUMNS} FROM scheduler.webhook_endpoints w WHERE w.id = $1 AND ${inTenant('w', 2)} ${lock ? 'FOR UPDATE' : ''}`,
      [id, ...tenantParams(tenants)],
    );
    return row;
  }

  listInScope(tenants: Tenants, filter: { bizEntityId?: string; after?: PagePosition; limit: number }): Promise<WebhookEndpointRow[]> {
    return this.query<WebhookEndpointRow[]>(
      `SELECT ${ENDPOINT_COLUMNS} FROM scheduler.webhook_endpoints w
        WHERE ${inTenant('w', 1)}
          AND ($3::uuid IS NULL OR w.biz_entity_id = $3)
          AND ($4::timestamptz IS NULL OR (w.created_at, w.id) > ($4, $5::uuid))
        ORDER BY w.created_at, w.id LIMIT $6`,
      [...tenantParams(tenants), filter.bizEntityId ?? null, filter.after?.at ?? null, filter.after?.id ?? null, filter.limit + 1],
    );
  }

  /**
   * After a locked read in tenants; the filter is repeated here all the same. Enabling clears
   * the reason it was disabled; disabling by hand records one.
   */
  async update(tenants: Tenants, id: string, changes: EndpointChanges): Promise<boolean> {
    const [, changed] = await this.query<[unknown[], number]>(
      `UPDATE scheduler.webhook_endpoints w
          SET url = CASE WHEN $2 THEN $3 ELSE w.url END,
              description = CASE WHEN $4 THEN $5 ELSE w.description END,
              event_types = CASE WHEN $6 THEN $7::text[] ELSE w.event_types END,
              enabled = COALESCE($8, w.enabled),
              disabled_at = CASE WHEN $8 IS NULL OR $8 = w.enabled THEN w.disabled_at WHEN $8 THEN NULL ELSE date_trunc('milliseconds', now()) END,
              disabled_reason = CASE WHEN $8 IS NULL OR $8 = w.enabled THEN w.disabled_reason WHEN $8 THEN NULL ELSE 'Disabled by an operator.' END,
              updated_at = date_trunc('milliseconds', now())
        WHERE w.id = $1 AND ${inTenant('w', 9)}`,
      [
        id,
        changes.url !== undefined,
        changes.url ?? null,
        changes.description !== undefined,
        changes.description ?? null,
        changes.eventTypes !== undefined,
        changes.eventTypes ?? null,
        changes.enabled ?? null,
        ...tenantParams(tenants),
      ],
    );
    return changed === 1;
  }

  /** Deletes the endpoint and its deliveries. */
  async remove(tenants: Tenants, id: string): Promise<boolean> {
    const [, deleted] = await this.query<[unknown[], number]>(
      `DELETE FROM scheduler.webhook_endpoints w WHERE w.id = $1 AND ${inTenant('w', 2)}`,
      [id, ...tenantParams(tenants)],
    );
    return deleted === 1;
  }

  /** The current secret keeps signing, as the previous one, for `overlapSeconds`; a still older one stops. */
  async rotateSecret(tenants: Tenants, id: string, secret: string, overlapSeconds: number): Promise<boolean> {
    const [, changed] = await this.query<[unknown[], number]>(
      `UPDATE scheduler.webhook_endpoints w
          SET previous_secret = w.secret, secret = $2,
              previous_secret_expires_at = date_trunc('milliseconds', now()) + make_interval(secs => $3),
              secret_rotated_at = date_trunc('milliseconds', now()), updated_at = date_trunc('milliseconds', now())
        WHERE w.id = $1 AND ${inTenant('w', 4)}`,
      [id, secret, overlapSeconds, ...tenantParams(tenants)],
    );
    return changed === 1;
  }

  listDeliveries(
    tenants: Tenants,
    endpointId: string,
    filter: { status?: DeliveryStatus; after?: PagePosition; limit: number },
  ): Promise<DeliveryRow[]> {
    return this.query<DeliveryRow[]>(
      `SELECT ${DELIVERY_COLUMNS} FROM scheduler.webhook_deliveries d
        WHERE d.endpoint_id = $1 AND ${inTenant('d', 2)}
          AND ($4::text IS NULL OR d.status = $4)
          AND ($5::timestamptz IS NULL OR (d.created_at, d.id) > ($5, $6::uuid))
        ORDER BY d.created_at, d.id LIMIT $7`,
      [endpointId, ...tenantParams(tenants), filter.status ?? null, filter.after?.at ?? null, filter.after?.id ?? null, filter.limit + 1],
    );
  }

  /** A `webhook.test` event for this endpoint alone, due now. */
  async insertTestDelivery(endpoint: WebhookEndpointRow): Promise<DeliveryRow> {
    const [row] = await this.query<DeliveryRow[]>(
      `INSERT INTO scheduler.webhook_deliveries AS d (biz_entity_id, endpoint_id, event_id, event_type)
       VALUES ($1, $2, gen_random_uuid(), $3) RETURNING ${DELIVERY_COLUMNS}`,
      [endpoint.bizEntityId, endpoint.id, WEBHOOK_TEST_EVENT_TYPE],
    );
    return row;
  }

  /** Due now with a fresh retry schedule, whatever became of it before. Undefined when not the endpoint's or not in tenants. */
  async redeliver(tenants: Tenants, endpointId: string, deliveryId: string): Promise<DeliveryRow | undefined> {
    const [rows] = await this.query<[DeliveryRow[], number]>(
      `UPDATE scheduler.webhook_deliveries d
          SET status = 'pending', next_attempt_at = date_trunc('milliseconds', now()), attempts = 0, first_attempt_at = NULL,
              delivered_at = NULL
        WHERE d.id = $1 AND d.endpoint_id = $2 AND ${inTenant('d', 3)}
        RETURNING ${DELIVERY_COLUMNS}`,
      [deliveryId, endpointId, ...tenantParams(tenants)],
    );
    return rows[0];
  }
}
