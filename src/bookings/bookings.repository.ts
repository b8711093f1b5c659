import { Injectable } from '@nestjs/common';
import type { Tenants } from '../common/auth/principal';
import { EFFECTIVE_STATUS, LIVE_BOOKING } from '../common/database/live-bookings';
import { Access, inTenants, mergedMetadata, optionalEquals, SqlParams, withAccess } from '../common/database/sql';
import { SqlRunner } from '../common/database/sql-runner';
import { PagePosition } from '../common/http/pagination';
import { Versioned, withVersion } from '../common/http/preconditions';
import type { Metadata, MetadataMerge } from '../common/validation/metadata';
import { Bookability, bookabilityColumns } from './bookability';
import type { ActorKind, BookingStatus } from './booking-status';
import type { BookingDto, BookingHistoryEntryDto } from './dto/booking.dto';

/** A booking with what decisions about it need, and `shown`: the booking as the API shows it. */
export interface BookingRecord {
  id: string;
  bizEntityId: string;
  slotId: string;
  userId: string;
  /** Effective: a hold past its TTL reads `expired`. */
  status: BookingStatus;
  seats: number;
  /** The hold's TTL has passed (whether or not the sweeper has written it). */
  holdLapsed: boolean;
  startsAt: Date;
  /** Time checks made with the database's clock. */
  started: boolean;
  insideCancelCutoff: boolean;
  cancelCutoffMinutes: number;
  /** The location's policy: operators must say why they cancel. */
  requireCancellationReason: boolean;
  shown: BookingDto;
  /** Raised by every UPDATE of the row (a trigger): the ETag. */
  version: number;
}

/** A slot locked for a booking decision: its row and its location's policy. */
export interface LockedSlot {
  id: string;
  bizEntityId: string;
  locationId: string;
  personId: string;
  status: 'open' | 'blocked' | 'retired';
  holdTtlSeconds: number;
  maxActiveHoldsPerUser: number;
  requireExposure: boolean;
}

/** What a booking decision reads about its slot once the locks are held (a statement of its own, so it sees what they waited for). */
export interface SlotFacts extends Bookability {
  /** The user's live holds at the slot's location. */
  liveHolds: number;
  /** Holds on the slot whose TTL has passed but that still read `held` in the table. */
  lapsedHolds: number;
}

/** What the history row of a change says besides the status it reached. */
export interface ChangeNote {
  actorSub: string | null;
  actorKind: ActorKind;
  reason?: string | null;
  details?: BookingEventDetails;
  /** False for a change that is no state change (annotations): history only, no outbox event. */
  emitsEvent?: boolean;
}

export interface BookingEventDetails {
  /** A move: the slot the booking left, and the one it took (its status stays). */
  fromSlotId?: string;
  toSlotId?: string;
  /** Part of a bulk cancellation. */
  bulk?: boolean;
  /** An annotation: the fields an operator changed in place (the status stays). */
  changed?: AnnotatedField[];
}

/** What an operator changes of a booking in place (PATCH /v1/admin/bookings/{id}). */
export type AnnotatedField = 'metadata' | 'notes';

export interface Annotation {
  metadata?: MetadataMerge;
  /** null removes the notes. */
  notes?: string | null;
}

export interface BookingListFilter {
  userId?: string;
  locationId?: string;
  personId?: string;
  status?: BookingStatus;
  /** Bookings whose metadata holds this pair: `{ key: value }`, matched by containment (the GIN index). */
  metadata?: Metadata;
  from?: Date;
  to?: Date;
  after?: PagePosition;
  limit: number;
}

const UTC_ISO = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The booking as the API shows it (API.md §Resources), over booking `b` and its slot `s`: the one
 * definition, so a response, a list row and an event's payload cannot differ. Optional members
 * are left out when empty.
 */
