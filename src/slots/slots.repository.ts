import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Tenants } from '../common/auth/principal';
import { BinaryCopyWriter } from '../common/database/binary-copy';
import { LIVE_BOOKING } from '../common/database/live-bookings';
import { epochMs, inTenants, optionalEquals, SqlParams } from '../common/database/sql';
import { PagePosition } from '../common/http/pagination';
import type { SlotStatus } from './slot-status';
import { SLOT_VIEW } from './slot-view';
import type { SlotView } from './slot-view';

export type { SlotView } from './slot-view';

/** A slot generation compares against: instants as epoch ms. */
export interface ExistingSlot {
  id: string;
  personId: string;
  startsAt: number;
  endsAt: number;
  bufferedStartsAt: number;
  bufferedEndsAt: number;
  capacity: number;
  ruleId: string | null;
  localStart: string;
  timezone: string;
  status: SlotStatus;
}

/** A slot's live bookings: their ids, in id order, and the seats they take. */
export interface LiveBookingsOfSlot {
  bookingIds: string[];
  seats: number;
}

/** Column arrays of new slots (epoch ms instants), sent as one set per statement. */
export interface NewSlotColumns {
  personIds: string[];
  ruleIds: string[];
  startsAt: number[];
  endsAt: number[];
  bufferedStartsAt: number[];
  bufferedEndsAt: number[];
  localStarts: string[];
  capacities: number[];
}

/** Column arrays of existing slots to bring in line with the rules (a retired one reopens). */
export interface SlotChangeColumns {
  ids: string[];
  ruleIds: string[];
  endsAt: number[];
  bufferedStartsAt: number[];
  bufferedEndsAt: number[];
  localStarts: string[];
  capacities: number[];
}

/** The location a generation run writes for, with the zone its local starts are in. */
export interface GeneratedLocation {
  id: string;
  bizEntityId: string;
  timezone: string;
}

export interface SlotListFilter {
  locationId?: string;
  personId?: string;
  from?: Date;
  to?: Date;
  status?: SlotStatus;
  after?: PagePosition;
  limit: number;
}

