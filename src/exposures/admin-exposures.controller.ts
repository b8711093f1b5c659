import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, CurrentTenants } from '../common/auth/decorators';
import type { Tenants } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
import { UuidParam } from '../common/http/uuid-param';
import { ProblemResponses } from '../openapi/problem-responses';
import { AdminExposuresService } from './admin-exposures.service';
import { AdminExposureDto, AdminExposurePageDto, AdminExposureQueryDto, ExplainQueryDto, ExplanationDto } from './dto/exposure.dto';

@ApiTags('admin: exposures')
@ApiBearerAuth()
@AdminApi()
@Controller('v1/admin/exposures')
export class AdminExposuresController {
  constructor(private readonly exposures: AdminExposuresService) {}

  @Get()
  @ApiOperation({ summary: 'List exposures', description: "Offers made to users at the caller's businesses, live or expired, by user, location or person, in creation order." })
  @ApiOkResponse({ type: AdminExposurePageDto, description: 'A page of exposures.' })
  list(@CurrentTenants() tenants: Tenants, @Query() query: AdminExposureQueryDto): Promise<Page<AdminExposureDto>> {
    return this.exposures.list(tenants, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get an exposure', description: 'One exposure with each offered slot by position and its score components.' })
  @ApiOkResponse({ type: AdminExposureDto, description: 'With each offered slot and its score components.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'exposure') id: string): Promise<AdminExposureDto> {
    return this.exposures.get(tenants, id);
  }

  @Get(':id/explain')
  @ApiOperation({
    summary: 'Explain why a slot was or was not offered',
    description: 'A verdict with reasons: offered (position and score), not bookable (each failing check), not drawn for this user, outranked (its score now next to the lowest offered), outside the window or scope, or unknown.',
  })
  @ApiOkResponse({ type: ExplanationDto, description: 'Why the slot was or was not offered in this exposure.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  explain(
    @CurrentTenants() tenants: Tenants,
    @UuidParam('id', 'exposure') id: string,
    @Query() query: ExplainQueryDto,
  ): Promise<ExplanationDto> {
    return this.exposures.explain(tenants, id, query.slotId);
  }
}
