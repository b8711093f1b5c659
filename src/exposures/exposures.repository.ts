import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';
import type { Tenants } from '../common/auth/principal';
import { bookableCondition } from '../bookings/bookability';
import { inTenants, keysetPage, optionalEquals, SqlParams } from '../common/database/sql';
import { PagePosition } from '../common/http/pagination';
import { SLOT_VIEW_JSON } from '../slots/slot-view';
import type { SlotView } from '../slots/slot-view';
import type { ScoreComponents } from './exposure-ranking';

export type ExposureScope = 'location' | 'person';

export interface ExposureIdentity {
  userId: string;
  scope: ExposureScope;
  scopeId: string;
  fromParam: string | null;
  toParam: string | null;
  /** The party the offer is for (`?seats=`, 1 when absent). */
  seats: number;
}

export interface ExposureRow extends ExposureIdentity {
  id: string;
  bizEntityId: string;
  locationId: string;
  windowFrom: Date;
  windowTo: Date;
  extended: boolean;
  createdAt: Date;
  expiresAt: Date;
}

export interface ExposureSlotRow {
  position: number;
  slotId: string;
  score: number;
  components: ScoreComponents;
  /** When this slot took its position (set by the database). */
  offeredAt?: Date;
}

const EXPOSURE_COLUMNS = `
  e.id, e.biz_entity_id AS "bizEntityId", e.location_id AS "locationId", e.user_id AS "userId", e.scope,
  e.scope_id AS "scopeId", e.from_param AS "fromParam", e.to_param AS "toParam",
  e.seats, e.window_from AS "windowFrom", e.window_to AS "windowTo", e.extended,
  e.created_at AS "createdAt", e.expires_at AS "expiresAt"`;

/** Exposure `e` is live and of the identity in parameters $1..$6 (`identityParams`). */
const LIVE_FOR_IDENTITY = `e.user_id = $1 AND e.scope = $2 AND e.scope_id = $3
  AND e.from_param IS NOT DISTINCT FROM $4 AND e.to_param IS NOT DISTINCT FROM $5 AND e.seats = $6
  AND e.expires_at > now()`;

function identityParams(identity: ExposureIdentity): unknown[] {
  return [identity.userId, identity.scope, identity.scopeId, identity.fromParam, identity.toParam, identity.seats];
}

/** The identity's live exposure (the newest, should two exist). */
const LIVE_EXPOSURE = `
  SELECT ${EXPOSURE_COLUMNS} FROM scheduler.exposures e
   WHERE ${LIVE_FOR_IDENTITY}
   ORDER BY e.created_at DESC LIMIT 1`;

/** An exposure read as JSON: its instants as dates again. */
function exposureOf(json: ExposureRow): ExposureRow {
  return {
    ...json,
    windowFrom: new Date(json.windowFrom),
    windowTo: new Date(json.windowTo),
    createdAt: new Date(json.createdAt),
    expiresAt: new Date(json.expiresAt),
  };
}

/** A slot view read as JSON (SLOT_VIEW_JSON): its instants as dates again. */
function slotViewOf(json: SlotView): SlotView {
  return { ...json, startsAt: new Date(json.startsAt), endsAt: new Date(json.endsAt) };
}

/** A live exposure with its slots' current views and whether the user can still book all of them. */
export interface LiveOffer {
  exposure: ExposureRow;
  slots: SlotView[];
  allBookable: boolean;
}

/** The newest live exposure of the identity, its slots by position, and whether all of them are bookable (findLiveOffer). */
const FIND_LIVE_OFFER = `
  SELECT e.*, o.slots, o."allBookable"
    FROM (${LIVE_EXPOSURE}) e
   CROSS JOIN LATERAL (
     SELECT json_agg(${SLOT_VIEW_JSON} ORDER BY es.position) AS slots,
            bool_and(${bookableCondition({ user: '$1::uuid', seats: '$6::int' })}) AS "allBookable"
       FROM scheduler.exposure_slots es
       JOIN scheduler.slot_instances s ON s.id = es.slot_id
       JOIN scheduler.locations l ON l.id = s.location_id
       JOIN scheduler.people p ON p.id = s.person_id
      WHERE es.exposure_id = e.id) o`;

