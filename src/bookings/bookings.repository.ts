import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';
import type { Tenants } from '../common/auth/principal';
import { EFFECTIVE_STATUS, LIVE_BOOKING } from '../common/database/live-bookings';
import { PagePosition } from '../common/http/pagination';
import { PreviousSlot, toPreviousSlotDto } from '../events/dto/event.dto';
import { BookingEventType } from '../events/event-types';
import type { BookingStatus } from './booking-status';
import { toBookingDto } from './dto/booking.dto';

/** A booking as the API shows it: the row, and its slot's times and zone. */
export interface BookingView {
  id: string;
  bizEntityId: string;
  slotId: string;
  userId: string;
  locationId: string;
  personId: string;
  startsAt: Date;
  endsAt: Date;
  localStart: string;
  timezone: string;
  /** Effective: a hold past its TTL reads `expired`. */
  status: BookingStatus;
  holdExpiresAt: Date | null;
  notes: string | null;
  cancelReason: string | null;
  createdAt: Date;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  /** Time checks made with the database's clock. */
  started: boolean;
  insideCancelCutoff: boolean;
  cancelCutoffMinutes: number;
}

/** A slot locked for a booking decision, with its location's policy and the time checks done by `now()`. */
export interface LockedSlot {
  id: string;
  bizEntityId: string;
  locationId: string;
  personId: string;
  status: 'open' | 'blocked' | 'retired';
  capacity: number;
  locationActive: boolean;
  personActive: boolean;
  started: boolean;
  insideMinNotice: boolean;
  beyondHorizon: boolean;
  holdTtlSeconds: number;
  maxActiveHoldsPerUser: number;
  requireExposure: boolean;
}

export interface BookingEvent {
  bookingId: string;
  bizEntityId: string;
  actorSub: string | null;
  from: BookingStatus | null;
  to: BookingStatus;
  reason?: string | null;
  details?: BookingEventDetails;
}

export interface BookingEventDetails {
  /** A move: the slot the booking left, and the one it took (its status stays). */
  fromSlotId?: string;
  toSlotId?: string;
  /** Part of a bulk cancellation. */
  bulk?: boolean;
}


const EVENT_TYPE_BY_STATUS: Record<BookingStatus, BookingEventType> = {
  held: 'booking.held',
  confirmed: 'booking.confirmed',
  cancelled: 'booking.cancelled',
  expired: 'booking.expired',
  completed: 'booking.completed',
  no_show: 'booking.no_show',
};

/** A change that keeps the status is a move to another slot; any other is named by the status it reaches. */
export function outboxEventType(event: Pick<BookingEvent, 'from' | 'to'>): BookingEventType {
  return event.from === event.to ? 'booking.rescheduled' : EVENT_TYPE_BY_STATUS[event.to];
}

export interface BookingListFilter {
  userId?: string;
  locationId?: string;
  personId?: string;
  status?: BookingStatus;
  from?: Date;
  to?: Date;
  after?: PagePosition;
  limit: number;
}

const BOOKING_VIEW = `
  SELECT b.id, b.biz_entity_id AS "bizEntityId", b.slot_id AS "slotId", b.user_id AS "userId",
         b.location_id AS "locationId", b.person_id AS "personId",
         s.starts_at AS "startsAt", s.ends_at AS "endsAt", s.local_start AS "localStart", s.timezone,
         ${EFFECTIVE_STATUS} AS status, b.hold_expires_at AS "holdExpiresAt", b.notes,
         b.cancel_reason AS "cancelReason", b.created_at AS "createdAt",
         b.confirmed_at AS "confirmedAt", b.cancelled_at AS "cancelledAt",
         s.starts_at <= now() AS started,
         s.starts_at < now() + make_interval(mins => l.cancel_cutoff_minutes) AS "insideCancelCutoff",
         l.cancel_cutoff_minutes AS "cancelCutoffMinutes"
    FROM scheduler.bookings b
    JOIN scheduler.slot_instances s ON s.id = b.slot_id
    JOIN scheduler.locations l ON l.id = b.location_id`;

/** A slot with its location's policy and the time checks made by `now()`; callers add the WHERE and SLOT_LOCKS. */
const LOCKED_SLOT = `
  SELECT s.id, s.biz_entity_id AS "bizEntityId", s.location_id AS "locationId", s.person_id AS "personId",
         s.status, s.capacity, l.active AS "locationActive", p.active AS "personActive",
         s.starts_at <= now() AS started,
         s.starts_at < now() + make_interval(mins => l.min_notice_minutes) AS "insideMinNotice",
         s.starts_at > now() + make_interval(days => l.booking_horizon_days) AS "beyondHorizon",
         l.hold_ttl_seconds AS "holdTtlSeconds", l.max_active_holds_per_user AS "maxActiveHoldsPerUser",
         l.require_exposure AS "requireExposure"
    FROM scheduler.slot_instances s
    JOIN scheduler.locations l ON l.id = s.location_id
    JOIN scheduler.people p ON p.id = s.person_id`;

