import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, CurrentTenants } from '../common/auth/decorators';
import type { Tenants } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
import { AnswersETag, IfMatch, Precondition } from '../common/http/preconditions';
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
  @ApiOperation({
    summary: 'Create an availability rule',
    description:
      'Weekly hours, an override of one date (with times: its own window; without: a day off) or a blackout of dates, in the ' +
      "location's wall-clock time. A field that does not belong to the kind is 400. A weekly or override window that overlaps another " +
      'of the same person and kind on a shared date is 422 RULE_CONFLICT. Slots follow at the next slot generation.',
  })
  @ApiCreatedResponse({ type: AvailabilityRuleDto, description: 'The new rule.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.RULE_CONFLICT)
  create(@CurrentTenants() tenants: Tenants, @Body() dto: CreateAvailabilityRuleDto): Promise<AvailabilityRuleDto> {
    return this.rules.create(tenants, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List availability rules', description: "Rules of the caller's businesses, by person or location and active or deleted, in creation order." })
  @ApiOkResponse({ type: AvailabilityRulePageDto, description: 'A page of rules.' })
  list(
    @CurrentTenants() tenants: Tenants,
    @Query() query: AdminAvailabilityRuleQueryDto,
  ): Promise<Page<AvailabilityRuleDto>> {
    return this.rules.listForAdmin(tenants, query);
  }

  @Get(':id')
  @AnswersETag()
  @ApiOperation({ summary: 'Get an availability rule', description: "One rule of the caller's businesses." })
  @ApiOkResponse({ type: AvailabilityRuleDto, description: 'The rule.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'availability rule') id: string): Promise<AvailabilityRuleDto> {
    return this.rules.getForAdmin(tenants, id);
  }

  @Patch(':id')
  @AnswersETag()
  @ApiOperation({
    summary: 'Change an availability rule',
    description: 'Only the fields sent change; the kind and the person stay. `validFrom` or `validUntil` null removes that bound. The result is checked like a new rule (400, 422 RULE_CONFLICT).',
  })
  @ApiOkResponse({ type: AvailabilityRuleDto, description: 'The rule as it is now.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.RULE_CONFLICT)
  update(
    @CurrentTenants() tenants: Tenants,
    @UuidParam('id', 'availability rule') id: string,
    @Body() dto: UpdateAvailabilityRuleDto,
    @IfMatch() precondition?: Precondition,
  ): Promise<AvailabilityRuleDto> {
    return this.rules.update(tenants, id, dto, precondition);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete an availability rule',
    description: 'A soft delete; the next generation run retires the slots no rule produces any more. 409 HAS_LIVE_BOOKINGS while slots it produced hold live future bookings.',
  })
  @ApiNoContentResponse({ description: 'Deleted (active: false); history is kept.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.HAS_LIVE_BOOKINGS)
  remove(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'availability rule') id: string): Promise<void> {
    return this.rules.remove(tenants, id);
  }
}
