import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { IsStorableText } from '../../common/validation/text';
import { toBoolean, trim } from '../../common/validation/transforms';
import { IsIanaTimeZone } from '../../common/validation/validators';
import { LocationPolicyDto } from './location-policy.dto';

// Decorator order and IsOptionalNotNull: see location-policy.dto.ts.

export class CreateLocationDto {
  @ApiProperty({ format: 'uuid', description: 'The business (public.biz_entity) that owns the location.' })
  @IsUUID()
  bizEntityId: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Downtown clinic' })
  @Transform(trim)
  @IsStorableText(200)
  @IsNotEmpty()
  @IsString()
  name: string;

  @ApiProperty({ description: 'IANA time zone; rule times are wall-clock times in it.', example: 'Asia/Dubai' })
  @IsIanaTimeZone()
  timezone: string;

  @ApiProperty({ required: false, type: LocationPolicyDto })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => LocationPolicyDto)
  @IsObject()
  policy?: LocationPolicyDto;
}

export class UpdateLocationDto {
  @ApiProperty({ required: false, minLength: 1, maxLength: 200 })
  @IsOptionalNotNull()
  @Transform(trim)
  @IsStorableText(200)
  @IsNotEmpty()
  @IsString()
  name?: string;

  @ApiProperty({ required: false, example: 'Europe/London' })
  @IsOptionalNotNull()
  @IsIanaTimeZone()
  timezone?: string;

  @ApiProperty({ required: false, description: 'Set true to reopen a deleted location.' })
  @IsOptionalNotNull()
  @IsBoolean()
  active?: boolean;

  @ApiProperty({ required: false, type: LocationPolicyDto })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => LocationPolicyDto)
  @IsObject()
  policy?: LocationPolicyDto;
}


export class AdminLocationQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptional()
  @IsUUID()
  bizEntityId?: string;

  @ApiProperty({ required: false, description: 'Only active (true) or only deleted (false) locations.' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  active?: boolean;
}

export class PublicLocationQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptional()
  @IsUUID()
  bizEntityId?: string;
}
