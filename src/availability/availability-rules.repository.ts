import { Injectable } from '@nestjs/common';
import type { Tenants } from '../common/auth/principal';
import { hasLiveFutureBookings } from '../common/database/live-bookings';
import { inTenants, keysetPage, optionalEquals, setChanges, SqlParams } from '../common/database/sql';
import { SqlRunner } from '../common/database/sql-runner';
import { PagePosition } from '../common/http/pagination';
import type { RuleKind } from './rule-fields';

/** A row of `scheduler.availability_rules`: dates as `YYYY-MM-DD`, times as `HH:MM:SS`. */
export interface AvailabilityRuleRow {
  id: string;
  bizEntityId: string;
  locationId: string;
  personId: string;
  kind: RuleKind;
  weekdays: number[] | null;
  date: string | null;
  startDate: string | null;
  endDate: string | null;
  startTime: string | null;
  endTime: string | null;
  slotMinutes: number | null;
  bufferBeforeMinutes: number | null;
  bufferAfterMinutes: number | null;
  capacity: number | null;
  validFrom: string | null;
  validUntil: string | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** Raised by every UPDATE of the row (a trigger): the ETag. */
  version: number;
}

export type RuleColumns = Omit<AvailabilityRuleRow, 'id' | 'bizEntityId' | 'locationId' | 'personId' | 'kind' | 'active' | 'createdAt' | 'updatedAt' | 'version'>;
export type NewAvailabilityRule = Pick<AvailabilityRuleRow, 'bizEntityId' | 'locationId' | 'personId' | 'kind'> & RuleColumns;
export type AvailabilityRuleChanges = Partial<RuleColumns & Pick<AvailabilityRuleRow, 'active'>>;

export interface RuleListFilter {
  personId?: string;
  locationId?: string;
  active?: boolean;
  after?: PagePosition;
  limit: number;
}

const COLUMN_OF: Record<keyof NewAvailabilityRule | 'active', string> = {
  bizEntityId: 'biz_entity_id',
  locationId: 'location_id',
  personId: 'person_id',
  kind: 'kind',
  weekdays: 'weekdays',
  date: 'date',
  startDate: 'start_date',
  endDate: 'end_date',
  startTime: 'start_time',
  endTime: 'end_time',
  slotMinutes: 'slot_minutes',
  bufferBeforeMinutes: 'buffer_before_minutes',
  bufferAfterMinutes: 'buffer_after_minutes',
  capacity: 'capacity',
  validFrom: 'valid_from',
  validUntil: 'valid_until',
  active: 'active',
};

// Dates and times as text: node-postgres would turn a `date` into a local-midnight Date.
const COLUMNS = `r.id, r.biz_entity_id AS "bizEntityId", r.location_id AS "locationId", r.person_id AS "personId", r.kind,
  r.weekdays, r.date::text AS date, r.start_date::text AS "startDate", r.end_date::text AS "endDate",
  r.start_time::text AS "startTime", r.end_time::text AS "endTime", r.slot_minutes AS "slotMinutes",
  r.buffer_before_minutes AS "bufferBeforeMinutes", r.buffer_after_minutes AS "bufferAfterMinutes", r.capacity, r.valid_from::text AS "validFrom", r.valid_until::text AS "validUntil",
  r.active, r.created_at AS "createdAt", r.updated_at AS "updatedAt", r.version`;

const { bizEntityId: _biz, locationId: _location, personId: _person, kind: _kind, ...CHANGED_COLUMNS } = COLUMN_OF;

/** SQL for `scheduler.availability_rules`; admin statements carry the tenant condition inside. */
@Injectable()
export class AvailabilityRulesRepository {
  constructor(private readonly sql: SqlRunner) {}

  async insert(rule: NewAvailabilityRule): Promise<AvailabilityRuleRow> {
    const p = new SqlParams();
    const fields = Object.keys(rule) as (keyof NewAvailabilityRule)[];
    const [row] = await this.sql.rows<AvailabilityRuleRow>(
      `INSERT INTO scheduler.availability_rules AS r (${fields.map((field) => COLUMN_OF[field]).join(', ')})
       VALUES (${fields.map((field) => p.add(rule[field])).join(', ')})
       RETURNING ${COLUMNS}`,
      p,
    );
    return row;
  }

  async findInTenants(tenants: Tenants, id: string): Promise<AvailabilityRuleRow | undefined> {
    const p = new SqlParams();
    const [row] = await this.sql.rows<AvailabilityRuleRow>(
      `SELECT ${COLUMNS} FROM scheduler.availability_rules r WHERE r.id = ${p.add(id)} AND ${inTenants(p, tenants, 'r.biz_entity_id')}`,
      p,
    );
    return row;
  }

  listInTenants(tenants: Tenants, filter: RuleListFilter): Promise<AvailabilityRuleRow[]> {
    const p = new SqlParams();
    const page = keysetPage(p, filter, { at: 'r.created_at', id: 'r.id' });
    return this.sql.rows<AvailabilityRuleRow>(
      `SELECT ${COLUMNS} FROM scheduler.availability_rules r
        WHERE ${inTenants(p, tenants, 'r.biz_entity_id')} AND ${optionalEquals(p, 'r.person_id', filter.personId)}
          AND ${optionalEquals(p, 'r.location_id', filter.locationId)} AND ${optionalEquals(p, 'r.active', filter.active)}
          AND ${page.after}
        ${page.orderAndLimit}`,
      p,
    );
  }

  /** The live rules a new window of `kind` could conflict with (the person's row is locked, in tenants). */
  listActiveOfPerson(personId: string, kind: RuleKind): Promise<AvailabilityRuleRow[]> {
    const p = new SqlParams();
    return this.sql.rows<AvailabilityRuleRow>(
      `SELECT ${COLUMNS} FROM scheduler.availability_rules r
        WHERE r.person_id = ${p.add(personId)} AND r.kind = ${p.add(kind)} AND r.active ORDER BY r.created_at, r.id`,
      p,
    );
  }

  /** Every live rule of these people, for slot generation (which holds their location's lock). */
  listActiveOfPeople(personIds: readonly string[]): Promise<AvailabilityRuleRow[]> {
    const p = new SqlParams();
    return this.sql.rows<AvailabilityRuleRow>(
      `SELECT ${COLUMNS} FROM scheduler.availability_rules r
        WHERE r.person_id = ANY(${p.add(personIds, 'uuid[]')}) AND r.active ORDER BY r.created_at, r.id`,
      p,
    );
  }

  /** Live (held or confirmed) bookings on slots that have not started, of this rule (through the slots it produced). */
  hasLiveFutureBookings(id: string): Promise<boolean> {
    return hasLiveFutureBookings(this.sql, 'rule', id);
  }

  /**
   * After a locked read in tenants; the tenant condition is repeated in the UPDATE itself all
   * the same. Fields set to null are cleared (a rule's PATCH sends them all). False when it
   * matched no row (the caller answers 404 rather than pretend).
   */
  async update(tenants: Tenants, id: string, changes: AvailabilityRuleChanges): Promise<boolean> {
    const p = new SqlParams();
    const { count } = await this.sql.change(
      `UPDATE scheduler.availability_rules
          SET ${[...setChanges(p, changes, CHANGED_COLUMNS), "updated_at = date_trunc('milliseconds', now())"].join(', ')}
        WHERE id = ${p.add(id)} AND ${inTenants(p, tenants, 'biz_entity_id')}`,
      p,
    );
    return count === 1;
  }
}
