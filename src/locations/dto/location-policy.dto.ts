import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';

export class ExposurePolicyDto {
  @ApiProperty({ required: false, minimum: 1, maximum: 20, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  personMin?: number;

  @ApiProperty({ required: false, minimum: 1, maximum: 20, default: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  personMax?: number;

  @ApiProperty({ required: false, minimum: 1, maximum: 20, default: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  locationMin?: number;

  @ApiProperty({ required: false, minimum: 1, maximum: 20, default: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  locationMax?: number;
}

/** Every field optional: missing ones keep their current (or default) value. */
export class LocationPolicyDto {
  @ApiProperty({ required: false, minimum: 1, maximum: 86400, default: 300 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86400)
  holdTtlSeconds?: number;

  @ApiProperty({ required: false, minimum: 1, maximum: 100, default: 2 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxActiveHoldsPerUser?: number;

  @ApiProperty({ required: false, minimum: 0, maximum: 525600, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(525600)
  minNoticeMinutes?: number;

  @ApiProperty({ required: false, minimum: 1, maximum: 730, default: 90 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(730)
  bookingHorizonDays?: number;

  @ApiProperty({ required: false, minimum: 0, maximum: 525600, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(525600)
  cancelCutoffMinutes?: number;

  @ApiProperty({ required: false, default: true })
  @IsOptional()
  @IsBoolean()
  requireExposure?: boolean;

  @ApiProperty({ required: false, type: ExposurePolicyDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ExposurePolicyDto)
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
