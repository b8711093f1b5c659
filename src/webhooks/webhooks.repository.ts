import { Injectable } from '@nestjs/common';
import type { Tenants } from '../common/auth/principal';
import { SqlParams, inTenants, keysetPage, optionalEquals, setChanges } from '../common/database/sql';
import { SqlRunner } from '../common/database/sql-runner';
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
  /** Raised by every UPDATE of the row (a trigger): the ETag. */
  version: number;
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
  w.created_at AS "createdAt", w.updated_at AS "updatedAt", w.version`;

const DELIVERY_COLUMNS = `d.id, d.endpoint_id AS "endpointId", d.event_id AS "eventId", d.event_type AS "eventType",
  d.booking_id AS "bookingId", d.status, d.attempts, d.first_attempt_at AS "firstAttemptAt", d.last_attempt_at AS "lastAttemptAt",
  d.last_response_status AS "lastResponseStatus", d.last_error AS "lastError", d.next_attempt_at AS "nextAttemptAt",
  d.delivered_at AS "deliveredAt", d.created_at AS "createdAt"`;

/** SQL for `scheduler.webhook_endpoints` and the admin side of `scheduler.webhook_deliveries`. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly sql: SqlRunner) {}

  async insert(endpoint: { bizEntityId: string; url: string; description: string | null; eventTypes: string[] | null; secret: string }): Promise<WebhookEndpointRow> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<WebhookEndpointRow>(
      `INSERT INTO scheduler.webhook_endpoints AS w (biz_entity_id, url, description, event_types, secret)
       VALUES (${p.add(endpoint.bizEntityId)}, ${p.add(endpoint.url)}, ${p.add(endpoint.description)}, ${p.add(endpoint.eventTypes)}, ${p.add(endpoint.secret)})
       RETURNING ${ENDPOINT_COLUMNS}`,
      p,
    );
    return row;
  }

  async findInTenants(tenants: Tenants, id: string, lock = false): Promise<WebhookEndpointRow | undefined> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<WebhookEndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM scheduler.webhook_endpoints w
        WHERE w.id = ${p.add(id)} AND ${inTenants(p, tenants, 'w.biz_entity_id')} ${lock ? 'FOR UPDATE' : ''}`,
      p,
    );
    return row;
  }

  listInTenants(tenants: Tenants, filter: { bizEntityId?: string; after?: PagePosition; limit: number }): Promise<WebhookEndpointRow[]> {
    const p = new SqlParams();
    const page = keysetPage(p, filter, { at: 'w.created_at', id: 'w.id' });
    return this.sql.rows<WebhookEndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM scheduler.webhook_endpoints w
        WHERE ${inTenants(p, tenants, 'w.biz_entity_id')} AND ${optionalEquals(p, 'w.biz_entity_id', filter.bizEntityId, 'uuid')}
          AND ${page.after}
        ${page.orderAndLimit}`,
      p,
    );
  }

  /**
   * After a locked read in tenants; the filter is repeated here all the same. Enabling clears
   * the reason it was disabled; disabling by hand records one.
   */
  async update(tenants: Tenants, id: string, changes: EndpointChanges): Promise<boolean> {
    const p = new SqlParams();
    const sets = setChanges(p, { url: changes.url, description: changes.description }, { url: 'url', description: 'description' });
    if (changes.eventTypes !== undefined) sets.push(`event_types = ${p.add(changes.eventTypes, 'text[]')}`);
    if (changes.enabled !== undefined) {
      const enabled = p.add(changes.enabled, 'boolean');
      sets.push(
        `enabled = ${enabled}`,
        `disabled_at = CASE WHEN ${enabled} = w.enabled THEN w.disabled_at WHEN ${enabled} THEN NULL ELSE date_trunc('milliseconds', now()) END`,
        `disabled_reason = CASE WHEN ${enabled} = w.enabled THEN w.disabled_reason WHEN ${enabled} THEN NULL ELSE 'Disabled by an operator.' END`,
      );
    }
    sets.push(`updated_at = date_trunc('milliseconds', now())`);
    const { count } = await this.sql.change(
      `UPDATE scheduler.webhook_endpoints w SET ${sets.join(', ')}
        WHERE w.id = ${p.add(id)} AND ${inTenants(p, tenants, 'w.biz_entity_id')}`,
      p,
    );
    return count === 1;
  }

  /** Deletes the endpoint and its deliveries. */
  async remove(tenants: Tenants, id: string): Promise<boolean> {
    const p = new SqlParams();
    const { count } = await this.sql.change(
      `DELETE FROM scheduler.webhook_endpoints w WHERE w.id = ${p.add(id)} AND ${inTenants(p, tenants, 'w.biz_entity_id')}`,
      p,
    );
    return count === 1;
  }

  /** The current secret keeps signing, as the previous one, for `overlapSeconds`; a still older one stops. */
  async rotateSecret(tenants: Tenants, id: string, secret: string, overlapSeconds: number): Promise<boolean> {
    const p = new SqlParams();
    const { count } = await this.sql.change(
      `UPDATE scheduler.webhook_endpoints w
          SET previous_secret = w.secret, secret = ${p.add(secret)},
              previous_secret_expires_at = date_trunc('milliseconds', now()) + make_interval(secs => ${p.add(overlapSeconds)}),
              secret_rotated_at = date_trunc('milliseconds', now()), updated_at = date_trunc('milliseconds', now())
        WHERE w.id = ${p.add(id)} AND ${inTenants(p, tenants, 'w.biz_entity_id')}`,
      p,
    );
    return count === 1;
  }

  listDeliveries(
    tenants: Tenants,
    endpointId: string,
    filter: { status?: DeliveryStatus; after?: PagePosition; limit: number },
  ): Promise<DeliveryRow[]> {
    const p = new SqlParams();
    const page = keysetPage(p, filter, { at: 'd.created_at', id: 'd.id' });
    return this.sql.rows<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM scheduler.webhook_deliveries d
        WHERE d.endpoint_id = ${p.add(endpointId)} AND ${inTenants(p, tenants, 'd.biz_entity_id')}
          AND ${optionalEquals(p, 'd.status', filter.status)} AND ${page.after}
        ${page.orderAndLimit}`,
      p,
    );
  }

  /** A `webhook.test` event for this endpoint alone, due now. */
  async insertTestDelivery(endpoint: WebhookEndpointRow): Promise<DeliveryRow> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<DeliveryRow>(
      `INSERT INTO scheduler.webhook_deliveries AS d (biz_entity_id, endpoint_id, event_id, event_type)
       VALUES (${p.add(endpoint.bizEntityId)}, ${p.add(endpoint.id)}, gen_random_uuid(), ${p.add(WEBHOOK_TEST_EVENT_TYPE)})
       RETURNING ${DELIVERY_COLUMNS}`,
      p,
    );
    return row;
  }

  /** Due now with a fresh retry schedule, whatever became of it before. Undefined when not the endpoint's or not in tenants. */
  async redeliver(tenants: Tenants, endpointId: string, deliveryId: string): Promise<DeliveryRow | undefined> {
    const p = new SqlParams();
    const { rows } = await this.sql.change<DeliveryRow>(
      `UPDATE scheduler.webhook_deliveries d
          SET status = 'pending', next_attempt_at = date_trunc('milliseconds', now()), attempts = 0, first_attempt_at = NULL,
              delivered_at = NULL
        WHERE d.id = ${p.add(deliveryId)} AND d.endpoint_id = ${p.add(endpointId)} AND ${inTenants(p, tenants, 'd.biz_entity_id')}
        RETURNING ${DELIVERY_COLUMNS}`,
      p,
    );
    return rows[0];
  }
}