/**
 * The slot row for update: every capacity decision about a slot runs one at a time. Its location
 * and person are share-locked, so a delete (which locks them for update and then looks for live
 * bookings) cannot interleave with a new booking.
 */
const SLOT_LOCKS = 'FOR UPDATE OF s FOR SHARE OF l, p';

/** Who may see or change a booking: its user (`ownerId`), or an operator of its business (`tenants`). */
export interface BookingAccess {
  ownerId?: string;
  tenants?: Tenants;
}

/** The access filter over bookings `b`, its three parameters starting at `$first`. */
function accessFilter(first: number): string {
  return `($${first}::uuid IS NULL OR b.user_id = $${first})
          AND ($${first + 1}::boolean IS NULL OR $${first + 1} OR b.biz_entity_id = ANY($${first + 2}::uuid[]))`;
}

function accessParams(access: BookingAccess): unknown[] {
  return [access.ownerId ?? null, access.tenants ? access.tenants.all : null, access.tenants?.bizIds ?? []];
}

/** SQL for `scheduler.bookings` and `scheduler.booking_events`. */
@Injectable()
export class BookingsRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private query<T>(sql: string, params: unknown[]): Promise<T> {
    return this.txHost.tx.query(sql, params) as Promise<T>;
  }

  /**
   * Locks the slot row for the rest of the transaction: every capacity decision about a slot
   * runs one at a time, on any number of instances. The location and person rows are share-
   * locked, so a delete (which locks them for update and then looks for live bookings) cannot
   * interleave with a new booking. With a tenants, only the caller's tenants.
   */
  async lockSlot(slotId: string, tenants?: Tenants): Promise<LockedSlot | undefined> {
    const [row] = await this.query<LockedSlot[]>(
      `${LOCKED_SLOT} WHERE s.id = $1 AND ($2::boolean IS NULL OR $2 OR s.biz_entity_id = ANY($3::uuid[])) ${SLOT_LOCKS}`,
      [slotId, tenants ? tenants.all : null, tenants?.bizIds ?? []],
    );
    return row;
  }

  /** The slot a booking visible with `access` is on, locked as `lockSlot` locks it (the booking itself is not). */
  async lockSlotOfBooking(bookingId: string, access: BookingAccess): Promise<LockedSlot | undefined> {
    const [row] = await this.query<LockedSlot[]>(
      `${LOCKED_SLOT} WHERE s.id = (SELECT b.slot_id FROM scheduler.bookings b WHERE b.id = $1 AND ${accessFilter(2)}) ${SLOT_LOCKS}`,
      [bookingId, ...accessParams(access)],
    );
    return row;
  }

  /** Writes `expired` on the slot's holds past their TTL, so they leave the unique index too. */
  async expireStaleHoldsOnSlot(slotId: string): Promise<{ id: string; bizEntityId: string }[]> {
    const [rows] = await this.query<[{ id: string; bizEntityId: string }[], number]>(
      `UPDATE scheduler.bookings SET status = 'expired', updated_at = date_trunc('milliseconds', now())
        WHERE slot_id = $1 AND status = 'held' AND hold_expires_at <= now()
        RETURNING id, biz_entity_id AS "bizEntityId"`,
      [slotId],
    );
    return rows;
  }

  async countLiveOnSlot(slotId: string): Promise<number> {
    const [row] = await this.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM scheduler.bookings b WHERE b.slot_id = $1 AND ${LIVE_BOOKING}`,
      [slotId],
    );
    return row.n;
  }

  async userHasLiveOnSlot(slotId: string, userId: string): Promise<boolean> {
    const [row] = await this.query<{ found: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM scheduler.bookings b WHERE b.slot_id = $1 AND b.user_id = $2 AND ${LIVE_BOOKING}) AS found`,
      [slotId, userId],
    );
    return row.found;
  }

  /**
   * Serialises one user's holds at one location, so two concurrent holds on different slots
   * cannot both slip under the hold limit; then counts the live ones.
   */
  async lockAndCountUserHolds(userId: string, locationId: string): Promise<number> {
    await this.query(`SELECT pg_advisory_xact_lock(hashtextextended('holds:' || $1 || ':' || $2, 0))`, [userId, locationId]);
    const [row] = await this.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM scheduler.bookings
        WHERE user_id = $1 AND location_id = $2 AND status = 'held' AND hold_expires_at > now()`,
      [userId, locationId],
    );
    return row.n;
  }

  async insert(booking: {
    slot: LockedSlot;
    userId: string;
    status: 'held' | 'confirmed';
    notes: string | null;
  }): Promise<string> {
    const { slot } = booking;
    const [row] = await this.query<{ id: string }[]>(
      `INSERT INTO scheduler.bookings
         (biz_entity_id, location_id, person_id, slot_id, user_id, status, hold_expires_at, notes, confirmed_at)
       VALUES ($1, $2, $3, $4, $5, $6,
               CASE WHEN $6 = 'held' THEN date_trunc('milliseconds', now()) + make_interval(secs => $7) END,
               $8,
               CASE WHEN $6 = 'confirmed' THEN date_trunc('milliseconds', now()) END)
       RETURNING id`,
      [slot.bizEntityId, slot.locationId, slot.personId, slot.id, booking.userId, booking.status, slot.holdTtlSeconds, booking.notes],
    );
    return row.id;
  }

  /**
   * The one writer of booking events: each change gets its history row and its outbox event
   * (the booking as GET shows it after the change; a move also carries the slot it left) in
   * one statement, inside the caller's transaction, so both commit or roll back with the
   * change itself. An expiry is timed at the hold's `holdExpiresAt`, whoever records it.
   */
  async recordEvents(events: readonly BookingEvent[]): Promise<void> {
    if (events.length === 0) return;
    const views = new Map(
      (await this.query<BookingView[]>(`${BOOKING_VIEW} WHERE b.id = ANY($1::uuid[])`, [[...new Set(events.map((e) => e.bookingId))]])).map(
        (view) => [view.id, view],
      ),
    );
    const previousSlots = await this.previousSlots(events);
    const outbox = events.map((event) => {
      const view = views.get(event.bookingId)!;
      const previous = event.details?.fromSlotId ? previousSlots.get(event.details.fromSlotId) : undefined;
      return {
        type: outboxEventType(event),
        data: { booking: toBookingDto(view), ...(previous ? { previousSlot: toPreviousSlotDto(previous) } : {}) },
      };
    });
    await this.query(
      `WITH history AS (
         INSERT INTO scheduler.booking_events (booking_id, biz_entity_id, actor_sub, from_status, to_status, reason, details)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::jsonb[]))
       INSERT INTO scheduler.outbox_events (booking_id, biz_entity_id, type, occurred_at, data)
       SELECT e.booking_id, e.biz_entity_id, e.type,
              CASE WHEN e.type = 'booking.expired' THEN b.hold_expires_at ELSE date_trunc('milliseconds', now()) END, e.data
         FROM unnest($1::uuid[], $2::uuid[], $8::text[], $9::jsonb[]) WITH ORDINALITY AS e(booking_id, biz_entity_id, type, data, n)
         JOIN scheduler.bookings b ON b.id = e.booking_id
        ORDER BY e.n`,
      [
        events.map((e) => e.bookingId),
        events.map((e) => e.bizEntityId),
        events.map((e) => e.actorSub),
        events.map((e) => e.from),
        events.map((e) => e.to),
        events.map((e) => e.reason ?? null),
        events.map((e) => JSON.stringify(e.details ?? {})),
        outbox.map((e) => e.type),
        outbox.map((e) => JSON.stringify(e.data)),
      ],
    );
  }

  private async previousSlots(events: readonly BookingEvent[]): Promise<Map<string, PreviousSlot>> {
    const ids = events.flatMap((event) => (event.details?.fromSlotId ? [event.details.fromSlotId] : []));
    if (ids.length === 0) return new Map();
    const rows = await this.query<PreviousSlot[]>(
      `SELECT id, location_id AS "locationId", person_id AS "personId", starts_at AS "startsAt", ends_at AS "endsAt",
              local_start AS "localStart", timezone
         FROM scheduler.slot_instances WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** One booking, locked when asked; `owner` limits it to a user's own, `tenants` to tenants. */
  async find(id: string, access: BookingAccess, lock = false): Promise<BookingView | undefined> {
    const [row] = await this.query<BookingView[]>(
      `${BOOKING_VIEW}
        WHERE b.id = $1 AND ${accessFilter(2)}
        ${lock ? 'FOR UPDATE OF b' : ''}`,
      [id, ...accessParams(access)],
    );
    return row;
  }

  list(access: BookingAccess, filter: BookingListFilter): Promise<BookingView[]> {
    return this.query<BookingView[]>(
      `${BOOKING_VIEW}
        WHERE ${accessFilter(1)}
          AND ($4::uuid IS NULL OR b.user_id = $4)
          AND ($5::uuid IS NULL OR b.location_id = $5)
          AND ($6::uuid IS NULL OR b.person_id = $6)
          AND ($7::text IS NULL OR ${EFFECTIVE_STATUS} = $7)
          AND ($8::timestamptz IS NULL OR s.starts_at >= $8)
          AND ($9::timestamptz IS NULL OR s.starts_at < $9)
          AND ($10::timestamptz IS NULL OR (s.starts_at, b.id) > ($10, $11::uuid))
        ORDER BY s.starts_at, b.id
        LIMIT $12`,
      [
        ...accessParams(access),
        filter.userId ?? null,
        filter.locationId ?? null,
        filter.personId ?? null,
        filter.status ?? null,
        filter.from ?? null,
        filter.to ?? null,
        filter.after?.at ?? null,
        filter.after?.id ?? null,
        filter.limit + 1,
      ],
    );
  }

  /** After a locked read with the same access; the filter is repeated in the UPDATE all the same. False when it matched no row. */
  async setStatus(id: string, access: BookingAccess, to: BookingStatus, cancelReason?: string | null): Promise<boolean> {
    const [, changed] = await this.query<[unknown[], number]>(
      `UPDATE scheduler.bookings b
          SET status = $2,
              confirmed_at = CASE WHEN $2 = 'confirmed' THEN date_trunc('milliseconds', now()) ELSE confirmed_at END,
              cancelled_at = CASE WHEN $2 = 'cancelled' THEN date_trunc('milliseconds', now()) ELSE cancelled_at END,
              cancel_reason = CASE WHEN $2 = 'cancelled' THEN $3 ELSE cancel_reason END,
              updated_at = date_trunc('milliseconds', now())
        WHERE b.id = $1 AND ${accessFilter(4)}`,
      [id, to, cancelReason ?? null, ...accessParams(access)],
    );
    return changed === 1;
  }

  async moveToSlot(id: string, tenants: Tenants, slot: LockedSlot): Promise<boolean> {
    const [, changed] = await this.query<[unknown[], number]>(
      `UPDATE scheduler.bookings b
          SET slot_id = $2, person_id = $3, location_id = $4, biz_entity_id = $5,
              updated_at = date_trunc('milliseconds', now())
        WHERE b.id = $1 AND ${accessFilter(6)}`,
      [id, slot.id, slot.personId, slot.locationId, slot.bizEntityId, ...accessParams({ tenants })],
    );
    return changed === 1;
  }

  /** Whether the location exists within the caller's tenants (another business's reads as absent). */
  async locationInScope(locationId: string, tenants: Tenants): Promise<boolean> {
    const [row] = await this.query<{ found: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM scheduler.locations l WHERE l.id = $1 AND ($2 OR l.biz_entity_id = ANY($3::uuid[]))) AS found`,
      [locationId, tenants.all, tenants.bizIds],
    );
    return row.found;
  }

  /** Cancels every live booking of the location (and people) whose slot starts in [from, to). */
  async cancelLiveInRange(
    tenants: Tenants,
    filter: { locationId: string; personIds?: readonly string[]; from: Date; to: Date; reason: string },
  ): Promise<{ id: string; bizEntityId: string; from: BookingStatus }[]> {
    const [rows] = await this.query<[{ id: string; bizEntityId: string; from: BookingStatus }[], number]>(
      `WITH target AS (
         SELECT b.id, b.status FROM scheduler.bookings b JOIN scheduler.slot_instances s ON s.id = b.slot_id
          WHERE b.location_id = $1 AND ($2 OR b.biz_entity_id = ANY($3::uuid[]))
            AND ($4::uuid[] IS NULL OR b.person_id = ANY($4::uuid[]))
            AND s.starts_at >= $5 AND s.starts_at < $6 AND ${LIVE_BOOKING}
          ORDER BY b.id
          FOR UPDATE OF b)
       UPDATE scheduler.bookings b
          SET status = 'cancelled', cancel_reason = $7,
              cancelled_at = date_trunc('milliseconds', now()), updated_at = date_trunc('milliseconds', now())
         FROM target WHERE b.id = target.id
       RETURNING b.id, b.biz_entity_id AS "bizEntityId", target.status AS "from"`,
      [filter.locationId, tenants.all, tenants.bizIds, filter.personIds ?? null, filter.from, filter.to, filter.reason],
    );
    return rows;
  }

  /** One batch of holds past their TTL marked expired; SKIP LOCKED lets many instances sweep side by side. */
  async expireStaleHolds(batchSize: number): Promise<{ id: string; bizEntityId: string }[]> {
    const [rows] = await this.query<[{ id: string; bizEntityId: string }[], number]>(
      `UPDATE scheduler.bookings b SET status = 'expired', updated_at = date_trunc('milliseconds', now())
        WHERE b.id IN (SELECT id FROM scheduler.bookings
                        WHERE status = 'held' AND hold_expires_at <= now()
                        ORDER BY hold_expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING b.id, b.biz_entity_id AS "bizEntityId"`,
      [batchSize],
    );
    return rows;
  }
}

