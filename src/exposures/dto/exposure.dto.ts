import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { IsInstant } from '../../common/validation/calendar';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { SlotDto } from '../../slots/dto/slot.dto';

export class ExposureQueryDto {
  @ApiProperty({ required: false, format: 'date-time', description: 'Window start (default: now).' })
  @IsOptionalNotNull()
  @IsInstant()
  from?: string;

  @ApiProperty({ required: false, format: 'date-time', description: 'Window end (default: from + 7 days); at most the booking horizon after from.' })
  @IsOptionalNotNull()
  @IsInstant()
  to?: string;
}

export class ExposureWindowDto {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
}

export class ExposureDto {
  @ApiProperty({ format: 'uuid' }) exposureId: string;
  @ApiProperty({ enum: ['location', 'person'] }) scope: 'location' | 'person';
  @ApiProperty({ format: 'uuid' }) scopeId: string;
  @ApiProperty({ type: ExposureWindowDto }) window: ExposureWindowDto;
  @ApiProperty({ description: 'True when the window held too few slots and the search went on day by day.' }) extended: boolean;
  @ApiProperty({ format: 'date-time', description: 'Until then, the same request returns this exposure.' }) expiresAt: string;
  @ApiProperty({ type: [SlotDto] }) slots: SlotDto[];
}

export class ScoreComponentsDto {
  @ApiProperty({ description: 'Target share (open capacity × weight) minus share of live bookings of the slot\'s person.' }) staff: number;
  @ApiProperty({ description: 'Penalty for other users\' live exposures showing this slot, per remaining place.' }) crowd: number;
  @ApiProperty({ description: 'Penalty for a person or time of day already offered earlier in this exposure.' }) diversity: number;
  @ApiProperty({ description: 'Keyed hash of (user, scope, window, slot): the deterministic tie-break.' }) tiebreak: number;
  @ApiProperty({ description: 'Sum of the components; higher is offered first.' }) total: number;
}

export class OfferedSlotDto {
  @ApiProperty() position: number;
  @ApiProperty({ type: SlotDto, required: false, description: 'Absent when the slot no longer exists.' }) slot?: SlotDto;
  @ApiProperty({ format: 'uuid' }) slotId: string;
  @ApiProperty({ type: ScoreComponentsDto }) components: ScoreComponentsDto;
  @ApiProperty({ format: 'date-time' }) offeredAt: string;
}

export class AdminExposureDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ enum: ['location', 'person'] }) scope: 'location' | 'person';
  @ApiProperty({ format: 'uuid' }) scopeId: string;
  @ApiProperty({ required: false, description: 'The from query value as sent.' }) fromParam?: string;
  @ApiProperty({ required: false, description: 'The to query value as sent.' }) toParam?: string;
  @ApiProperty({ type: ExposureWindowDto }) window: ExposureWindowDto;
  @ApiProperty() extended: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty() live: boolean;
  @ApiProperty({ type: [OfferedSlotDto], required: false }) slots?: OfferedSlotDto[];
}

export class AdminExposurePageDto {
  @ApiProperty({ type: [AdminExposureDto] }) data: AdminExposureDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class AdminExposureQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  userId?: string;

  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  locationId?: string;

  @ApiProperty({ required: false, format: 'uuid', description: 'Exposures of this person, or showing one of their slots.' })
  @IsOptionalNotNull()
  @IsUUID()
  personId?: string;
}

export class ExplainQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  slotId: string;
}

export class ExplanationDto {
  @ApiProperty({ format: 'uuid' }) exposureId: string;
  @ApiProperty({ format: 'uuid' }) slotId: string;
  @ApiProperty() offered: boolean;
  @ApiProperty({
    enum: ['offered', 'not_bookable', 'not_sampled', 'outranked', 'outside_window', 'outside_scope', 'unknown_slot'],
    description:
      'offered; or why not: the slot is not bookable for this user now, was not among the candidates drawn for this user ' +
      '(at most a few per person from the window), lost to higher scores, lies outside the window, belongs elsewhere, or does not exist.',
  })
  verdict: 'offered' | 'not_bookable' | 'not_sampled' | 'outranked' | 'outside_window' | 'outside_scope' | 'unknown_slot';
  @ApiProperty({ type: [String], description: 'Human-readable reasons, most important first.' }) reasons: string[];
  @ApiProperty({ required: false }) position?: number;
  @ApiProperty({ type: ScoreComponentsDto, required: false, description: 'The slot\'s score (stored if offered, computed now if outranked).' })
  score?: ScoreComponentsDto;
  @ApiProperty({ required: false, description: 'The lowest total score among the offered slots, for comparison.' }) lowestOfferedTotal?: number;
}
