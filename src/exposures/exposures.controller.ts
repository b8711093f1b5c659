import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../common/auth/decorators';
import type { Principal } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { UuidParam } from '../common/http/uuid-param';
import { RateLimited } from '../common/rate-limit/rate-limit-tiers';
import { ProblemResponses } from '../openapi/problem-responses';
import { ExposureDto, ExposureQueryDto } from './dto/exposure.dto';
import { ExposuresService } from './exposures.service';

@ApiTags('slots')
@ApiBearerAuth()
@Controller('v1')
export class ExposuresController {
  constructor(private readonly exposures: ExposuresService) {}

  @Get('locations/:locationId/slots')
  @ApiOperation({
    summary: 'Offer slots of a location',
    description:
      'A few slots of the location you can hold right now (policy `locationMin`..`locationMax`, default 3–5), starting in [from, to) ' +
      '(default: the next 7 days), from at least two people where two have slots, listed by start. Asking again within ' +
      'EXPOSURE_TTL_SECONDS (default 10 minutes) returns the same offer; a slot taken meanwhile is replaced. A window with too few ' +
      'slots is extended day by day (`extended: true`). Hold one of these slots next.',
  })
  @RateLimited('browse')
  @ApiOkResponse({ type: ExposureDto, description: 'A few bookable slots of the location (locationMin..locationMax), sticky for a while.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  location(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('locationId', 'location') locationId: string,
    @Query() query: ExposureQueryDto,
  ): Promise<ExposureDto> {
    return this.exposures.browseLocation(principal, locationId, query);
  }

  @Get('people/:personId/slots')
  @ApiOperation({
    summary: 'Offer slots of a person',
    description: 'Like the location offer, for one person: policy `personMin`..`personMax` slots (default 1–3), listed by start, sticky for EXPOSURE_TTL_SECONDS.',
  })
  @RateLimited('browse')
  @ApiOkResponse({ type: ExposureDto, description: 'A few bookable slots of one person (personMin..personMax), sticky for a while.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  person(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('personId', 'person') personId: string,
    @Query() query: ExposureQueryDto,
  ): Promise<ExposureDto> {
    return this.exposures.browsePerson(principal, personId, query);
  }
}
