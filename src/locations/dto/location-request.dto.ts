import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, ValidateBy, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { IsIanaTimeZone } from '../../common/validation/validators';
import { LocationPolicyDto } from './location-policy.dto';

// Decorator order and IsOptionalNotNull: see location-policy.dto.ts.

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/**
 * What `scheduler.locations.name` can store: at most `max` characters as PostgreSQL counts them
 * (code points; `MaxLength` does not count variation selectors) and no NUL, which a `text`
 * column refuses. Otherwise the database refused it, as a 400 without a field error.
 */
const IsStorableText = (max: number): PropertyDecorator =>
  ValidateBy({
    name: 'isStorableText',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && [...value].length <= max && !value.includes('\u0000'),
      defaultMessage: (args) =>
        typeof args?.value === 'string' && args.value.includes('\u0000')
          ? '$property must not contain NUL characters'
          : `$property must be shorter than or equal to ${max} characters`,
    },
  });

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
