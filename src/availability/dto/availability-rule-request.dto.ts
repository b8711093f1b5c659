import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsUUID,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { IsCalendarDate, IsWallClockTime } from '../../common/validation/calendar';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { toBoolean } from '../../common/validation/transforms';
import { RULE_KINDS } from '../availability-rule.entity';
import type { RuleKind } from '../availability-rule.entity';

/** The fields every kind draws from; which ones a kind takes is checked per kind (rule-fields.ts). */
class RuleFieldsDto {
  @ApiProperty({ required: false, type: [Number], minItems: 1, maxItems: 7, description: 'weekly: ISO weekdays, 1 = Monday … 7 = Sunday, no duplicates.' })
  @IsOptionalNotNull()
  @Max(7, { each: true })
  @Min(1, { each: true })
  @IsInt({ each: true })
  @ArrayUnique()
  @ArrayMaxSize(7)
  @ArrayMinSize(1)
  @IsArray()
  weekdays?: number[];

  @ApiProperty({ required: false, format: 'date', example: '2026-12-24', description: 'override: the local date it replaces.' })
  @IsOptionalNotNull()
  @IsCalendarDate()
  date?: string;

  @ApiProperty({ required: false, format: 'date', description: 'blackout: first local date (inclusive).' })
  @IsOptionalNotNull()
  @IsCalendarDate()
  startDate?: string;

  @ApiProperty({ required: false, format: 'date', description: 'blackout: last local date (inclusive).' })
  @IsOptionalNotNull()
  @IsCalendarDate()
  endDate?: string;

  @ApiProperty({ required: false, example: '09:00', description: 'Local wall-clock time HH:mm.' })
  @IsOptionalNotNull()
  @IsWallClockTime()
  startTime?: string;

  @ApiProperty({ required: false, example: '17:00', description: 'Local wall-clock time HH:mm, after startTime; 24:00 is midnight.' })
  @IsOptionalNotNull()
  @IsWallClockTime({ allowEndOfDay: true })
  endTime?: string;

  @ApiProperty({ required: false, minimum: 5, maximum: 1440 })
  @IsOptionalNotNull()
  @Max(1440)
  @Min(5)
  @IsInt()
  slotMinutes?: number;

  @ApiProperty({ required: false, minimum: 0, maximum: 1440, default: 0, description: 'Gap after each slot.' })
  @IsOptionalNotNull()
  @Max(1440)
  @Min(0)
  @IsInt()
  bufferMinutes?: number;

  @ApiProperty({ required: false, minimum: 1, maximum: 10000, default: 1, description: 'Bookings per slot.' })
  @IsOptionalNotNull()
  @Max(10000)
  @Min(1)
  @IsInt()
  capacity?: number;
}

export class CreateAvailabilityRuleDto extends RuleFieldsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  personId: string;

  @ApiProperty({ enum: RULE_KINDS })
  @IsIn(RULE_KINDS)
  kind: RuleKind;

  @ApiProperty({ required: false, format: 'date', description: 'weekly: first local date it applies (inclusive).' })
  @IsOptionalNotNull()
  @IsCalendarDate()
  validFrom?: string;

  @ApiProperty({ required: false, format: 'date', description: 'weekly: last local date it applies (inclusive).' })
  @IsOptionalNotNull()
  @IsCalendarDate()
  validUntil?: string;
}

/** The kind and the person are fixed; `validFrom`/`validUntil` may be set to null to remove a bound. */
export class UpdateAvailabilityRuleDto extends RuleFieldsDto {
  @ApiProperty({ required: false, format: 'date', nullable: true })
  @ValidateIf((_object: object, value: unknown) => value !== undefined && value !== null)
  @IsCalendarDate()
  validFrom?: string | null;

  @ApiProperty({ required: false, format: 'date', nullable: true })
  @ValidateIf((_object: object, value: unknown) => value !== undefined && value !== null)
  @IsCalendarDate()
  validUntil?: string | null;
}

export class AdminAvailabilityRuleQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  personId?: string;

  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  locationId?: string;

  @ApiProperty({ required: false, description: 'Only active (true) or only deleted (false) rules.' })
  @IsOptionalNotNull()
  @Transform(toBoolean)
  @IsBoolean()
  active?: boolean;
}
