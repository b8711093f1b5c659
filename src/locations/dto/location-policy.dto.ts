import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { IsOptionalNotNull } from '../../common/validation/optional';

/*
 * Two rules for every location DTO:
 * - The validation pipe stops at the first failing constraint, and class-validator checks the
 *   decorator nearest the property first. The type check therefore sits last (nearest the
 *   property), so `"300"` is reported as "must be an integer number", not as out of range.
 * - An optional field may be missing, not `null` (IsOptionalNotNull): the contract does not make
 *   them nullable, and a `null` that slipped through reached the NOT NULL columns (400 without
 *   `errors`) or was silently taken for "keep the current value".
 */

export class ExposurePolicyDto {
  @ApiProperty({ required: false, minimum: 1, maximum: 20, default: 1 })
  @IsOptionalNotNull()
  @Max(20)
  @Min(1)
  @IsInt()
  personMin?: number;

  @ApiProperty({ required: false, minimum: 1, maximum: 20, default: 3 })
  @IsOptionalNotNull()
  @Max(20)
  @Min(1)
  @IsInt()
  personMax?: number;

  @ApiProperty({ required: false, minimum: 1, maximum: 20, default: 3 })
  @IsOptionalNotNull()
  @Max(20)
  @Min(1)
  @IsInt()
  locationMin?: number;

  @ApiProperty({ required: false, minimum: 1, maximum: 20, default: 5 })
  @IsOptionalNotNull()
  @Max(20)
  @Min(1)
  @IsInt()
  locationMax?: number;
}

/** Every field optional: missing ones keep their current (or default) value. */
export class LocationPolicyDto {
  @ApiProperty({ required: false, minimum: 1, maximum: 86400, default: 300 })
  @IsOptionalNotNull()
  @Max(86400)
  @Min(1)
  @IsInt()
  holdTtlSeconds?: number;

  @ApiProperty({ required: false, minimum: 1, maximum: 100, default: 2 })
  @IsOptionalNotNull()
  @Max(100)
  @Min(1)
  @IsInt()
  maxActiveHoldsPerUser?: number;

  @ApiProperty({ required: false, minimum: 0, maximum: 525600, default: 0 })
  @IsOptionalNotNull()
  @Max(525600)
  @Min(0)
  @IsInt()
  minNoticeMinutes?: number;

  @ApiProperty({ required: false, minimum: 1, maximum: 730, default: 90 })
  @IsOptionalNotNull()
  @Max(730)
  @Min(1)
  @IsInt()
  bookingHorizonDays?: number;

  @ApiProperty({ required: false, minimum: 0, maximum: 525600, default: 0 })
  @IsOptionalNotNull()
  @Max(525600)
  @Min(0)
  @IsInt()
  cancelCutoffMinutes?: number;

  @ApiProperty({ required: false, default: true })
  @IsOptionalNotNull()
  @IsBoolean()
  requireExposure?: boolean;

  @ApiProperty({ required: false, type: ExposurePolicyDto })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => ExposurePolicyDto)
  @IsObject()
  exposure?: ExposurePolicyDto;
}

export class ExposurePolicyResponseDto {
  @ApiProperty() personMin: number;
  @ApiProperty() personMax: number;
  @ApiProperty() locationMin: number;
  @ApiProperty() locationMax: number;
}

export class LocationPolicyResponseDto {
  @ApiProperty() holdTtlSeconds: number;
  @ApiProperty() maxActiveHoldsPerUser: number;
  @ApiProperty() minNoticeMinutes: number;
  @ApiProperty() bookingHorizonDays: number;
  @ApiProperty() cancelCutoffMinutes: number;
  @ApiProperty() requireExposure: boolean;
  @ApiProperty({ type: ExposurePolicyResponseDto }) exposure: ExposurePolicyResponseDto;
}
