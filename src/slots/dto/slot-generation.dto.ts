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
}
