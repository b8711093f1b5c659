import { applyDecorators } from '@nestjs/common';
import { ApiHideProperty, ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsNotEmpty, IsString, IsUUID, Max, Min, ValidateIf } from 'class-validator';
import { PageQueryDto, SlotStartPageQueryDto } from '../../common/http/pagination';
import { IsInstant } from '../../common/validation/calendar';
import { IsMetadataFilter, MetadataChangeProperty, MetadataProperty, MetadataResponseProperty } from '../../common/validation/metadata';
import type { Metadata, MetadataChange } from '../../common/validation/metadata';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { IsStorableText } from '../../common/validation/text';
import { EXAMPLE, EXAMPLE_CURSOR } from '../../openapi/examples';
import { ACTOR_KINDS, BOOKING_STATUSES } from '../booking-status';
import type { ActorKind, BookingStatus } from '../booking-status';

/** Validates a field only when it is given and not null (null clears it). */
const NOT_NULL = (_object: object, value: unknown): boolean => value !== undefined && value !== null;

/** Seats of a new hold or booking: the decorators both create bodies share. */
function SeatsProperty(description: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ required: false, type: 'integer', minimum: 1, maximum: 10000, example: 2, description }),
    IsOptionalNotNull(),
    Max(10000),
    Min(1),
    IsInt(),
  );
}

export class CreateHoldDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.slotId, description: 'A slot offered to you by one of your live exposures.' })
  @IsUUID()
  slotId: string;

  @SeatsProperty(
    "The party size: places of the slot's capacity the booking takes. Default 1; at most the slot's capacity and the location's " +
      '`maxSeatsPerBooking` (422 TOO_MANY_SEATS), and the slot must have that many left (409 SLOT_UNAVAILABLE). Browse with the same `seats`.',
  )
  seats?: number;

  @ApiProperty({ required: false, maxLength: 2000, example: 'First visit', description: 'Free text for the person and operators.' })
  @IsOptionalNotNull()
  @IsStorableText(2000)
  @IsString()
  notes?: string;

  @MetadataProperty('Your key-value pairs for the booking (an order number, a channel); operators see and change them.')
  metadata?: Metadata;
}

export class CancelBookingDto {
  @ApiProperty({ required: false, maxLength: 2000, example: 'Cannot make it that morning', description: 'Why; kept as `cancelReason`.' })
  @IsOptionalNotNull()
  @IsStorableText(2000)
  @IsString()
  reason?: string;
}

export class AdminCreateBookingDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.slotId, description: 'Any open slot with room of the caller\'s businesses; no offer needed.' })
  @IsUUID()
  slotId: string;

  @ApiProperty({ format: 'uuid', example: EXAMPLE.userId, description: 'The user (a row of public.auth_user) the booking is for.' })
  @IsUUID()
  userId: string;

  @ApiProperty({ required: false, enum: ['held', 'confirmed'], example: 'confirmed', description: 'held places a hold the user confirms; default confirmed.' })
  @IsOptionalNotNull()
  @IsIn(['held', 'confirmed'])
  status?: 'held' | 'confirmed';

  @SeatsProperty("The party size. Default 1; at most the slot's capacity (the location's maxSeatsPerBooking does not bind operators), with that many left.")
  seats?: number;

  @ApiProperty({ required: false, maxLength: 2000, example: 'Booked by phone', description: 'Free text for the person and operators.' })
  @IsOptionalNotNull()
  @IsStorableText(2000)
  @IsString()
  notes?: string;

  @MetadataProperty('Key-value pairs for the booking (a CRM id, a channel).')
  metadata?: Metadata;
}

/** Annotations of a booking an operator changes in place: its metadata and notes. At least one. */
export class UpdateBookingDto {
  @MetadataChangeProperty()
  metadata?: MetadataChange;

  @ApiProperty({ required: false, type: String, nullable: true, maxLength: 2000, example: 'Prefers the ground-floor room', description: 'The new notes; null removes them.' })
  @ValidateIf(NOT_NULL)
  @IsStorableText(2000)
  @IsString()
  notes?: string | null;
}

export class RescheduleBookingDto {
  @ApiProperty({ format: 'uuid', example: '0195f3a2-6b7c-7d8e-9f01-c4d5e6f70819', description: 'The slot to move to: open, with room for the booking\'s seats, not started.' })
  @IsUUID()
  slotId: string;
}

export class BulkCancelDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.locationId, description: 'The location whose bookings to cancel.' })
  @IsUUID()
  locationId: string;

  @ApiProperty({ required: false, type: [String], format: 'uuid', minItems: 1, maxItems: 1000, uniqueItems: true, example: [EXAMPLE.personId], description: 'Only the bookings with these people; everyone\'s when absent.' })
  @IsOptionalNotNull()
  @IsUUID('all', { each: true })
  @ArrayUnique()
  @ArrayMaxSize(1000)
  @ArrayMinSize(1)
  @IsArray()
  personIds?: string[];

  @ApiProperty({ format: 'date-time', example: '2026-03-09T00:00:00.000Z', description: 'Bookings whose slot starts at or after this instant.' })
  @IsInstant()
  from: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-10T00:00:00.000Z', description: 'Bookings whose slot starts before this instant.' })
  @IsInstant()
  to: string;

  @ApiProperty({ minLength: 1, maxLength: 2000, example: 'The clinic is closed for maintenance', description: 'Shown to users as the cancel reason.' })
  @IsStorableText(2000)
  @IsNotEmpty()
  @IsString()
  reason: string;
}

