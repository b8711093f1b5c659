import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { AuditTrail } from '../common/audit/audit-trail';
import type { Tenants } from '../common/auth/principal';
import { decodeCursor, Page, PageQueryDto, toPage } from '../common/http/pagination';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { PeopleService } from '../people/people.service';
import { DAY_MS } from '../slots/zoned-time';
import { CalendarErrors } from './calendar.errors';
import { CalendarBookingRow, CalendarFeedRow, CalendarRepository } from './calendar.repository';
import { CalendarFeedDto, CreatedCalendarFeedDto, PersonCalendarQueryDto } from './dto/calendar.dto';
import { calendarSequence, CalendarEntry, writeCalendar } from './ical-writer';

const LOOKBACK_DAYS = 30;
const DEFAULT_SPAN_DAYS = 365;
const MAX_SPAN_DAYS = 366;
/** A calendar file stays a size calendar apps take; a year of one person's bookings fits. */
const MAX_ENTRIES = 10_000;

/** Calendar files of bookings, and the secrets behind a person's subscription URL. */
@Injectable()
export class CalendarService {
  constructor(
    private readonly calendars: CalendarRepository,
    private readonly people: PeopleService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditTrail,
  ) {}

  /** One of the caller's own bookings; anyone else's looks missing. */
  async bookingCalendar(userId: string, bookingId: string): Promise<string> {
    const booking = await this.calendars.findOwnBooking(userId, bookingId);
    if (!booking) throw CalendarErrors.bookingNotFound();
    return writeCalendar({ entries: [toEntry(booking)] });
  }

  async personCalendar(tenants: Tenants, personId: string, query: PersonCalendarQueryDto): Promise<string> {
    const person = await this.people.refInTenants(tenants, personId);
    return this.write(person.id, person.name, window(query));
  }

  /** The subscription URL's feed: the default window around now. */
  async subscribedCalendar(token: string): Promise<string> {
    const feed = await this.calendars.findFeedPersonUnscoped(hashToken(token));
    if (!feed) throw CalendarErrors.feedNotFound();
    return this.write(feed.personId, feed.personName, window({}));
  }

  /** A new subscription URL for the person; its secret is shown only in this answer. */
  async createFeed(tenants: Tenants, personId: string): Promise<CreatedCalendarFeedDto> {
    const token = randomBytes(32).toString('base64url');
    const feed = await this.calendars.insertFeed(tenants, personId, hashToken(token));
    if (!feed) throw CalendarErrors.personNotFound();
    // The URL is the secret: the audit keeps the feed without it.
    this.audit.record({ target: { type: 'calendar feed', id: feed.id }, bizEntityId: feed.bizEntityId, after: toFeedDto(feed) });
    const base = (this.config.PUBLIC_BASE_URL ?? `http://localhost:${this.config.PORT}`).replace(/\/+$/, '');
    return { ...toFeedDto(feed), url: `${base}/calendar-feeds/${token}/calendar.ics` };
  }

  async listFeeds(tenants: Tenants, personId: string, query: PageQueryDto): Promise<Page<CalendarFeedDto>> {
    await this.people.refInTenants(tenants, personId);
    const rows = await this.calendars.listFeeds(tenants, personId, { after: decodeCursor(query.cursor), limit: query.limit });
    return toPage(rows, query.limit, toFeedDto);
  }

  /** The URL stops working at once. */
  async revokeFeed(tenants: Tenants, personId: string, feedId: string): Promise<void> {
    const feed = await this.calendars.revokeFeed(tenants, personId, feedId);
    if (!feed) throw CalendarErrors.feedNotFound();
    this.audit.record({ target: { type: 'calendar feed', id: feed.id }, bizEntityId: feed.bizEntityId, before: toFeedDto(feed) });
  }

  private async write(personId: string, personName: string, range: { from: Date; to: Date }): Promise<string> {
    const bookings = await this.calendars.listPersonBookingsUnscoped(personId, { ...range, limit: MAX_ENTRIES });
    return writeCalendar({ name: personName, entries: bookings.map(toEntry) });
  }
}

function window(query: PersonCalendarQueryDto): { from: Date; to: Date } {
  const from = query.from ? new Date(query.from) : new Date(Date.now() - LOOKBACK_DAYS * DAY_MS);
  const to = query.to ? new Date(query.to) : new Date(from.getTime() + DEFAULT_SPAN_DAYS * DAY_MS);
  if (to <= from) throw CalendarErrors.rangeReversed();
  if (to.getTime() - from.getTime() > MAX_SPAN_DAYS * DAY_MS) throw CalendarErrors.rangeTooLong(MAX_SPAN_DAYS);
  return { from, to };
}

/** Only a hash is stored: a leaked table does not leak working URLs. */
function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function toEntry(row: CalendarBookingRow): CalendarEntry {
  return {
    bookingId: row.id,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    timezone: row.timezone,
    status: row.status,
    sequence: calendarSequence(row.recordedChanges, row.status, row.storedStatus),
    changedAt: row.changedAt,
    createdAt: row.createdAt,
    summary: `Appointment with ${row.personName}`,
    location: row.locationName,
  };
}

function toFeedDto(row: CalendarFeedRow): CalendarFeedDto {
  return { id: row.id, personId: row.personId, createdAt: row.createdAt.toISOString() };
}
