import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AdminApi, CurrentPrincipal, CurrentTenants } from '../common/auth/decorators';
import type { Principal, Tenants } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
import { AnswersETag, IfMatch, Precondition } from '../common/http/preconditions';
import { METADATA_LIMITS } from '../common/validation/metadata';
import { UuidParam } from '../common/http/uuid-param';
import { ProblemResponses } from '../openapi/problem-responses';
import { BookingsService } from './bookings.service';
import {
  AdminBookingQueryDto,
  AdminCreateBookingDto,
  BookingDto,
  BookingHistoryEntryDto,
  BookingHistoryPageDto,
  BookingHistoryQueryDto,
  BookingPageDto,
  BulkCancelDto,
  BulkCancelResultDto,
  CancelBookingDto,
  RescheduleBookingDto,
  UpdateBookingDto,
} from './dto/booking.dto';
import { NoBody } from './dto/no-body';
import { LongRunning } from '../common/http/request-deadline';

@ApiTags('admin: bookings')
@ApiBearerAuth()
@AdminApi()
@Controller('v1/admin/bookings')
export class AdminBookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Get()
  @ApiOperation({
    summary: 'List bookings',
    description:
      "Bookings of the caller's businesses by slot start (then id), filtered by location, person, user, status, [from, to) on slot start, " +
      'and one metadata pair (`metadata[crmId]=C-20931`).',
  })
  @ApiQuery({
    name: 'metadata',
    required: false,
    style: 'deepObject',
    explode: true,
    schema: {
      type: 'object',
      additionalProperties: { type: 'string', maxLength: METADATA_LIMITS.valueLength },
      minProperties: 1,
      maxProperties: 1,
      example: { crmId: 'C-20931' },
    },
    description:
      'Only the bookings whose metadata holds this key with exactly this value, written `metadata[key]=value`. One pair: two are 400 VALIDATION_FAILED naming metadata.',
  })
  @ApiOkResponse({ type: BookingPageDto, description: 'Bookings of any set of resources, by slot start.' })
  list(@CurrentTenants() tenants: Tenants, @Query() query: AdminBookingQueryDto): Promise<Page<BookingDto>> {
    return this.bookings.list({ tenants }, query);
  }

  @Get(':id')
  @AnswersETag()
  @ApiOperation({ summary: 'Get a booking', description: "Any booking of the caller's businesses." })
  @ApiOkResponse({ type: BookingDto, description: 'The booking.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'booking') id: string): Promise<BookingDto> {
    return this.bookings.get({ tenants }, id);
  }

  @Patch(':id')
  @AnswersETag()
  @ApiOperation({
    summary: 'Change a booking\'s metadata or notes',
    description:
      'Annotates a booking of the caller\'s businesses in any status (a cancelled or completed one too, for reconciliation): `metadata` ' +
      'keys merge into the stored ones (a string sets a key, null removes it), `notes` replaces the notes (null removes them). At least one ' +
      'of the two. The status, slot and seats never change here; the history records the change, and no event is sent.',
  })
  @ApiOkResponse({ type: BookingDto, description: 'The booking as it is now.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  update(
    @CurrentPrincipal() principal: Principal,
    @CurrentTenants() tenants: Tenants,
    @UuidParam('id', 'booking') id: string,
    @Body() dto: UpdateBookingDto,
    @IfMatch() precondition?: Precondition,
  ): Promise<BookingDto> {
    return this.bookings.annotate(principal, tenants, id, dto, precondition);
  }

  @Get(':id/history')
  @ApiOperation({
    summary: 'The history of a booking',
    description: 'Every state change of a booking of the caller\'s businesses, oldest first: when, who (`actor`, and `actorId` for users and operators), from and to which status, why, and for a move from and to which slot.',
  })
  @ApiOkResponse({ type: BookingHistoryPageDto, description: 'The booking\'s state changes, oldest first.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  history(
    @CurrentTenants() tenants: Tenants,
    @UuidParam('id', 'booking') id: string,
    @Query() query: BookingHistoryQueryDto,
  ): Promise<Page<BookingHistoryEntryDto>> {
    return this.bookings.history({ tenants }, id, query);
  }

  @Post()
  @ApiOperation({
    summary: "Book on a user's behalf",
    description:
      'Books any open slot with room for the party (`seats`, default 1) for a user of `public.auth_user` (422 UNKNOWN_REFERENCE otherwise): ' +
      'no offer, notice, horizon, seat cap or hold limit applies, capacity always does. Confirmed unless `status` is held.',
  })
  @ApiCreatedResponse({ type: BookingDto, description: 'Confirmed unless status says held. Capacity is still enforced.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.SLOT_UNAVAILABLE, ErrorCode.SLOT_IN_PAST, ErrorCode.TOO_MANY_SEATS, ErrorCode.UNKNOWN_REFERENCE)
  create(
    @CurrentPrincipal() principal: Principal,
    @CurrentTenants() tenants: Tenants,
    @Body() dto: AdminCreateBookingDto,
  ): Promise<BookingDto> {
    return this.bookings.createForUser(principal, tenants, dto);
  }

  @Post('bulk-cancel')
  @HttpCode(200)
  @LongRunning()
  @ApiOperation({
    summary: 'Cancel bookings in bulk',
    description: 'Cancels every live booking (held or confirmed) at the location, or with `personIds` only, whose slot starts in [from, to), giving users `reason`. Answers how many.',
  })
  @ApiOkResponse({ type: BulkCancelResultDto, description: 'How many were cancelled.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  bulkCancel(
    @CurrentPrincipal() principal: Principal,
    @CurrentTenants() tenants: Tenants,
    @Body() dto: BulkCancelDto,
  ): Promise<BulkCancelResultDto> {
    return this.bookings.bulkCancel(principal, tenants, dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a booking',
    description:
      'Releases a hold or cancels a confirmed booking; no cancel cutoff applies to operators. The body may be left out, unless the location\'s ' +
      'policy `requireCancellationReason` asks for a `reason` (400 VALIDATION_FAILED naming it). The booking reads `cancelledBy: admin`.',
  })
  @ApiBody({ type: CancelBookingDto, required: false })
  @ApiOkResponse({ type: BookingDto, description: 'No cancel cutoff applies to operators.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.INVALID_TRANSITION)
  cancel(
    @CurrentPrincipal() principal: Principal,
    @CurrentTenants() tenants: Tenants,
    @UuidParam('id', 'booking') id: string,
    @Body() dto: CancelBookingDto,
  ): Promise<BookingDto> {
    return this.bookings.cancel(principal, { tenants }, id, dto);
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a booking to another slot',
    description:
      'Moves a held or confirmed booking to an open slot of the caller\'s businesses with room for its seats that has not started, in one ' +
      'transaction: the new slot is taken and the old one freed, or nothing changes. The id, status and a hold\'s expiry stay; no offer, ' +
      'notice, horizon, seat cap or cutoff applies. Users move their own bookings with POST /v1/bookings/{id}/reschedule.',
  })
  @ApiOkResponse({ type: BookingDto, description: 'The booking on its new slot, with rescheduledAt.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.SLOT_UNAVAILABLE, ErrorCode.SLOT_IN_PAST, ErrorCode.TOO_MANY_SEATS, ErrorCode.INVALID_TRANSITION)
  reschedule(
    @CurrentPrincipal() principal: Principal,
    @CurrentTenants() tenants: Tenants,
    @UuidParam('id', 'booking') id: string,
    @Body() dto: RescheduleBookingDto,
  ): Promise<BookingDto> {
    return this.bookings.reschedule(principal, { tenants }, id, dto.slotId);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a booking completed', description: 'Closes out a confirmed booking whose slot has started (409 INVALID_TRANSITION before). No body.' })
  @ApiOkResponse({ type: BookingDto, description: 'The booking, completed.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.INVALID_TRANSITION)
  complete(
    @CurrentPrincipal() principal: Principal,
    @CurrentTenants() tenants: Tenants,
    @UuidParam('id', 'booking') id: string,
    @NoBody() _body: undefined,
  ): Promise<BookingDto> {
    return this.bookings.closeOut(principal, tenants, id, 'complete');
  }

  @Post(':id/no-show')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a booking as a no-show', description: 'Closes out a confirmed booking whose slot has started and the user did not come (409 INVALID_TRANSITION before). No body.' })
  @ApiOkResponse({ type: BookingDto, description: 'The booking, no_show.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.INVALID_TRANSITION)
  noShow(
    @CurrentPrincipal() principal: Principal,
    @CurrentTenants() tenants: Tenants,
    @UuidParam('id', 'booking') id: string,
    @NoBody() _body: undefined,
  ): Promise<BookingDto> {
    return this.bookings.closeOut(principal, tenants, id, 'no_show');
  }
}
