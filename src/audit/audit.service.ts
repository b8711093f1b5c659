import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../common/audit/audit-trail';
import type { Principal, Tenants } from '../common/auth/principal';
import { decodeCursor, Page, toPage } from '../common/http/pagination';
import { changedFields } from './audit-changes';
import { AuditRepository } from './audit.repository';
import { AuditEntryDto, AuditLogQueryDto, toAuditEntryDto } from './dto/audit-entry.dto';

/** One admin write request, as the audit names it. */
export interface AuditedRequest {
  principal: Principal;
  action: string;
  requestId: string;
}

/**
 * The audit log (issue "Operate it safely", item 6): one row per admin write, in the write's
 * own transaction, so a write that fails or rolls back leaves none and one that commits cannot
 * lack it.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly entries: AuditRepository,
    private readonly trail: AuditTrail,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  /**
   * Runs the write in a transaction (joining the idempotency interceptor's when a key opened
   * one) and inserts its row before it commits. A write whose service said nothing of what it
   * changed fails: no admin write commits unaudited.
   */
  recordAround<T>(request: AuditedRequest, write: () => Promise<T>): Promise<T> {
    return this.txHost.withTransaction(async () => {
      const slot = this.trail.open();
      const answer = await write();
      const change = slot.change;
      if (!change) throw new Error(`${request.action} recorded no audit entry: its service must call AuditTrail.record`);
      const { before, after } = changedFields(change.before, change.after);
      await this.entries.insert({
        bizEntityId: change.bizEntityId,
        actorSub: request.principal.userId,
        actorRole: request.principal.roles.includes('superadmin') ? 'superadmin' : 'admin',
        action: request.action,
        targetType: change.target.type,
        targetId: change.target.id,
        requestId: request.requestId,
        before,
        after,
        report: change.report ?? null,
      });
      return answer;
    });
  }

  async list(tenants: Tenants, query: AuditLogQueryDto): Promise<Page<AuditEntryDto>> {
    const rows = await this.entries.listInTenants(tenants, {
      targetId: query.targetId,
      actorSub: query.actor,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      after: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return toPage(rows, query.limit, toAuditEntryDto, (row) => ({ at: row.occurredAt, id: row.id }));
  }
}