/** SQL for `scheduler.slot_instances`: set-based generation and tenant-scoped admin reads. */
@Injectable()
export class SlotsRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private query<T>(sql: string, params: unknown[]): Promise<T> {
    return this.txHost.tx.query(sql, params) as Promise<T>;
  }

  /** Serialises generation runs of one location until the transaction ends. */
  async lockGeneration(locationId: string): Promise<void> {
    await this.query(`SELECT pg_advisory_xact_lock(hashtextextended('slot-generation:' || $1, 0))`, [locationId]);
  }

  /** The same lock without waiting, for background jobs: false when another run holds it. */
  async tryLockGeneration(locationId: string): Promise<boolean> {
    const [row] = await this.query<{ locked: boolean }[]>(
      `SELECT pg_try_advisory_xact_lock(hashtextextended('slot-generation:' || $1, 0)) AS locked`,
      [locationId],
    );
    return row.locked;
  }

  /** Every slot of these people starting in `[rangeStart, rangeEnd)`, retired ones included. */
  async findInRange(personIds: readonly string[], rangeStart: Date, rangeEnd: Date): Promise<ExistingSlot[]> {
    // A run reads 100,000+ slots: as one text column each, which costs the pg driver a fifth of
    // what eleven columns do, split here. None of the fields can hold a comma.
    const rows = await this.query<{ packed: string }[]>(
      `SELECT concat_ws(',', id, person_id, ${epochMs('starts_at')}, ${epochMs('ends_at')}, ${epochMs('buffered_starts_at')},
                        ${epochMs('buffered_ends_at')}, capacity, COALESCE(rule_id::text, ''), local_start, timezone, status) AS packed
         FROM scheduler.slot_instances
        WHERE person_id = ANY($1::uuid[]) AND starts_at >= $2 AND starts_at < $3`,
      [personIds, rangeStart, rangeEnd],
    );
    return rows.map(({ packed }) => {
      const [id, personId, startsAt, endsAt, bufferedStartsAt, bufferedEndsAt, capacity, ruleId, localStart, timezone, status] = packed.split(',');
      return {
        id,
        personId,
        startsAt: Number(startsAt),
        endsAt: Number(endsAt),
        bufferedStartsAt: Number(bufferedStartsAt),
        bufferedEndsAt: Number(bufferedEndsAt),
        capacity: Number(capacity),
        ruleId: ruleId === '' ? null : ruleId,
        localStart,
        timezone,
        status: status as SlotStatus,
      };
    });
  }

  /** Live bookings per slot, for the slots of these people starting in `[rangeStart, rangeEnd)`. */
  async liveBookingsInRange(personIds: readonly string[], rangeStart: Date, rangeEnd: Date): Promise<Map<string, LiveBookingsOfSlot>> {
    const rows = await this.query<({ slotId: string } & LiveBookingsOfSlot)[]>(
      `SELECT s.id AS "slotId", array_agg(b.id ORDER BY b.id) AS "bookingIds", sum(b.seats)::int AS seats
         FROM scheduler.slot_instances s JOIN scheduler.bookings b ON b.slot_id = s.id
        WHERE s.person_id = ANY($1::uuid[]) AND s.starts_at >= $2 AND s.starts_at < $3 AND ${LIVE_BOOKING}
        GROUP BY s.id`,
      [personIds, rangeStart, rangeEnd],
    );
    return new Map(rows.map(({ slotId, ...live }) => [slotId, live]));
  }

  /**
   * Locks these slots (in id order, as every multi-slot locker does) and then counts their
   * live bookings in a statement of its own, so a hold that committed while we waited for a
   * lock is seen. The hold path locks the slot before it books, so after this nothing can book
   * them until the generation commits.
   */
  async lockAndCountLive(ids: readonly string[]): Promise<Map<string, LiveBookingsOfSlot>> {
    if (ids.length === 0) return new Map();
    await this.query(`SELECT id FROM scheduler.slot_instances WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
    const rows = await this.query<({ slotId: string } & LiveBookingsOfSlot)[]>(
      `SELECT b.slot_id AS "slotId", array_agg(b.id ORDER BY b.id) AS "bookingIds", sum(b.seats)::int AS seats
         FROM scheduler.bookings b WHERE b.slot_id = ANY($1::uuid[]) AND ${LIVE_BOOKING}
        GROUP BY b.slot_id`,
      [ids],
    );
    return new Map(rows.map(({ slotId, ...live }) => [slotId, live]));
  }

  async retire(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.query(
      `UPDATE scheduler.slot_instances
          SET status = 'retired', retired_while_blocked = (status = 'blocked'), updated_at = date_trunc('milliseconds', now())
        WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /**
   * Applies changed ends, buffered bounds, capacities, provenance and zone in one statement; a
   * retired slot comes back as it was retired (open, or blocked), a blocked one stays blocked.
   * The exclusion constraint is checked when the statement ends, so neighbours whose buffers
   * trade places move together.
   */
  async applyChanges(changes: SlotChangeColumns, timezone: string): Promise<void> {
    if (changes.ids.length === 0) return;
    await this.query(
      `UPDATE scheduler.slot_instances s
          SET ends_at = timestamptz 'epoch' + c.ends_ms * interval '1 millisecond',
              buffered_starts_at = timestamptz 'epoch' + c.buffered_starts_ms * interval '1 millisecond',
              buffered_ends_at = timestamptz 'epoch' + c.buffered_ends_ms * interval '1 millisecond',
              capacity = c.capacity, rule_id = c.rule_id, local_start = c.local_start, timezone = $6,
              status = CASE WHEN s.status <> 'retired' THEN s.status WHEN s.retired_while_blocked THEN 'blocked' ELSE 'open' END,
              retired_while_blocked = false,
              updated_at = date_trunc('milliseconds', now())
         FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::bigint[], $5::bigint[], $7::text[], $8::int[])
              AS c(id, rule_id, ends_ms, buffered_starts_ms, buffered_ends_ms, local_start, capacity)
        WHERE s.id = c.id`,
      [
        changes.ids,
        changes.ruleIds,
        changes.endsAt,
        changes.bufferedStartsAt,
        changes.bufferedEndsAt,
        timezone,
        changes.localStarts,
        changes.capacities,
      ],
    );
  }

  /**
   * Inserts new slots with one binary COPY straight into the table (the generation lock means no
   * other run writes these keys; binary, the server parses no text of the 144,000 rows' uuids and
   * instants, and Node formats none). Rows go in start order across people: the exclusion constraint's
   * GiST index takes them about a quarter faster than person by person. Ids are time-ordered
   * (UUIDv7), so the primary key grows at its right edge instead of dirtying a random page per
   * row (both compared while tuning the run; figures in docs/benchmarks.md).
   */
  async insertMany(location: GeneratedLocation, slots: NewSlotColumns): Promise<void> {
    if (slots.startsAt.length === 0) return;
    const client = (await this.txHost.tx.queryRunner!.connect()) as PoolClient;
    await pipeline(
      Readable.from(copyChunks(location, slots)),
      client.query(
        copyFrom(
          `COPY scheduler.slot_instances (${NEW_SLOT_COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT binary)`,
        ),
      ),
    );
  }

  async findInTenants(tenants: Tenants, id: string, lock = false): Promise<SlotView | undefined> {
    const p = new SqlParams();
    const [row] = await this.query<SlotView[]>(
      `SELECT ${SLOT_VIEW} FROM scheduler.slot_instances s
        WHERE s.id = ${p.add(id)} AND ${inTenants(p, tenants, 's.biz_entity_id')} ${lock ? 'FOR UPDATE OF s' : ''}`,
      p.values,
    );
    return row;
  }

  /** Views of the given slots, in no particular order; no tenant condition, so only for ids the caller already holds (an offer's). */
  findViewsUnscoped(ids: readonly string[]): Promise<SlotView[]> {
    return this.query<SlotView[]>(`SELECT ${SLOT_VIEW} FROM scheduler.slot_instances s WHERE s.id = ANY($1::uuid[])`, [ids]);
  }

  listInTenants(tenants: Tenants, filter: SlotListFilter): Promise<SlotView[]> {
    const p = new SqlParams();
    return this.query<SlotView[]>(
      `SELECT ${SLOT_VIEW} FROM scheduler.slot_instances s
        WHERE ${inTenants(p, tenants, 's.biz_entity_id')}
          AND ${optionalEquals(p, 's.location_id', filter.locationId, 'uuid')}
          AND ${optionalEquals(p, 's.person_id', filter.personId, 'uuid')}
          AND ${filter.from ? `s.starts_at >= ${p.add(filter.from)}` : 'TRUE'}
          AND ${filter.to ? `s.starts_at < ${p.add(filter.to)}` : 'TRUE'}
          AND ${optionalEquals(p, 's.status', filter.status, 'text')}
          AND ${filter.after ? `(s.starts_at, s.id) > (${p.add(filter.after.at, 'timestamptz')}, ${p.add(filter.after.id, 'uuid')})` : 'TRUE'}
        ORDER BY s.starts_at, s.id
        LIMIT ${p.add(filter.limit + 1)}`,
      p.values,
    );
  }

  /** After a locked read in tenants; the tenant condition is repeated in the UPDATE all the same. False when it matched no row. */
  async update(tenants: Tenants, id: string, changes: { status?: SlotStatus; capacity?: number }): Promise<boolean> {
    const p = new SqlParams();
    const [, changed] = await this.query<[unknown[], number]>(
      `UPDATE scheduler.slot_instances
          SET status = COALESCE(${p.add(changes.status ?? null, 'text')}, status), capacity = COALESCE(${p.add(changes.capacity ?? null, 'int')}, capacity),
              updated_at = date_trunc('milliseconds', now())
        WHERE id = ${p.add(id)} AND ${inTenants(p, tenants, 'biz_entity_id')}`,
      p.values,
    );
    return changed === 1;
  }
}

/** What `copyChunks` writes for each new slot, in this order. */
const NEW_SLOT_COLUMNS = [
  'id',
  'biz_entity_id',
  'location_id',
  'person_id',
  'rule_id',
  'starts_at',
  'ends_at',
  'buffered_starts_at',
  'buffered_ends_at',
  'local_start',
  'timezone',
  'capacity',
] as const;

/** The COPY's rows in binary, a chunk per 2,000 rows. */
function* copyChunks(location: GeneratedLocation, slots: NewSlotColumns): Generator<Buffer> {
  const order = slots.startsAt.map((_, index) => index);
  order.sort((a, b) => slots.startsAt[a] - slots.startsAt[b] || (slots.personIds[a] < slots.personIds[b] ? -1 : 1));
  const rows = new BinaryCopyWriter();
  for (const [written, i] of order.entries()) {
    rows
      .row(NEW_SLOT_COLUMNS.length)
      .newUuidV7()
      .uuid(location.bizEntityId)
      .uuid(location.id)
      .uuid(slots.personIds[i])
      .uuid(slots.ruleIds[i])
      .timestamptz(slots.startsAt[i])
      .timestamptz(slots.endsAt[i])
      .timestamptz(slots.bufferedStartsAt[i])
      .timestamptz(slots.bufferedEndsAt[i])
      .text(slots.localStarts[i])
      .text(location.timezone)
      .int4(slots.capacities[i]);
    if (written % 2000 === 1999) yield* rows.take();
  }
  yield* rows.end();
}
