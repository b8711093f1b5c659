import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsUUID, Max, Min } from 'class-validator';
import { SlotStartPageQueryDto } from '../../common/http/pagination';
import { Versioned, withVersion } from '../../common/http/preconditions';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { EXAMPLE } from '../../openapi/examples';
import { SLOT_STATUSES } from '../slot-status';
import type { SlotStatus } from '../slot-status';
import type { SlotView } from '../slots.repository';

export class SlotDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.slotId }) id: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.locationId }) locationId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.personId }) personId: string;
  @ApiProperty({ example: EXAMPLE.personName, description: 'The name of the person the slot is with.' }) personName: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.startsAt }) startsAt: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.endsAt }) endsAt: string;
  @ApiProperty({ example: EXAMPLE.localStart, description: 'Wall-clock start in the zone named by timezone.' }) localStart: string;
  @ApiProperty({ example: EXAMPLE.timezone, description: 'The IANA zone localStart is in: the location\'s when the slot was generated.' }) timezone: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10000, example: 1, description: 'Seats the slot takes (a booking takes its `seats`).' }) capacity: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 0, description: 'Seats taken by confirmed bookings and live holds.' }) booked: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 10000, example: 1, description: 'Seats left: capacity − booked, never below 0.' }) remaining: number;
  @ApiProperty({ enum: SLOT_STATUSES, example: 'open', description: 'open; blocked by an operator (no new bookings); retired (the rules no longer produce it).' })
  status: SlotStatus;
}

export class SlotPageDto {
  @ApiProperty({ type: [SlotDto] }) data: SlotDto[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor: string | null;
}

export class AdminSlotQueryDto extends SlotStartPageQueryDto {
  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.locationId, description: 'Only the slots of this location.' })
  @IsOptionalNotNull()
  @IsUUID()
  locationId?: string;

  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.personId, description: 'Only the slots of this person.' })
  @IsOptionalNotNull()
  @IsUUID()
  personId?: string;

  @ApiProperty({ required: false, enum: SLOT_STATUSES, example: 'open', description: 'Only slots with this status.' })
  @IsOptionalNotNull()
  @IsIn(SLOT_STATUSES)
  status?: SlotStatus;
}

export class UpdateSlotDto {
  @ApiProperty({ required: false, enum: ['open', 'blocked'], example: 'blocked', description: 'blocked takes no new bookings (existing ones stay) and survives generation; open reopens it.' })
  @IsOptionalNotNull()
  @IsIn(['open', 'blocked'])
  status?: 'open' | 'blocked';

  @ApiProperty({ required: false, type: 'integer', minimum: 1, maximum: 10000, example: 2, description: 'A new capacity in seats, not below the seats booked; the next generation run applies the rule\'s again.' })
  @IsOptionalNotNull()
  @Max(10000)
  @Min(1)
  @IsInt()
  capacity?: number;
}

export function toSlotDto(slot: SlotView): Versioned<SlotDto> {
  const booked = Number(slot.booked);
  return withVersion({
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
  }, slot.version);
}