export class BulkCancelResultDto {
  @ApiProperty({ type: 'integer', minimum: 0, example: 6, description: 'How many live bookings were cancelled.' }) cancelled: number;
}

export class BookingQueryDto extends SlotStartPageQueryDto {
  @ApiProperty({ required: false, enum: BOOKING_STATUSES, example: 'confirmed', description: 'Only bookings with this status (a hold past its TTL counts as expired).' })
  @IsOptionalNotNull()
  @IsIn(BOOKING_STATUSES)
  status?: BookingStatus;
}

export class AdminBookingQueryDto extends BookingQueryDto {
  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.locationId, description: 'Only the bookings at this location.' })
  @IsOptionalNotNull()
  @IsUUID()
  locationId?: string;

  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.personId, description: 'Only the bookings with this person.' })
  @IsOptionalNotNull()
  @IsUUID()
  personId?: string;

  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.userId, description: 'Only the bookings of this user.' })
  @IsOptionalNotNull()
  @IsUUID()
  userId?: string;

  /** `metadata[key]=value` in the query string (see the list route's parameter), as the query parser folds it. */
  @ApiHideProperty()
  @IsOptionalNotNull()
  @IsMetadataFilter()
  metadata?: Metadata;
}

export class BookingDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.bookingId }) id: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.slotId }) slotId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.userId, description: 'Whose booking it is (the token `sub`).' }) userId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.locationId }) locationId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.personId }) personId: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.startsAt }) startsAt: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.endsAt }) endsAt: string;
  @ApiProperty({ example: EXAMPLE.localStart, description: 'Wall-clock start in the zone named by timezone.' }) localStart: string;
  @ApiProperty({ example: EXAMPLE.timezone, description: 'The IANA zone localStart is in: the location\'s when the slot was generated.' }) timezone: string;
  @ApiProperty({ enum: BOOKING_STATUSES, example: 'confirmed', description: 'A hold past its TTL reads expired at once.' }) status: BookingStatus;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10000, example: 1, description: 'The party size: places of the slot\'s capacity the booking takes.' }) seats: number;
  @ApiProperty({ required: false, format: 'date-time', example: EXAMPLE.holdExpiresAt, description: 'Holds: confirm before this instant.' }) holdExpiresAt?: string;
  @ApiProperty({ required: false, example: 'First visit' }) notes?: string;
  @MetadataResponseProperty() metadata: Metadata;
  @ApiProperty({ required: false, example: 'Cannot make it that morning' }) cancelReason?: string;
  @ApiProperty({ required: false, enum: ACTOR_KINDS, example: 'user', description: 'Cancelled bookings: who cancelled — the user, an operator (admin API), or the scheduler itself.' })
  cancelledBy?: ActorKind;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.createdAt }) createdAt: string;
  @ApiProperty({ required: false, format: 'date-time', example: EXAMPLE.confirmedAt }) confirmedAt?: string;
  @ApiProperty({ required: false, format: 'date-time', example: EXAMPLE.cancelledAt }) cancelledAt?: string;
  @ApiProperty({ required: false, format: 'date-time', example: EXAMPLE.cancelledAt, description: 'When it last moved to another slot (the history lists every move).' })
  rescheduledAt?: string;
}

export class BookingPageDto {
  @ApiProperty({ type: [BookingDto] }) data: BookingDto[];
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE_CURSOR, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor: string | null;
}

export class BookingHistoryQueryDto extends PageQueryDto {}

/** One state change of a booking (a move keeps the status and names both slots). */
export class BookingHistoryEntryDto {
  @ApiProperty({ format: 'date-time', example: EXAMPLE.confirmedAt, description: 'When the change was made.' }) at: string;
  @ApiProperty({ enum: ACTOR_KINDS, example: 'user', description: 'Who made it: the booking\'s user, an operator, or the scheduler itself (hold expiry).' })
  actor: ActorKind;
  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.userId, description: 'Admin API only: the principal (token `sub`) who made it; absent for the scheduler.' })
  actorId?: string;
  @ApiProperty({ required: false, enum: BOOKING_STATUSES, example: 'held', description: 'The status before; absent for the change that created the booking.' })
  fromStatus?: BookingStatus;
  @ApiProperty({ enum: BOOKING_STATUSES, example: 'confirmed', description: 'The status after (a move keeps it).' }) toStatus: BookingStatus;
  @ApiProperty({ required: false, example: 'Cannot make it that morning', description: 'Why, when one was given (cancellations, moves, expiries).' }) reason?: string;
  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.slotId, description: 'A move: the slot it left.' }) fromSlotId?: string;
  @ApiProperty({ required: false, format: 'uuid', example: '0195f3a2-6b7c-7d8e-9f01-c4d5e6f70819', description: 'A move: the slot it took.' }) toSlotId?: string;
  @ApiProperty({ required: false, example: true, description: 'Part of a bulk cancellation.' }) bulk?: boolean;
  @ApiProperty({
    required: false,
    enum: ['metadata', 'notes'],
    isArray: true,
    example: ['metadata'],
    description: 'An update by an operator (PATCH): the fields changed in place; the status stays, so fromStatus and toStatus are the same.',
  })
  changed?: ('metadata' | 'notes')[];
}

export class BookingHistoryPageDto {
  @ApiProperty({ type: [BookingHistoryEntryDto], description: 'Oldest first.' }) data: BookingHistoryEntryDto[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor: string | null;
}
