import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @RateLimited('browse')
  @ApiOkResponse({ type: ExposureDto, description: 'A few bookable slots of the location (locationMin..locationMax), sticky for a while.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  location(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('locationId') locationId: string,
    @Query() query: ExposureQueryDto,
  ): Promise<ExposureDto> {
    return this.exposures.browseLocation(principal, locationId, query);
  }

  @Get('people/:personId/slots')
  @RateLimited('browse')
  @ApiOkResponse({ type: ExposureDto, description: 'A few bookable slots of one person (personMin..personMax), sticky for a while.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  person(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('personId') personId: string,
    @Query() query: ExposureQueryDto,
  ): Promise<ExposureDto> {
    return this.exposures.browsePerson(principal, personId, query);
  }
}
