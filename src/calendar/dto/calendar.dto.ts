import { ApiProperty } from '@nestjs/swagger';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { IsInstant } from '../../common/validation/calendar';

export class PersonCalendarQueryDto {
  @ApiProperty({ required: false, format: 'date-time', description: 'Bookings whose slot starts at or after this instant; default 30 days ago.' })
  @IsOptionalNotNull()
  @IsInstant()
  from?: string;

  @ApiProperty({ required: false, format: 'date-time', description: 'Bookings whose slot starts before this instant; default a year after `from`. At most 366 days after it.' })
  @IsOptionalNotNull()
  @IsInstant()
  to?: string;
}

export class CalendarFeedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CreatedCalendarFeedDto extends CalendarFeedDto {
  @ApiProperty({
    example: 'https://scheduler.example.com/calendar-feeds/3q2-7wZ8…/calendar.ics',
    description: 'The subscription URL, shown only now. It carries the secret: anyone holding it can read the feed until it is revoked.',
  })
  url: string;
}

export class CalendarFeedPageDto {
  @ApiProperty({ type: [CalendarFeedDto] }) data: CalendarFeedDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8';

/** The OpenAPI response of a route that answers with an iCalendar file. */
export const CALENDAR_RESPONSE = {
  description: 'An RFC 5545 iCalendar file.',
  content: { 'text/calendar': { schema: { type: 'string' } } },
};