/** SQL for `scheduler.exposures` and `scheduler.exposure_slots`: the offers as stored. */
@Injectable()
export class ExposuresRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private query<T>(sql: string, params: unknown[]): Promise<T> {
    return this.txHost.tx.query(sql, params) as Promise<T>;
  }

  /**
   * One request per identity at a time, so a first visit never stores two offers, and one
   * first visit per user at a time, so concurrent ones are counted one after the other (always
   * in this order). The reads that depend on them come in the next statement: its snapshot is
   * taken after the waits.
   */
  async lockIdentityAndUser(identity: ExposureIdentity): Promise<void> {
    await this.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 8191)), pg_advisory_xact_lock(hashtextextended($2, 8192))`, [
      [identity.userId, identity.scope, identity.scopeId, identity.fromParam ?? '\u2205', identity.toParam ?? '\u2205', identity.seats].join('|'),
      identity.userId,
    ]);
  }

  /**
   * Under those locks: the identity's live exposure, if any, and the offers made to the user in
   * the last `windowSeconds` (`retryAfter`: seconds until the oldest of them leaves the window).
   */
  async findLiveAndRecent(identity: ExposureIdentity, windowSeconds: number): Promise<{ live?: ExposureRow; recent: { count: number; retryAfter: number } }> {
    const [row] = await this.query<{ live: ExposureRow | null; count: number; retryAfter: number | null }[]>(
      `SELECT (SELECT row_to_json(e) FROM (${LIVE_EXPOSURE}) e) AS live, r.count, r."retryAfter"
         FROM (SELECT count(*)::int AS count,
                      ceil(extract(epoch FROM min(created_at) + make_interval(secs => $7) - now()))::int AS "retryAfter"
                 FROM scheduler.exposures WHERE user_id = $1 AND created_at > now() - make_interval(secs => $7)) r`,
      [...identityParams(identity), windowSeconds],
    );
    return { live: row.live ? exposureOf(row.live) : undefined, recent: { count: row.count, retryAfter: Math.max(1, row.retryAfter ?? 1) } };
  }

  /**
   * One batch of offers expired more than `retentionSeconds` ago, with their slots. SKIP LOCKED
   * lets several instances purge side by side; nothing reads an offer that old but the admin
   * explain, which then answers 404.
   */
  async purgeExpiredBatch(retentionSeconds: number, batchSize: number): Promise<number> {
    const [row] = await this.query<{ deleted: number }[]>(
      `WITH doomed AS (
         SELECT id FROM scheduler.exposures
          WHERE expires_at <= now() - make_interval(secs => $1)
          ORDER BY expires_at LIMIT $2
          FOR UPDATE SKIP LOCKED),
       slots AS (DELETE FROM scheduler.exposure_slots es USING doomed d WHERE es.exposure_id = d.id),
       gone AS (DELETE FROM scheduler.exposures e USING doomed d WHERE e.id = d.id RETURNING 1)
       SELECT count(*)::int AS deleted FROM gone`,
      [retentionSeconds, batchSize],
    );
    return row.deleted;
  }

  /**
   * The warm path in one indexed read: the identity's live exposure with each offered slot's
   * current view (in position order), and whether the user's party can still book every one of
   * them. Undefined when there is no live exposure (or it offers nothing). One row, the slots
   * one JSON value: the driver parses a dozen fields, not a dozen rows of them.
   */
  async findLiveOffer(identity: ExposureIdentity): Promise<LiveOffer | undefined> {
    const [row] = await this.query<(ExposureRow & { slots: SlotView[] | null; allBookable: boolean | null })[]>(FIND_LIVE_OFFER, identityParams(identity));
    if (!row?.slots) return undefined;
    const { slots, allBookable, ...exposure } = row;
    return { exposure: exposureOf(exposure), slots: slots.map(slotViewOf), allBookable: allBookable === true };
  }

  slotsOf(exposureId: string): Promise<ExposureSlotRow[]> {
    return this.query<ExposureSlotRow[]>(
      `SELECT position, slot_id AS "slotId", score, components, offered_at AS "offeredAt" FROM scheduler.exposure_slots
        WHERE exposure_id = $1 ORDER BY position`,
      [exposureId],
    );
  }

  /** Stores a new exposure with its slots in one statement; returns it with the slots' views. */
  async insert(
    exposure: Omit<ExposureRow, 'id' | 'createdAt' | 'expiresAt'>,
    ttlSeconds: number,
    slots: readonly ExposureSlotRow[],
  ): Promise<{ exposure: ExposureRow; slots: SlotView[] }> {
    const [row] = await this.query<(ExposureRow & { slots: SlotView[] })[]>(
      `WITH e AS (
         INSERT INTO scheduler.exposures
           (biz_entity_id, location_id, user_id, scope, scope_id, from_param, to_param, seats, window_from, window_to, extended, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $12, $8, $9, $10, date_trunc('milliseconds', now()) + make_interval(secs => $11))
         RETURNING *),
       stored AS (
         INSERT INTO scheduler.exposure_slots (exposure_id, user_id, seats, expires_at, position, slot_id, biz_entity_id, score, components)
         SELECT e.id, e.user_id, e.seats, e.expires_at, u.position, u.slot_id, e.biz_entity_id, u.score, u.components
           FROM e, unnest($13::smallint[], $14::uuid[], $15::float8[], $16::jsonb[]) AS u(position, slot_id, score, components))
       SELECT ${EXPOSURE_COLUMNS},
              COALESCE((SELECT json_agg(${SLOT_VIEW_JSON}) FROM scheduler.slot_instances s WHERE s.id = ANY($14::uuid[])), '[]') AS slots
         FROM e`,
      [
        exposure.bizEntityId,
        exposure.locationId,
        exposure.userId,
        exposure.scope,
        exposure.scopeId,
        exposure.fromParam,
        exposure.toParam,
        exposure.windowFrom,
        exposure.windowTo,
        exposure.extended,
        ttlSeconds,
        exposure.seats,
        slots.map((slot) => slot.position),
        slots.map((slot) => slot.slotId),
        slots.map((slot) => slot.score),
        slots.map((slot) => JSON.stringify(slot.components)),
      ],
    );
    const { slots: views, ...stored } = row;
    return { exposure: stored, slots: views.map(slotViewOf) };
  }

  /** Writes the given positions; an existing position takes the new slot in place. */
  async upsertSlots(exposureId: string, bizEntityId: string, slots: readonly ExposureSlotRow[]): Promise<void> {
    if (slots.length === 0) return;
    await this.query(
      `INSERT INTO scheduler.exposure_slots (exposure_id, user_id, seats, expires_at, position, slot_id, biz_entity_id, score, components)
       SELECT e.id, e.user_id, e.seats, e.expires_at, u.position, u.slot_id, $2, u.score, u.components
         FROM scheduler.exposures e, unnest($3::smallint[], $4::uuid[], $5::float8[], $6::jsonb[]) AS u(position, slot_id, score, components)
        WHERE e.id = $1
       ON CONFLICT (exposure_id, position) DO UPDATE
         SET slot_id = EXCLUDED.slot_id, score = EXCLUDED.score, components = EXCLUDED.components,
             offered_at = date_trunc('milliseconds', now())`,
      [
        exposureId,
        bizEntityId,
        slots.map((slot) => slot.position),
        slots.map((slot) => slot.slotId),
        slots.map((slot) => slot.score),
        slots.map((slot) => JSON.stringify(slot.components)),
      ],
    );
  }

  async deletePositions(exposureId: string, positions: readonly number[]): Promise<void> {
    if (positions.length === 0) return;
    await this.query(`DELETE FROM scheduler.exposure_slots WHERE exposure_id = $1 AND position = ANY($2::smallint[])`, [
      exposureId,
      positions,
    ]);
  }

  /** Is the slot in one of the user's live exposures? (The hold path's requireExposure check.) */
  async isOffered(userId: string, slotId: string): Promise<boolean> {
    const [row] = await this.query<{ found: boolean }[]>(
      `SELECT EXISTS (
         SELECT 1 FROM scheduler.exposure_slots es WHERE es.slot_id = $2 AND es.user_id = $1 AND es.expires_at > now()) AS found`,
      [userId, slotId],
    );
    return row.found;
  }

  async findInTenants(tenants: Tenants, id: string): Promise<ExposureRow | undefined> {
    const p = new SqlParams();
    const [row] = await this.query<ExposureRow[]>(
      `SELECT ${EXPOSURE_COLUMNS} FROM scheduler.exposures e WHERE e.id = ${p.add(id)} AND ${inTenants(p, tenants, 'e.biz_entity_id')}`,
      p.values,
    );
    return row;
  }

  listInTenants(
    tenants: Tenants,
    filter: { userId?: string; locationId?: string; personId?: string; after?: PagePosition; limit: number },
  ): Promise<ExposureRow[]> {
    const p = new SqlParams();
    const person = filter.personId === undefined ? undefined : p.add(filter.personId, 'uuid');
    const page = keysetPage(p, filter, { at: 'e.created_at', id: 'e.id' });
    return this.query<ExposureRow[]>(
      `SELECT ${EXPOSURE_COLUMNS} FROM scheduler.exposures e
        WHERE ${inTenants(p, tenants, 'e.biz_entity_id')}
          AND ${optionalEquals(p, 'e.user_id', filter.userId, 'uuid')}
          AND ${optionalEquals(p, 'e.location_id', filter.locationId, 'uuid')}
          AND ${person ? `((e.scope = 'person' AND e.scope_id = ${person})
               OR EXISTS (SELECT 1 FROM scheduler.exposure_slots es JOIN scheduler.slot_instances s ON s.id = es.slot_id
                           WHERE es.exposure_id = e.id AND s.person_id = ${person}))` : 'TRUE'}
          AND ${page.after}
        ${page.orderAndLimit}`,
      p.values,
    );
  }
}
