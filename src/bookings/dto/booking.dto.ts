import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsNotEmpty, IsString, IsUUID } from 'class-validator';
import { SlotStartPageQueryDto } from '../../common/http/pagination';
import { IsInstant } from '../../common/validation/calendar';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { IsStorableText } from '../../common/validation/text';
import { BOOKING_STATUSES } from '../booking-status';
import type { BookingStatus } from '../booking-status';
import type { BookingView } from '../bookings.repository';

export class CreateHoldDto {
  @ApiProperty({ format: 'uuid', description: 'A slot offered to you by one of your live exposures.' })
  @IsUUID()
  slotId: string;

  @ApiProperty({ required: false, maxLength: 2000 })
  @IsOptionalNotNull()
  @IsStorableText(2000)
  @IsString()
  notes?: string;
}

export class CancelBookingDto {
  @ApiProperty({ required: false, maxLength: 2000 })
  @IsOptionalNotNull()
  @IsStorableText(2000)
  @IsString()
  reason?: string;
}

export class AdminCreateBookingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  slotId: string;

  @ApiProperty({ format: 'uuid', description: 'The user (public.auth_user) the booking is for.' })
  @IsUUID()
  userId: string;

  @ApiProperty({ required: false, enum: ['held', 'confirmed'], default: 'confirmed' })
  @IsOptionalNotNull()
  @IsIn(['held', 'confirmed'])
  status?: 'held' | 'confirmed';

  @ApiProperty({ required: false, maxLength: 2000 })
  @IsOptionalNotNull()
  @IsStorableText(2000)
  @IsString()
  notes?: string;
}

export class RescheduleBookingDto {
  @ApiProperty({ format: 'uuid', description: 'The slot to move to.' })
  @IsUUID()
  slotId: string;
}

export class BulkCancelDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  locationId: string;

  @ApiProperty({ required: false, type: [String], format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID('all', { each: true })
  @ArrayUnique()
  @ArrayMaxSize(1000)
  @ArrayMinSize(1)
  @IsArray()
  personIds?: string[];

  @ApiProperty({ format: 'date-time', description: 'Slots starting at or after this instant.' })
  @IsInstant()
  from: string;

  @ApiProperty({ format: 'date-time', description: 'Slots starting before this instant.' })
  @IsInstant()
  to: string;

  @ApiProperty({ maxLength: 2000, description: 'Shown to users as the cancel reason.' })
  @IsStorableText(2000)
  @IsNotEmpty()
  @IsString()
  reason: string;
}

export class BulkCancelResultDto {
  @ApiProperty({ description: 'How many live bookings were cancelled.' }) cancelled: number;
}

export class BookingQueryDto extends SlotStartPageQueryDto {
  @ApiProperty({ required: false, enum: BOOKING_STATUSES })
  @IsOptionalNotNull()
  @IsIn(BOOKING_STATUSES)
  status?: BookingStatus;
}

export class AdminBookingQueryDto extends BookingQueryDto {
  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  locationId?: string;

  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  personId?: string;

  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  userId?: string;
}

export class BookingDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) slotId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty({ example: '2026-03-08T09:30', description: 'Wall-clock start in the zone named by timezone.' }) localStart: string;
  @ApiProperty({ example: 'Asia/Dubai', description: 'The IANA zone localStart is in: the location\'s when the slot was generated.' }) timezone: string;
  @ApiProperty({ enum: BOOKING_STATUSES, description: 'A hold past its TTL reads expired at once.' }) status: BookingStatus;
  @ApiProperty({ required: false, format: 'date-time' }) holdExpiresAt?: string;
  @ApiProperty({ required: false }) notes?: string;
  @ApiProperty({ required: false }) cancelReason?: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ required: false, format: 'date-time' }) confirmedAt?: string;
  @ApiProperty({ required: false, format: 'date-time' }) cancelledAt?: string;
}

export class BookingPageDto {
  @ApiProperty({ type: [BookingDto] }) data: BookingDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toBookingDto(view: BookingView): BookingDto {
  return {
    id: view.id,
    slotId: view.slotId,
    userId: view.userId,
    locationId: view.locationId,
    personId: view.personId,
    startsAt: view.startsAt.toISOString(),
    endsAt: view.endsAt.toISOString(),
    localStart: view.localStart,
    timezone: view.timezone,
    status: view.status,
    ...(view.holdExpiresAt ? { holdExpiresAt: view.holdExpiresAt.toISOString() } : {}),
    ...(view.notes !== null ? { notes: view.notes } : {}),
    ...(view.cancelReason !== null ? { cancelReason: view.cancelReason } : {}),
    createdAt: view.createdAt.toISOString(),
    ...(view.confirmedAt ? { confirmedAt: view.confirmedAt.toISOString() } : {}),
    ...(view.cancelledAt ? { cancelledAt: view.cancelledAt.toISOString() } : {}),
  };
}
