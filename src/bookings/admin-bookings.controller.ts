import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminApi, CurrentPrincipal, CurrentTenantScope } from '../common/auth/decorators';
import type { Principal, TenantScope } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
import { UuidParam } from '../common/http/uuid-param';
import { ProblemResponses } from '../openapi/problem-responses';
import { BookingsService } from './bookings.service';
import {
  AdminBookingQueryDto,
  AdminCreateBookingDto,
  BookingDto,
  BookingPageDto,
  BulkCancelDto,
  BulkCancelResultDto,
  CancelBookingDto,
  RescheduleBookingDto,
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
  @ApiOkResponse({ type: BookingPageDto, description: 'Bookings of any set of resources, by slot start.' })
  list(@CurrentTenantScope() scope: TenantScope, @Query() query: AdminBookingQueryDto): Promise<Page<BookingDto>> {
    return this.bookings.list({ scope }, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: BookingDto })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@CurrentTenantScope() scope: TenantScope, @UuidParam('id') id: string): Promise<BookingDto> {
    return this.bookings.get({ scope }, id);
  }

  @Post()
  @ApiCreatedResponse({ type: BookingDto, description: 'Confirmed unless status says held. Capacity is still enforced.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.SLOT_UNAVAILABLE, ErrorCode.SLOT_IN_PAST, ErrorCode.UNKNOWN_REFERENCE)
  create(
    @CurrentPrincipal() principal: Principal,
    @CurrentTenantScope() scope: TenantScope,
    @Body() dto: AdminCreateBookingDto,
  ): Promise<BookingDto> {
    return this.bookings.createForUser(principal, scope, dto);
  }

  @Post('bulk-cancel')
  @HttpCode(200)
  @LongRunning()
  @ApiOkResponse({ type: BulkCancelResultDto })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  bulkCancel(
    @CurrentPrincipal() principal: Principal,
    @CurrentTenantScope() scope: TenantScope,
    @Body() dto: BulkCancelDto,
  ): Promise<BulkCancelResultDto> {
    return this.bookings.bulkCancel(principal, scope, dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: BookingDto, description: 'No cancel cutoff applies to operators.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.INVALID_TRANSITION)
  cancel(
    @CurrentPrincipal() principal: Principal,
    @CurrentTenantScope() scope: TenantScope,
    @UuidParam('id') id: string,
    @Body() dto: CancelBookingDto,
  ): Promise<BookingDto> {
    return this.bookings.cancel(principal, { scope }, id, dto);
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  @ApiOkResponse({ type: BookingDto })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.SLOT_UNAVAILABLE, ErrorCode.SLOT_IN_PAST, ErrorCode.INVALID_TRANSITION)
  reschedule(
    @CurrentPrincipal() principal: Principal,
    @CurrentTenantScope() scope: TenantScope,
    @UuidParam('id') id: string,
    @Body() dto: RescheduleBookingDto,
  ): Promise<BookingDto> {
    return this.bookings.reschedule(principal, scope, id, dto.slotId);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOkResponse({ type: BookingDto })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.INVALID_TRANSITION)
  complete(
    @CurrentPrincipal() principal: Principal,
    @CurrentTenantScope() scope: TenantScope,
    @UuidParam('id') id: string,
    @NoBody() _body: undefined,
  ): Promise<BookingDto> {
    return this.bookings.closeOut(principal, scope, id, 'complete');
  }

  @Post(':id/no-show')
  @HttpCode(200)
  @ApiOkResponse({ type: BookingDto })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.INVALID_TRANSITION)
  noShow(
    @CurrentPrincipal() principal: Principal,
    @CurrentTenantScope() scope: TenantScope,
    @UuidParam('id') id: string,
    @NoBody() _body: undefined,
  ): Promise<BookingDto> {
    return this.bookings.closeOut(principal, scope, id, 'no_show');
  }
}
