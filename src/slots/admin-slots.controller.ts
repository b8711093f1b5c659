import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, CurrentTenants } from '../common/auth/decorators';
import type { Tenants } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
import { AnswersETag, IfMatch, Precondition } from '../common/http/preconditions';
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
  @ApiOperation({
    summary: 'Generate slots',
    description:
      'Materialises the slots the rules produce for the local dates `from`..`to` (inclusive, at most 366 days), for every person of the ' +
      'location or only `personIds`. Idempotent: an identical second run creates and retires nothing. Slots the rules no longer produce ' +
      'are retired, unless they hold live bookings: those stay open and are reported under `conflicts`. A block survives it. ' +
      'A background job keeps every active location generated `bookingHorizonDays` ahead.',
  })
  @RateLimited('generation')
  @ApiOkResponse({ type: GenerationReportDto, description: 'Idempotent: an identical second run reports created 0, retired 0.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  generate(@CurrentTenants() tenants: Tenants, @Body() dto: CreateSlotGenerationDto): Promise<GenerationReportDto> {
    return this.generation.generate(tenants, dto);
  }

  @Get('slots')
  @ApiOperation({ summary: 'List slots', description: "Slot instances of the caller's businesses with what is booked and what remains, by start (then id); `from`/`to` select starts in [from, to)." })
  @ApiOkResponse({ type: SlotPageDto, description: 'A page of slots.' })
  list(@CurrentTenants() tenants: Tenants, @Query() query: AdminSlotQueryDto): Promise<Page<SlotDto>> {
    return this.slots.listForAdmin(tenants, query);
  }

  @Get('slots/:id')
  @AnswersETag()
  @ApiOperation({ summary: 'Get a slot', description: "One slot of the caller's businesses, with what is booked and what remains." })
  @ApiOkResponse({ type: SlotDto, description: 'The slot.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'slot') id: string): Promise<SlotDto> {
    return this.slots.getForAdmin(tenants, id);
  }

  @Patch('slots/:id')
  @AnswersETag()
  @ApiOperation({
    summary: 'Block, reopen or resize a slot',
    description:
      'A blocked slot takes no new bookings (the existing ones stay) and stays blocked through generation runs. A new capacity lasts until ' +
      'the next generation run of its dates; one below what is booked is 409 HAS_LIVE_BOOKINGS. A retired slot cannot change (409 SLOT_UNAVAILABLE).',
  })
  @ApiOkResponse({ type: SlotDto, description: 'The slot as it is now.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.SLOT_UNAVAILABLE, ErrorCode.HAS_LIVE_BOOKINGS)
  update(
    @CurrentTenants() tenants: Tenants,
    @UuidParam('id', 'slot') id: string,
    @Body() dto: UpdateSlotDto,
    @IfMatch() precondition?: Precondition,
  ): Promise<SlotDto> {
    return this.slots.update(tenants, id, dto, precondition);
  }
}
