import { Injectable } from '@nestjs/common';
import type { BookingStatus } from '../bookings/booking-status';
import type { Tenants } from '../common/auth/principal';
import { EFFECTIVE_STATUS } from '../common/database/live-bookings';
import { SqlParams, inTenants, keysetPage, withAccess } from '../common/database/sql';
import { SqlRunner } from '../common/database/sql-runner';
import { PagePosition } from '../common/http/pagination';

export interface CalendarBookingRow {
  id: string;
  startsAt: Date;
  endsAt: Date;
  timezone: string;
  /** Effective: a hold past its TTL reads `expired`. */
  status: BookingStatus;
  storedStatus: BookingStatus;
  /** The last change (a lapsed hold: when it lapsed). */
  changedAt: Date;
  createdAt: Date;
  recordedChanges: number;
  personName: string;
  locationName: string;
}

export interface CalendarFeedRow {
  id: string;
  personId: string;
  createdAt: Date;
}

/** A feed as its writes return it: with its business, for the audit. */
export interface WrittenCalendarFeed extends CalendarFeedRow {
  bizEntityId: string;
}

const WRITTEN_FEED_COLUMNS = `id, person_id AS "personId", created_at AS "createdAt", biz_entity_id AS "bizEntityId"`;

const CALENDAR_BOOKING = `
  SELECT b.id, s.starts_at AS "startsAt", s.ends_at AS "endsAt", s.timezone,
         ${EFFECTIVE_STATUS} AS status, b.status AS "storedStatus",
         CASE WHEN ${EFFECTIVE_STATUS} <> b.status THEN b.hold_expires_at ELSE b.updated_at END AS "changedAt",
         b.created_at AS "createdAt",
         (SELECT count(*) FROM scheduler.booking_events ev WHERE ev.booking_id = b.id)::int AS "recordedChanges",
         p.name AS "personName", l.name AS "locationName"
    FROM scheduler.bookings b
    JOIN scheduler.slot_instances s ON s.id = b.slot_id
    JOIN scheduler.people p ON p.id = b.person_id
    JOIN scheduler.locations l ON l.id = b.location_id`;

/** Reads for calendar files, and `scheduler.calendar_feeds`. */
@Injectable()
export class CalendarRepository {
  constructor(private readonly sql: SqlRunner) {}

  async findOwnBooking(userId: string, bookingId: string): Promise<CalendarBookingRow | undefined> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<CalendarBookingRow>(
      `${CALENDAR_BOOKING} WHERE b.id = ${p.add(bookingId)} AND ${withAccess(p, { ownerId: userId }, { owner: 'b.user_id', tenant: 'b.biz_entity_id' })}`,
      p,
    );
    return row;
  }

  /** The person's bookings whose slot starts in [from, to), by start; at most `limit`. Unscoped: the feed's secret is the access. */
  listPersonBookingsUnscoped(personId: string, window: { from: Date; to: Date; limit: number }): Promise<CalendarBookingRow[]> {
    const p = new SqlParams();
    return this.sql.rows<CalendarBookingRow>(
      `${CALENDAR_BOOKING}
        WHERE b.person_id = ${p.add(personId)} AND s.starts_at >= ${p.add(window.from)} AND s.starts_at < ${p.add(window.to)}
        ORDER BY s.starts_at, b.id LIMIT ${p.add(window.limit)}`,
      p,
    );
  }

  /** A feed of a person within the caller's tenants; undefined when the person is not theirs. */
  async insertFeed(tenants: Tenants, personId: string, tokenHash: Buffer): Promise<WrittenCalendarFeed | undefined> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<WrittenCalendarFeed>(
      `INSERT INTO scheduler.calendar_feeds (biz_entity_id, person_id, location_id, token_hash)
       SELECT p.biz_entity_id, p.id, p.location_id, ${p.add(tokenHash)} FROM scheduler.people p
        WHERE p.id = ${p.add(personId)} AND ${inTenants(p, tenants, 'p.biz_entity_id')}
       RETURNING ${WRITTEN_FEED_COLUMNS}`,
      p,
    );
    return row;
  }

  listFeeds(tenants: Tenants, personId: string, filter: { after?: PagePosition; limit: number }): Promise<CalendarFeedRow[]> {
    const p = new SqlParams();
    const page = keysetPage(p, filter, { at: 'f.created_at', id: 'f.id' });
    return this.sql.rows<CalendarFeedRow>(
      `SELECT f.id, f.person_id AS "personId", f.created_at AS "createdAt" FROM scheduler.calendar_feeds f
        WHERE f.person_id = ${p.add(personId)} AND ${inTenants(p, tenants, 'f.biz_entity_id')} AND f.revoked_at IS NULL
          AND ${page.after}
        ${page.orderAndLimit}`,
      p,
    );
  }

  /** The feed revoked; undefined when there was no live one of the person in tenants. */
  async revokeFeed(tenants: Tenants, personId: string, feedId: string): Promise<WrittenCalendarFeed | undefined> {
    const p = new SqlParams();
    const { rows } = await this.sql.change<WrittenCalendarFeed>(
      `UPDATE scheduler.calendar_feeds f SET revoked_at = date_trunc('milliseconds', now())
        WHERE f.id = ${p.add(feedId)} AND f.person_id = ${p.add(personId)} AND ${inTenants(p, tenants, 'f.biz_entity_id')}
          AND f.revoked_at IS NULL
        RETURNING ${WRITTEN_FEED_COLUMNS}`,
      p,
    );
    return rows[0];
  }

  /** The person and name behind a live (unrevoked) feed secret. Unscoped: the secret is the access. */
  async findFeedPersonUnscoped(tokenHash: Buffer): Promise<{ personId: string; personName: string } | undefined> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<{ personId: string; personName: string }>(
      `SELECT p.id AS "personId", p.name AS "personName" FROM scheduler.calendar_feeds f
         JOIN scheduler.people p ON p.id = f.person_id
        WHERE f.token_hash = ${p.add(tokenHash)} AND f.revoked_at IS NULL`,
      p,
    );
    return row;
  }
}
