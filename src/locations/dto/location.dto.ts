import { ApiProperty } from '@nestjs/swagger';
import { LocationEntity } from '../location.entity';
import { LocationPolicyResponseDto } from './location-policy.dto';

export class LocationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) bizEntityId: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'Asia/Dubai' }) timezone: string;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: LocationPolicyResponseDto }) policy: LocationPolicyResponseDto;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class LocationPageDto {
  @ApiProperty({ type: [LocationDto] }) data: LocationDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toLocationDto(location: LocationEntity): LocationDto {
  return {
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
      exposure: {
        personMin: location.exposurePersonMin,
        personMax: location.exposurePersonMax,
        locationMin: location.exposureLocationMin,
        locationMax: location.exposureLocationMax,
      },
    },
    createdAt: location.createdAt.toISOString(),
    updatedAt: location.updatedAt.toISOString(),
  };
}
