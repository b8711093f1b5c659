import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../common/auth/decorators';
import type { Principal } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
import { AnswersETag } from '../common/http/preconditions';
import { UuidParam } from '../common/http/uuid-param';
import { RateLimited } from '../common/rate-limit/rate-limit-tiers';
import { ProblemResponses } from '../openapi/problem-responses';
import { BookingsService } from './bookings.service';
import {
  BookingDto,
  BookingHistoryEntryDto,
  BookingHistoryPageDto,
  BookingHistoryQueryDto,
  BookingPageDto,
  BookingQueryDto,
  CancelBookingDto,
  CreateHoldDto,
  RescheduleBookingDto,
} from './dto/booking.dto';
import { NoBody } from './dto/no-body';

/** The caller's own bookings; anyone else's look missing (404). */
@ApiTags('bookings')
@ApiBearerAuth()
@Controller('v1/bookings')
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Post()
  @ApiOperation({
    summary: 'Hold a slot',
    description:
      'Places a hold on a slot of one of your live offers (the slot routes): it counts against capacity at once and lives the ' +
      "location's `holdTtlSeconds` (default 300); confirm it before `holdExpiresAt`. A party takes `seats` places (default 1). Requires an " +
      'Idempotency-Key: send the same key again to retry safely. Refusals: not offered (403), no room for the party or already yours (409), ' +
      'started or outside the booking window (422), a party larger than the slot or the location allows (422), too many live holds (429).',
  })
  @RateLimited('holds')
  @ApiCreatedResponse({ type: BookingDto, description: 'A hold, live for the location\'s holdTtlSeconds.' })
  @ProblemResponses(
    ErrorCode.NOT_FOUND,
    ErrorCode.SLOT_NOT_OFFERED,
    ErrorCode.SLOT_UNAVAILABLE,
    ErrorCode.SLOT_IN_PAST,
    ErrorCode.OUTSIDE_BOOKING_WINDOW,
    ErrorCode.TOO_MANY_SEATS,
    ErrorCode.UNKNOWN_REFERENCE,
    ErrorCode.HOLD_LIMIT_REACHED,
  )
  hold(@CurrentPrincipal() principal: Principal, @Body() dto: CreateHoldDto): Promise<BookingDto> {
    return this.bookings.hold(principal, dto);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm a hold',
    description: 'Turns your live hold into a confirmed booking. No body. After `holdExpiresAt` it is 409 HOLD_EXPIRED (even before the hold reads expired everywhere); hold again. A slot blocked since the hold is 409 SLOT_UNAVAILABLE. Confirming twice with the same Idempotency-Key replays the first answer.',
  })
  @ApiOkResponse({ type: BookingDto, description: 'The booking, confirmed.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.HOLD_EXPIRED, ErrorCode.INVALID_TRANSITION, ErrorCode.SLOT_UNAVAILABLE)
  confirm(@CurrentPrincipal() principal: Principal, @UuidParam('id', 'booking') id: string, @NoBody() _body: undefined): Promise<BookingDto> {
    return this.bookings.confirm(principal, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a booking or release a hold',
    description:
      "A hold can always be released. A confirmed booking can be cancelled up to the location's `cancelCutoffMinutes` before it starts " +
      '(422 TOO_LATE_TO_CANCEL after). The body, with an optional `reason`, may be left out.',
  })
  @ApiBody({ type: CancelBookingDto, required: false })
  @ApiOkResponse({ type: BookingDto, description: 'The booking, cancelled.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.INVALID_TRANSITION, ErrorCode.TOO_LATE_TO_CANCEL)
  cancel(@CurrentPrincipal() principal: Principal, @UuidParam('id', 'booking') id: string, @Body() dto: CancelBookingDto): Promise<BookingDto> {
    return this.bookings.cancel(principal, { ownerId: principal.userId }, id, dto);
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move your booking to another slot',
    description:
      'Moves your held or confirmed booking to a slot of the same business from one of your live offers (browse with the booking\'s `seats`), ' +
      "in one transaction: the new slot's seats are taken and the old ones freed, or nothing changes. The id and status stay, and a hold keeps its " +
      '`holdExpiresAt`. The hold rules apply to the new slot (offered 403, notice and horizon 422, party size 422, room 409) except ' +
      "the hold limit; a confirmed booking moves only up to the location's `cancelCutoffMinutes` before it starts (422 TOO_LATE_TO_CANCEL). " +
      'Requires an Idempotency-Key.',
  })
  @ApiOkResponse({ type: BookingDto, description: 'The booking on its new slot, with rescheduledAt.' })
  @ProblemResponses(
    ErrorCode.NOT_FOUND,
    ErrorCode.SLOT_NOT_OFFERED,
    ErrorCode.SLOT_UNAVAILABLE,
    ErrorCode.INVALID_TRANSITION,
    ErrorCode.SLOT_IN_PAST,
    ErrorCode.OUTSIDE_BOOKING_WINDOW,
    ErrorCode.TOO_MANY_SEATS,
    ErrorCode.TOO_LATE_TO_CANCEL,
  )
  reschedule(@CurrentPrincipal() principal: Principal, @UuidParam('id', 'booking') id: string, @Body() dto: RescheduleBookingDto): Promise<BookingDto> {
    return this.bookings.reschedule(principal, { ownerId: principal.userId }, id, dto.slotId);
  }

  @Get()
  @ApiOperation({
    summary: 'List your bookings',
    description: "The caller's own bookings by slot start (then id), any status unless `status` says which; `from`/`to` select slot starts in [from, to), with no default window.",
  })
  @ApiOkResponse({ type: BookingPageDto, description: 'Your bookings, by slot start.' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: BookingQueryDto): Promise<Page<BookingDto>> {
    return this.bookings.list({ ownerId: principal.userId }, query);
  }

  @Get(':id')
  @AnswersETag()
  @ApiOperation({ summary: 'Get one of your bookings', description: "Another user's booking is 404, as if it did not exist." })
  @ApiOkResponse({ type: BookingDto, description: 'The booking.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@CurrentPrincipal() principal: Principal, @UuidParam('id', 'booking') id: string): Promise<BookingDto> {
    return this.bookings.get({ ownerId: principal.userId }, id);
  }

  @Get(':id/history')
  @ApiOperation({
    summary: 'The history of one of your bookings',
    description: 'Every state change of the booking, oldest first: when, who (you, an operator, or the scheduler), from and to which status, why, and for a move from and to which slot.',
  })
  @ApiOkResponse({ type: BookingHistoryPageDto, description: 'The booking\'s state changes, oldest first.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  history(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id', 'booking') id: string,
    @Query() query: BookingHistoryQueryDto,
  ): Promise<Page<BookingHistoryEntryDto>> {
    return this.bookings.history({ ownerId: principal.userId }, id, query);
  }
}
