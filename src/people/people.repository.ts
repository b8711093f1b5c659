import { Injectable } from '@nestjs/common';
import type { Tenants } from '../common/auth/principal';
import { hasLiveFutureBookings } from '../common/database/live-bookings';
import { inTenants, keysetPage, mergedMetadata, optionalEquals, setChanges, SqlParams } from '../common/database/sql';
import { SqlRunner } from '../common/database/sql-runner';
import { PagePosition } from '../common/http/pagination';
import type { Metadata, MetadataMerge } from '../common/validation/metadata';

/** A row of `scheduler.people`. */
export interface PersonRow {
  id: string;
  bizEntityId: string;
  locationId: string;
  name: string;
  email: string | null;
  weight: number;
  active: boolean;
  metadata: Metadata;
  createdAt: Date;
  updatedAt: Date;
  /** Raised by every UPDATE of the row (a trigger): the ETag. */
  version: number;
}

export interface NewPerson {
  locationId: string;
  name: string;
  email: string | null;
  weight: number;
  metadata: Metadata;
}

export type PersonChanges = Partial<Pick<PersonRow, 'name' | 'email' | 'weight' | 'active'>>;

export interface PersonListFilter {
  locationId?: string;
  active?: boolean;
  after?: PagePosition;
  limit: number;
}

const COLUMNS = `p.id, p.biz_entity_id AS "bizEntityId", p.location_id AS "locationId", p.name, p.email, p.weight,
  p.active, p.metadata, p.created_at AS "createdAt", p.updated_at AS "updatedAt", p.version`;

const CHANGED_COLUMNS: Record<keyof PersonChanges, string> = { name: 'name', email: 'email', weight: 'weight', active: 'active' };

/** SQL for `scheduler.people`. Admin statements carry the tenant condition in the query itself. */
@Injectable()
export class PeopleRepository {
  constructor(private readonly sql: SqlRunner) {}

  /**
   * Inserts under a location of the caller's tenants; the business is copied from the
   * location in the same statement. Undefined when the location is not the caller's.
   */
  async insertInTenants(tenants: Tenants, person: NewPerson): Promise<PersonRow | undefined> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<PersonRow>(
      `INSERT INTO scheduler.people AS p (biz_entity_id, location_id, name, email, weight, metadata)
       SELECT l.biz_entity_id, l.id, ${p.add(person.name)}, ${p.add(person.email)}, ${p.add(person.weight)},
              ${p.add(JSON.stringify(person.metadata), 'jsonb')}
         FROM scheduler.locations l
        WHERE l.id = ${p.add(person.locationId)} AND ${inTenants(p, tenants, 'l.biz_entity_id')}
       RETURNING ${COLUMNS}`,
      p,
    );
    return row;
  }

  /** Within the caller's tenants; `lock` holds the row for the rest of the transaction. */
  async findInTenants(tenants: Tenants, id: string, lock = false): Promise<PersonRow | undefined> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<PersonRow>(
      `SELECT ${COLUMNS} FROM scheduler.people p
        WHERE p.id = ${p.add(id)} AND ${inTenants(p, tenants, 'p.biz_entity_id')} ${lock ? 'FOR UPDATE' : ''}`,
      p,
    );
    return row;
  }

  listInTenants(tenants: Tenants, filter: PersonListFilter): Promise<PersonRow[]> {
    const p = new SqlParams();
    const page = keysetPage(p, filter, { at: 'p.created_at', id: 'p.id' });
    return this.sql.rows<PersonRow>(
      `SELECT ${COLUMNS} FROM scheduler.people p
        WHERE ${inTenants(p, tenants, 'p.biz_entity_id')} AND ${optionalEquals(p, 'p.location_id', filter.locationId)}
          AND ${optionalEquals(p, 'p.active', filter.active)} AND ${page.after}
        ${page.orderAndLimit}`,
      p,
    );
  }

  /** Public, so no tenant: active people of an active location. */
  listActiveAtLocation(locationId: string, filter: { after?: PagePosition; limit: number }): Promise<PersonRow[]> {
    const p = new SqlParams();
    const page = keysetPage(p, filter, { at: 'p.created_at', id: 'p.id' });
    return this.sql.rows<PersonRow>(
      `SELECT ${COLUMNS} FROM scheduler.people p JOIN scheduler.locations l ON l.id = p.location_id AND l.active
        WHERE p.location_id = ${p.add(locationId)} AND p.active AND ${page.after}
        ${page.orderAndLimit}`,
      p,
    );
  }

  /** Public, so no tenant: an active person of an active location. */
  async findActiveAtActiveLocation(id: string): Promise<PersonRow | undefined> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<PersonRow>(
      `SELECT ${COLUMNS} FROM scheduler.people p JOIN scheduler.locations l ON l.id = p.location_id AND l.active
        WHERE p.id = ${p.add(id)} AND p.active`,
      p,
    );
    return row;
  }

  /** Every person of a location (deleted ones too), optionally only the given ids; no tenant (generation holds the location). */
  findAllAtLocation(locationId: string, ids?: readonly string[]): Promise<PersonRow[]> {
    const p = new SqlParams();
    return this.sql.rows<PersonRow>(
      `SELECT ${COLUMNS} FROM scheduler.people p
        WHERE p.location_id = ${p.add(locationId)} AND ${ids ? `p.id = ANY(${p.add(ids, 'uuid[]')})` : 'TRUE'}
        ORDER BY p.id`,
      p,
    );
  }

  /** Live (held or confirmed) bookings on slots that have not started, of this person. */
  hasLiveFutureBookings(id: string): Promise<boolean> {
    return hasLiveFutureBookings(this.sql, 'person', id);
  }

  /**
   * After a locked read in tenants; the tenant condition is repeated in the UPDATE itself all
   * the same. False when it matched no row (the caller answers 404 rather than pretend).
   */
  async update(tenants: Tenants, id: string, changes: PersonChanges, metadata?: MetadataMerge): Promise<boolean> {
    const p = new SqlParams();
    const merged = metadata ? [`metadata = ${mergedMetadata(p, 'metadata', metadata)}`] : [];
    const { count } = await this.sql.change(
      `UPDATE scheduler.people
          SET ${[...setChanges(p, changes, CHANGED_COLUMNS), ...merged, "updated_at = date_trunc('milliseconds', now())"].join(', ')}
        WHERE id = ${p.add(id)} AND ${inTenants(p, tenants, 'biz_entity_id')}`,
      p,
    );
    return count === 1;
  }
}
