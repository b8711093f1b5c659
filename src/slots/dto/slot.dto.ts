import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsUUID, Max, Min } from 'class-validator';
import { SlotStartPageQueryDto } from '../../common/http/pagination';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { SLOT_STATUSES } from '../slot-instance.entity';
import type { SlotStatus } from '../slot-instance.entity';
import type { SlotView } from '../slots.repository';

export class SlotDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty({ example: 'Dr. Amal Haddad', description: 'The name of the person the slot is with.' }) personName: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty({ example: '2026-03-08T09:30', description: 'Wall-clock start in the zone named by timezone.' }) localStart: string;
  @ApiProperty({ example: 'Asia/Dubai', description: 'The IANA zone localStart is in: the location\'s when the slot was generated.' }) timezone: string;
  @ApiProperty() capacity: number;
  @ApiProperty({ description: 'Confirmed bookings and live holds.' }) booked: number;
  @ApiProperty() remaining: number;
  @ApiProperty({ enum: SLOT_STATUSES }) status: SlotStatus;
}

export class SlotPageDto {
  @ApiProperty({ type: [SlotDto] }) data: SlotDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class AdminSlotQueryDto extends SlotStartPageQueryDto {
  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  locationId?: string;

  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  personId?: string;

  @ApiProperty({ required: false, enum: SLOT_STATUSES })
  @IsOptionalNotNull()
  @IsIn(SLOT_STATUSES)
  status?: SlotStatus;
}

export class UpdateSlotDto {
  @ApiProperty({ required: false, enum: ['open', 'blocked'] })
  @IsOptionalNotNull()
  @IsIn(['open', 'blocked'])
  status?: 'open' | 'blocked';

  @ApiProperty({ required: false, minimum: 1, maximum: 10000 })
  @IsOptionalNotNull()
  @Max(10000)
  @Min(1)
  @IsInt()
  capacity?: number;
}

export function toSlotDto(slot: SlotView): SlotDto {
  const booked = Number(slot.booked);
  return {
    id: slot.id,
    locationId: slot.locationId,
    personId: slot.personId,
    personName: slot.personName,
    startsAt: slot.startsAt.toISOString(),
    endsAt: slot.endsAt.toISOString(),
    localStart: slot.localStart,
    timezone: slot.timezone,
    capacity: slot.capacity,
    booked,
    remaining: Math.max(0, slot.capacity - booked),
    status: slot.status,
  };
}
