import { ApiProperty } from '@nestjs/swagger';
import { Versioned, withVersion } from '../../common/http/preconditions';
import { EXAMPLE } from '../../openapi/examples';
import type { PersonRow } from '../people.repository';

export class PersonDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.personId }) id: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.locationId }) locationId: string;
  @ApiProperty({ example: EXAMPLE.personName }) name: string;
  @ApiProperty({ required: false, format: 'email', example: EXAMPLE.email, description: 'Shown on the admin API only.' }) email?: string;
  @ApiProperty({ minimum: 0.1, maximum: 100, default: 1, example: 1, description: 'Share of offers relative to colleagues.' }) weight: number;
  @ApiProperty({ example: true, description: 'false once deleted.' }) active: boolean;
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
    createdAt: person.createdAt.toISOString(),
    updatedAt: person.updatedAt.toISOString(),
  }, person.version);
}

/** The public view leaves out contact details of staff. */
export function toPublicPersonDto(person: PersonRow): PersonDto {
  const { email: _email, ...visible } = toPersonDto(person);
  return visible;
}
