import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminApi, CurrentTenantScope } from '../common/auth/decorators';
import type { TenantScope } from '../common/auth/principal';
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
  @ApiOkResponse({ type: AdminExposurePageDto })
  list(@CurrentTenantScope() scope: TenantScope, @Query() query: AdminExposureQueryDto): Promise<Page<AdminExposureDto>> {
    return this.exposures.list(scope, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: AdminExposureDto, description: 'With each offered slot and its score components.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@CurrentTenantScope() scope: TenantScope, @UuidParam('id') id: string): Promise<AdminExposureDto> {
    return this.exposures.get(scope, id);
  }

  @Get(':id/explain')
  @ApiOkResponse({ type: ExplanationDto, description: 'Why the slot was or was not offered in this exposure.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  explain(
    @CurrentTenantScope() scope: TenantScope,
    @UuidParam('id') id: string,
    @Query() query: ExplainQueryDto,
  ): Promise<ExplanationDto> {
    return this.exposures.explain(scope, id, query.slotId);
  }
}
