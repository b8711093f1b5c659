import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminApi, CurrentTenantScope } from '../common/auth/decorators';
import type { TenantScope } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
import { UuidParam } from '../common/http/uuid-param';
import { RateLimited } from '../common/rate-limit/rate-limit-tiers';
import { ProblemResponses } from '../openapi/problem-responses';
import { CreateSlotGenerationDto, GenerationReportDto } from './dto/slot-generation.dto';
import { AdminSlotQueryDto, SlotDto, SlotPageDto, UpdateSlotDto } from './dto/slot.dto';
import { SlotGenerationService } from './slot-generation.service';
import { SlotsService } from './slots.service';
import { LongRunning } from '../common/http/request-deadline';

@ApiTags('admin: slots')
@ApiBearerAuth()
@AdminApi()
@Controller('v1/admin')
export class AdminSlotsController {
  constructor(
    private readonly generation: SlotGenerationService,
    private readonly slots: SlotsService,
  ) {}

  @Post('slot-generations')
  @HttpCode(200)
  @LongRunning()
  @RateLimited('generation')
  @ApiOkResponse({ type: GenerationReportDto, description: 'Idempotent: an identical second run reports created 0, retired 0.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  generate(@CurrentTenantScope() scope: TenantScope, @Body() dto: CreateSlotGenerationDto): Promise<GenerationReportDto> {
    return this.generation.generate(scope, dto);
  }

  @Get('slots')
  @ApiOkResponse({ type: SlotPageDto })
  list(@CurrentTenantScope() scope: TenantScope, @Query() query: AdminSlotQueryDto): Promise<Page<SlotDto>> {
    return this.slots.listForAdmin(scope, query);
  }

  @Patch('slots/:id')
  @ApiOkResponse({ type: SlotDto })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.SLOT_UNAVAILABLE, ErrorCode.HAS_LIVE_BOOKINGS)
  update(@CurrentTenantScope() scope: TenantScope, @UuidParam('id') id: string, @Body() dto: UpdateSlotDto): Promise<SlotDto> {
    return this.slots.update(scope, id, dto);
  }
}
