import { ApiProperty } from '@nestjs/swagger';
import type { AvailabilityRuleRow } from '../availability-rules.repository';
import { RULE_KINDS } from '../rule-fields';
import type { RuleKind } from '../rule-fields';
import { ruleFieldsOf } from '../availability-rule.mapper';
import { Versioned, withVersion } from '../../common/http/preconditions';
import { EXAMPLE } from '../../openapi/examples';

/** A rule shows the fields of its kind (the same table as on create); the others are absent. */
export class AvailabilityRuleDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.ruleId }) id: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.personId }) personId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.locationId }) locationId: string;
  @ApiProperty({ enum: RULE_KINDS, example: 'weekly' }) kind: RuleKind;
  @ApiProperty({ required: false, type: 'array', items: { type: 'integer', minimum: 1, maximum: 7 }, example: [1, 2, 3, 4, 5], description: 'weekly: ISO weekdays.' })
  weekdays?: number[];
  @ApiProperty({ required: false, format: 'date', example: '2026-12-24', description: 'override: its date.' }) date?: string;
  @ApiProperty({ required: false, format: 'date', example: '2026-08-01', description: 'blackout: first date.' }) startDate?: string;
  @ApiProperty({ required: false, format: 'date', example: '2026-08-15', description: 'blackout: last date.' }) endDate?: string;
  @ApiProperty({ required: false, example: '09:00', description: 'Window start, local HH:mm.' }) startTime?: string;
  @ApiProperty({ required: false, example: '17:00', description: 'Window end, local HH:mm (24:00 is midnight).' }) endTime?: string;
  @ApiProperty({ required: false, type: 'integer', minimum: 5, maximum: 1440, example: 30, description: 'Slot length in minutes.' }) slotMinutes?: number;
  @ApiProperty({ required: false, type: 'integer', minimum: 0, maximum: 1440, example: 5, description: 'weekly and override rules: minutes kept free before each slot.' })
  bufferBeforeMinutes?: number;
  @ApiProperty({ required: false, type: 'integer', minimum: 0, maximum: 1440, example: 10, description: 'weekly and override rules: minutes kept free after each slot.' })
  bufferAfterMinutes?: number;
  @ApiProperty({ required: false, deprecated: true, type: 'integer', minimum: 0, maximum: 1440, example: 10, description: 'Deprecated: bufferAfterMinutes under its old name.' })
  bufferMinutes?: number;
  @ApiProperty({ required: false, type: 'integer', minimum: 1, maximum: 10000, example: 1, description: 'weekly and override rules: bookings per slot.' })
  capacity?: number;
  @ApiProperty({ required: false, format: 'date', example: '2026-03-01', description: 'weekly: first date it applies.' }) validFrom?: string;
  @ApiProperty({ required: false, format: 'date', example: '2026-12-31', description: 'weekly: last date it applies.' }) validUntil?: string;
  @ApiProperty({ example: true, description: 'false once deleted.' }) active: boolean;
  @ApiProperty({ format: 'date-time', example: '2026-01-12T08:10:00.000Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-01-12T08:10:00.000Z' }) updatedAt: string;
}

export class AvailabilityRulePageDto {
  @ApiProperty({ type: [AvailabilityRuleDto] }) data: AvailabilityRuleDto[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor: string | null;
}

export function toAvailabilityRuleDto(rule: AvailabilityRuleRow): Versioned<AvailabilityRuleDto> {
  const fields = ruleFieldsOf(rule);
  return withVersion({
    id: rule.id,
    personId: rule.personId,
    locationId: rule.locationId,
    kind: rule.kind,
    ...fields,
    ...(fields.bufferAfterMinutes === undefined ? {} : { bufferMinutes: fields.bufferAfterMinutes }),
    active: rule.active,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  }, rule.version);
}
