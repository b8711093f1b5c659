import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';
import { IsCalendarDate } from '../../common/validation/calendar';
import { IsOptionalNotNull } from '../../common/validation/optional';

export const MAX_GENERATION_DAYS = 366;

export class CreateSlotGenerationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  locationId: string;

  @ApiProperty({ required: false, type: [String], format: 'uuid', description: 'Only these people of the location (default: all).' })
  @IsOptionalNotNull()
  @IsUUID('all', { each: true })
  // UUIDs compare case-insensitively: `A…` and `a…` name the same person twice.
  @ArrayUnique((id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id))
  @ArrayMaxSize(1000)
  @ArrayMinSize(1)
  @IsArray()
  personIds?: string[];

  @ApiProperty({ format: 'date', example: '2026-12-01', description: 'First local date (inclusive).' })
  @IsCalendarDate()
  from: string;

  @ApiProperty({ format: 'date', example: '2026-12-31', description: `Last local date (inclusive); at most ${MAX_GENERATION_DAYS} days after from.` })
  @IsCalendarDate()
  to: string;
}

export class GenerationConflictDto {
  @ApiProperty({ format: 'uuid' }) slotId: string;
  @ApiProperty({ type: [String], format: 'uuid' }) bookingIds: string[];
}

export class GenerationReportDto {
  @ApiProperty({ description: 'Slots inserted.' }) created: number;
  @ApiProperty({ description: 'Existing slots whose end, capacity, provenance or zone changed, or that came back after retirement (blocked if they were blocked).' })
  updated: number;
  @ApiProperty({ description: 'Slots the rules no longer produce, retired.' }) retired: number;
  @ApiProperty({ description: 'Slots already exactly as the rules produce them.' }) unchanged: number;
  @ApiProperty({
    type: [GenerationConflictDto],
    description:
      'Slots kept against the rules because they hold live bookings (or whose capacity could not drop to what the rules say), ' +
      'and live slots just outside the dates that a planned slot would overlap (that slot was not made). Each with its live bookings.',
  })
  conflicts: GenerationConflictDto[];
}
