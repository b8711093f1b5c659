import { Injectable } from '@nestjs/common';
import type { Tenants } from '../common/auth/principal';
import { hasLiveFutureBookings } from '../common/database/live-bookings';
import { inTenants, keysetPage, mergedMetadata, optionalEquals, setChanges, SqlParams } from '../common/database/sql';
import { SqlRunner } from '../common/database/sql-runner';
import { PagePosition } from '../common/http/pagination';
import type { Metadata, MetadataMerge } from '../common/validation/metadata';
import type { LocationPolicyColumns } from './location-policy';

/** A row of `scheduler.locations`, its booking policy as columns. */
export interface LocationRow extends LocationPolicyColumns {
  id: string;
  bizEntityId: string;
  name: string;
  timezone: string;
  active: boolean;
  metadata: Metadata;
  createdAt: Date;
  updatedAt: Date;
  /** Raised by every UPDATE of the row (a trigger): the ETag. */
  version: number;
}

export type NewLocation = Omit<LocationRow, 'id' | 'active' | 'createdAt' | 'updatedAt' | 'version'>;
/** Metadata is merged, never set whole: see `update`. */
export type LocationChanges = Partial<Omit<LocationRow, 'id' | 'bizEntityId' | 'metadata' | 'createdAt' | 'updatedAt' | 'version'>>;

export interface LocationListFilter {
  bizEntityId?: string;
  active?: boolean;
  after?: PagePosition;
  limit: number;
}

/** Each field of a location and its column: the one mapping reads and writes share. */
const COLUMN_OF: Record<keyof LocationChanges | 'id' | 'bizEntityId' | 'metadata' | 'createdAt' | 'updatedAt' | 'version', string> = {
  id: 'id',
  bizEntityId: 'biz_entity_id',
  name: 'name',
  timezone: 'timezone',
  active: 'active',
  holdTtlSeconds: 'hold_ttl_seconds',
  maxActiveHoldsPerUser: 'max_active_holds_per_user',
  minNoticeMinutes: 'min_notice_minutes',
  bookingHorizonDays: 'booking_horizon_days',
  cancelCutoffMinutes: 'cancel_cutoff_minutes',
  requireExposure: 'require_exposure',
  maxSeatsPerBooking: 'max_seats_per_booking',
  requireCancellationReason: 'require_cancellation_reason',
  exposurePersonMin: 'exposure_person_min',
  exposurePersonMax: 'exposure_person_max',
  exposureLocationMin: 'exposure_location_min',
  exposureLocationMax: 'exposure_location_max',
  metadata: 'metadata',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  version: 'version',
};

const COLUMNS = Object.entries(COLUMN_OF)
  .map(([field, column]) => `l.${column} AS "${field}"`)
  .join(', ');

const { id: _id, bizEntityId: _biz, metadata: _metadata, createdAt: _created, updatedAt: _updated, version: _version, ...CHANGED_COLUMNS } = COLUMN_OF;

/** SQL for `scheduler.locations`. Admin statements carry the tenant condition in the query itself. */
@Injectable()
export class LocationsRepository {
  constructor(private readonly sql: SqlRunner) {}

  async insert(location: NewLocation): Promise<LocationRow> {
    const p = new SqlParams();
    const fields = Object.keys(location) as (keyof NewLocation)[];
    const [row] = await this.sql.rows<LocationRow>(
      `INSERT INTO scheduler.locations AS l (${fields.map((field) => COLUMN_OF[field]).join(', ')})
       VALUES (${fields.map((field) => p.add(location[field])).join(', ')})
       RETURNING ${COLUMNS}`,
      p,
    );
    return row;
  }

