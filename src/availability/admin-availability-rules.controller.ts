import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminApi, CurrentTenantScope } from '../common/auth/decorators';
import type { TenantScope } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
import { UuidParam } from '../common/http/uuid-param';
import { ProblemResponses } from '../openapi/problem-responses';
import { AvailabilityRulesService } from './availability-rules.service';
import {
  AdminAvailabilityRuleQueryDto,
  CreateAvailabilityRuleDto,
  UpdateAvailabilityRuleDto,
} from './dto/availability-rule-request.dto';
import { AvailabilityRuleDto, AvailabilityRulePageDto } from './dto/availability-rule.dto';

@ApiTags('admin: availability rules')
@ApiBearerAuth()
@AdminApi()
@Controller('v1/admin/availability-rules')
export class AdminAvailabilityRulesController {
  constructor(private readonly rules: AvailabilityRulesService) {}

  @Post()
  @ApiCreatedResponse({ type: AvailabilityRuleDto })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.RULE_CONFLICT)
  create(@CurrentTenantScope() scope: TenantScope, @Body() dto: CreateAvailabilityRuleDto): Promise<AvailabilityRuleDto> {
    return this.rules.create(scope, dto);
  }

  @Get()
  @ApiOkResponse({ type: AvailabilityRulePageDto })
  list(
    @CurrentTenantScope() scope: TenantScope,
    @Query() query: AdminAvailabilityRuleQueryDto,
  ): Promise<Page<AvailabilityRuleDto>> {
    return this.rules.listForAdmin(scope, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: AvailabilityRuleDto })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@CurrentTenantScope() scope: TenantScope, @UuidParam('id') id: string): Promise<AvailabilityRuleDto> {
    return this.rules.getForAdmin(scope, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: AvailabilityRuleDto })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.RULE_CONFLICT)
  update(
    @CurrentTenantScope() scope: TenantScope,
    @UuidParam('id') id: string,
    @Body() dto: UpdateAvailabilityRuleDto,
  ): Promise<AvailabilityRuleDto> {
    return this.rules.update(scope, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Soft-deleted (active: false); history is kept.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.HAS_LIVE_BOOKINGS)
  remove(@CurrentTenantScope() scope: TenantScope, @UuidParam('id') id: string): Promise<void> {
    return this.rules.remove(scope, id);
  }
}
