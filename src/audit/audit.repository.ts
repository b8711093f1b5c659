import { Injectable } from '@nestjs/common';
import type { AuditTargetType } from '../common/audit/audit-trail';
import type { Tenants } from '../common/auth/principal';
import { inTenants, keysetPage, optionalEquals, SqlParams } from '../common/database/sql';
import { SqlRunner } from '../common/database/sql-runner';
import { PagePosition } from '../common/http/pagination';

/** A row of `scheduler.audit_log`. */
export interface AuditEntryRow {
  id: string;
  bizEntityId: string;
  occurredAt: Date;
  actorSub: string;
  actorRole: 'admin' | 'superadmin';
  action: string;
  targetType: AuditTargetType;
  targetId: string;
  requestId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  report: object | null;
}

export type NewAuditEntry = Omit<AuditEntryRow, 'id' | 'occurredAt'>;

export interface AuditListFilter {
  targetId?: string;
  actorSub?: string;
  from?: Date;
  to?: Date;
  after?: PagePosition;
  limit: number;
}

const COLUMNS = `a.id, a.biz_entity_id AS "bizEntityId", a.occurred_at AS "occurredAt", a.actor_sub AS "actorSub",
  a.actor_role AS "actorRole", a.action, a.target_type AS "targetType", a.target_id AS "targetId", a.request_id AS "requestId",
  a.before, a.after, a.report`;

/** SQL for `scheduler.audit_log`: rows are only ever inserted (in the write's transaction) and read. */
@Injectable()
export class AuditRepository {
  constructor(private readonly sql: SqlRunner) {}

  async insert(entry: NewAuditEntry): Promise<void> {
    const p = new SqlParams();
    await this.sql.rows(
      `INSERT INTO scheduler.audit_log (biz_entity_id, actor_sub, actor_role, action, target_type, target_id, request_id, before, after, report)
       VALUES (${p.add(entry.bizEntityId)}, ${p.add(entry.actorSub)}, ${p.add(entry.actorRole)}, ${p.add(entry.action)},
               ${p.add(entry.targetType)}, ${p.add(entry.targetId)}, ${p.add(entry.requestId)}, ${p.add(json(entry.before), 'jsonb')},
               ${p.add(json(entry.after), 'jsonb')}, ${p.add(json(entry.report), 'jsonb')})`,
      p,
    );
  }

  listInTenants(tenants: Tenants, filter: AuditListFilter): Promise<AuditEntryRow[]> {
    const p = new SqlParams();
    const page = keysetPage(p, filter, { at: 'a.occurred_at', id: 'a.id' });
    return this.sql.rows<AuditEntryRow>(
      `SELECT ${COLUMNS} FROM scheduler.audit_log a
        WHERE ${inTenants(p, tenants, 'a.biz_entity_id')}
          AND ${optionalEquals(p, 'a.target_id', filter.targetId, 'uuid')} AND ${optionalEquals(p, 'a.actor_sub', filter.actorSub, 'uuid')}
          AND ${filter.from ? `a.occurred_at >= ${p.add(filter.from, 'timestamptz')}` : 'TRUE'}
          AND ${filter.to ? `a.occurred_at < ${p.add(filter.to, 'timestamptz')}` : 'TRUE'}
          AND ${page.after}
        ${page.orderAndLimit}`,
      p,
    );
  }
}

/** pg would send a JS object as JSON too, but not an array or a string: always JSON text. */
function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
