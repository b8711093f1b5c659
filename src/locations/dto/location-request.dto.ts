import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { IsIanaTimeZone } from '../../common/validation/validators';
import { LocationPolicyDto } from './location-policy.dto';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateLocationDto {
  @ApiProperty({ format: 'uuid', description: 'The business (public.biz_entity) that owns the location.' })
  @IsUUID()
  bizEntityId: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Downtown clinic' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ description: 'IANA time zone; rule times are wall-clock times in it.', example: 'Asia/Dubai' })
  @IsIanaTimeZone()
  timezone: string;

  @ApiProperty({ required: false, type: LocationPolicyDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocationPolicyDto)
  policy?: LocationPolicyDto;
}

export class UpdateLocationDto {
  @ApiProperty({ required: false, minLength: 1, maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiProperty({ required: false, example: 'Europe/London' })
  @IsOptional()
  @IsIanaTimeZone()
  timezone?: string;

  @ApiProperty({ required: false, description: 'Set true to reopen a deleted location.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiProperty({ required: false, type: LocationPolicyDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocationPolicyDto)
  policy?: LocationPolicyDto;
}

const toBoolean = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

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
