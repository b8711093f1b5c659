import { Global, Injectable, Module } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { IdentifiedResource } from '../http/uuid-param';

/** What admin writes write, named as their path parameters name them. */
export const AUDIT_TARGET_TYPES = ['location', 'person', 'availability rule', 'slot', 'booking', 'webhook endpoint', 'calendar feed'] as const satisfies readonly IdentifiedResource[];
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/** What one admin write did, as the service that made it says: the audit interceptor records it. */
export interface AuditedChange {
  target: { type: AuditTargetType; id: string };
  /** The business the target belongs to: the audit feed is tenant-scoped by it. */
  bizEntityId: string;
  /** The resource as the API showed it before the write; absent when the write created it. */
  before?: object;
  /** The resource as the API shows it after the write; absent when the write removed it. */
  after?: object;
  /** What the write reports besides (a slot generation's report, a bulk cancel's count). */
  report?: object;
}

/** The request's pending entry, filled by the service that writes. */
export interface AuditSlot {
  change?: AuditedChange;
}

const AUDIT_SLOT = 'audit:slot';

/**
 * How services tell the audit what an admin write changed, inside the write's transaction.
 * The audit interceptor opens a slot for every admin write route and, once the handler has
 * answered, inserts the one row in the same transaction; a service called outside an admin
 * write (a user's own cancellation, a background job) records nothing.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly cls: ClsService) {}

  record(change: AuditedChange): void {
    const slot = this.cls.isActive() ? this.cls.get<AuditSlot | undefined>(AUDIT_SLOT) : undefined;
    if (!slot) return;
    if (slot.change) throw new Error(`An admin write is one audit entry; it already recorded ${slot.change.target.type} ${slot.change.target.id}`);
    slot.change = change;
  }

  /** For the audit interceptor, in the request's context: the slot this request's service fills. */
  open(): AuditSlot {
    const slot: AuditSlot = {};
    this.cls.set(AUDIT_SLOT, slot);
    return slot;
  }
}

@Global()
@Module({ providers: [AuditTrail], exports: [AuditTrail] })
export class AuditTrailModule {}
