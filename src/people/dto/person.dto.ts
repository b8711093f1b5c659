import { ApiProperty } from '@nestjs/swagger';
import { Versioned, withVersion } from '../../common/http/preconditions';
import { MetadataResponseProperty } from '../../common/validation/metadata';
import type { Metadata } from '../../common/validation/metadata';
import { EXAMPLE } from '../../openapi/examples';
import type { PersonRow } from '../people.repository';

export class PersonDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.personId }) id: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.locationId }) locationId: string;
  @ApiProperty({ example: EXAMPLE.personName }) name: string;
  @ApiProperty({ required: false, format: 'email', example: EXAMPLE.email, description: 'Shown on the admin API only.' }) email?: string;
  @ApiProperty({ minimum: 0.1, maximum: 100, default: 1, example: 1, description: 'Share of offers relative to colleagues.' }) weight: number;
  @ApiProperty({ example: true, description: 'false once deleted.' }) active: boolean;
  @MetadataResponseProperty({ required: false, description: 'Admin API only (always there, {} when none are set): your key-value pairs.' })
  metadata?: Metadata;
  @ApiProperty({ format: 'date-time', example: '2026-01-12T08:05:00.000Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-01-12T08:05:00.000Z' }) updatedAt: string;
}

export class PersonPageDto {
  @ApiProperty({ type: [PersonDto] }) data: PersonDto[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor: string | null;
}

export function toPersonDto(person: PersonRow): Versioned<PersonDto> {
  return withVersion({
    id: person.id,
    locationId: person.locationId,
    name: person.name,
    ...(person.email !== null ? { email: person.email } : {}),
    weight: person.weight,
    active: person.active,
    metadata: person.metadata,
    createdAt: person.createdAt.toISOString(),
    updatedAt: person.updatedAt.toISOString(),
  }, person.version);
}

/** The public view leaves out contact details of staff, and the operators' metadata. */
export function toPublicPersonDto(person: PersonRow): PersonDto {
  const { email: _email, metadata: _metadata, ...visible } = toPersonDto(person);
  return visible;
}
