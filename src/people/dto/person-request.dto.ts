import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsNotEmpty, IsNumber, IsString, IsUUID, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { EXAMPLE } from '../../openapi/examples';
import { MetadataChangeProperty, MetadataProperty } from '../../common/validation/metadata';
import type { Metadata, MetadataChange } from '../../common/validation/metadata';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { IsStorableText } from '../../common/validation/text';
import { toBoolean, trim } from '../../common/validation/transforms';

export class CreatePersonDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.locationId, description: 'The location the person works at, for life.' })
  @IsUUID()
  locationId: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: EXAMPLE.personName, description: 'Shown to users next to their slots; surrounding spaces are trimmed.' })
  @Transform(trim)
  @IsStorableText(200)
  @IsNotEmpty()
  @IsString()
  name: string;

  @ApiProperty({ required: false, format: 'email', maxLength: 320, example: EXAMPLE.email, description: 'For operators only: the public API never shows it.' })
  @IsOptionalNotNull()
  @IsStorableText(320)
  @IsEmail()
  @IsString()
  email?: string;

  @ApiProperty({ required: false, minimum: 0.1, maximum: 100, example: 1, description: 'Their share of offers and bookings relative to colleagues, times their open capacity. Default 1.' })
  @IsOptionalNotNull()
  @Max(100)
  @Min(0.1)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  weight?: number;

  @MetadataProperty('Your key-value pairs for the person (a staff number); the public API does not show them.')
  metadata?: Metadata;
}

export class UpdatePersonDto {
  @ApiProperty({ required: false, minLength: 1, maxLength: 200, example: 'Dr. Amal Haddad-Saleh', description: 'The new name.' })
  @IsOptionalNotNull()
  @Transform(trim)
  @IsStorableText(200)
  @IsNotEmpty()
  @IsString()
  name?: string;

  @ApiProperty({ required: false, format: 'email', maxLength: 320, example: 'a.haddad@example.com', description: 'The new contact address.' })
  @IsOptionalNotNull()
  @IsStorableText(320)
  @IsEmail()
  @IsString()
  email?: string;

  @ApiProperty({ required: false, minimum: 0.1, maximum: 100, example: 2, description: 'The new weight.' })
  @IsOptionalNotNull()
  @Max(100)
  @Min(0.1)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  weight?: number;

  @ApiProperty({ required: false, example: true, description: 'true brings back a deleted person; false deletes them (as DELETE does).' })
  @IsOptionalNotNull()
  @IsBoolean()
  active?: boolean;

  @MetadataChangeProperty()
  metadata?: MetadataChange;
}

export class AdminPersonQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.locationId, description: 'Only the people of this location.' })
  @IsOptionalNotNull()
  @IsUUID()
  locationId?: string;

  @ApiProperty({ required: false, example: true, description: 'Only active (true) or only deleted (false) people; both when absent.' })
  @IsOptionalNotNull()
  @Transform(toBoolean)
  @IsBoolean()
  active?: boolean;
}