const BOOKING_JSON = `json_strip_nulls(json_build_object(
  'id', b.id, 'slotId', b.slot_id, 'userId', b.user_id, 'locationId', b.location_id, 'personId', b.person_id,
  'startsAt', ${UTC_ISO('s.starts_at')}, 'endsAt', ${UTC_ISO('s.ends_at')}, 'localStart', s.local_start, 'timezone', s.timezone,
  'status', ${EFFECTIVE_STATUS}, 'seats', b.seats, 'holdExpiresAt', ${UTC_ISO('b.hold_expires_at')}, 'notes', b.notes, 'metadata', b.metadata,
  'cancelReason', b.cancel_reason, 'cancelledBy', b.cancelled_by, 'createdAt', ${UTC_ISO('b.created_at')},
  'confirmedAt', ${UTC_ISO('b.confirmed_at')}, 'cancelledAt', ${UTC_ISO('b.cancelled_at')}, 'rescheduledAt', ${UTC_ISO('b.rescheduled_at')}))`;

/** The slot a move left, as an event carries it. */
const PREVIOUS_SLOT_JSON = `jsonb_build_object('id', ps.id, 'locationId', ps.location_id, 'personId', ps.person_id,
  'startsAt', ${UTC_ISO('ps.starts_at')}, 'endsAt', ${UTC_ISO('ps.ends_at')}, 'localStart', ps.local_start, 'timezone', ps.timezone)`;

const BOOKING_RECORD = `
  SELECT b.id, b.biz_entity_id AS "bizEntityId", b.slot_id AS "slotId", b.user_id AS "userId",
         ${EFFECTIVE_STATUS} AS status, b.seats, (b.status = 'held' AND b.hold_expires_at <= now()) AS "holdLapsed",
         s.starts_at AS "startsAt", s.starts_at <= now() AS started,
         s.starts_at < now() + make_interval(mins => l.cancel_cutoff_minutes) AS "insideCancelCutoff",
         l.cancel_cutoff_minutes AS "cancelCutoffMinutes", l.require_cancellation_reason AS "requireCancellationReason",
         ${BOOKING_JSON} AS shown, b.version
    FROM scheduler.bookings b
    JOIN scheduler.slot_instances s ON s.id = b.slot_id
    JOIN scheduler.locations l ON l.id = b.location_id`;

const LOCKED_SLOT_COLUMNS = `s.id, s.biz_entity_id AS "bizEntityId", s.location_id AS "locationId", s.person_id AS "personId",
  s.status, l.hold_ttl_seconds AS "holdTtlSeconds", l.max_active_holds_per_user AS "maxActiveHoldsPerUser",
  l.require_exposure AS "requireExposure"`;

const SLOT_WITH_POLICY = `
    FROM scheduler.slot_instances s
    JOIN scheduler.locations l ON l.id = s.location_id
    JOIN scheduler.people p ON p.id = s.person_id`;

/**
 * The slot row for update: every capacity decision about a slot runs one at a time, on any
 * number of instances. Its location and person are share-locked, so a delete (which locks them
 * for update and then looks for live bookings) cannot interleave with a new booking.
 */
const SLOT_LOCKS = 'FOR UPDATE OF s FOR SHARE OF l, p';

const OWNER_AND_TENANT = { owner: 'b.user_id', tenant: 'b.biz_entity_id' };

const NOW_MS = "date_trunc('milliseconds', now())";

/**
 * SQL for `scheduler.bookings`, its history (`booking_events`) and its events for the host
 * application (`outbox_events`). Every statement carries its owner or tenant condition.
 */
@Injectable()
export class BookingsRepository {
  constructor(private readonly sql: SqlRunner) {}

  /**
   * Locks the slot (see SLOT_LOCKS); with `holdsOf`, also serialises that user's holds at its
   * location (a transaction-scoped advisory lock), so two concurrent holds on different slots
   * cannot both slip under the hold limit. With tenants, only a slot of theirs.
   */
  async lockSlot(slotId: string, options: { tenants?: Tenants; holdsOf?: string } = {}): Promise<LockedSlot | undefined> {
    const p = new SqlParams();
    const holdLock = options.holdsOf
      ? `, pg_advisory_xact_lock(hashtextextended('holds:' || ${p.add(options.holdsOf, 'text')} || ':' || s.location_id::text, 0))`
      : '';
    const [row] = await this.sql.rows<LockedSlot>(
      `SELECT ${LOCKED_SLOT_COLUMNS}${holdLock} ${SLOT_WITH_POLICY}
        WHERE s.id = ${p.add(slotId)} AND ${options.tenants ? inTenants(p, options.tenants, 's.biz_entity_id') : 'TRUE'}
        ${SLOT_LOCKS}`,
      p,
    );
    return row;
  }

