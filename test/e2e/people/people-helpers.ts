import type { DataSource } from 'typeorm';

export const ADMIN_PEOPLE = '/v1/admin/people';
export const ADMIN_RULES = '/v1/admin/availability-rules';
export const ADMIN_LOCATIONS = '/v1/admin/locations';
export const publicPeople = (locationId: string): string => `/v1/locations/${locationId}/people`;

/** A well-formed UUID that no row will ever have. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const anInstant = (): unknown => expect.stringMatching(ISO_INSTANT);
export const aUuid = (): unknown => expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

// ---------------------------------------------------------------------------------------------
// Lists
// ---------------------------------------------------------------------------------------------

/** Lists are ordered by (createdAt, id): rows created in one millisecond tie-break on id. */
export function inListOrder<T extends { id: string; createdAt: string }>(items: T[]): T[] {
  const key = (item: T): string => `${item.createdAt}|${item.id}`;
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

// ---------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------

export interface PersonRow {
  id: string;
  biz_entity_id: string;
  location_id: string;
  name: string;
  email: string | null;
  weight: number;
  active: boolean;
  created_at: string;
  updated_at: string;
}

const PERSON_COLUMNS = `id, biz_entity_id, location_id, name, email, weight, active,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at`;

export async function readPersonRow(db: DataSource, id: string): Promise<PersonRow | undefined> {
  const rows = (await db.query(`SELECT ${PERSON_COLUMNS} FROM scheduler.people WHERE id = $1`, [id])) as PersonRow[];
  return rows[0];
}

export interface RuleRow {
  id: string;
  biz_entity_id: string;
  location_id: string;
  person_id: string;
  kind: string;
  weekdays: number[] | null;
  date: string | null;
  start_date: string | null;
  end_date: string | null;
  start_time: string | null;
  end_time: string | null;
  slot_minutes: number | null;
  buffer_before_minutes: number | null;
  buffer_after_minutes: number | null;
  capacity: number | null;
  valid_from: string | null;
  valid_until: string | null;
  active: boolean;
  created_at: string;
  updated_at: string;
}

/** Dates and times as text, so the comparison does not depend on the driver's parsing. */
const RULE_COLUMNS = `id, biz_entity_id, location_id, person_id, kind, weekdays,
  date::text AS date, start_date::text AS start_date, end_date::text AS end_date,
  start_time::text AS start_time, end_time::text AS end_time,
  slot_minutes, buffer_before_minutes, buffer_after_minutes, capacity, valid_from::text AS valid_from, valid_until::text AS valid_until, active,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at`;

export async function readRuleRow(db: DataSource, id: string): Promise<RuleRow | undefined> {
  const rows = (await db.query(`SELECT ${RULE_COLUMNS} FROM scheduler.availability_rules WHERE id = $1`, [id])) as RuleRow[];
  return rows[0];
}

/** Every person and rule row of a business, for "nothing was written or changed" checks. */
export async function snapshotBusiness(db: DataSource, biz: string): Promise<{ people: PersonRow[]; rules: RuleRow[] }> {
  const people = (await db.query(`SELECT ${PERSON_COLUMNS} FROM scheduler.people WHERE biz_entity_id = $1 ORDER BY id`, [
    biz,
  ])) as PersonRow[];
  const rules = (await db.query(
    `SELECT ${RULE_COLUMNS} FROM scheduler.availability_rules WHERE biz_entity_id = $1 ORDER BY id`,
    [biz],
  )) as RuleRow[];
  return { people, rules };
}

/** Moves a row's timestamps an hour back, so a later write visibly changes `updatedAt`. */
export async function backdate(db: DataSource, table: 'people' | 'availability_rules', id: string): Promise<void> {
  await db.query(
    `UPDATE scheduler.${table}
        SET created_at = created_at - interval '1 hour', updated_at = updated_at - interval '1 hour'
      WHERE id = $1`,
    [id],
  );
}
