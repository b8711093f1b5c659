import { ApiProperty } from '@nestjs/swagger';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { IsInstant } from '../../common/validation/calendar';
import { EXAMPLE } from '../../openapi/examples';
import { writeCalendar } from '../ical-writer';

export class PersonCalendarQueryDto {
  @ApiProperty({
    required: false,
    format: 'date-time',
    example: '2026-03-01T00:00:00.000Z',
    description: 'Bookings whose slot starts at or after this instant; default 30 days ago.',
  })
  @IsOptionalNotNull()
  @IsInstant()
  from?: string;

  @ApiProperty({
    required: false,
    format: 'date-time',
    example: '2026-04-01T00:00:00.000Z',
    description: 'Bookings whose slot starts before this instant; default a year after `from`. At most 366 days after it.',
  })
  @IsOptionalNotNull()
  @IsInstant()
  to?: string;
}

export class CalendarFeedDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.calendarFeedId }) id: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.personId, description: 'Whose calendar it serves.' }) personId: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.createdAt }) createdAt: string;
}

export class CreatedCalendarFeedDto extends CalendarFeedDto {
  @ApiProperty({
    example: `${EXAMPLE.publicBaseUrl}/calendar-feeds/${EXAMPLE.calendarFeedToken}/calendar.ics`,
    description: 'The subscription URL, shown only now. It carries the secret: anyone holding it can read the feed until it is revoked.',
  })
  url: string;
}

export class CalendarFeedPageDto {
  @ApiProperty({ type: [CalendarFeedDto] }) data: CalendarFeedDto[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor: string | null;
}

export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8';

/** What a calendar file looks like: the example booking, confirmed, written by the writer the routes use. */
const EXAMPLE_CALENDAR = writeCalendar({
  name: EXAMPLE.personName,
  entries: [
    {
      bookingId: EXAMPLE.bookingId,
      startsAt: new Date(EXAMPLE.startsAt),
      endsAt: new Date(EXAMPLE.endsAt),
      timezone: EXAMPLE.timezone,
      status: 'confirmed',
      sequence: 1,
      changedAt: new Date(EXAMPLE.confirmedAt),
      createdAt: new Date(EXAMPLE.createdAt),
      summary: `Appointment with ${EXAMPLE.personName}`,
      location: EXAMPLE.locationName,
    },
  ],
});

/** The OpenAPI response of a route that answers with an iCalendar file. */
export const CALENDAR_RESPONSE = {
  description: 'An RFC 5545 iCalendar file.',
  content: { 'text/calendar': { schema: { type: 'string', example: EXAMPLE_CALENDAR } } },
};
