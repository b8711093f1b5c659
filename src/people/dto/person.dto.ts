import { ApiProperty } from '@nestjs/swagger';
import { PersonEntity } from '../person.entity';

export class PersonDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty() name: string;
  @ApiProperty({ required: false, format: 'email', description: 'Shown on the admin API only.' }) email?: string;
  @ApiProperty({ minimum: 0.1, maximum: 100 }) weight: number;
  @ApiProperty() active: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class PersonPageDto {
  @ApiProperty({ type: [PersonDto] }) data: PersonDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toPersonDto(person: PersonEntity): PersonDto {
  return {
    id: person.id,
    locationId: person.locationId,
    name: person.name,
    ...(person.email !== null ? { email: person.email } : {}),
    weight: person.weight,
    active: person.active,
    createdAt: person.createdAt.toISOString(),
    updatedAt: person.updatedAt.toISOString(),
  };
}

/** The public view leaves out contact details of staff. */
export function toPublicPersonDto(person: PersonEntity): PersonDto {
  const { email: _email, ...visible } = toPersonDto(person);
  return visible;
}
