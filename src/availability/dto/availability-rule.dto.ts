import { ApiProperty } from '@nestjs/swagger';
import { AvailabilityRuleEntity, RULE_KINDS } from '../availability-rule.entity';
import type { RuleKind } from '../availability-rule.entity';
import { ruleFieldsOf } from '../availability-rule.mapper';

export class AvailabilityRuleDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ enum: RULE_KINDS }) kind: RuleKind;
  @ApiProperty({ required: false, type: [Number] }) weekdays?: number[];
  @ApiProperty({ required: false, format: 'date' }) date?: string;
  @ApiProperty({ required: false, format: 'date' }) startDate?: string;
  @ApiProperty({ required: false, format: 'date' }) endDate?: string;
  @ApiProperty({ required: false, example: '09:00' }) startTime?: string;
  @ApiProperty({ required: false, example: '17:00' }) endTime?: string;
  @ApiProperty({ required: false }) slotMinutes?: number;
  @ApiProperty({ required: false, description: 'weekly and override rules.' }) bufferMinutes?: number;
  @ApiProperty({ required: false, description: 'weekly and override rules.' }) capacity?: number;
  @ApiProperty({ required: false, format: 'date' }) validFrom?: string;
  @ApiProperty({ required: false, format: 'date' }) validUntil?: string;
  @ApiProperty() active: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class AvailabilityRulePageDto {
  @ApiProperty({ type: [AvailabilityRuleDto] }) data: AvailabilityRuleDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toAvailabilityRuleDto(rule: AvailabilityRuleEntity): AvailabilityRuleDto {
  return {
    id: rule.id,
    personId: rule.personId,
    locationId: rule.locationId,
    kind: rule.kind,
    ...ruleFieldsOf(rule),
    active: rule.active,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}
