import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../common/auth/decorators';
import type { Principal } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
import { UuidParam } from '../common/http/uuid-param';
import { RateLimited } from '../common/rate-limit/rate-limit-tiers';
import { ProblemResponses } from '../openapi/problem-responses';
import { BookingsService } from './bookings.service';
import { BookingDto, BookingPageDto, BookingQueryDto, CancelBookingDto, CreateHoldDto } from './dto/booking.dto';
import { NoBody } from './dto/no-body';

/** The caller's own bookings; anyone else's look missing (404). */
@ApiTags('bookings')
@ApiBearerAuth()
@Controller('v1/bookings')
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Post()
  @RateLimited('holds')
  @ApiCreatedResponse({ type: BookingDto, description: 'A hold, live for the location\'s holdTtlSeconds.' })
  @ProblemResponses(
    ErrorCode.NOT_FOUND,
    ErrorCode.SLOT_NOT_OFFERED,
    ErrorCode.SLOT_UNAVAILABLE,
    ErrorCode.SLOT_IN_PAST,
    ErrorCode.OUTSIDE_BOOKING_WINDOW,
    ErrorCode.UNKNOWN_REFERENCE,
    ErrorCode.HOLD_LIMIT_REACHED,
  )
  hold(@CurrentPrincipal() principal: Principal, @Body() dto: CreateHoldDto): Promise<BookingDto> {
    return this.bookings.hold(principal, dto);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOkResponse({ type: BookingDto })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.HOLD_EXPIRED, ErrorCode.INVALID_TRANSITION, ErrorCode.SLOT_UNAVAILABLE)
  confirm(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @NoBody() _body: undefined): Promise<BookingDto> {
    return this.bookings.confirm(principal, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: BookingDto })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.INVALID_TRANSITION, ErrorCode.TOO_LATE_TO_CANCEL)
  cancel(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() dto: CancelBookingDto): Promise<BookingDto> {
    return this.bookings.cancel(principal, { ownerId: principal.userId }, id, dto);
  }

  @Get()
  @ApiOkResponse({ type: BookingPageDto, description: 'Your bookings, by slot start.' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: BookingQueryDto): Promise<Page<BookingDto>> {
    return this.bookings.list({ ownerId: principal.userId }, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: BookingDto })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string): Promise<BookingDto> {
    return this.bookings.get({ ownerId: principal.userId }, id);
  }
}
