import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsUUID, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { IsInstant } from '../../common/validation/calendar';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { toInteger } from '../../common/validation/transforms';
import { EXAMPLE } from '../../openapi/examples';
import { SlotDto } from '../../slots/dto/slot.dto';

export class ExposureQueryDto {
  @ApiProperty({ required: false, format: 'date-time', example: '2026-03-09T00:00:00.000Z', description: 'Window start; now when absent.' })
  @IsOptionalNotNull()
  @IsInstant()
  from?: string;

  @ApiProperty({ required: false, format: 'date-time', example: '2026-03-14T00:00:00.000Z', description: 'Window end; from + 7 days when absent. At most the location\'s bookingHorizonDays after from.' })
  @IsOptionalNotNull()
  @IsInstant()
  to?: string;

  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 1,
    maximum: 10000,
    example: 2,
    description: 'The party size: only slots with room for this many seats (within the location\'s maxSeatsPerBooking) are offered. 1 when absent; part of the offer\'s identity.',
  })
  @IsOptionalNotNull()
  @Transform(toInteger)
  @Max(10000)
  @Min(1)
  @IsInt()
  seats?: number;
}

export class ExposureWindowDto {
  @ApiProperty({ format: 'date-time', example: EXAMPLE.windowFrom, description: 'Start of the window (inclusive).' }) from: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.windowTo, description: 'End of the window (exclusive); later than asked when extended.' }) to: string;
}

export class ExposureDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.exposureId, description: 'The same while the offer is sticky.' }) exposureId: string;
  @ApiProperty({ enum: ['location', 'person'], example: 'location' }) scope: 'location' | 'person';
  @ApiProperty({ format: 'uuid', example: EXAMPLE.locationId, description: 'The location or person offered.' }) scopeId: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10000, example: 1, description: 'The party the offer is for: every slot has room for this many seats.' }) seats: number;
  @ApiProperty({ type: ExposureWindowDto }) window: ExposureWindowDto;
  @ApiProperty({ example: false, description: 'True when the window held too few slots and the search went on day by day.' }) extended: boolean;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.exposureExpiresAt, description: 'Until then, the same request returns this exposure.' }) expiresAt: string;
  @ApiProperty({ type: [SlotDto], description: 'The offered slots, by start (then id).' }) slots: SlotDto[];
}

export class ScoreComponentsDto {
  @ApiProperty({ example: 0.42, description: 'Target share (open capacity × weight) minus share of live bookings of the slot\'s person.' }) staff: number;
  @ApiProperty({ example: -0.25, description: 'Penalty for other users\' live exposures showing this slot, per remaining place.' }) crowd: number;
  @ApiProperty({ example: -0.3, description: 'Penalty for a person or time of day already offered earlier in this exposure.' }) diversity: number;
  @ApiProperty({ minimum: 0, maximum: 0.05, example: 0.031, description: 'Keyed hash of (user, scope, window, slot): the deterministic tie-break.' }) tiebreak: number;
  @ApiProperty({ example: -0.099, description: 'Sum of the components; higher is offered first.' }) total: number;
}

export class OfferedSlotDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 19, example: 0, description: 'Order of picking: 0 scored best.' }) position: number;
  @ApiProperty({ type: SlotDto, required: false, description: 'Absent when the slot no longer exists.' }) slot?: SlotDto;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.slotId }) slotId: string;
  @ApiProperty({ type: ScoreComponentsDto }) components: ScoreComponentsDto;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.windowFrom, description: 'When the slot took this position (a replacement takes it later).' }) offeredAt: string;
}

export class AdminExposureDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.exposureId }) id: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.userId, description: 'Whom it was offered to.' }) userId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.locationId }) locationId: string;
  @ApiProperty({ enum: ['location', 'person'], example: 'location' }) scope: 'location' | 'person';
  @ApiProperty({ format: 'uuid', example: EXAMPLE.locationId, description: 'The location or person offered.' }) scopeId: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10000, example: 1, description: 'The party size it was offered for (the seats query value, 1 when absent).' }) seats: number;
  @ApiProperty({ required: false, example: '2026-03-09T00:00:00.000Z', description: 'The from query value as sent.' }) fromParam?: string;
  @ApiProperty({ required: false, example: '2026-03-14T00:00:00.000Z', description: 'The to query value as sent.' }) toParam?: string;
  @ApiProperty({ type: ExposureWindowDto }) window: ExposureWindowDto;
  @ApiProperty({ example: false, description: 'The search went past the window to reach the minimum.' }) extended: boolean;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.windowFrom }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.exposureExpiresAt }) expiresAt: string;
  @ApiProperty({ example: true, description: 'Not expired yet: still sticky, and its slots may be held.' }) live: boolean;
  @ApiProperty({ type: [OfferedSlotDto], required: false, description: 'On a single exposure: each offered slot by position.' }) slots?: OfferedSlotDto[];
}

export class AdminExposurePageDto {
  @ApiProperty({ type: [AdminExposureDto] }) data: AdminExposureDto[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor: string | null;
}

export class AdminExposureQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.userId, description: 'Only the exposures offered to this user.' })
  @IsOptionalNotNull()
  @IsUUID()
  userId?: string;

  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.locationId, description: 'Only the exposures of this location.' })
  @IsOptionalNotNull()
  @IsUUID()
  locationId?: string;

  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.personId, description: 'Exposures of this person, or showing one of their slots.' })
  @IsOptionalNotNull()
  @IsUUID()
  personId?: string;
}

export class ExplainQueryDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.slotId, description: 'The slot to explain.' })
  @IsUUID()
  slotId: string;
}

export class ExplanationDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.exposureId }) exposureId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.slotId }) slotId: string;
  @ApiProperty({ example: false, description: 'Whether the exposure offers the slot.' }) offered: boolean;
  @ApiProperty({
    example: 'outranked',
    enum: ['offered', 'not_bookable', 'not_sampled', 'outranked', 'outside_window', 'outside_scope', 'unknown_slot'],
    description:
      'offered; or why not: the slot is not bookable for this user now, was not among the candidates drawn for this user ' +
      '(at most a few per person from the window), lost to higher scores, lies outside the window, belongs elsewhere, or does not exist.',
  })
  verdict: 'offered' | 'not_bookable' | 'not_sampled' | 'outranked' | 'outside_window' | 'outside_scope' | 'unknown_slot';
  @ApiProperty({ type: [String], example: ['bookable, but 5 slot(s) scored higher (its total now -0.412; lowest offered -0.099)'], description: 'Human-readable reasons, most important first.' })
  reasons: string[];
  @ApiProperty({ required: false, type: 'integer', minimum: 0, maximum: 19, example: 2, description: 'offered: its position.' }) position?: number;
  @ApiProperty({ type: ScoreComponentsDto, required: false, description: 'The slot\'s score (stored if offered, computed now if outranked).' })
  score?: ScoreComponentsDto;
  @ApiProperty({ required: false, example: -0.099, description: 'The lowest total score among the offered slots, for comparison.' }) lowestOfferedTotal?: number;
}
