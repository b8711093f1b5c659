import { Controller, Delete, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { NoBody } from '../bookings/dto/no-body';
import { AdminApi, CurrentTenants } from '../common/auth/decorators';
import type { Tenants } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { Page, PageQueryDto } from '../common/http/pagination';
import { UuidParam } from '../common/http/uuid-param';
import { ProblemResponses } from '../openapi/problem-responses';
import { CalendarService } from './calendar.service';
import { CALENDAR_CONTENT_TYPE, CALENDAR_RESPONSE, CalendarFeedDto, CalendarFeedPageDto, CreatedCalendarFeedDto, PersonCalendarQueryDto } from './dto/calendar.dto';

@ApiTags('admin: calendar')
@ApiBearerAuth()
@AdminApi()
@Controller('v1/admin/people')
export class AdminCalendarController {
  constructor(private readonly calendars: CalendarService) {}

  @Get(':id/calendar.ics')
  @Header('Content-Type', CALENDAR_CONTENT_TYPE)
  @ApiProduces('text/calendar')
  @ApiOperation({
    summary: "Get a person's calendar file",
    description:
      "The person's bookings whose slot starts in [from, to) as RFC 5545 events (default: from 30 days ago, for a year; at most 366 days), " +
      'held, confirmed and closed out alike; cancelled ones and lapsed holds as `STATUS:CANCELLED`, so a calendar that had them drops them.',
  })
  @ApiOkResponse({ ...CALENDAR_RESPONSE, description: 'The person\'s bookings whose slot starts in [from, to), each as an event.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  calendar(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'person') id: string, @Query() query: PersonCalendarQueryDto): Promise<string> {
    return this.calendars.personCalendar(tenants, id, query);
  }

  @Post(':id/calendar-feeds')
  @ApiOperation({
    summary: 'Create a calendar subscription URL',
    description:
      "A URL that serves the person's calendar without a token, for calendar apps that cannot send one. It carries a secret and is shown " +
      'only in this answer (only a hash is stored): treat it like a password, and revoke it if it leaks. No body.',
  })
  @ApiCreatedResponse({ type: CreatedCalendarFeedDto, description: 'A subscription URL for the person\'s calendar, shown only now.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  createFeed(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'person') id: string, @NoBody() _body: undefined): Promise<CreatedCalendarFeedDto> {
    return this.calendars.createFeed(tenants, id);
  }

  @Get(':id/calendar-feeds')
  @ApiOperation({ summary: 'List calendar subscription URLs', description: "The person's subscription URLs still in force, in creation order, without their secrets." })
  @ApiOkResponse({ type: CalendarFeedPageDto, description: 'The person\'s subscription URLs that still work (without their secrets).' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  listFeeds(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'person') id: string, @Query() query: PageQueryDto): Promise<Page<CalendarFeedDto>> {
    return this.calendars.listFeeds(tenants, id, query);
  }

  @Delete(':id/calendar-feeds/:feedId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a calendar subscription URL', description: 'The URL answers 404 from now on; calendars subscribed to it stop updating.' })
  @ApiNoContentResponse({ description: 'Revoked: the URL answers 404 from now on.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  revokeFeed(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'person') id: string, @UuidParam('feedId', 'calendar feed') feedId: string): Promise<void> {
    return this.calendars.revokeFeed(tenants, id, feedId);
  }
}
