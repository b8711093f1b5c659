import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsNotEmpty, IsNumber, IsString, IsUUID, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { IsStorableText } from '../../common/validation/text';
import { toBoolean, trim } from '../../common/validation/transforms';

export class CreatePersonDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  locationId: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Dr. Amal Haddad' })
  @Transform(trim)
  @IsStorableText(200)
  @IsNotEmpty()
  @IsString()
  name: string;

  @ApiProperty({ required: false, format: 'email', maxLength: 320 })
  @IsOptionalNotNull()
  @IsStorableText(320)
  @IsEmail()
  @IsString()
  email?: string;

  @ApiProperty({ required: false, minimum: 0.1, maximum: 100, default: 1, description: 'Share of offers relative to colleagues.' })
  @IsOptionalNotNull()
  @Max(100)
  @Min(0.1)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  weight?: number;
}

export class UpdatePersonDto {
  @ApiProperty({ required: false, minLength: 1, maxLength: 200 })
  @IsOptionalNotNull()
  @Transform(trim)
  @IsStorableText(200)
  @IsNotEmpty()
  @IsString()
  name?: string;

  @ApiProperty({ required: false, format: 'email', maxLength: 320 })
  @IsOptionalNotNull()
  @IsStorableText(320)
  @IsEmail()
  @IsString()
  email?: string;

  @ApiProperty({ required: false, minimum: 0.1, maximum: 100 })
  @IsOptionalNotNull()
  @Max(100)
  @Min(0.1)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  weight?: number;

  @ApiProperty({ required: false, description: 'Set true to bring back a deleted person.' })
  @IsOptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

export class AdminPersonQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  locationId?: string;

  @ApiProperty({ required: false, description: 'Only active (true) or only deleted (false) people.' })
  @IsOptionalNotNull()
  @Transform(toBoolean)
  @IsBoolean()
  active?: boolean;
}
