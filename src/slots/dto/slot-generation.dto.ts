import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';
import { IsCalendarDate } from '../../common/validation/calendar';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { EXAMPLE } from '../../openapi/examples';

export const MAX_GENERATION_DAYS = 366;

export class CreateSlotGenerationDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.locationId, description: 'The location whose slots to generate.' })
  @IsUUID()
  locationId: string;

  @ApiProperty({ required: false, type: [String], format: 'uuid', minItems: 1, maxItems: 1000, uniqueItems: true, example: [EXAMPLE.personId], description: 'Only these people of the location; all of them when absent.' })
  @IsOptionalNotNull()
  @IsUUID('all', { each: true })
  // UUIDs compare case-insensitively: `A…` and `a…` name the same person twice.
  @ArrayUnique((id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id))
  @ArrayMaxSize(1000)
  @ArrayMinSize(1)
  @IsArray()
  personIds?: string[];

  @ApiProperty({ format: 'date', example: EXAMPLE.date, description: 'First local date (inclusive).' })
  @IsCalendarDate()
  from: string;

  @ApiProperty({ format: 'date', example: EXAMPLE.lastDate, description: `Last local date (inclusive); at most ${MAX_GENERATION_DAYS} days from from.` })
  @IsCalendarDate()
  to: string;
}

export class GenerationConflictDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.slotId, description: 'The slot kept open.' }) slotId: string;
  @ApiProperty({ type: [String], format: 'uuid', example: [EXAMPLE.bookingId], description: 'Its live bookings (possibly none for a neighbouring slot).' })
  bookingIds: string[];
}

/** A slot the rules describe that was not made: its buffered span overlaps another window's slot. */
export class GenerationSkipDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.personId }) personId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.ruleId, description: 'The rule whose window it was cut from.' }) ruleId: string;
  @ApiProperty({ format: 'date-time', example: '2026-10-25T00:30:00.000Z' }) startsAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-10-25T01:00:00.000Z' }) endsAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-10-25T00:30:00.000Z', description: 'Start of the time kept free before it.' })
  bufferedStartsAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-10-25T01:00:00.000Z', description: 'End of the time kept free after it.' })
  bufferedEndsAt: string;
  @ApiProperty({ example: '2026-10-25T01:30', description: 'Wall-clock start in the location\'s zone.' }) localStart: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.otherRuleId, description: 'The rule of the slot that keeps its place: the one starting first.' })
  overlapsRuleId: string;
  @ApiProperty({ format: 'date-time', example: '2026-10-25T00:00:00.000Z', description: 'Start of that slot.' }) overlapsStartsAt: string;
}

export class GenerationReportDto {
  @ApiProperty({ type: 'integer', minimum: 0, example: 264, description: 'Slots inserted.' }) created: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    example: 0,
    description: 'Existing slots whose end, capacity, provenance or zone changed, or that came back after retirement (blocked if they were blocked).',
  })
  updated: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 0, description: 'Slots the rules no longer produce, retired.' }) retired: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 0, description: 'Slots already exactly as the rules produce them.' }) unchanged: number;
  @ApiProperty({
    type: [GenerationConflictDto],
    description:
      'Slots kept against the rules because they hold live bookings (or whose capacity could not drop to what the rules say), ' +
      'and live slots just outside the dates that a planned slot would overlap (that slot was not made). Each with its live bookings.',
  })
  conflicts: GenerationConflictDto[];
  @ApiProperty({
    type: [GenerationSkipDto],
    description:
      'Slots the rules describe but that were not made because their buffered span (the slot with the time kept free ' +
      'before and after it) overlaps that of a slot of another window of the same person: the slot starting first is ' +
      'made, the later one is listed here. Windows that touch on the wall clock can overlap in real time across a fall-back fold.',
  })
  skipped: GenerationSkipDto[];
}
