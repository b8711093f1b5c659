import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { DEFAULT_LOCATION_POLICY } from '../location-policy';

/*
 * Three rules for every location DTO:
 * - The validation pipe stops at the first failing constraint, and class-validator checks the
 *   decorator nearest the property first. The type check therefore sits last (nearest the
 *   property), so `"300"` is reported as "must be an integer number", not as out of range.
 * - An optional field may be missing, not `null` (IsOptionalNotNull): the contract does not make
 *   them nullable, and a `null` that slipped through reached the NOT NULL columns (400 without
 *   `errors`) or was silently taken for "keep the current value".
 * - Request schemas state their defaults in words, never as `default`: a generated client
 *   would make every field with a default required, and a PATCH keeps the current value, not
 *   the default. Response schemas carry `default`.
 */

const COUNT = { type: 'integer', minimum: 1, maximum: 20 } as const;
const DEFAULTS = DEFAULT_LOCATION_POLICY;

export class ExposurePolicyDto {
  @ApiProperty({ ...COUNT, required: false, example: 1, description: `Fewest slots a person's offer shows while the horizon has that many. Default ${DEFAULTS.exposurePersonMin}.` })
  @IsOptionalNotNull()
  @Max(20)
  @Min(1)
  @IsInt()
  personMin?: number;

  @ApiProperty({ ...COUNT, required: false, example: 3, description: `Most slots a person's offer shows. Default ${DEFAULTS.exposurePersonMax}.` })
  @IsOptionalNotNull()
  @Max(20)
  @Min(1)
  @IsInt()
  personMax?: number;

  @ApiProperty({ ...COUNT, required: false, example: 3, description: `Fewest slots a location's offer shows while the horizon has that many. Default ${DEFAULTS.exposureLocationMin}.` })
  @IsOptionalNotNull()
  @Max(20)
  @Min(1)
  @IsInt()
  locationMin?: number;

  @ApiProperty({ ...COUNT, required: false, example: 5, description: `Most slots a location's offer shows. Default ${DEFAULTS.exposureLocationMax}.` })
  @IsOptionalNotNull()
  @Max(20)
  @Min(1)
  @IsInt()
  locationMax?: number;
}

/** Every field optional: missing ones keep their current (or default) value. */
export class LocationPolicyDto {
  @ApiProperty({ type: 'integer', required: false, minimum: 1, maximum: 86400, example: 300, description: `How long a hold lives unconfirmed, in seconds. Default ${DEFAULTS.holdTtlSeconds}.` })
  @IsOptionalNotNull()
  @Max(86400)
  @Min(1)
  @IsInt()
  holdTtlSeconds?: number;

  @ApiProperty({ type: 'integer', required: false, minimum: 1, maximum: 100, example: 2, description: `Live holds one user may have at this location. Default ${DEFAULTS.maxActiveHoldsPerUser}.` })
  @IsOptionalNotNull()
  @Max(100)
  @Min(1)
  @IsInt()
  maxActiveHoldsPerUser?: number;

  @ApiProperty({ type: 'integer', required: false, minimum: 0, maximum: 525600, example: 60, description: `How long before its start a slot can still be held, in minutes. Default ${DEFAULTS.minNoticeMinutes}.` })
  @IsOptionalNotNull()
  @Max(525600)
  @Min(0)
  @IsInt()
  minNoticeMinutes?: number;

  @ApiProperty({ type: 'integer', required: false, minimum: 1, maximum: 730, example: 90, description: `How far ahead slots can be held, in days; also the longest browse window. Default ${DEFAULTS.bookingHorizonDays}.` })
  @IsOptionalNotNull()
  @Max(730)
  @Min(1)
  @IsInt()
  bookingHorizonDays?: number;

  @ApiProperty({ type: 'integer', required: false, minimum: 0, maximum: 525600, example: 120, description: `Until how long before its start a user may cancel a confirmed booking, in minutes. Default ${DEFAULTS.cancelCutoffMinutes}.` })
  @IsOptionalNotNull()
  @Max(525600)
  @Min(0)
  @IsInt()
  cancelCutoffMinutes?: number;

  @ApiProperty({ required: false, example: true, description: `Holds must be on a slot of one of the user's live offers (403 SLOT_NOT_OFFERED otherwise). Default ${DEFAULTS.requireExposure}.` })
  @IsOptionalNotNull()
  @IsBoolean()
  requireExposure?: boolean;

  @ApiProperty({
    type: 'integer',
    required: false,
    nullable: true,
    minimum: 1,
    maximum: 10000,
    example: 4,
    description: "Most seats one user's hold or move may take (a party of more is 422 TOO_MANY_SEATS); `null` lifts the cap. Default none: up to the slot's capacity. Operators booking on a user's behalf are held to the capacity only.",
  })
  // null is meaningful (no cap), so only absence skips the checks.
  @IsOptional()
  @Max(10000)
  @Min(1)
  @IsInt()
  maxSeatsPerBooking?: number | null;

  @ApiProperty({ required: false, example: false, description: `Operators must give a \`reason\` when they cancel a booking here (400 VALIDATION_FAILED naming it otherwise). Default ${DEFAULTS.requireCancellationReason}.` })
  @IsOptionalNotNull()
  @IsBoolean()
  requireCancellationReason?: boolean;

  @ApiProperty({ required: false, type: ExposurePolicyDto, description: 'How many slots an offer shows; each min at most its max.' })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => ExposurePolicyDto)
  @IsObject()
  exposure?: ExposurePolicyDto;
}

export class ExposurePolicyResponseDto {
  @ApiProperty({ ...COUNT, default: DEFAULTS.exposurePersonMin, example: 1 }) personMin: number;
  @ApiProperty({ ...COUNT, default: DEFAULTS.exposurePersonMax, example: 3 }) personMax: number;
  @ApiProperty({ ...COUNT, default: DEFAULTS.exposureLocationMin, example: 3 }) locationMin: number;
  @ApiProperty({ ...COUNT, default: DEFAULTS.exposureLocationMax, example: 5 }) locationMax: number;
}

export class LocationPolicyResponseDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 86400, default: DEFAULTS.holdTtlSeconds, example: 300, description: 'Seconds a hold lives unconfirmed.' })
  holdTtlSeconds: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, default: DEFAULTS.maxActiveHoldsPerUser, example: 2, description: 'Live holds one user may have here.' })
  maxActiveHoldsPerUser: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 525600, default: DEFAULTS.minNoticeMinutes, example: 60, description: 'Minutes before its start a slot can still be held.' })
  minNoticeMinutes: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 730, default: DEFAULTS.bookingHorizonDays, example: 90, description: 'Days ahead slots can be held.' })
  bookingHorizonDays: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 525600, default: DEFAULTS.cancelCutoffMinutes, example: 120, description: 'Minutes before its start a user may still cancel.' })
  cancelCutoffMinutes: number;

  @ApiProperty({ default: DEFAULTS.requireExposure, example: true, description: 'Holds must be on an offered slot.' })
  requireExposure: boolean;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 1, maximum: 10000, default: null, example: 4, description: "Most seats one user's booking may take; null: up to the slot's capacity." })
  maxSeatsPerBooking: number | null;

  @ApiProperty({ default: DEFAULTS.requireCancellationReason, example: false, description: 'Operators must say why they cancel.' })
  requireCancellationReason: boolean;

  @ApiProperty({ type: ExposurePolicyResponseDto }) exposure: ExposurePolicyResponseDto;
}
