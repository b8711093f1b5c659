import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime, IANAZone } from 'luxon';
import type { BookingStatus } from '../bookings/booking-status';
import { DAY_MS, MINUTE_MS, ZoneTimeline } from '../slots/zoned-time';

/** One booking as a calendar event. */
export interface CalendarEntry {
  bookingId: string;
  startsAt: Date;
  endsAt: Date;
  /** The zone the slot was generated in (the location's): the events' TZID. */
  timezone: string;
  status: BookingStatus;
  sequence: number;
  /** The last change: DTSTAMP and LAST-MODIFIED. */
  changedAt: Date;
  createdAt: Date;
  summary: string;
  location: string;
}

const STATUS: Record<BookingStatus, ICalEventStatus> = {
  held: ICalEventStatus.TENTATIVE,
  confirmed: ICalEventStatus.CONFIRMED,
  completed: ICalEventStatus.CONFIRMED,
  no_show: ICalEventStatus.CONFIRMED,
  cancelled: ICalEventStatus.CANCELLED,
  // A hold that lapsed never became an appointment: calendars that showed it tentatively drop it.
  expired: ICalEventStatus.CANCELLED,
};

/** Stable across every version of the file: calendars update the event rather than add one. */
export const eventUid = (bookingId: string): string => `${bookingId}@general-scheduler`;

/**
 * SEQUENCE rises with each change: the booking's recorded state changes, less the first, plus
 * one while a lapsed hold reads `expired` before anything has recorded the expiry (recording it
 * later adds the change and drops the extra one, so the number stays).
 */
export function calendarSequence(recordedChanges: number, status: BookingStatus, storedStatus: BookingStatus): number {
  return Math.max(0, recordedChanges - 1) + (status !== storedStatus ? 1 : 0);
}

/**
 * RFC 5545 iCalendar (METHOD:PUBLISH) with a VTIMEZONE per zone used. Start and end are written
 * as wall-clock times with the zone's TZID, except when a reader could take them for another
 * instant: a zone missing from the VTIMEZONE data, or a wall-clock time that happens twice in a
 * fall-back (RFC 5545 says the first occurrence is meant; ical.js, for one, reads the second).
 * Such an event is written in UTC.
 */
export function writeCalendar(calendar: { name?: string; entries: readonly CalendarEntry[] }): string {
  const cal = ical({
    prodId: { company: 'General Scheduler', product: 'Scheduler', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    ...(calendar.name ? { name: calendar.name } : {}),
    timezone: { name: null, generator: getVtimezoneComponent },
  });
  const readable = zoneReadability(calendar.entries);
  for (const entry of calendar.entries) {
    const zoned = readable(entry.timezone, entry.startsAt) && readable(entry.timezone, entry.endsAt);
    cal.createEvent({
      id: eventUid(entry.bookingId),
      sequence: entry.sequence,
      start: DateTime.fromJSDate(entry.startsAt),
      end: DateTime.fromJSDate(entry.endsAt),
      timezone: zoned ? entry.timezone : null,
      stamp: DateTime.fromJSDate(entry.changedAt),
      lastModified: DateTime.fromJSDate(entry.changedAt),
      created: DateTime.fromJSDate(entry.createdAt),
      status: STATUS[entry.status],
      summary: entry.summary,
      location: entry.location,
      description: `Booking ${entry.bookingId}: ${entry.status.replace('_', '-')}.`,
    });
  }
  return cal.toString();
}

/** Whether an instant written as wall-clock time with a TZID can only be read back as itself. */
function zoneReadability(entries: readonly CalendarEntry[]): (timezone: string, at: Date) => boolean {
  const timelines = new Map<string, ZoneTimeline | null>();
  const timelineOf = (timezone: string): ZoneTimeline | null => {
    if (!timelines.has(timezone)) {
      const instants = entries.filter((entry) => entry.timezone === timezone).flatMap((entry) => [entry.startsAt.getTime(), entry.endsAt.getTime()]);
      const known = getVtimezoneComponent(timezone) !== null && IANAZone.isValidZone(timezone);
      timelines.set(timezone, known ? ZoneTimeline.build(timezone, Math.min(...instants) - DAY_MS, Math.max(...instants) + DAY_MS) : null);
    }
    return timelines.get(timezone)!;
  };
  return (timezone, at) => {
    const timeline = timelineOf(timezone);
    if (!timeline) return false;
    const instant = at.getTime();
    const local = instant + Math.round(IANAZone.create(timezone).offset(instant) * MINUTE_MS);
    return timeline.earlier(local) === instant && timeline.later(local) === instant;
  };
}
