import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Public } from '../common/auth/decorators';
import type { Principal } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { UuidParam } from '../common/http/uuid-param';
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
  @ApiOkResponse({ ...CALENDAR_RESPONSE, description: 'Your booking as one calendar event.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  booking(@CurrentPrincipal() principal: Principal, @UuidParam('id', 'booking') id: string): Promise<string> {
    return this.calendars.bookingCalendar(principal.userId, id);
  }

  /**
   * Calendar apps cannot send a bearer token: the secret in the path is the credential. Outside
   * /v1, like the other routes that need no token.
   */
  @Get('calendar-feeds/:token/calendar.ics')
  @Public()
  @Header('Content-Type', CALENDAR_CONTENT_TYPE)
  @ApiParam({ name: 'token', description: 'The secret of a subscription URL an admin created.' })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ ...CALENDAR_RESPONSE, description: 'A person\'s bookings from 30 days ago to a year ahead; no token needed.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  subscribed(@Param('token') token: string): Promise<string> {
    return this.calendars.subscribedCalendar(token);
  }
}
