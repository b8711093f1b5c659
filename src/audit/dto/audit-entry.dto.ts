import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { AUDIT_TARGET_TYPES } from '../../common/audit/audit-trail';
import type { AuditTargetType } from '../../common/audit/audit-trail';
import { PageQueryDto } from '../../common/http/pagination';
import { IsInstant } from '../../common/validation/calendar';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { EXAMPLE, EXAMPLE_CURSOR } from '../../openapi/examples';
import type { AuditEntryRow } from '../audit.repository';

/** Field names (dotted paths for nested ones) to values. */
const CHANGED_FIELDS = { type: 'object', additionalProperties: true, nullable: true } as const;

export class AuditLogQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.locationId, description: 'Only the writes to this resource.' })
  @IsOptional()
  @IsUUID()
  targetId?: string;

  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.operatorId, description: 'Only the writes of this caller (the token `sub`).' })
  @IsOptional()
  @IsUUID()
  actor?: string;

  @ApiProperty({ required: false, format: 'date-time', example: '2026-03-01T00:00:00.000Z', description: 'Only the writes at or after this instant.' })
  @IsOptionalNotNull()
  @IsInstant()
  from?: string;

  @ApiProperty({ required: false, format: 'date-time', example: '2026-04-01T00:00:00.000Z', description: 'Only the writes before this instant.' })
  @IsOptionalNotNull()
  @IsInstant()
  to?: string;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.auditEntryId }) id: string;

  @ApiProperty({ format: 'date-time', example: EXAMPLE.createdAt, description: 'When the write happened (its transaction began).' })
  occurredAt: string;

  @ApiProperty({ format: 'uuid', example: EXAMPLE.operatorId, description: 'Who wrote: the token `sub`.' })
  actor: string;

  @ApiProperty({ enum: ['admin', 'superadmin'], example: 'admin', description: 'The role the write was allowed by.' })
  actorRole: 'admin' | 'superadmin';

  @ApiProperty({ format: 'uuid', example: EXAMPLE.bizEntityId, description: 'The business of the resource written.' })
  bizEntityId: string;

  @ApiProperty({ example: 'PATCH /v1/admin/locations/{id}', description: 'The operation, as this contract names it.' })
  action: string;

  @ApiProperty({ enum: AUDIT_TARGET_TYPES, example: 'location', description: 'What kind of resource was written.' })
  targetType: AuditTargetType;

  @ApiProperty({ format: 'uuid', example: EXAMPLE.locationId, description: 'The resource written (for a slot generation or a bulk cancel: the location).' })
  targetId: string;

  @ApiProperty({ example: EXAMPLE.requestId, description: 'The `X-Request-Id` the write carried (its log lines carry it too); not always a UUID, since clients may send their own.' })
  request: string;

  @ApiProperty({
    ...CHANGED_FIELDS,
    example: { 'policy.holdTtlSeconds': 300 },
    description: 'The fields the write changed, as they were (nested fields by their path). null when the write created the resource.',
  })
  before: Record<string, unknown> | null;

  @ApiProperty({ ...CHANGED_FIELDS, example: { 'policy.holdTtlSeconds': 600 }, description: 'The same fields after the write. null when it removed the resource.' })
  after: Record<string, unknown> | null;

  @ApiProperty({
    type: Object,
    additionalProperties: true,
    required: false,
    example: { created: 12, updated: 0, retired: 0, unchanged: 0, conflicts: [], skipped: [] },
    description: 'What the write reported besides: a slot generation its report, a bulk cancel what it cancelled.',
  })
  report?: object;
}

export class AuditEntryPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) data: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE_CURSOR, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor: string | null;
}

export function toAuditEntryDto(row: AuditEntryRow): AuditEntryDto {
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    actor: row.actorSub,
    actorRole: row.actorRole,
    bizEntityId: row.bizEntityId,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    request: row.requestId,
    before: row.before,
    after: row.after,
    ...(row.report !== null ? { report: row.report } : {}),
  };
}
