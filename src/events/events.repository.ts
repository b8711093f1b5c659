import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';
import { inTenants, SqlParams } from '../common/database/sql';
import type { Tenants } from '../common/auth/principal';
import type { BookingEventType } from './event-types';

export interface OutboxEventRow {
  sequence: number;
  id: string;
  type: BookingEventType;
  occurredAt: Date;
  data: Record<string, unknown>;
}

/**
 * Only events older than every transaction still running: each of those, and every later one,
 * has an xid at or above the snapshot's xmin, so whatever commits later sorts after what is
 * read now, in `(xid, sequence)` order. Over table `e`.
 */
export const SETTLED_EVENT = `e.xid < pg_snapshot_xmin(pg_current_snapshot())`;

/** Reads of `scheduler.outbox_events` (written by BookingsRepository.write only). */
@Injectable()
export class EventsRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private query<T>(sql: string, params: unknown[]): Promise<T> {
    return this.txHost.tx.query(sql, params) as Promise<T>;
  }

  /** Whether the event at this sequence exists within the caller's tenants. */
  async existsInTenants(tenants: Tenants, sequence: number): Promise<boolean> {
    const p = new SqlParams();
    const [row] = await this.query<{ found: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM scheduler.outbox_events e
                       WHERE e.sequence = ${p.add(sequence)} AND ${inTenants(p, tenants, 'e.biz_entity_id')}) AS found`,
      p.values,
    );
    return row.found;
  }

  /** Settled events of the caller's tenants after the one at `after` (0: from the start), in feed order. */
  listSettled(tenants: Tenants, filter: { after: number; types?: readonly string[]; limit: number }): Promise<OutboxEventRow[]> {
    const p = new SqlParams();
    const after = p.add(filter.after, 'bigint');
    return this.query<OutboxEventRow[]>(
      `SELECT e.sequence::float8 AS sequence, e.id, e.type, e.occurred_at AS "occurredAt", e.data
         FROM scheduler.outbox_events e
        WHERE ${inTenants(p, tenants, 'e.biz_entity_id')}
          AND ${SETTLED_EVENT}
          AND (${after} = 0 OR (e.xid, e.sequence) > ((SELECT a.xid FROM scheduler.outbox_events a WHERE a.sequence = ${after}), ${after}))
          AND ${filter.types ? `e.type = ANY(${p.add(filter.types, 'text[]')})` : 'TRUE'}
        ORDER BY e.xid, e.sequence
        LIMIT ${p.add(filter.limit)}`,
      p.values,
    );
  }
}
