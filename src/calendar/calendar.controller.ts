import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Public } from '../common/auth/decorators';
import type { Principal } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { UuidParam } from '../common/http/uuid-param';
import { EXAMPLE } from '../openapi/examples';
import { ProblemResponses } from '../openapi/problem-responses';
import { CalendarService } from './calendar.service';
import { CALENDAR_CONTENT_TYPE, CALENDAR_RESPONSE } from './dto/calendar.dto';

@ApiTags('calendar')
@Controller()
export class CalendarController {
  constructor(private readonly calendars: CalendarService) {}

  @Get('v1/bookings/:id/calendar.ics')
  @ApiBearerAuth()
  @Header('Content-Type', CALENDAR_CONTENT_TYPE)
  @ApiProduces('text/calendar')
  @ApiOperation({
    summary: 'Get your booking as a calendar file',
    description:
      "One of the caller's own bookings as an RFC 5545 event, to add to a calendar: `UID` stays the same in every version, `SEQUENCE` rises " +
      "with each change, times carry the location's zone (`TZID`, with its `VTIMEZONE`), and a cancelled booking or lapsed hold is " +
      "`STATUS:CANCELLED`. Another user's booking is 404.",
  })
  @ApiOkResponse({ ...CALENDAR_RESPONSE, description: 'Your booking as one calendar event.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  booking(@CurrentPrincipal() principal: Principal, @UuidParam('id', 'booking') id: string): Promise<string> {
    return this.calendars.bookingCalendar(principal.userId, id);
  }

  /**
   * Calendar apps cannot send a bearer token: the secret in the path is the credential. Outside
   * /v1, like the other routes that need no token, so the code table's `/v1` scopes do not
   * reach it: it lists what it can answer itself.
   */
  @Get('calendar-feeds/:token/calendar.ics')
  @Public()
  @Header('Content-Type', CALENDAR_CONTENT_TYPE)
  @ApiParam({
    name: 'token',
    description: 'The secret of a subscription URL an admin created (the whole URL is in its `url`).',
    schema: { type: 'string', example: EXAMPLE.calendarFeedToken },
  })
  @ApiProduces('text/calendar')
  @ApiOperation({
    summary: 'Read a calendar subscription',
    description:
      "The subscription URL calendar apps poll, without a token: a person's bookings from 30 days ago to a year ahead, one event each. " +
      'The secret in the path is the credential; once an admin revokes it (or if it never existed) the URL answers 404.',
  })
  @ApiOkResponse({ ...CALENDAR_RESPONSE, description: 'A person\'s bookings from 30 days ago to a year ahead; no token needed.' })
  // A path that is not valid percent-encoding (`/calendar-feeds/%/calendar.ics`) is refused as malformed before the route runs.
  @ProblemResponses(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.NOT_FOUND,
    ErrorCode.HEADERS_TOO_LARGE,
    ErrorCode.RATE_LIMITED,
    ErrorCode.INTERNAL,
    ErrorCode.UNAVAILABLE,
  )
  subscribed(@Param('token') token: string): Promise<string> {
    return this.calendars.subscribedCalendar(token);
  }
}
