import { ApiProperty } from '@nestjs/swagger';
import { Versioned, withVersion } from '../../common/http/preconditions';
import { MetadataResponseProperty } from '../../common/validation/metadata';
import type { Metadata } from '../../common/validation/metadata';
import { EXAMPLE, EXAMPLE_CURSOR } from '../../openapi/examples';
import type { LocationRow } from '../locations.repository';
import { LocationPolicyResponseDto } from './location-policy.dto';

export class LocationDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.locationId }) id: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.bizEntityId, description: 'The business that owns it.' }) bizEntityId: string;
  @ApiProperty({ example: EXAMPLE.locationName }) name: string;
  @ApiProperty({ example: EXAMPLE.timezone, description: 'IANA time zone of its rules and local times.' }) timezone: string;
  @ApiProperty({ example: true, description: 'false once deleted (admin API only; the public API hides it).' }) active: boolean;
  @ApiProperty({ type: LocationPolicyResponseDto }) policy: LocationPolicyResponseDto;
  @MetadataResponseProperty({ required: false, description: 'Admin API only (always there, {} when none are set): your key-value pairs.' })
  metadata?: Metadata;
  @ApiProperty({ format: 'date-time', example: '2026-01-12T08:00:00.000Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-02-01T09:30:00.000Z' }) updatedAt: string;
}

export class LocationPageDto {
  @ApiProperty({ type: [LocationDto] }) data: LocationDto[];
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE_CURSOR, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor: string | null;
}

export function toLocationDto(location: LocationRow): Versioned<LocationDto> {
  return withVersion({
    id: location.id,
    bizEntityId: location.bizEntityId,
    name: location.name,
    timezone: location.timezone,
    active: location.active,
    policy: {
      holdTtlSeconds: location.holdTtlSeconds,
      maxActiveHoldsPerUser: location.maxActiveHoldsPerUser,
      minNoticeMinutes: location.minNoticeMinutes,
      bookingHorizonDays: location.bookingHorizonDays,
      cancelCutoffMinutes: location.cancelCutoffMinutes,
      requireExposure: location.requireExposure,
      maxSeatsPerBooking: location.maxSeatsPerBooking,
      requireCancellationReason: location.requireCancellationReason,
      exposure: {
        personMin: location.exposurePersonMin,
        personMax: location.exposurePersonMax,
        locationMin: location.exposureLocationMin,
        locationMax: location.exposureLocationMax,
      },
    },
    metadata: location.metadata,
    createdAt: location.createdAt.toISOString(),
    updatedAt: location.updatedAt.toISOString(),
  }, location.version);
}

/** The public view leaves out the operators' metadata. */
export function toPublicLocationDto(location: LocationRow): Versioned<LocationDto> {
  const { metadata: _metadata, ...visible } = toLocationDto(location);
  return visible;
}
