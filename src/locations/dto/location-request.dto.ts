import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { MetadataChangeProperty, MetadataProperty } from '../../common/validation/metadata';
import type { Metadata, MetadataChange } from '../../common/validation/metadata';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { IsStorableText } from '../../common/validation/text';
import { toBoolean, trim } from '../../common/validation/transforms';
import { IsIanaTimeZone } from '../../common/validation/validators';
import { EXAMPLE } from '../../openapi/examples';
import { LocationPolicyDto } from './location-policy.dto';

// Decorator order and IsOptionalNotNull: see location-policy.dto.ts.

export class CreateLocationDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.bizEntityId, description: 'The business (a row of public.biz_entity) that owns the location; one of the token\'s `biz`.' })
  @IsUUID()
  bizEntityId: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: EXAMPLE.locationName, description: 'Shown to users; surrounding spaces are trimmed.' })
  @Transform(trim)
  @IsStorableText(200)
  @IsNotEmpty()
  @IsString()
  name: string;

  @ApiProperty({ example: EXAMPLE.timezone, description: 'IANA time zone; rule times and local starts are wall-clock times in it. Matched regardless of case.' })
  @IsIanaTimeZone()
  timezone: string;

  @ApiProperty({ required: false, type: LocationPolicyDto, description: 'The booking policy; fields left out take their defaults.' })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => LocationPolicyDto)
  @IsObject()
  policy?: LocationPolicyDto;

  @MetadataProperty('Your key-value pairs for the location (an id in your system); the public API does not show them.')
  metadata?: Metadata;
}

export class UpdateLocationDto {
  @ApiProperty({ required: false, minLength: 1, maxLength: 200, example: 'Downtown clinic (Al Wasl)', description: 'The new name.' })
  @IsOptionalNotNull()
  @Transform(trim)
  @IsStorableText(200)
  @IsNotEmpty()
  @IsString()
  name?: string;

  @ApiProperty({ required: false, example: 'Asia/Muscat', description: 'A new IANA time zone: only while no future booking is live (409 HAS_LIVE_BOOKINGS); slots follow at the next generation run.' })
  @IsOptionalNotNull()
  @IsIanaTimeZone()
  timezone?: string;

  @ApiProperty({ required: false, example: true, description: 'true reopens a deleted location; false deletes it (as DELETE does).' })
  @IsOptionalNotNull()
  @IsBoolean()
  active?: boolean;

  @ApiProperty({ required: false, type: LocationPolicyDto, description: 'Policy fields to change; the others keep their current values.' })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => LocationPolicyDto)
  @IsObject()
  policy?: LocationPolicyDto;

  @MetadataChangeProperty()
  metadata?: MetadataChange;
}


export class AdminLocationQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.bizEntityId, description: 'Only the locations of this business.' })
  @IsOptional()
  @IsUUID()
  bizEntityId?: string;

  @ApiProperty({ required: false, example: true, description: 'Only active (true) or only deleted (false) locations; both when absent.' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  active?: boolean;
}

export class PublicLocationQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.bizEntityId, description: 'Only the locations of this business.' })
  @IsOptional()
  @IsUUID()
  bizEntityId?: string;
}