  /** Within the caller's tenants; `lock` takes the row for the rest of the transaction. */
  async findInTenants(tenants: Tenants, id: string, lock = false): Promise<LocationRow | undefined> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<LocationRow>(
      `SELECT ${COLUMNS} FROM scheduler.locations l
        WHERE l.id = ${p.add(id)} AND ${inTenants(p, tenants, 'l.biz_entity_id')} ${lock ? 'FOR UPDATE' : ''}`,
      p,
    );
    return row;
  }

  listInTenants(tenants: Tenants, filter: LocationListFilter): Promise<LocationRow[]> {
    const p = new SqlParams();
    return this.page(p, inTenants(p, tenants, 'l.biz_entity_id'), filter);
  }

  /** Public, so no tenant: locations open for booking are the active ones. */
  listOpen(filter: Omit<LocationListFilter, 'active'>): Promise<LocationRow[]> {
    return this.page(new SqlParams(), 'TRUE', { ...filter, active: true });
  }

  /** Public, so no tenant. */
  async findOpen(id: string): Promise<LocationRow | undefined> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<LocationRow>(`SELECT ${COLUMNS} FROM scheduler.locations l WHERE l.id = ${p.add(id)} AND l.active`, p);
    return row;
  }

  /**
   * For generation, which has checked the caller's tenants already: the row share-locked until
   * the transaction ends, so a timezone change (which takes it for update) waits for the holder,
   * and the holder reads the zone that stays.
   */
  async shareLockForGeneration(id: string): Promise<LocationRow | undefined> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<LocationRow>(`SELECT ${COLUMNS} FROM scheduler.locations l WHERE l.id = ${p.add(id)} FOR SHARE`, p);
    return row;
  }

  /** Every active location of every business, for background jobs (no caller, so no tenant). */
  listAllActiveForJobs(): Promise<LocationRow[]> {
    return this.sql.rows<LocationRow>(`SELECT ${COLUMNS} FROM scheduler.locations l WHERE l.active ORDER BY l.id`, new SqlParams());
  }

  /**
   * IANA names are matched regardless of case (`europe/london` is valid): the name as the
   * time zone database spells it, or `name` itself if the database does not know it.
   */
  async canonicalZoneName(name: string): Promise<string> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<{ name: string }>(
      `SELECT name FROM pg_timezone_names WHERE lower(name) = lower(${p.add(name)}) ORDER BY name = $1 DESC, name LIMIT 1`,
      p,
    );
    return row?.name ?? name;
  }

  /** Live (held or confirmed) bookings on slots that have not started, of this location. */
  hasLiveFutureBookings(id: string): Promise<boolean> {
    return hasLiveFutureBookings(this.sql, 'location', id);
  }

  /**
   * After a locked read in tenants; the tenant condition is repeated in the UPDATE itself all
   * the same. False when it matched no row (the caller answers 404 rather than pretend).
   */
  async update(tenants: Tenants, id: string, changes: LocationChanges, metadata?: MetadataMerge): Promise<boolean> {
    const p = new SqlParams();
    const merged = metadata ? [`metadata = ${mergedMetadata(p, 'metadata', metadata)}`] : [];
    const { count } = await this.sql.change(
      `UPDATE scheduler.locations
          SET ${[...setChanges(p, changes, CHANGED_COLUMNS), ...merged, "updated_at = date_trunc('milliseconds', now())"].join(', ')}
        WHERE id = ${p.add(id)} AND ${inTenants(p, tenants, 'biz_entity_id')}`,
      p,
    );
    return count === 1;
  }

  private page(p: SqlParams, tenantCondition: string, filter: LocationListFilter): Promise<LocationRow[]> {
    const page = keysetPage(p, filter, { at: 'l.created_at', id: 'l.id' });
    return this.sql.rows<LocationRow>(
      `SELECT ${COLUMNS} FROM scheduler.locations l
        WHERE ${tenantCondition} AND ${optionalEquals(p, 'l.biz_entity_id', filter.bizEntityId)}
          AND ${optionalEquals(p, 'l.active', filter.active)} AND ${page.after}
        ${page.orderAndLimit}`,
      p,
    );
  }
}