  /** The slot a booking visible with `access` is on, locked as `lockSlot` locks it (the booking itself is not). */
  async lockSlotOfBooking(bookingId: string, access: Access): Promise<LockedSlot | undefined> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<LockedSlot>(
      `SELECT ${LOCKED_SLOT_COLUMNS} ${SLOT_WITH_POLICY}
        WHERE s.id = (SELECT b.slot_id FROM scheduler.bookings b WHERE b.id = ${p.add(bookingId)} AND ${withAccess(p, access, OWNER_AND_TENANT)})
        ${SLOT_LOCKS}`,
      p,
    );
    return row;
  }

  /**
   * Every check of the slot for the user's party of `seats`, its lapsed holds and the user's live
   * holds at its location — read after the locks were taken, so what they waited for is seen.
   */
  async slotFacts(slot: LockedSlot, party: { userId: string; seats: number }): Promise<SlotFacts> {
    const p = new SqlParams();
    const user = p.add(party.userId, 'uuid');
    const [row] = await this.sql.rows<SlotFacts>(
      `SELECT ${bookabilityColumns({ user, seats: p.add(party.seats, 'int') })},
              (SELECT count(*)::int FROM scheduler.bookings b
                WHERE b.user_id = ${user} AND b.location_id = s.location_id AND b.status = 'held' AND b.hold_expires_at > now()) AS "liveHolds",
              (SELECT count(*)::int FROM scheduler.bookings b
                WHERE b.slot_id = s.id AND b.status = 'held' AND b.hold_expires_at <= now()) AS "lapsedHolds"
        ${SLOT_WITH_POLICY}
        WHERE s.id = ${p.add(slot.id)}`,
      p,
    );
    return row;
  }

  /** A new booking on a locked slot, with its history and event: the booking as the API shows it. */
  async insert(
    booking: { slot: LockedSlot; userId: string; status: 'held' | 'confirmed'; seats: number; notes: string | null; metadata: Metadata },
    note: ChangeNote,
  ): Promise<Versioned<BookingDto>> {
    const p = new SqlParams();
    const { slot } = booking;
    const status = p.add(booking.status, 'text');
    const [shown] = await this.write(
      p,
      `INSERT INTO scheduler.bookings AS b
         (biz_entity_id, location_id, person_id, slot_id, user_id, status, seats, hold_expires_at, notes, metadata, confirmed_at)
       VALUES (${p.add(slot.bizEntityId)}, ${p.add(slot.locationId)}, ${p.add(slot.personId)}, ${p.add(slot.id)},
               ${p.add(booking.userId)}, ${status}, ${p.add(booking.seats)},
               CASE WHEN ${status} = 'held' THEN ${NOW_MS} + make_interval(secs => ${p.add(slot.holdTtlSeconds)}) END,
               ${p.add(booking.notes)}, ${p.add(JSON.stringify(booking.metadata), 'jsonb')}, CASE WHEN ${status} = 'confirmed' THEN ${NOW_MS} END)
       RETURNING b.*, NULL::text AS from_status`,
      note,
    );
    return shown;
  }

  /**
   * A status change of one booking from the status the caller decided on (`from`, read under the
   * booking's or its slot's lock, and required again here); `onSlot` also requires the slot, and
   * for a hold, that its TTL has not passed. Undefined when the row no longer matches.
   */
  async transition(
    access: Access,
    id: string,
    change: { from: BookingStatus; to: BookingStatus; onSlot?: string; cancelReason?: string | null },
    note: ChangeNote,
  ): Promise<Versioned<BookingDto> | undefined> {
    const p = new SqlParams();
    const to = p.add(change.to, 'text');
    const from = p.add(change.from, 'text');
    const [shown] = await this.write(
      p,
      `UPDATE scheduler.bookings b
          SET status = ${to},
              confirmed_at = CASE WHEN ${to} = 'confirmed' THEN ${NOW_MS} ELSE confirmed_at END,
              cancelled_at = CASE WHEN ${to} = 'cancelled' THEN ${NOW_MS} ELSE cancelled_at END,
              cancel_reason = CASE WHEN ${to} = 'cancelled' THEN ${p.add(change.cancelReason ?? null, 'text')} ELSE cancel_reason END,
              cancelled_by = CASE WHEN ${to} = 'cancelled' THEN ${p.add(note.actorKind, 'text')} ELSE cancelled_by END,
              updated_at = ${NOW_MS}
        WHERE b.id = ${p.add(id)} AND ${withAccess(p, access, OWNER_AND_TENANT)} AND b.status = ${from}
          AND (b.status <> 'held' OR b.hold_expires_at > now())
          AND ${optionalEquals(p, 'b.slot_id', change.onSlot, 'uuid')}
       RETURNING b.*, ${from} AS from_status`,
      note,
    );
    return shown;
  }

  /** Moves a booking to another (locked) slot; its status (and a hold's expiry) stays. Undefined when it no longer matches. */
  async move(
    access: Access,
    id: string,
    from: { slotId: string; status: BookingStatus },
    to: LockedSlot,
    note: ChangeNote,
  ): Promise<Versioned<BookingDto> | undefined> {
    const p = new SqlParams();
    const [shown] = await this.write(
      p,
      `UPDATE scheduler.bookings b
          SET slot_id = ${p.add(to.id)}, person_id = ${p.add(to.personId)}, location_id = ${p.add(to.locationId)},
              biz_entity_id = ${p.add(to.bizEntityId)}, rescheduled_at = ${NOW_MS}, updated_at = ${NOW_MS}
        WHERE b.id = ${p.add(id)} AND ${withAccess(p, access, OWNER_AND_TENANT)}
          AND b.slot_id = ${p.add(from.slotId)} AND b.status = ${p.add(from.status, 'text')}
       RETURNING b.*, b.status AS from_status`,
      note,
    );
    return shown;
  }

  /**
   * An operator's change of a booking's metadata and notes, on a booking locked by the caller,
   * in any status: metadata merged in SQL (the table's CHECK refuses a result over 50 keys),
   * notes replaced or removed. Its history row names the fields; it is no state change, so it
   * has no event. Undefined when the booking is not within `tenants`.
   */
  async annotate(tenants: Tenants, id: string, annotation: Annotation, note: ChangeNote): Promise<Versioned<BookingDto> | undefined> {
    const p = new SqlParams();
    const changes = [
      ...(annotation.metadata ? [`metadata = ${mergedMetadata(p, 'b.metadata', annotation.metadata)}`] : []),
      ...(annotation.notes !== undefined ? [`notes = ${p.add(annotation.notes, 'text')}`] : []),
    ];
    const [shown] = await this.write(
      p,
      `UPDATE scheduler.bookings b SET ${[...changes, `updated_at = ${NOW_MS}`].join(', ')}
        WHERE b.id = ${p.add(id)} AND ${inTenants(p, tenants, 'b.biz_entity_id')}
       RETURNING b.*, b.status AS from_status`,
      { ...note, emitsEvent: false },
    );
    return shown;
  }

  /** Writes `expired` on the slot's holds past their TTL (so they leave the unique index too), with their events. */
  async expireLapsedHoldsOnSlot(slotId: string): Promise<number> {
    const p = new SqlParams();
    const expired = await this.write(
      p,
      `UPDATE scheduler.bookings b SET status = 'expired', updated_at = ${NOW_MS}
        WHERE b.slot_id = ${p.add(slotId)} AND b.status = 'held' AND b.hold_expires_at <= now()
       RETURNING b.*, 'held'::text AS from_status`,
      { actorSub: null, actorKind: 'system', reason: 'hold TTL passed' },
    );
    return expired.length;
  }

  /** One batch of holds past their TTL marked expired, with their events; SKIP LOCKED lets many instances sweep side by side. */
  async expireLapsedHolds(batchSize: number): Promise<number> {
    const p = new SqlParams();
    const expired = await this.write(
      p,
      `UPDATE scheduler.bookings b SET status = 'expired', updated_at = ${NOW_MS}
        WHERE b.id IN (SELECT id FROM scheduler.bookings
                        WHERE status = 'held' AND hold_expires_at <= now()
                        ORDER BY hold_expires_at LIMIT ${p.add(batchSize)} FOR UPDATE SKIP LOCKED)
       RETURNING b.*, 'held'::text AS from_status`,
      { actorSub: null, actorKind: 'system', reason: 'hold TTL passed' },
    );
    return expired.length;
  }

  /** Cancels every live booking of the location (and people) whose slot starts in [from, to), with their events. */
  async cancelLiveInRange(
    tenants: Tenants,
    filter: { locationId: string; personIds?: readonly string[]; from: Date; to: Date; reason: string },
    actorSub: string,
  ): Promise<number> {
    const p = new SqlParams();
    const cancelled = await this.write(
      p,
      `WITH target AS (
         SELECT b.id, b.status FROM scheduler.bookings b JOIN scheduler.slot_instances s ON s.id = b.slot_id
          WHERE b.location_id = ${p.add(filter.locationId)} AND ${inTenants(p, tenants, 'b.biz_entity_id')}
            AND ${filter.personIds ? `b.person_id = ANY(${p.add(filter.personIds, 'uuid[]')})` : 'TRUE'}
            AND s.starts_at >= ${p.add(filter.from)} AND s.starts_at < ${p.add(filter.to)} AND ${LIVE_BOOKING}
          ORDER BY b.id
          FOR UPDATE OF b)
       UPDATE scheduler.bookings b
          SET status = 'cancelled', cancel_reason = ${p.add(filter.reason)}, cancelled_by = 'admin', cancelled_at = ${NOW_MS}, updated_at = ${NOW_MS}
         FROM target WHERE b.id = target.id
       RETURNING b.*, target.status AS from_status`,
      { actorSub, actorKind: 'admin', reason: filter.reason, details: { bulk: true } },
    );
    return cancelled.length;
  }

  /**
   * The one writer of booking changes. `change` is an INSERT or UPDATE of `scheduler.bookings`
   * returning every column of the rows it wrote and `from_status`; the same statement writes each
   * row's history (who, from, to, why) and its outbox event (the booking as the API shows it
   * after the change; a move also carries the slot it left, an expiry is timed at
   * `holdExpiresAt`), so none of them can exist without the others, and answers the bookings as
   * the API shows them.
   */
  private async write(p: SqlParams, change: string, note: ChangeNote): Promise<Versioned<BookingDto>[]> {
    const details = p.add(JSON.stringify(note.details ?? {}), 'jsonb');
    const rows = await this.sql.rows<{ shown: BookingDto; version: number }>(
      `WITH written AS (${change}),
       history AS (
         INSERT INTO scheduler.booking_events (booking_id, biz_entity_id, actor_sub, actor_kind, from_status, to_status, reason, details)
         SELECT w.id, w.biz_entity_id, ${p.add(note.actorSub, 'uuid')}, ${p.add(note.actorKind, 'text')}, w.from_status, w.status,
                ${p.add(note.reason ?? null, 'text')}, ${details}
           FROM written w),
       shown AS (
         SELECT b.id, b.biz_entity_id, b.status, b.from_status, b.hold_expires_at, b.version, ${BOOKING_JSON} AS shown
           FROM written b JOIN scheduler.slot_instances s ON s.id = b.slot_id),
       outbox AS (
         INSERT INTO scheduler.outbox_events (booking_id, biz_entity_id, type, occurred_at, data)
         SELECT w.id, w.biz_entity_id,
                CASE WHEN w.from_status = w.status THEN 'booking.rescheduled' ELSE 'booking.' || w.status END,
                CASE WHEN w.status = 'expired' THEN w.hold_expires_at ELSE ${NOW_MS} END,
                jsonb_build_object('booking', w.shown) ||
                  COALESCE((SELECT jsonb_build_object('previousSlot', ${PREVIOUS_SLOT_JSON}) FROM scheduler.slot_instances ps
                             WHERE w.from_status = w.status AND ps.id = (${details} ->> 'fromSlotId')::uuid), '{}'::jsonb)
           FROM shown w WHERE ${note.emitsEvent === false ? 'FALSE' : 'TRUE'} ORDER BY w.id)
       SELECT shown, version FROM shown ORDER BY id`,
      p,
    );
    return rows.map((row) => withVersion(row.shown, row.version));
  }

  /** One booking visible with `access`; `lock` holds its row for the rest of the transaction. */
  async find(id: string, access: Access, lock = false): Promise<BookingRecord | undefined> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<BookingRecord>(
      `${BOOKING_RECORD} WHERE b.id = ${p.add(id)} AND ${withAccess(p, access, OWNER_AND_TENANT)} ${lock ? 'FOR UPDATE OF b' : ''}`,
      p,
    );
    return row;
  }

  /** Bookings visible with `access`, by slot start then id. */
  list(access: Access, filter: BookingListFilter): Promise<BookingRecord[]> {
    const p = new SqlParams();
    return this.sql.rows<BookingRecord>(
      `${BOOKING_RECORD}
        WHERE ${withAccess(p, access, OWNER_AND_TENANT)}
          AND ${optionalEquals(p, 'b.user_id', filter.userId, 'uuid')}
          AND ${optionalEquals(p, 'b.location_id', filter.locationId, 'uuid')}
          AND ${optionalEquals(p, 'b.person_id', filter.personId, 'uuid')}
          AND ${optionalEquals(p, EFFECTIVE_STATUS, filter.status, 'text')}
          AND ${filter.metadata ? `b.metadata @> ${p.add(JSON.stringify(filter.metadata), 'jsonb')}` : 'TRUE'}
          AND ${filter.from ? `s.starts_at >= ${p.add(filter.from)}` : 'TRUE'}
          AND ${filter.to ? `s.starts_at < ${p.add(filter.to)}` : 'TRUE'}
          AND ${filter.after ? `(s.starts_at, b.id) > (${p.add(filter.after.at, 'timestamptz')}, ${p.add(filter.after.id, 'uuid')})` : 'TRUE'}
        ORDER BY s.starts_at, b.id
        LIMIT ${p.add(filter.limit + 1)}`,
      p,
    );
  }

  /**
   * The history of a booking visible with `access`, oldest first (in the order the changes were
   * written, which their row locks make the order they happened in): `afterSequence` pages on.
   * Operators see who acted (`actorId`); its user sees only which kind of actor it was.
   */
  history(access: Access, id: string, page: { afterSequence?: string; limit: number }): Promise<{ sequence: string; entry: BookingHistoryEntryDto }[]> {
    const p = new SqlParams();
    const actorId = 'ownerId' in access ? 'NULL::uuid' : 'e.actor_sub';
    return this.sql.rows<{ sequence: string; entry: BookingHistoryEntryDto }>(
      `SELECT e.id::text AS sequence, json_strip_nulls(json_build_object(
                'at', ${UTC_ISO('e.at')}, 'actor', e.actor_kind, 'actorId', ${actorId},
                'fromStatus', e.from_status, 'toStatus', e.to_status, 'reason', e.reason,
                'fromSlotId', e.details ->> 'fromSlotId', 'toSlotId', e.details ->> 'toSlotId',
                'bulk', (e.details -> 'bulk')::boolean, 'changed', e.details -> 'changed')) AS entry
         FROM scheduler.booking_events e
        WHERE e.booking_id = (SELECT b.id FROM scheduler.bookings b WHERE b.id = ${p.add(id)} AND ${withAccess(p, access, OWNER_AND_TENANT)})
          AND e.id > ${p.add(page.afterSequence ?? '0', 'bigint')}
        ORDER BY e.id
        LIMIT ${p.add(page.limit + 1)}`,
      p,
    );
  }

  /** The business of the location when it exists within the caller's tenants (another business's reads as absent). */
  async locationBusinessInTenants(locationId: string, tenants: Tenants): Promise<string | undefined> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<{ bizEntityId: string }>(
      `SELECT l.biz_entity_id AS "bizEntityId" FROM scheduler.locations l WHERE l.id = ${p.add(locationId)} AND ${inTenants(p, tenants, 'l.biz_entity_id')}`,
      p,
    );
    return row?.bizEntityId;
  }
}
