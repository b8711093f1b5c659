import { Controller, Delete, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
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
  @ApiOkResponse({ ...CALENDAR_RESPONSE, description: 'The person\'s bookings whose slot starts in [from, to), each as an event.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  calendar(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'person') id: string, @Query() query: PersonCalendarQueryDto): Promise<string> {
    return this.calendars.personCalendar(tenants, id, query);
  }

  @Post(':id/calendar-feeds')
  @ApiCreatedResponse({ type: CreatedCalendarFeedDto, description: 'A subscription URL for the person\'s calendar, shown only now.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  createFeed(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'person') id: string, @NoBody() _body: undefined): Promise<CreatedCalendarFeedDto> {
    return this.calendars.createFeed(tenants, id);
  }

  @Get(':id/calendar-feeds')
  @ApiOkResponse({ type: CalendarFeedPageDto, description: 'The person\'s subscription URLs that still work (without their secrets).' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  listFeeds(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'person') id: string, @Query() query: PageQueryDto): Promise<Page<CalendarFeedDto>> {
    return this.calendars.listFeeds(tenants, id, query);
  }

  @Delete(':id/calendar-feeds/:feedId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: the URL answers 404 from now on.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  revokeFeed(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'person') id: string, @UuidParam('feedId', 'calendar feed') feedId: string): Promise<void> {
    return this.calendars.revokeFeed(tenants, id, feedId);
  }
}
