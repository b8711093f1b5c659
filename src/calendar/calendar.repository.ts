import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';
import type { BookingStatus } from '../bookings/booking-status';
import type { Tenants } from '../common/auth/principal';
import { EFFECTIVE_STATUS } from '../common/database/live-bookings';
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
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private query<T>(sql: string, params: unknown[]): Promise<T> {
    return this.txHost.tx.query(sql, params) as Promise<T>;
  }

  async findOwnBooking(userId: string, bookingId: string): Promise<CalendarBookingRow | undefined> {
    const [row] = await this.query<CalendarBookingRow[]>(`${CALENDAR_BOOKING} WHERE b.id = $1 AND b.user_id = $2`, [bookingId, userId]);
    return row;
  }

  /** The person's bookings whose slot starts in [from, to), by start; at most `limit`. */
  listPersonBookings(personId: string, window: { from: Date; to: Date; limit: number }): Promise<CalendarBookingRow[]> {
    return this.query<CalendarBookingRow[]>(
      `${CALENDAR_BOOKING}
        WHERE b.person_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3
        ORDER BY s.starts_at, b.id LIMIT $4`,
      [personId, window.from, window.to, window.limit],
    );
  }

  /** A feed of a person within the caller's tenants; undefined when the person is not theirs. */
  async insertFeed(tenants: Tenants, personId: string, tokenHash: Buffer): Promise<CalendarFeedRow | undefined> {
    const [row] = await this.query<CalendarFeedRow[]>(
      `INSERT INTO scheduler.calendar_feeds (biz_entity_id, person_id, location_id, token_hash)
       SELECT p.biz_entity_id, p.id, p.location_id, $2 FROM scheduler.people p
        WHERE p.id = $1 AND ($3 OR p.biz_entity_id = ANY($4::uuid[]))
       RETURNING id, person_id AS "personId", created_at AS "createdAt"`,
      [personId, tokenHash, tenants.all, tenants.bizIds],
    );
    return row;
  }

  listFeeds(tenants: Tenants, personId: string, page: { after?: PagePosition; limit: number }): Promise<CalendarFeedRow[]> {
    return this.query<CalendarFeedRow[]>(
      `SELECT f.id, f.person_id AS "personId", f.created_at AS "createdAt" FROM scheduler.calendar_feeds f
        WHERE f.person_id = $1 AND ($2 OR f.biz_entity_id = ANY($3::uuid[])) AND f.revoked_at IS NULL
          AND ($4::timestamptz IS NULL OR (f.created_at, f.id) > ($4, $5::uuid))
        ORDER BY f.created_at, f.id LIMIT $6`,
      [personId, tenants.all, tenants.bizIds, page.after?.at ?? null, page.after?.id ?? null, page.limit + 1],
    );
  }

  async revokeFeed(tenants: Tenants, personId: string, feedId: string): Promise<boolean> {
    const [, changed] = await this.query<[unknown[], number]>(
      `UPDATE scheduler.calendar_feeds f SET revoked_at = date_trunc('milliseconds', now())
        WHERE f.id = $1 AND f.person_id = $2 AND ($3 OR f.biz_entity_id = ANY($4::uuid[])) AND f.revoked_at IS NULL`,
      [feedId, personId, tenants.all, tenants.bizIds],
    );
    return changed === 1;
  }

  /** The person and name behind a live (unrevoked) feed secret. */
  async findFeedPerson(tokenHash: Buffer): Promise<{ personId: string; personName: string } | undefined> {
    const [row] = await this.query<{ personId: string; personName: string }[]>(
      `SELECT p.id AS "personId", p.name AS "personName" FROM scheduler.calendar_feeds f
         JOIN scheduler.people p ON p.id = f.person_id
        WHERE f.token_hash = $1 AND f.revoked_at IS NULL`,
      [tokenHash],
    );
    return row;
  }
}
