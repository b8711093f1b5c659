import { ApiProperty, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { BookingDto } from '../../bookings/dto/booking.dto';
import { PageQueryDto } from '../../common/http/pagination';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { EXAMPLE } from '../../openapi/examples';
import { SlotDto } from '../../slots/dto/slot.dto';
import type { SlotView } from '../../slots/slots.repository';
import { BOOKING_EVENT_TYPES } from '../event-types';
import type { BookingEventType } from '../event-types';

const PREVIOUS_SLOT_FIELDS = ['id', 'locationId', 'personId', 'startsAt', 'endsAt', 'localStart', 'timezone'] as const;

/** The slot a rescheduled booking left. */
export type PreviousSlot = Pick<SlotView, (typeof PREVIOUS_SLOT_FIELDS)[number]>;

export class PreviousSlotDto extends PickType(SlotDto, PREVIOUS_SLOT_FIELDS) {}

export function toPreviousSlotDto(slot: PreviousSlot): PreviousSlotDto {
  return {
    id: slot.id,
    locationId: slot.locationId,
    personId: slot.personId,
    startsAt: slot.startsAt.toISOString(),
    endsAt: slot.endsAt.toISOString(),
    localStart: slot.localStart,
    timezone: slot.timezone,
  };
}

export class BookingEventDataDto {
  @ApiProperty({ type: BookingDto, description: 'The booking as GET shows it right after the change.' })
  booking: BookingDto;

  @ApiProperty({ type: PreviousSlotDto, required: false, description: 'booking.rescheduled only: the slot the booking left.' })
  previousSlot?: PreviousSlotDto;
}

/** One event of the feed: the webhook body (`type`, `timestamp`, `data`) with its id and position. */
export class EventDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.eventId, description: 'Stable: the same as the webhook-id header of its deliveries. De-duplicate on it.' })
  id: string;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    example: EXAMPLE.eventSequence,
    description: 'Strictly increasing in insertion order; pass the last one you processed as `after`.',
  })
  sequence: number;

  @ApiProperty({ enum: BOOKING_EVENT_TYPES, example: 'booking.confirmed', description: 'What happened to the booking.' })
  type: BookingEventType;

  @ApiProperty({ format: 'date-time', example: EXAMPLE.confirmedAt, description: 'When the change happened (an expiry: the hold\'s holdExpiresAt).' })
  timestamp: string;

  @ApiProperty({ type: BookingEventDataDto, description: 'The booking after the change, and for a move the slot it left.' })
  data: BookingEventDataDto;
}

export class EventPageDto {
  @ApiProperty({ type: [EventDto], description: 'At most `limit` events, in commit order.' }) data: EventDto[];

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    nullable: true,
    example: EXAMPLE.eventSequence,
    description: 'Pass as `after` to continue: the sequence of the last event here, or the `after` you sent when there is none (null when neither).',
  })
  nextAfter: number | null;
}

const toInteger = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

export class EventFeedQueryDto extends PickType(PageQueryDto, ['limit'] as const) {
  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    example: EXAMPLE.eventSequence,
    description: 'Events after this one (its `sequence`, an event of your feed); absent or 0: from the first.',
  })
  @IsOptional()
  @Transform(toInteger)
  @Max(Number.MAX_SAFE_INTEGER)
  @Min(0)
  @IsInt()
  after?: number;

  @ApiProperty({
    required: false,
    type: String,
    description: `Comma-separated event types to include (${BOOKING_EVENT_TYPES.join(', ')}); absent: all.`,
    example: 'booking.confirmed,booking.cancelled',
  })
  @IsOptionalNotNull()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value))
  @IsIn(BOOKING_EVENT_TYPES, { each: true })
  @ArrayUnique()
  @ArrayMaxSize(BOOKING_EVENT_TYPES.length)
  @IsArray()
  types?: BookingEventType[];
}
