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
import { EXAMPLE } from '../../openapi/examples';
import { IsCalendarDate, IsWallClockTime } from '../../common/validation/calendar';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { toBoolean } from '../../common/validation/transforms';
import { RULE_KINDS } from '../rule-fields';
import type { RuleKind } from '../rule-fields';

/** The fields every kind draws from; which ones a kind takes is checked per kind (rule-fields.ts). */
class RuleFieldsDto {
  @ApiProperty({
    required: false,
    type: 'array',
    items: { type: 'integer', minimum: 1, maximum: 7 },
    minItems: 1,
    maxItems: 7,
    uniqueItems: true,
    example: [1, 2, 3, 4, 5],
    description: 'weekly (required): ISO weekdays, 1 = Monday … 7 = Sunday, no duplicates.',
  })
  @IsOptionalNotNull()
  @Max(7, { each: true })
  @Min(1, { each: true })
  @IsInt({ each: true })
  @ArrayUnique()
  @ArrayMaxSize(7)
  @ArrayMinSize(1)
  @IsArray()
  weekdays?: number[];

  @ApiProperty({ required: false, format: 'date', example: '2026-12-24', description: 'override (required): the local date whose weekly hours it replaces.' })
  @IsOptionalNotNull()
  @IsCalendarDate()
  date?: string;

  @ApiProperty({ required: false, format: 'date', example: '2026-08-01', description: 'blackout (required): first local date (inclusive).' })
  @IsOptionalNotNull()
  @IsCalendarDate()
  startDate?: string;

  @ApiProperty({ required: false, format: 'date', example: '2026-08-15', description: 'blackout (required): last local date (inclusive).' })
  @IsOptionalNotNull()
  @IsCalendarDate()
  endDate?: string;

  @ApiProperty({ required: false, pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', example: '09:00', description: 'Local wall-clock time HH:mm: required for weekly; with endTime, or neither, for override (neither: a day off) and blackout (neither: whole days).' })
  @IsOptionalNotNull()
  @IsWallClockTime()
  startTime?: string;

  @ApiProperty({ required: false, pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$', example: '17:00', description: 'Local wall-clock time HH:mm after startTime; 24:00 is midnight. Goes with startTime.' })
  @IsOptionalNotNull()
  @IsWallClockTime({ allowEndOfDay: true })
  endTime?: string;

  @ApiProperty({ required: false, type: 'integer', minimum: 5, maximum: 1440, example: 30, description: 'Length of each slot in minutes: weekly, and override with times (required there); not for blackout.' })
  @IsOptionalNotNull()
  @Max(1440)
  @Min(5)
  @IsInt()
  slotMinutes?: number;

  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 0,
    maximum: 1440,
    example: 5,
    description: 'Minutes kept free before each slot, inside the window (weekly, override). Default 0.',
  })
  @IsOptionalNotNull()
  @Max(1440)
  @Min(0)
  @IsInt()
  bufferBeforeMinutes?: number;

  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 0,
    maximum: 1440,
    example: 10,
    description: 'Minutes kept free after each slot, inside the window (weekly, override). Default 0.',
  })
  @IsOptionalNotNull()
  @Max(1440)
  @Min(0)
  @IsInt()
  bufferAfterMinutes?: number;

  @ApiProperty({
    required: false,
    deprecated: true,
    type: 'integer',
    minimum: 0,
    maximum: 1440,
    example: 10,
    description: 'Deprecated: the old name of bufferAfterMinutes, read as it. Given with bufferAfterMinutes, the two must be equal.',
  })
  @IsOptionalNotNull()
  @Max(1440)
  @Min(0)
  @IsInt()
  bufferMinutes?: number;

  @ApiProperty({ required: false, type: 'integer', minimum: 1, maximum: 10000, example: 1, description: 'Bookings each slot takes (weekly, override). Default 1.' })
  @IsOptionalNotNull()
  @Max(10000)
  @Min(1)
  @IsInt()
  capacity?: number;
}

export class CreateAvailabilityRuleDto extends RuleFieldsDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.personId, description: 'Whose availability it is; fixed for the rule\'s life.' })
  @IsUUID()
  personId: string;

  @ApiProperty({ enum: RULE_KINDS, example: 'weekly', description: 'weekly hours, an override of one date, or a blackout of dates; fixed for the rule\'s life.' })
  @IsIn(RULE_KINDS)
  kind: RuleKind;

  @ApiProperty({ required: false, format: 'date', example: '2026-03-01', description: 'weekly: first local date it applies (inclusive); from the start of time when absent.' })
  @IsOptionalNotNull()
  @IsCalendarDate()
  validFrom?: string;

  @ApiProperty({ required: false, format: 'date', example: '2026-12-31', description: 'weekly: last local date it applies (inclusive); open-ended when absent.' })
  @IsOptionalNotNull()
  @IsCalendarDate()
  validUntil?: string;
}

/** The kind and the person are fixed; `validFrom`/`validUntil` may be set to null to remove a bound. */
export class UpdateAvailabilityRuleDto extends RuleFieldsDto {
  @ApiProperty({ required: false, type: String, format: 'date', nullable: true, example: '2026-04-01', description: 'weekly: a new first date; null removes the bound.' })
  @ValidateIf((_object: object, value: unknown) => value !== undefined && value !== null)
  @IsCalendarDate()
  validFrom?: string | null;

  @ApiProperty({ required: false, type: String, format: 'date', nullable: true, example: null, description: 'weekly: a new last date; null removes the bound.' })
  @ValidateIf((_object: object, value: unknown) => value !== undefined && value !== null)
  @IsCalendarDate()
  validUntil?: string | null;
}

export class AdminAvailabilityRuleQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.personId, description: 'Only the rules of this person.' })
  @IsOptionalNotNull()
  @IsUUID()
  personId?: string;

  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.locationId, description: 'Only the rules of people at this location.' })
  @IsOptionalNotNull()
  @IsUUID()
  locationId?: string;

  @ApiProperty({ required: false, example: true, description: 'Only active (true) or only deleted (false) rules; both when absent.' })
  @IsOptionalNotNull()
  @Transform(toBoolean)
  @IsBoolean()
  active?: boolean;
}
